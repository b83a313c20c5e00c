"""``run()`` planned without I/O: its checks, its one deadline, and what it returns.

Both clients only sequence the I/O: validate, start, wait for ``Running``, upload, delete
(a webhook pipeline), or validate, start, wait until finished, delete (any other).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from aparavi_dtc_api import models

from ._checks import check_wait_args
from ._exceptions import PipelineValidationError, request_error
from ._pipeline import PipelineInput, wrap_pipeline
from ._polling import Progress
from ._types import FileInput
from ._uploads import read_upload

if TYPE_CHECKING:
    from aparavi_dtc_api.models import (
        Envelope,
        PipelineRequest,
        ProcessedObject,
        TaskStatus,
        WebhookResponse,
        WebhookResult,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class RunResult:
    """What ``run()`` returns."""

    status: TaskStatus
    """The task's last status: ``Running`` for a webhook pipeline (such a task is a service
    that stays Running; it was deleted after the upload), the final one otherwise."""
    results: WebhookResult | None
    """What the pipeline produced for the upload; None when nothing was uploaded."""

    @property
    def texts(self) -> dict[str, str]:
        """Each processed object's name (its id when it has none) and its text, joined."""
        return texts_of(self.results)


def texts_of(result: WebhookResult | None) -> dict[str, str]:
    """Each processed object's name and its text pieces joined by newlines.

    Two objects of the same name are told apart by their ids: ``"a.pdf (<id>)"``.
    """
    texts: dict[str, str] = {}
    if result is None or not isinstance(result.objects, models.WebhookResultObjects):
        return texts
    for object_id, item in result.objects.items():
        name = item.name if isinstance(item.name, str) and item.name else object_id
        if name in texts:
            name = f"{name} ({object_id})"
        texts[name] = text_of(item)
    return texts


def text_of(item: ProcessedObject) -> str:
    """A processed object's text: its pieces joined by newlines ("" for none)."""
    pieces = item.text if isinstance(item.text, list) else []
    return "\n".join(pieces)


def results_of(answer: WebhookResponse) -> WebhookResult:
    """The results in an upload's answer; empty when the service sent none."""
    return answer.data if isinstance(answer.data, models.WebhookResult) else models.WebhookResult()


@dataclasses.dataclass(frozen=True, slots=True)
class RunPlan:
    """A checked ``run()``: the body to send and the upload, read before anything is sent,
    and the waiting options with the run's one deadline."""

    body: dict[str, Any]
    upload: dict[str, Any] | None
    deadline: float | None
    poll_interval: float
    on_progress: Callable[[Progress], object] | None

    def time_left(self) -> float | None:
        """Seconds to the run's deadline (0 when passed), or None without one."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())


def is_webhook(body: PipelineRequest) -> bool:
    """Whether the pipeline's source component (or, with no source, any) is a webhook."""
    pipeline = body.pipeline
    source = pipeline.source if isinstance(pipeline.source, str) else None
    for component in pipeline.components:
        names = {component.id, component.name}
        if (source is None or source in names) and component.provider == "webhook":
            return True
    return False


def plan_run(
    pipeline: PipelineInput,
    files: FileInput | Sequence[FileInput] | None,
    text: str | None,
    timeout: float | None,
    poll_interval: float,
    on_progress: Callable[[Progress], object] | None,
) -> RunPlan:
    """Check everything ``run()`` was given and read its files, before anything is sent."""
    body = wrap_pipeline(pipeline)
    webhook = is_webhook(body)
    upload: dict[str, Any] | None = None
    if files is None and text is None:
        if webhook:
            raise ValueError("a webhook pipeline needs files or text to process")
    elif not webhook:
        raise ValueError("files and text need a pipeline whose source is a webhook")
    else:
        loaded, text = read_upload(files, text)
        upload = {"text": text} if text is not None else {"files": loaded}
    check_wait_args(timeout, poll_interval)
    deadline = None if timeout is None else time.monotonic() + timeout
    return RunPlan(body.to_dict(), upload, deadline, poll_interval, on_progress)


def validation_findings(result: Envelope) -> tuple[list[Any], list[Any]]:
    """The errors and warnings an answer of POST /pipe/validate reports (each [] if none)."""
    data = result.data if isinstance(result.data, dict) else {}
    errors, warnings = data.get("errors"), data.get("warnings")
    return (
        errors if isinstance(errors, list) else [],
        warnings if isinstance(warnings, list) else [],
    )


def check_validation(result: Envelope) -> None:
    """Raise :class:`PipelineValidationError` when validating reported errors."""
    errors, _ = validation_findings(result)
    if errors:
        raise request_error(
            PipelineValidationError,
            "validating pipeline",
            "; ".join(map(str, errors))[:500],
            status_code=200,
            body=result.to_dict(),
        )
