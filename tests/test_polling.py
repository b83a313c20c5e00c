"""Waiting (``_polling``): the verdict on each status, progress, failure reasons, the deadline and
the backoff of polls.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from aparavi_dtc import (
    TaskFailedError,
    TaskTimeoutError,
    _checks,
    _polling,
)
from aparavi_dtc._config import (
    MAX_POLL_INTERVAL,
    POLL_BACKOFF,
)
from aparavi_dtc._redact import Redactor
from aparavi_dtc_api.models import TaskStatus

from .conftest import API_KEY, TOKEN

OK: dict[str, Any] = {"status": "OK", "data": {}}


# -- waiting (pure) -----------------------------------------------------------------------


def _waiter(timeout: float | None = None, interval: float = 1.0, **kwargs: Any) -> Any:
    return _polling.Waiter(
        task=None,
        token=TOKEN,
        type_="cpu",
        timeout=timeout,
        poll_interval=interval,
        on_progress=kwargs.pop("on_progress", None),
        redactor=kwargs.pop("redactor", Redactor()),
        **kwargs,
    )


def test_waiting_for_running() -> None:
    waiter = _waiter(target="running")
    assert waiter.observe(TaskStatus(status="Created")) == 1.0
    assert waiter.observe(TaskStatus(status="Running")) is None
    completed = TaskStatus(status="Completed")
    with pytest.raises(
        TaskFailedError, match=r"^Task ended Completed before it was Running$"
    ) as info:
        _waiter(target="running").observe(completed)
    assert info.value.status is completed
    assert info.value.errors == []
    with pytest.raises(TaskFailedError, match=r"^Task ended Failed: boom$"):
        _waiter(target="running").observe(TaskStatus(status="Failed", errors=["boom"]))


def test_timeout_messages_for_each_kind_of_wait() -> None:
    running = TaskStatus(status="Created")
    cases = [
        (
            {},
            "Task did not finish within 0s (last status: Created). It is still running: "
            "resume with error.task.wait() or cancel it with error.task.delete(), where error "
            "is this TaskTimeoutError.",
        ),
        (
            {"target": "running", "left_running": False},
            "Task was not Running within 0s (last status: Created). The task has been deleted.",
        ),
    ]
    for kwargs, message in cases:
        waiter = _waiter(0, 0, **kwargs)
        with pytest.raises(TaskTimeoutError) as info:
            waiter.observe(running)
        assert str(info.value) == message
        assert info.value.status is running
    assert "last status: unknown" in str(_waiter(1.5).timed_out())
    assert "within 1.5s" in str(_waiter(1.5).timed_out())


def test_progress_is_reported_with_elapsed_time() -> None:
    seen: list[_polling.Progress] = []
    waiter = _waiter(on_progress=seen.append)
    time.sleep(0.05)
    waiter.observe(TaskStatus(status="Running"))
    (progress,) = seen
    assert 0.05 <= progress.elapsed < 1.05
    assert progress.status == "Running"


def test_failure_reasons_are_masked_and_trimmed() -> None:
    waiter = _waiter(redactor=Redactor(API_KEY))
    errors = [f"key {API_KEY}", "x" * 600]
    with pytest.raises(TaskFailedError) as info:
        waiter.observe(TaskStatus(status="Completed", errors=errors))
    assert info.value.errors == [f"key ***{API_KEY[-4:]}", "x" * 600]
    joined = f"key ***{API_KEY[-4:]}; " + "x" * 600
    assert str(info.value) == f"Task ended Completed: {joined[:500]}"


@pytest.mark.parametrize(
    ("fields", "reasons"),
    [
        ({"status": "Failed", "error": "  disk full  "}, ["disk full"]),
        ({"status": "Failed", "error": "   ", "exitMsg": "oom"}, ["oom"]),
        ({"status": "Error", "exitMsg": " killed "}, ["killed"]),
        ({"status": "Failed", "error": {"message": " no space "}}, ["no space"]),
        ({"status": "Failed", "error": {"message": "  "}, "exitMsg": "oom"}, ["oom"]),
        ({"status": "Failed", "error": "first", "exitMsg": "second"}, ["first"]),
        ({"status": "Failed", "errors": ["a"], "error": "b"}, ["a"]),
        ({"status": "Cancelled"}, ["the task ended Cancelled"]),
        ({"status": "Completed", "errors": []}, None),
        ({"status": "Completed", "errors": [1, "two"]}, ["1", "two"]),
        ({"status": "Completed", "error": "ignored when not failed"}, None),
    ],
)
def test_failure_reasons(fields: dict[str, Any], reasons: list[str] | None) -> None:
    assert _polling.failure(TaskStatus.from_dict(fields)) == reasons


@pytest.mark.parametrize(
    ("fields", "finished"),
    [
        ({"status": "Running", "completed": True}, True),
        ({"status": "Running", "completed": 2}, True),
        ({"status": "Running", "completed": 0}, False),
        ({"status": "Running", "completed": False}, False),
        ({"status": "Running"}, False),
        ({"status": "Error"}, True),
        ({"status": "Cancelled"}, True),
        ({"status": "Failed"}, True),
        ({"status": "completed"}, False),  # the service's values are case-sensitive
    ],
)
def test_is_finished(fields: dict[str, Any], finished: bool) -> None:
    assert _polling.is_finished(TaskStatus.from_dict(fields)) is finished


@pytest.mark.parametrize(
    ("fields", "percent", "completed", "total", "failed"),
    [
        ({"progress": -5}, 0.0, None, None, None),
        ({"progress": 37.5}, 37.5, None, None, None),
        ({"progress": float("nan"), "completedCount": 1, "totalCount": 4}, 25.0, 1, 4, None),
        ({"progress": True, "completedCount": 1, "totalCount": 2}, 50.0, 1, 2, None),
        ({"completedCount": 5, "totalCount": 4}, 100.0, 5, 4, None),
        ({"completedCount": -1, "totalCount": 4}, 0.0, -1, 4, None),
        ({"completedCount": 1, "totalCount": -4}, None, 1, -4, None),
        ({"completedCount": "1", "totalCount": 4}, None, None, 4, None),
        (
            {"completedCount": 1, "totalCount": 4, "completedSize": 3, "totalSize": 4},
            25.0,
            1,
            4,
            None,
        ),
        ({"completedSize": 0, "totalSize": 0}, None, None, None, None),
        ({"files_processed": 7.9, "total_files": 9, "failedCount": 2}, None, 7, 9, 2),
        ({"completedCount": 2, "files_processed": 7}, None, 2, None, None),
    ],
)
def test_progress_fields(
    fields: dict[str, Any],
    percent: float | None,
    completed: int | None,
    total: int | None,
    failed: int | None,
) -> None:
    status = TaskStatus.from_dict({"status": "Running", **fields})
    progress = _polling.Progress.from_status(status, 2.5)
    assert progress.percent == (None if percent is None else pytest.approx(percent))
    assert (progress.completed, progress.total, progress.failed) == (completed, total, failed)
    assert progress.elapsed == 2.5
    assert progress.task_status is status
    assert _polling.Progress.from_status(status).elapsed == 0.0


@pytest.mark.parametrize(
    ("timeout", "interval"),
    [(-0.1, 1), (1, -0.1), ("1", 1), (1, "1"), (1, None)],
)
def test_wait_arguments_are_checked(timeout: Any, interval: Any) -> None:
    with pytest.raises(ValueError, match=r"^(timeout|poll_interval) must be finite seconds >= 0"):
        _checks.check_wait_args(timeout, interval)


def test_wait_arguments_at_their_bounds_are_accepted() -> None:
    _checks.check_wait_args(None, 0)
    _checks.check_wait_args(0, 0.0)
    _checks.check_wait_args(2.5, 15)


def test_poll_intervals_grow_by_the_backoff_to_the_cap() -> None:
    waiter = _waiter(None, 4.0)
    delays = [waiter.observe(TaskStatus(status="Running")) for _ in range(6)]
    assert delays == pytest.approx(
        [min(4.0 * POLL_BACKOFF**n, MAX_POLL_INTERVAL) for n in range(6)]
    )


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (0.05, "0.05s"),
        (0.123, "0.12s"),
        (0.5, "0.5s"),
        (1, "1s"),
        (1.5, "1.5s"),
        (3.0, "3s"),
        (9.94, "9.9s"),
        (10, "10s"),
        (10.4, "10s"),
        (59.4, "59s"),
        (59.6, "1m 0s"),
        (60, "1m 0s"),
        (125, "2m 5s"),
        (3599.4, "59m 59s"),
        (3600, "1h 0m"),
        (3725, "1h 2m"),
        (86400, "24h 0m"),
    ],
)
def test_durations_in_messages(seconds: float, shown: str) -> None:
    assert _polling.duration(seconds) == shown


def test_progress_of_a_single_object() -> None:
    status = TaskStatus.from_dict({"status": "Running", "completedCount": 1, "totalCount": 1})
    assert _polling.Progress.from_status(status).percent == 100.0
    half = TaskStatus.from_dict({"status": "Running", "completedSize": 1, "totalSize": 2})
    assert _polling.Progress.from_status(half).percent == 50.0


@pytest.mark.parametrize(
    ("fields", "up"),
    [
        ({"status": "Created"}, False),
        ({"status": "Created", "serviceUp": 0}, False),
        ({"status": "Created", "serviceUp": False}, False),
        ({"status": "Created", "serviceUp": 1}, True),
        ({"status": "Running", "serviceUp": 0}, True),
    ],
)
def test_ready_for_uploads(fields: dict[str, Any], up: bool) -> None:
    waiter = _waiter(target="running")
    delay = waiter.observe(TaskStatus.from_dict(fields))
    assert (delay is None) is up


def test_the_deadline_itself_is_too_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the very instant of the deadline waiting is over (a frozen clock shows it)."""
    monkeypatch.setattr(_polling.time, "monotonic", lambda: 1000.0)
    waiter = _waiter(0, 0)
    with pytest.raises(TaskTimeoutError):
        waiter.observe(TaskStatus(status="Running"))
    assert _waiter(0.5, 1.0).observe(TaskStatus(status="Running")) == 0.5
