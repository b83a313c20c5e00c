"""Waiting for tasks and run(), on both clients, against respx."""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    NoActiveTaskError,
    PipelineValidationError,
    Progress,
    ServerError,
    TaskFailedError,
    TaskTimeoutError,
)
from aparavi_dtc._polling import Waiter
from aparavi_dtc._redact import Redactor

from .conftest import API_KEY, PIPELINE, TOKEN, started, status_body

NOT_WEBHOOK = {"source": "src", "components": [{"id": "src", "provider": "file", "config": {}}]}


def statuses(router: Any, *bodies: dict[str, Any]) -> Any:
    """Answer GET /task with ``bodies`` in turn, repeating the last one."""
    responses = [httpx.Response(200, json=b) for b in bodies]

    def answer(request: httpx.Request) -> httpx.Response:
        return responses.pop(0) if len(responses) > 1 else responses[0]

    return router.get("/task").mock(side_effect=answer)


def calls(router: Any) -> list[str]:
    return [f"{c.request.method} {c.request.url.path}" for c in router.calls]


# -- wait_for_task ----------------------------------------------------------------------


def test_wait_polls_through_paused_until_completed(client: Any, router: Any) -> None:
    router.put("/task").respond(200, json=started())
    client.start_task(PIPELINE)
    route = statuses(
        router, status_body("Paused"), status_body("Running"), status_body("Completed")
    )
    seen: list[Progress] = []
    final = client.wait_for_task(poll_interval=0, on_progress=seen.append)
    assert final.status == "Completed"
    assert route.call_count == 3
    assert [p.status for p in seen] == ["Paused", "Running", "Completed"]
    assert all(a.elapsed <= b.elapsed for a, b in itertools.pairwise(seen))


@pytest.mark.parametrize(
    ("body", "finished"),
    [
        (status_body("Running", completed=True), True),
        (status_body("Running", completed=1), True),
        (status_body("Running", completed=0), False),
        (status_body("Done"), True),
        (status_body("Quiescing"), False),
        (status_body("Paused"), False),
        ({"data": {"status": "Completed", "progress": 100}, "message": "ok"}, True),
    ],
)
def test_what_counts_as_finished(
    client: Any, router: Any, body: dict[str, Any], finished: bool
) -> None:
    statuses(router, body)
    task = client.task(TOKEN, "cpu")
    if finished:
        assert task.wait(poll_interval=0).status == body["data"]["status"]
    else:
        began = time.monotonic()
        with pytest.raises(TaskTimeoutError):
            task.wait(timeout=0, poll_interval=0)
        assert time.monotonic() - began < 1.0  # timeout + 1 s


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (status_body("Failed", errors=["parser crashed"]), ["parser crashed"]),
        (status_body("Cancelled"), ["the task ended Cancelled"]),
        (status_body("Error", exitMsg="out of memory"), ["out of memory"]),
        (
            {"data": {"status": "Failed", "error": {"message": "disk full"}}},
            ["disk full"],
        ),
        ({"data": {"status": "Failed", "error": "bad input"}}, ["bad input"]),
        (status_body("Completed", errors=["1 file unreadable"]), ["1 file unreadable"]),
        (status_body("Running", completed=True, errors=["e1", "e2"]), ["e1", "e2"]),
    ],
)
def test_failed_tasks_raise_with_their_errors(
    client: Any, router: Any, body: dict[str, Any], errors: list[str]
) -> None:
    statuses(router, body)
    with pytest.raises(TaskFailedError) as info:
        client.task(TOKEN, "cpu").wait(poll_interval=0)
    assert info.value.errors == errors
    assert info.value.status.status == body["data"]["status"]
    assert str(info.value).startswith(f"Task ended {body['data']['status']}: ")


def test_warnings_are_not_failures(client: Any, router: Any) -> None:
    statuses(router, status_body("Completed", warnings=["slow file"], errors=[]))
    assert client.task(TOKEN, "cpu").wait(poll_interval=0).warnings == ["slow file"]


