"""Waiting for a task: when to stop, what failed, how far it got. No I/O here.

The clients fetch a status, hand it to :meth:`Waiter.observe` and sleep for as long as it
says; so the sync and async loops are three lines each and the rules live in one place.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from aparavi_dtc_api.types import Unset

from ._checks import check_wait_args
from ._config import FAILED_STATES, MAX_POLL_INTERVAL, POLL_BACKOFF, TERMINAL_STATES
from ._exceptions import TaskFailedError, TaskTimeoutError
from ._redact import Redactor

if TYPE_CHECKING:
    from aparavi_dtc_api.models import TaskStatus

Target = Literal["finished", "running"]


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    """What ``on_progress`` callbacks receive on every poll."""

    status: str
    """The task's status string, such as ``"Running"``."""
    percent: float | None
    """0 to 100: from ``progress``, else completed/total count, else completed/total size;
    None when the service gives none of them."""
    completed: int | None
    """Objects (files) done, when known."""
    total: int | None
    """Objects (files) in all, when known."""
    failed: int | None
    """Objects that failed, when known."""
    elapsed: float
    """Seconds since waiting began."""
    task_status: TaskStatus
    """The whole status payload of this poll."""

    @classmethod
    def from_status(cls, status: TaskStatus, elapsed: float = 0.0) -> Progress:
        """The progress view of one status payload, as waiting reports it."""
        return progress_of(status, elapsed)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _count(*values: Any) -> int | None:
    for value in values:
        number = _number(value)
        if number is not None:
            return int(number)
    return None


def _ratio(done: Any, total: Any) -> float | None:
    done_n, total_n = _number(done), _number(total)
    if done_n is None or not total_n or total_n <= 0:
        return None
    return min(100.0, max(0.0, 100.0 * done_n / total_n))


def progress_of(status: TaskStatus, elapsed: float) -> Progress:
    """Summarise one status payload, documented or deployed fields alike."""
    percent = _number(status.progress)
    if percent is not None:
        percent = min(100.0, max(0.0, percent))
    else:
        percent = _ratio(status.completed_count, status.total_count)
        if percent is None:
            percent = _ratio(status.completed_size, status.total_size)
    return Progress(
        status=status.status,
        percent=percent,
        completed=_count(status.completed_count, status.files_processed),
        total=_count(status.total_count, status.total_files),
        failed=_count(status.failed_count),
        elapsed=elapsed,
        task_status=status,
    )


def is_finished(status: TaskStatus) -> bool:
    """A terminal status value, or ``completed`` true (a boolean or a non-zero integer)."""
    completed = status.completed
    return status.status in TERMINAL_STATES or (
        not isinstance(completed, Unset) and bool(completed)
    )


def is_up(status: TaskStatus) -> bool:
    """Ready for uploads: ``Running``, or a truthy ``serviceUp`` (as Aparavi's MCP server
    reads it)."""
    up = status.service_up
    return status.status == "Running" or (not isinstance(up, Unset) and bool(up))


def failure(status: TaskStatus) -> list[str] | None:
    """The reasons a finished task failed, or None if it succeeded."""
    errors = [str(e) for e in status.errors] if isinstance(status.errors, list) else []
    if status.status in FAILED_STATES:
        if not errors:
            for candidate in (status.error, status.exit_msg):
                if isinstance(candidate, str) and candidate.strip():
                    errors.append(candidate.strip())
                    break
                message = candidate.get("message") if isinstance(candidate, Mapping) else None
                if isinstance(message, str) and message.strip():
                    errors.append(message.strip())
                    break
        return errors or [f"the task ended {status.status}"]
    return errors or None


class Waiter:
    """The state of one wait: deadline, interval, and the verdict on each status."""

    def __init__(
        self,
        *,
        task: Any,
        token: str,
        type_: str,
        timeout: float | None,
        poll_interval: float,
        on_progress: Callable[[Progress], object] | None,
        redactor: Redactor,
        target: Target = "finished",
        left_running: bool = True,
    ) -> None:
        check_wait_args(timeout, poll_interval)
        self._task = task
        self._token = token
        self._type = type_
        self._timeout = timeout
        self._interval = float(poll_interval)
        self._on_progress = on_progress
        self._redactor = redactor
        self._target = target
        self._left_running = left_running
        self._started = time.monotonic()
        self._deadline = None if timeout is None else self._started + timeout
        self.last: TaskStatus | None = None

    def observe(self, status: TaskStatus) -> float | None:
        """Judge one status: None when waiting is over, else seconds until the next poll.

        Raises :class:`TaskFailedError` for a failed task and :class:`TaskTimeoutError`
        when the deadline has passed.
        """
        self.last = status
        now = time.monotonic()
        if self._on_progress is not None:
            self._on_progress(progress_of(status, now - self._started))
        if is_finished(status):
            reasons = failure(status)
            if reasons:
                reasons = [self._redactor.text(r) for r in reasons]
                raise TaskFailedError(
                    f"Task ended {status.status}: {'; '.join(reasons)[:500]}",
                    status=status,
                    errors=reasons,
                )
            if self._target == "running":
                raise TaskFailedError(
                    f"Task ended {status.status} before it was Running", status=status, errors=[]
                )
            return None
        if self._target == "running" and is_up(status):
            return None
        return self._sleep(now)

    def _sleep(self, now: float) -> float:
        if self._deadline is not None and now >= self._deadline:
            raise self.timed_out()
        delay = self._interval
        self._interval = min(self._interval * POLL_BACKOFF, max(MAX_POLL_INTERVAL, delay))
        if self._deadline is not None:
            delay = min(delay, self._deadline - now)
        return max(0.0, delay)

    def timed_out(self) -> TaskTimeoutError:
        """The error for a deadline that has passed; says how to resume or cancel."""
        last = self.last.status if self.last is not None else "unknown"
        what = "did not finish" if self._target == "finished" else "was not Running"
        reason = f"Task {what} within {duration(self._timeout or 0.0)} (last status: {last})."
        message = reason
        if self._left_running:
            # The token in a message is masked, so a handle cannot be pasted from it: the
            # exception carries the handle instead.
            message += (
                " It is still running: resume with error.task.wait() or cancel it with "
                "error.task.delete(), where error is this TaskTimeoutError."
            )
        else:
            message += " The task has been deleted."
        return TaskTimeoutError(
            message,
            task=self._task,
            status=self.last,
            left_running=self._left_running,
            reason=reason,
        )


def duration(seconds: float) -> str:
    """Seconds for a message: ``0.5s``, ``12s``, ``2m 5s``, ``1h 0m``."""
    if seconds < 10:
        return f"{seconds:.2g}s" if seconds < 1 else f"{seconds:.1f}".rstrip("0").rstrip(".") + "s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m"
