"""Turning what users pass as a pipeline into the body the service expects."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from aparavi_dtc_api import models

from ._models import Misfit, parse

if TYPE_CHECKING:
    from aparavi_dtc_api.models import PipelineRequest

#: A pipeline as a mapping, a JSON string, or a path to a JSON file; inner or wrapped.
PipelineInput: TypeAlias = Mapping[str, Any] | str | os.PathLike[str]


def _load(pipeline: PipelineInput) -> Any:
    if isinstance(pipeline, Mapping):
        return dict(pipeline)
    if isinstance(pipeline, os.PathLike) or (
        isinstance(pipeline, str) and not pipeline.lstrip().startswith(("{", "["))
    ):
        path = Path(pipeline)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(
                f"pipeline {str(pipeline)[:80]!r} is neither JSON nor a readable file "
                f"({exc.strerror or exc})"
            ) from None
        source = f"pipeline file {path}"
    elif isinstance(pipeline, str):
        text, source = pipeline, "pipeline JSON"
    else:
        raise TypeError(
            "pipeline must be a mapping, a JSON string or a path to a JSON file, "
            f"not {type(pipeline).__name__}"
        )
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{source} is not valid JSON: {exc}") from None


#: What JSON calls each kind of value that is not an object, for messages.
_JSON_KINDS: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def wrap_pipeline(pipeline: PipelineInput) -> PipelineRequest:
    """Return the request body for ``pipeline``.

    The body is ``{"pipeline": ..., "errors": [], "warnings": []}``; a pipeline that is
    already wrapped keeps its wrapper and gets the empty lists it lacks. Raises
    ``ValueError`` (or ``TypeError``) when the pipeline is unusable, before anything is sent.
    """
    loaded = _load(pipeline)
    if not isinstance(loaded, dict):
        kind = _JSON_KINDS.get(type(loaded), type(loaded).__name__)
        raise ValueError(f"a pipeline must be a JSON object, not {kind}")
    wrapped = isinstance(loaded.get("pipeline"), dict)
    body: dict[str, Any] = dict(loaded) if wrapped else {"pipeline": loaded}
    body.setdefault("errors", [])
    body.setdefault("warnings", [])
    inner = body["pipeline"]
    components = inner.get("components")
    if not isinstance(components, list) or not components:
        raise ValueError(
            "the pipeline is not usable: it needs a 'components' list with at least one "
            "component, each with a 'provider' (the predefined pipelines are examples)"
        )
    try:
        return parse(models.PipelineRequest, body, strict=True)
    except Misfit as exc:
        where = exc.path or "value"
        what = f"{exc.got} where {exc.expected} belongs" if exc.expected else exc.reason
        raise ValueError(f"the pipeline is not usable: {where} is {what}") from None