def test_timeout_leaves_the_task_and_says_how_to_resume(client: Any, router: Any) -> None:
    router.put("/task").respond(200, json=started())
    client.start_task(PIPELINE)
    statuses(router, status_body("Running"))
    delete = router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError) as info:
        client.wait_for_task(timeout=0.05, poll_interval=0.01)
    assert 0.05 <= time.monotonic() - began < 0.05 + 1.0
    message = str(info.value)
    assert TOKEN not in message
    assert API_KEY not in message
    assert message == (
        "Task did not finish within 0.05s (last status: Running). It is still running: "
        "resume with error.task.wait() or cancel it with error.task.delete(), where error "
        "is this TaskTimeoutError."
    )
    assert not delete.called
    assert info.value.task.token == TOKEN  # the handle the message points to
    assert info.value.left_running is True
    assert info.value.reason == "Task did not finish within 0.05s (last status: Running)."
    assert client.token == TOKEN


def test_secrets_in_failure_messages_are_masked(client: Any, router: Any) -> None:
    statuses(router, status_body("Failed", errors=[f"bad key {API_KEY} for token={TOKEN}"]))
    with pytest.raises(TaskFailedError) as info:
        client.task(TOKEN, "cpu").wait(poll_interval=0)
    text = str(info.value) + repr(info.value.errors)
    assert API_KEY not in text
    assert TOKEN not in text


def test_wait_for_task_needs_a_task(client: Any, router: Any) -> None:
    with pytest.raises(NoActiveTaskError):
        client.wait_for_task()
    assert not router.calls


@pytest.mark.parametrize(("timeout", "interval"), [(-1, 1), (1, -1), ("10", 1)])
def test_bad_wait_arguments(client: Any, router: Any, timeout: Any, interval: Any) -> None:
    with pytest.raises(ValueError, match=r"timeout|poll_interval"):
        client.task(TOKEN, "cpu").wait(timeout=timeout, poll_interval=interval)
    assert not router.calls


@pytest.mark.parametrize(
    ("fields", "percent", "completed", "total"),
    [
        ({"progress": 45, "files_processed": 150, "total_files": 300}, 45.0, 150, 300),
        ({"completedCount": 3, "totalCount": 12}, 25.0, 3, 12),
        ({"completedSize": 50, "totalSize": 200}, 25.0, None, None),
        ({"completedCount": 3, "totalCount": 0, "completedSize": 1, "totalSize": 4}, 25.0, 3, 0),
        ({}, None, None, None),
        ({"progress": 140}, 100.0, None, None),
    ],
)
def test_progress_view(
    client: Any,
    router: Any,
    fields: dict[str, Any],
    percent: float | None,
    completed: int | None,
    total: int | None,
) -> None:
    statuses(router, status_body("Completed", **fields))
    seen: list[Progress] = []
    client.task(TOKEN, "cpu").wait(poll_interval=0, on_progress=seen.append)
    (progress,) = seen
    assert (progress.percent, progress.completed, progress.total) == (percent, completed, total)
    assert progress.status == "Completed"
    assert progress.task_status.status == "Completed"


def _waiter(timeout: float | None, poll_interval: float) -> Waiter:
    return Waiter(
        task=None,
        token=TOKEN,
        type_="cpu",
        timeout=timeout,
        poll_interval=poll_interval,
        on_progress=None,
        redactor=Redactor(),
    )


def test_poll_interval_grows_to_a_cap() -> None:
    from aparavi_dtc._config import MAX_POLL_INTERVAL, POLL_BACKOFF
    from aparavi_dtc_api.models import TaskStatus

    running = TaskStatus(status="Running")
    waiter = _waiter(None, 1.0)
    delays = [waiter.observe(running) for _ in range(12)]
    expected = [min(POLL_BACKOFF**n, MAX_POLL_INTERVAL) for n in range(12)]
    assert delays == pytest.approx(expected)
    assert delays[-1] == MAX_POLL_INTERVAL
    # An interval chosen above the cap is kept, not shrunk to it.
    slow = _waiter(None, 20.0)
    assert [slow.observe(running) for _ in range(3)] == [20.0, 20.0, 20.0]


