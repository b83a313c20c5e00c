"""``client.on_task``: listeners hear of every task the client starts and deletes, on both
clients (the ``Synced`` fixture), including those ``run()`` and ``process()`` start."""

from __future__ import annotations

from typing import Any

import pytest

from aparavi_dtc import TaskEvent, TaskNotFoundError
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY, PIPELINE, MakeClient


@pytest.fixture
def on_fake(make_client: MakeClient, fake: FakeAparavi) -> Any:
    return make_client(transport=fake.transport(), base_url="https://fake.test")


def heard(client: Any) -> list[TaskEvent]:
    events: list[TaskEvent] = []
    client.on_task(events.append)
    return events


def test_start_and_delete_are_heard(on_fake: Any, fake: FakeAparavi) -> None:
    events = heard(on_fake)
    task = on_fake.start_task(PIPELINE, name="nightly")
    (token,) = fake.tasks
    assert events == [TaskEvent("started", token, "cpu", "https://fake.test", "nightly")]
    task.delete()
    assert events[1] == TaskEvent("deleted", token, "cpu", "https://fake.test")


def test_a_task_found_gone_on_delete_is_heard_as_deleted(on_fake: Any, fake: FakeAparavi) -> None:
    events = heard(on_fake)
    task = on_fake.start_task(PIPELINE)
    fake.fail_next("deleteTask", status=404)
    with pytest.raises(TaskNotFoundError):
        task.delete()
    assert [event.kind for event in events] == ["started", "deleted"]
    assert on_fake.token is None  # the client forgot it too


def test_run_and_process_tasks_are_heard(on_fake: Any, fake: FakeAparavi) -> None:
    events = heard(on_fake)
    on_fake.run(PIPELINE, [("a.txt", b"hello")])
    assert [event.kind for event in events] == ["started", "deleted"]
    batch = on_fake.process([("b.txt", b"hi")])
    if hasattr(batch, "__aiter__"):
        return  # an AsyncBatch is iterated with `async for`; the sync client covers it
    list(batch)
    assert [event.kind for event in events] == ["started", "deleted"] * 2
    assert fake.tasks == {}


def test_the_raw_delete_is_heard(on_fake: Any) -> None:
    events = heard(on_fake)
    on_fake.start_task(PIPELINE)
    on_fake.with_raw_response.delete_task()
    assert [event.kind for event in events] == ["started", "deleted"]


def test_a_listener_that_fails_on_start_leaves_no_task(on_fake: Any, fake: FakeAparavi) -> None:
    def refuse(event: TaskEvent) -> None:
        if event.kind == "started":
            raise OSError("disk full")

    on_fake.on_task(refuse)
    with pytest.raises(OSError, match="disk full"):
        on_fake.start_task(PIPELINE)
    assert fake.tasks == {}
    assert on_fake.token is None


def test_a_removed_listener_hears_nothing_more(on_fake: Any) -> None:
    events: list[TaskEvent] = []
    remove = on_fake.on_task(events.append)
    remove()
    on_fake.start_task(PIPELINE)
    assert events == []


def test_a_listener_must_be_callable(on_fake: Any) -> None:
    with pytest.raises(TypeError, match="callable"):
        on_fake.on_task("not a function")


def test_the_event_masks_its_token() -> None:
    event = TaskEvent("started", "tok-9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d", "cpu", "https://x")
    assert "9b8a7c6d5e4f3a2b1c0d" not in repr(event)
    assert "cpu" in repr(event)
    assert API_KEY not in repr(event)
