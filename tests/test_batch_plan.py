"""Batches (``_batch``): a result's repr, elapsed times, the timeout's message, the requests of a
batch, progress and stopping.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

import aparavi_dtc
from aparavi_dtc import _operations as ops
from aparavi_dtc._batch import (
    AsyncBatch,
    Batch,
    BatchPlan,
    FileResult,
    Upload,
    plan_batch,
)
from aparavi_dtc._exceptions import (
    TaskTimeoutError,
)

from .conftest import API_KEY, BASE_URL


def raises(error: type[Exception], message: str) -> Any:
    return pytest.raises(error, match=f"^{re.escape(message)}$")


# -- batches ------------------------------------------------------------------------------


def test_a_file_results_repr() -> None:
    failed = FileResult("a.txt", None, 0, 1, None, ValueError("bad"), 1.5)
    assert repr(failed) == "FileResult(name='a.txt', error=ValueError('bad'), elapsed=1.500)"
    done = FileResult("b.txt", Path("b.txt"), 1, 2, None, None, 0.25)
    assert repr(done) == "FileResult(name='b.txt', objects=0, elapsed=0.250)"


def plan(timeout: float | None = None) -> BatchPlan:
    return plan_batch([("a.txt", b"x"), ("b.txt", b"yy")], None, 4, None, timeout, None)


def test_elapsed_times_count_from_the_start() -> None:
    batch = plan()
    upload = Upload(batch.sources[0], None, None)  # type: ignore[arg-type]
    started = time.monotonic() - 2
    assert 2 <= BatchPlan.succeeded(upload, None, started).elapsed < 30  # type: ignore[arg-type]
    assert 2 <= BatchPlan.failed(upload, ValueError("x"), started).elapsed < 30  # type: ignore[union-attr]
    batch.begin()
    progress = batch.progress()
    assert 0 <= progress.elapsed < 30
    assert (progress.done, progress.total, progress.bytes_total) == (0, 2, 3)


@pytest.mark.parametrize(("timeout", "shown"), [(1.5, "1.5s"), (0, "0s"), (90, "1m 30s")])
def test_the_timeout_of_a_batch_says_how_far_it_got(timeout: float, shown: str) -> None:
    task = object()
    exc = plan(timeout)._timed_out(task)
    assert str(exc) == (
        f"Processing did not finish within {shown}: 0 of 2 files were done; "
        "the others were cancelled and the task deleted."
    )
    assert exc.task is task


def test_a_batch_knows_its_total() -> None:
    def results() -> Any:
        yield from ()

    async def aresults() -> Any:
        for _ in ():
            yield

    three = plan_batch([("a", b"x"), ("b", b"y"), ("c", b"z")], None, 4, None, None, None)
    two = plan_batch([("a", b"x"), ("b", b"y")], None, 4, None, None, None)
    assert Batch(results(), three).total == 3
    assert repr(Batch(results(), three)) == "Batch(total=3, skipped=0)"
    assert AsyncBatch(aresults(), two).total == 2
    assert repr(AsyncBatch(aresults(), two)) == "AsyncBatch(total=2, skipped=0)"


TOKEN = "tok-0123456789abcdef"


@pytest.fixture
def sync_client() -> Any:
    with aparavi_dtc.AparaviDTC(api_key=API_KEY, base_url=BASE_URL) as made:
        yield made


def test_next_upload_sets_empty_files_aside_and_goes_on(sync_client: Any) -> None:
    inputs = [("e.txt", b""), ("a.txt", b"x"), ("b.bin", b"yy")]
    batch = plan_batch(inputs, None, 4, None, None, None)
    upload = batch.next_upload(sync_client._streamed_upload_call(TOKEN, "cpu"))
    assert upload is not None
    assert upload.source.name == "a.txt"
    [empty] = batch.ready
    assert (empty.name, empty.elapsed, empty.ok) == ("e.txt", 0.0, False)
    assert str(empty.error) == "file 'e.txt' is empty: the service needs something to process"
    assert type(empty.error) is ValueError
    second = batch.next_upload(sync_client._streamed_upload_call(TOKEN, "cpu"))
    assert second is not None
    assert second.source.name == "b.bin"
    assert batch.next_upload(sync_client._streamed_upload_call(TOKEN, "cpu")) is None


def test_each_upload_is_the_batch_request_with_its_own_file(
    sync_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []
    call_of = sync_client._call

    def counted(*args: Any, **kwargs: Any) -> Any:
        built.append(args[0])
        return call_of(*args, **kwargs)

    monkeypatch.setattr(sync_client, "_call", counted)
    batch = plan_batch([("a.txt", b"x"), ("é.pdf", b"yy")], None, 4, None, None, None)
    template = sync_client._streamed_upload_call(TOKEN, "gpu")
    first = batch.next_upload(template)
    second = batch.next_upload(template)
    assert first is not None
    assert second is not None
    assert built == [ops.SEND_TO_WEBHOOK]  # the request is built once for the batch
    for upload, disposition, kind in (
        (first, 'attachment; filename="a.txt"', "text/plain"),
        (second, "attachment; filename=\"?.pdf\"; filename*=UTF-8''%C3%A9.pdf", "application/pdf"),
    ):
        call = upload.call
        headers = {name.lower(): value for name, value in call.headers.items()}
        assert headers["content-disposition"] == disposition
        assert headers["content-type"] == kind
        assert call.url == f"{BASE_URL}/webhook?token={TOKEN}&type=gpu"
        assert call.timeout == sync_client.upload_timeout
        assert call.redactor.text(f"echo {TOKEN}") == "echo ***cdef"  # the token is masked
        assert upload.body is call.content
        assert list(upload.body.chunks()) == [upload.source.data]


class Clock:
    """``time`` for ``_batch``: monotonic() says what the test sets."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr("aparavi_dtc._batch.time", made)
    return made