@pytest.mark.timeout(10)
def test_poll_interval_stops_at_the_deadline() -> None:
    """Sleeping as told, a waiter raises TaskTimeoutError at its deadline, neither before nor
    later than one poll after, and never asks to sleep past it."""
    from aparavi_dtc_api.models import TaskStatus

    running = TaskStatus(status="Running")
    timeout = 0.5
    began = time.monotonic()
    waiter = _waiter(timeout, 10.0)
    delays: list[float] = []

    def poll() -> None:  # as the clients do, for at most timeout + 1 s
        while time.monotonic() - began < timeout + 1.0:
            delay = waiter.observe(running)
            assert delay is not None
            assert delay <= timeout - (time.monotonic() - began) + 0.01
            delays.append(delay)
            time.sleep(delay)

    with pytest.raises(TaskTimeoutError) as info:
        poll()
    elapsed = time.monotonic() - began
    assert timeout <= elapsed < timeout + 1.0
    assert delays
    assert sum(delays) <= timeout + 0.01
    assert "did not finish within 0.5s (last status: Running)" in str(info.value)
    with pytest.raises(TaskTimeoutError):  # past the deadline it stays past it
        waiter.observe(running)


# -- run --------------------------------------------------------------------------------


def test_run_without_webhook(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {"errors": []}})
    router.put("/task").respond(200, json=started())
    statuses(router, status_body("Running"), status_body("Completed", completedCount=5))
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    result = client.run(NOT_WEBHOOK, poll_interval=0)
    assert result.status.status == "Completed"
    assert result.status.completed_count == 5
    assert result.results is None
    assert result.texts == {}
    assert calls(router) == [
        "POST /pipe/validate",
        "PUT /task",
        "GET /task",
        "GET /task",
        "DELETE /task",
    ]
    assert client.token is None


def test_run_with_webhook_waits_for_running_uploads_and_returns_the_answer(
    client: Any, router: Any
) -> None:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    # A webhook task is a service: it stays Running, before and after the upload.
    statuses(router, status_body("Created"), status_body("Running"), status_body("Running"))
    answer = {
        "objectsRequested": 2,
        "objectsCompleted": 2,
        "types": {},
        "objects": {
            "uuid-1": {"name": "a.txt", "path": "a.txt", "text": ["alpha", "more"]},
            "uuid-2": {"name": "b.txt", "path": "b.txt", "text": ["beta"], "metadata": {}},
        },
    }
    upload = router.put("/webhook").respond(200, json={"status": "OK", "data": answer})
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    result = client.run(PIPELINE, [("a.txt", b"alpha"), ("b.txt", b"beta")], poll_interval=0)
    assert result.results is not None
    assert result.results.objects_completed == 2
    assert result.results.objects["uuid-2"].text == ["beta"]
    assert result.texts == {"a.txt": "alpha\nmore", "b.txt": "beta"}
    assert result.status.status == "Running"
    assert calls(router) == [
        "POST /pipe/validate",
        "PUT /task",
        "GET /task",
        "GET /task",
        "PUT /webhook",
        "DELETE /task",
    ]
    assert upload.calls.last.request.content.count(b'name="files"') == 2


