"""What the SDK adds to the generated models: type checks, tolerant parsing, a short repr.

The generated ``from_dict`` methods copy values without looking at their types. Here:

* :func:`parse` checks the JSON against the model's own check, ``_fits``, which the
  models template writes from the spec (readable in ``generated/``, compared by ``make
  drift``); a misfit is explained field by field from the annotations. A field that does
  not fit is handled by the client's mode: **lenient** (the default) keeps an optional
  field out of its typed attribute, keeps the raw value under its wire name
  (``status.data["totalCount"]``) and logs one DEBUG line; **strict** raises. A required
  field that does not fit always raises. Required means required by ``openapi.yaml``:
  only what the SDK cannot work without.
* :func:`wire_names` maps attribute names to the names on the wire (``total_count`` to
  ``totalCount``), so that every message names a field as the server sent it.

Every generated model's ``repr()`` (the fields present, tokens masked) and its map
behaviour come from the models template in ``generator-templates/``, so that no model,
however it was reached, is without them.

The shapes themselves stay in ``openapi.yaml``; nothing here knows a field by name.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

import aparavi_dtc_api.models
import aparavi_dtc_api.types

from ._logging import logger

__all__ = ["Misfit", "parse", "wire_names"]

M = TypeVar("M")
UNSET = aparavi_dtc_api.types.UNSET
_Unset = aparavi_dtc_api.types.Unset
_EXTRA = "additional_properties"


class _Names(dict[str, Any]):
    """What the annotations of the generated models name: a model is loaded only when an
    annotation names it (the models load one by one, on first use)."""

    def __missing__(self, name: str) -> Any:
        try:
            return getattr(aparavi_dtc_api.models, name)
        except AttributeError:
            raise KeyError(name) from None  # a builtin or a name of the model's own module


_NAMESPACE = _Names(Unset=_Unset, File=aparavi_dtc_api.types.File)


class Misfit(ValueError):
    """A value that does not fit the spec: ``path`` names it by its wire names, ``reason``
    says why; for a value of the wrong kind, ``expected`` and ``got`` name both kinds."""

    def __init__(
        self, path: str, reason: str, *, expected: str | None = None, got: str | None = None
    ) -> None:
        super().__init__(f"{path or 'value'}: {reason}")
        self.path = path
        self.reason = reason
        self.expected = expected
        self.got = got

    @classmethod
    def wrong_kind(cls, path: str, expected: str, got: str) -> Misfit:
        return cls(path, f"expected {expected}, got {got}", expected=expected, got=got)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """Attribute name to annotation, for every attrs field of a generated model."""
    hints = typing.get_type_hints(cls, localns=_NAMESPACE)
    return {f.name: hints[f.name] for f in attrs.fields(cls)}


@functools.cache
def _required(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING)


@functools.cache
def wire_names(cls: type) -> dict[str, str]:
    """Attribute name to wire name for a generated model, as the models template wrote them
    (``_WIRE_NAMES``): exactly the generator's, whatever naming rules it follows."""
    return {attr: wire for wire, attr in getattr(cls, "_WIRE_NAMES", {}).items()}


# -- the fast check of the JSON as it came ------------------------------------------------

Check = Callable[[Any], bool]


@functools.cache
def _check(hint: Any) -> Check:
    """A fast yes/no: does the JSON value fit ``hint``? :func:`_convert` explains a no.

    It looks at the JSON itself, not at what the generated ``from_dict`` made of it: that
    turns ``[]`` into an empty object and ``[["a", 1]]`` into ``{"a": 1}`` without a word.
    A model is checked by its own ``_fits``, which the models template writes out field by
    field (a status payload has a score of fields, and a call per field would cost more
    than the generated ``from_dict`` itself: BENCHMARKS.md).
    """
    if hint is Any:
        return lambda value: True
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        checks = [_check(o) for o in typing.get_args(hint) if o is not _Unset]
        if len(checks) == 1:
            return checks[0]
        return lambda value: any(c(value) for c in checks)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        if item is Any:
            return lambda value: type(value) is list
        each = _check(item)
        return lambda value: type(value) is list and all(map(each, value))
    if origin is dict:
        item = (typing.get_args(hint) or (str, Any))[1]
        if item is Any:
            return lambda value: type(value) is dict
        each = _check(item)
        return lambda value: type(value) is dict and all(map(each, value.values()))
    if hint is type(None):
        return lambda value: value is None
    if attrs.has(hint):
        fits: Check = hint._fits  # type: ignore[attr-defined]
        return fits
    if hint is float:
        return lambda value: type(value) is float or type(value) is int
    if hint is int or hint is bool:
        return lambda value: type(value) is hint
    if isinstance(hint, type):
        return lambda value: isinstance(value, hint)
    return lambda value: True  # a construct the generator does not use for these models