def test_the_deadline_and_the_time_left(clock: Clock) -> None:
    batch = plan(timeout=10)
    assert batch.time_left() is None  # not begun
    assert batch.wait_time() is None
    batch.begin()
    assert batch.time_left() == 10
    clock.now += 4
    assert batch.time_left() == 6
    assert batch.wait_time() == 6
    batch.tick(None)
    clock.now += 6  # the deadline itself is too late
    assert batch.time_left() == 0.0
    task = object()
    with pytest.raises(TaskTimeoutError) as caught:
        batch.tick(task)
    assert caught.value.task is task
    clock.now += 5
    assert batch.time_left() == 0.0
    assert plan().time_left() is None


def test_progress_waits_for_a_report_at_most_a_quarter_second(clock: Clock) -> None:
    reports: list[Any] = []
    batch = plan_batch([("a.txt", b"x")], None, 4, None, None, reports.append)
    assert batch.wait_time() == 0.25
    timed = plan_batch([("a.txt", b"x")], None, 4, None, 0.125, reports.append)
    timed.begin()
    assert timed.wait_time() == 0.125
    clock.now += 1
    assert timed.wait_time() == 0.0
    batch.begin()
    batch.tick(None)
    assert len(reports) == 1
    clock.now += 0.125
    batch.tick(None)  # nothing changed, too soon
    assert len(reports) == 1
    clock.now += 0.125  # a quarter second since the last report
    batch.tick(None)
    assert len(reports) == 2
    assert reports[-1].elapsed == 0.25
    batch._chunk(0, 1)  # bytes went out: reported at once
    batch.tick(None)
    assert len(reports) == 3
    assert reports[-1].bytes_sent == 1


def test_a_batch_is_not_stopped_until_stop(sync_client: Any) -> None:
    batch = plan()
    assert batch.stopped is False
    upload = batch.next_upload(sync_client._streamed_upload_call(TOKEN, "cpu"))
    assert upload is not None
    batch.stop()
    assert batch.stopped is True
    assert batch.next_upload(sync_client._streamed_upload_call(TOKEN, "cpu")) is None


def test_plan_batch_refusals_in_words() -> None:
    files = [("a.txt", b"x")]
    not_a_webhook = {"components": [{"id": "s", "provider": "filesys"}]}
    with raises(
        ValueError,
        "process() needs a pipeline whose source is a webhook (such as "
        "pipelines.simple_parser()): each file is uploaded to it",
    ):
        plan_batch(files, not_a_webhook, 4, None, None, None)
    with raises(TypeError, "on_progress must be callable"):
        plan_batch(files, None, 4, None, None, "print")  # type: ignore[arg-type]
    with raises(ValueError, "timeout must be finite seconds >= 0 (at most 1e9) or None, not -1"):
        plan_batch(files, None, 4, None, -1, None)