def test_run_takes_a_truthy_service_up_as_ready(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    statuses(router, status_body("Created"), status_body("Created", serviceUp=1))
    router.put("/webhook").respond(200, json={"status": "OK", "data": {"objects": {}}})
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    result = client.run(PIPELINE, text="hello", poll_interval=0)
    assert result.status.service_up == 1
    assert result.texts == {}
    assert calls(router)[-3:] == ["GET /task", "PUT /webhook", "DELETE /task"]


def test_run_result_texts_tell_apart_objects_of_the_same_name(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    statuses(router, status_body("Running"))
    objects = {
        "u1": {"name": "a.txt", "text": ["one"]},
        "u2": {"name": "a.txt", "text": ["two"]},
        "u3": {"text": ["three"]},
        "u4": {"name": "empty.txt"},
    }
    router.put("/webhook").respond(200, json={"status": "OK", "data": {"objects": objects}})
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    result = client.run(PIPELINE, text="hello", poll_interval=0)
    assert result.texts == {"a.txt": "one", "a.txt (u2)": "two", "u3": "three", "empty.txt": ""}


def test_run_with_text(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    statuses(router, status_body("Running"), status_body("Done"))
    upload = router.put("/webhook").respond(200, json={"status": "OK", "data": {}})
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    client.run(json.dumps(PIPELINE), text="hello", poll_interval=0)
    assert upload.calls.last.request.content == b"hello"


@pytest.mark.parametrize(
    ("pipeline", "kwargs", "match"),
    [
        (NOT_WEBHOOK, {"text": "x"}, "webhook"),
        (PIPELINE, {}, "needs files"),
        (PIPELINE, {"files": "/no/such/file"}, "cannot read"),
        ({"source": "x"}, {}, "components"),
        (NOT_WEBHOOK, {"timeout": -1}, "timeout"),
        (NOT_WEBHOOK, {"poll_interval": "1"}, "poll_interval"),
    ],
)
def test_run_rejects_bad_input_before_sending(
    client: Any, router: Any, pipeline: Any, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        client.run(pipeline, **kwargs)
    assert not router.calls


def test_run_stops_when_validation_reports_errors(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(
        200, json={"status": "OK", "data": {"errors": ["unknown provider 'parse'"]}}
    )
    with pytest.raises(PipelineValidationError, match="unknown provider 'parse'"):
        client.run(NOT_WEBHOOK)
    assert calls(router) == ["POST /pipe/validate"]


def _run_setup(router: Any) -> Any:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    return router.delete("/task").respond(200, json={"status": "OK", "data": {}})


def test_run_deletes_a_failed_task(client: Any, router: Any) -> None:
    delete = _run_setup(router)
    statuses(router, status_body("Failed", errors=["boom"]))
    with pytest.raises(TaskFailedError, match="boom"):
        client.run(NOT_WEBHOOK, poll_interval=0)
    assert delete.call_count == 1


def test_run_deletes_on_timeout_and_says_so(client: Any, router: Any) -> None:
    delete = _run_setup(router)
    statuses(router, status_body("Running"))
    with pytest.raises(TaskTimeoutError, match="has been deleted") as info:
        client.run(NOT_WEBHOOK, timeout=0.05, poll_interval=0.01)
    assert "wait again" not in str(info.value)
    assert info.value.left_running is False
    assert delete.call_count == 1


def test_run_deletes_on_keyboard_interrupt(client: Any, router: Any) -> None:
    delete = _run_setup(router)
    statuses(router, status_body("Running"))

    def interrupt(progress: Progress) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.run(NOT_WEBHOOK, poll_interval=0, on_progress=interrupt)
    assert delete.call_count == 1


def test_run_keeps_the_original_error_when_delete_fails_too(
    client: Any, router: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _run_setup(router)
    router.delete("/task").respond(500, json={"status": "Error", "error": "busy"})
    statuses(router, status_body("Failed", errors=["boom"]))
    with caplog.at_level(logging.WARNING, logger="aparavi_dtc"), pytest.raises(TaskFailedError):
        client.run(NOT_WEBHOOK, poll_interval=0)
    assert "could not delete the task" in caplog.text


def test_run_reports_a_failed_delete_after_success(client: Any, router: Any) -> None:
    _run_setup(router)
    router.delete("/task").respond(500, json={"status": "Error", "error": "busy"})
    statuses(router, status_body("Completed"))
    with pytest.raises(ServerError, match="Error deleting task: busy"):
        client.run(NOT_WEBHOOK, poll_interval=0)