# -- parsing ----------------------------------------------------------------------------


def parse(cls: type[M], raw: Mapping[str, Any], *, strict: bool) -> M:
    """The model ``cls`` for the JSON object ``raw``, checked against its annotations.

    Raises:
        Misfit: A required field is missing or does not fit, or (``strict``) any field
            does not fit. The message names the field by its wire name.
    """
    if _check(typing.cast(Any, cls))(raw):
        try:
            return typing.cast(M, cls.from_dict(raw))  # type: ignore[attr-defined]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # explained below, field by field
    return typing.cast(M, _convert(raw, cls, "", strict))


def _convert(value: Any, hint: Any, path: str, strict: bool) -> Any:
    """``value`` as the type ``hint`` describes, built field by field; raises Misfit."""
    if hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [o for o in typing.get_args(hint) if o is not _Unset]
        if len(options) == 1:  # an optional field of one type: say which type
            return _convert(value, options[0], path, strict)
        first: Misfit | None = None
        for option in options:
            try:
                return _convert(value, option, path, strict)
            except Misfit as exc:
                first = first or exc
        if first is not None and first.path != path:
            raise first  # deeper inside an object that was the right kind: say where
        raise Misfit(path, f"{_kind(value)} is not allowed here")
    if origin is list and type(value) is list:
        (item,) = typing.get_args(hint) or (Any,)
        return [_convert(v, item, f"{path}[{i}]", strict) for i, v in enumerate(value)]
    if attrs.has(hint) and type(value) is dict:
        return _model(hint, value, path, strict)
    if not (origin is list or attrs.has(hint)) and _check(hint)(value):
        return value
    raise Misfit.wrong_kind(path, _name(hint), _kind(value))


def _model(cls: type, raw: dict[str, Any], path: str, strict: bool) -> Any:
    hints, names, required = _hints(cls), wire_names(cls), _required(cls)
    values: dict[str, Any] = {}
    extra = dict(raw)
    for attr, wire in names.items():
        where = f"{path}.{wire}" if path else wire
        if wire not in raw:
            if attr in required:
                raise Misfit(where, "missing")
            continue
        try:
            values[attr] = _convert(raw[wire], hints[attr], where, strict)
        except Misfit as exc:
            if strict or attr in required:
                raise
            logger.debug("ignored the response field %s (%s)", where, exc.reason)
            continue  # the raw value stays readable under its wire name
        del extra[wire]
    item = (typing.get_args(hints[_EXTRA]) or (str, Any))[1]
    if item is not Any:  # a map of typed values, such as the objects of a webhook result
        for key, value in list(extra.items()):
            where = f"{path}.{key}" if path else key
            try:
                extra[key] = _convert(value, item, where, strict)
            except Misfit as exc:
                if strict:
                    raise
                logger.debug("ignored the response entry %s (%s)", where, exc)
                del extra[key]
    model = cls(**values)
    setattr(model, _EXTRA, extra)
    return model


#: What JSON calls each kind of value, for messages (a pipeline file or an answer is JSON).
_JSON_KINDS: dict[type, str] = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "an array",
    dict: "an object",
}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _name(hint: Any) -> str:
    if typing.get_origin(hint) is list:
        return "an array"
    if typing.get_origin(hint) is dict or attrs.has(hint):
        return "an object"
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}.get(
        hint, getattr(hint, "__name__", str(hint))
    )
