"""process(): many files through one webhook task, on both clients, over loopback.

Most tests run the fake of the service (``FakeAparavi.serve()``) on 127.0.0.1, so the sync
client goes through httpx and the async one through aiohttp, as they do in use. Memory is
measured in ``make bench``, never here.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import itertools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    AparaviDTC,
    APIConnectionError,
    AsyncAparaviDTC,
    AuthenticationError,
    BatchProgress,
    FileChangedError,
    FileResult,
    PipelineValidationError,
    ServerError,
    TaskTimeoutError,
    _uploads,
    pipelines,
)
from aparavi_dtc._types import BodyError
from aparavi_dtc._uploads import CHUNK, StreamedBody, content_disposition
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY, fresh_process_loads, started, status_body
from .fake_server import serving
from .loopback import loopback_server, reset, respond

KINDS = ["sync", "async"]
BIG = CHUNK * 2 + 12345  # three chunks, the last one short


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A tree of documents: text at two depths, a binary of three chunks, a non-ASCII
    name, and hidden entries that a directory walk skips."""
    root = tmp_path / "docs"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("alpha")
    (root / "sub" / "b.txt").write_text("beta")
    (root / "sub" / "deeper" / "résumé.txt").write_text("gamma é")
    (root / "big.bin").write_bytes(os.urandom(BIG))
    (root / ".hidden.txt").write_text("never sent")
    (root / ".git" / "config").write_text("never sent")
    return root


def contents(root: Path) -> dict[str, bytes]:
    """What the walk of ``docs`` yields: each visible file's name and bytes."""
    found = {}
    for path in root.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.is_file() and not hidden:
            found[path.name] = path.read_bytes()
    return found


def process_all(kind: str, url: str, inputs: Any, **options: Any) -> list[FileResult]:
    """Every result of one batch, on a fresh client of ``kind``."""
    if kind == "sync":
        with AparaviDTC(API_KEY, base_url=url) as client:
            return list(client.process(inputs, **options))

    async def main() -> list[FileResult]:
        async with (
            AsyncAparaviDTC(API_KEY, base_url=url) as client,
            client.process(inputs, **options) as batch,
        ):
            return [result async for result in batch]

    return asyncio.run(main())


def uploads(fake: FakeAparavi) -> list[Any]:
    return [r for r in fake.requests if r.operation == "sendToWebhook"]


def operations(fake: FakeAparavi) -> collections.Counter[str]:
    return collections.Counter(r.operation for r in fake.requests)


# -- results ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_results_match_inputs_one_to_one(
    kind: str, fake: FakeAparavi, url: str, docs: Path
) -> None:
    (docs.parent / "loose.md").write_text("delta")
    inputs = [docs, str(docs.parent / "*.md"), ("memo.txt", b"in memory")]
    results = process_all(kind, url, inputs, concurrency=3)

    assert sorted(r.index for r in results) == list(range(6))  # one result per file
    by_name = {r.name: r for r in results}
    assert set(by_name) == {"a.txt", "b.txt", "résumé.txt", "big.bin", "loose.md", "memo.txt"}
    assert all(r.ok and r.error is None for r in results), results
    assert by_name["a.txt"].text == "alpha"
    assert by_name["résumé.txt"].text == "gamma é"
    assert by_name["b.txt"].path == docs / "sub" / "b.txt"
    assert by_name["memo.txt"].path is None
    assert by_name["memo.txt"].text == "in memory"
    assert by_name["big.bin"].text == f"[binary content of big.bin: {BIG} bytes]"
    assert by_name["big.bin"].size == BIG
    assert by_name["loose.md"].texts == {"loose.md": "delta"}
    assert all(len(r.objects) == 1 and r.elapsed >= 0 for r in results)
    # One task served them all, each file its own upload, and it was deleted.
    counts = operations(fake)
    assert counts["startTask"] == 1
    assert counts["deleteTask"] == 1
    assert counts["sendToWebhook"] == 6
    assert fake.tasks == {}


@pytest.mark.parametrize("kind", KINDS)
def test_the_server_receives_each_files_exact_bytes(
    kind: str, fake: FakeAparavi, url: str, docs: Path
) -> None:
    process_all(kind, url, docs, concurrency=2)
    received = {}
    for request in uploads(fake):
        received[request.headers["content-disposition"]] = request.body
        assert int(request.headers["content-length"]) == len(request.body)  # never chunked
    expected = {content_disposition(name): data for name, data in contents(docs).items()}
    assert received == expected


def timed(kind: str, url: str, inputs: Any, **options: Any) -> list[tuple[float, FileResult]]:
    """Every result of one batch with the seconds it took to come, as the caller sees it."""
    began = time.monotonic()
    if kind == "sync":
        with AparaviDTC(API_KEY, base_url=url) as client:
            return [(time.monotonic() - began, r) for r in client.process(inputs, **options)]

    async def main() -> list[tuple[float, FileResult]]:
        async with (
            AsyncAparaviDTC(API_KEY, base_url=url) as client,
            client.process(inputs, **options) as batch,
        ):
            return [(time.monotonic() - began, r) async for r in batch]

    return asyncio.run(main())


@pytest.mark.parametrize("kind", KINDS)
def test_results_arrive_as_files_finish(kind: str) -> None:
    class SlowForOne(FakeAparavi):
        def _sendToWebhook(self, query: Any, headers: Any, body: bytes) -> Any:
            if body == b"slow":
                time.sleep(1.0)
            return super()._sendToWebhook(query, headers, body)

    slow = SlowForOne(api_key=API_KEY)
    inputs = [("slow.txt", b"slow"), ("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")]
    with serving(slow) as url:
        arrivals = timed(kind, url, inputs, concurrency=4)
    assert [r.name for _, r in arrivals][-1] == "slow.txt"
    assert {r.name for _, r in arrivals[:3]} == {"a.txt", "b.txt", "c.txt"}
    assert arrivals[0][0] < arrivals[-1][0] - 0.5  # the fast ones were not held back


# -- failures of one file -----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [500, 503])
def test_one_file_answering_an_error_fails_alone(
    kind: str, status: int, fake: FakeAparavi, url: str
) -> None:
    fake.fail_next("sendToWebhook", status=status)
    inputs = [(f"f{i}.txt", f"file {i}".encode()) for i in range(5)]
    results = process_all(kind, url, inputs, concurrency=1)  # in order: the first one fails

    assert len(results) == 5
    failed = [r for r in results if not r.ok]
    assert [r.name for r in failed] == ["f0.txt"]
    error = failed[0].error
    assert isinstance(error, ServerError)
    assert error.status_code == status
    assert failed[0].results is None
    assert failed[0].texts == {}
    assert [r.text for r in results if r.ok] == [f"file {i}" for i in range(1, 5)]
    # An upload that reached the server is not sent again, even for a status worth a
    # retry of a request that may be repeated.
    assert len(uploads(fake)) == 5
    token = uploads(fake)[0].query["token"]
    for shown in (repr(failed[0]), str(error)):
        assert API_KEY not in shown
        assert token not in shown
    assert fake.tasks == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_changes_or_vanishes_gives_its_own_error(
    kind: str, fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    files = {name: tmp_path / f"{name}.txt" for name in ("keep", "grow", "shrink", "gone")}
    for name, path in files.items():
        path.write_text(f"{name} contents")
    if kind == "sync":
        client: Any = AparaviDTC(API_KEY, base_url=url)
        batch = client.process(list(files.values()))  # listed (with sizes) now
    else:
        client = AsyncAparaviDTC(API_KEY, base_url=url)
        batch = client.process(list(files.values()))
    files["grow"].write_text("grow contents, and then some")
    files["shrink"].write_text("s")
    files["gone"].unlink()
    if kind == "sync":
        with client, batch:
            results = {r.name: r for r in batch}
    else:

        async def drain() -> dict[str, FileResult]:
            async with client, batch:
                return {r.name: r async for r in batch}

        results = asyncio.run(drain())

    assert results["keep.txt"].ok
    assert results["keep.txt"].text == "keep contents"
    assert isinstance(results["grow.txt"].error, FileChangedError)
    assert isinstance(results["shrink.txt"].error, FileChangedError)
    assert "listed with 13 bytes" in str(results["grow.txt"].error)
    assert isinstance(results["gone.txt"].error, FileNotFoundError)
    assert [r.body for r in uploads(fake)] == [b"keep contents"]  # the others never left
    assert fake.tasks == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_shrinks_while_being_sent_gives_its_own_error(
    kind: str, fake: FakeAparavi, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body's own error comes out as the file's, not as a network failure: aiohttp
    reports what a body raises as a failure to write to the connection."""
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * BIG)
    (tmp_path / "small.txt").write_text("small")
    real_next = _uploads._FileReader.next

    def next_then_truncate(reader: Any) -> bytes:
        chunk = real_next(reader)
        if reader.path == big and reader.sent == CHUNK:
            big.write_bytes(b"x" * 10)  # after the first chunk has been read
        return chunk

    monkeypatch.setattr(_uploads._FileReader, "next", next_then_truncate)
    results = {r.name: r for r in process_all(kind, url, [big, tmp_path / "small.txt"])}

    error = results["big.bin"].error
    assert isinstance(error, FileChangedError), error
    assert f"ended after {CHUNK} bytes" in str(error)
    assert results["small.txt"].ok
    assert fake.tasks == {}


def test_a_streamed_body_checks_the_file_chunk_by_chunk(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    data = os.urandom(BIG)
    path.write_bytes(data)
    seen: list[int] = []
    body = StreamedBody(BIG, path=path, on_chunk=seen.append)
    assert b"".join(body.chunks()) == data
    assert b"".join(body.chunks()) == data  # afresh on every attempt
    assert seen[-1] == BIG
    assert seen[:4] == [0, CHUNK, 2 * CHUNK, BIG]

    grown = body.chunks()
    next(grown)
    path.write_bytes(data + b"more")  # grew after the first chunk went out
    with pytest.raises(BodyError) as caught:
        list(grown)
    assert isinstance(caught.value.error, FileChangedError)
    assert "grew" in str(caught.value.error)

    path.write_bytes(data)
    stopped = StreamedBody(BIG, path=path, on_chunk=lambda sent: 1 / (sent < CHUNK))
    with pytest.raises(BodyError) as caught:
        list(stopped.chunks())  # whatever on_chunk raises stops the body
    assert isinstance(caught.value.error, ZeroDivisionError)


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_file_is_skipped_without_being_sent(
    kind: str, fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").touch()
    (tmp_path / "full.txt").write_text("full")
    results = {r.name: r for r in process_all(kind, url, tmp_path)}
    empty = results["empty.txt"]
    assert (empty.ok, empty.skipped, empty.error, empty.objects) == (True, "empty", None, [])
    assert results["full.txt"].ok
    assert results["full.txt"].skipped is None
    assert len(uploads(fake)) == 1


# -- retries --------------------------------------------------------------------------------


class ConnectFailsOnceAfterReading(httpx.BaseTransport):
    """Fails the first upload with a connect error after pulling its first chunk: the
    worst case for a retry, which must send the whole file again from its start."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.failed = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/webhook" and not self.failed:
            self.failed += 1
            assert isinstance(request.stream, httpx.SyncByteStream)
            next(iter(request.stream))
            raise httpx.ConnectError("connection refused")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class ConnectFailsOnceSender:
    """The async client's sender, failing the first upload as above."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failed = 0

    async def send(self, call: Any) -> Any:
        if call.path == "/webhook" and not self.failed:
            self.failed += 1
            await call.content.achunks().__anext__()
            raise httpx.ConnectError("connection refused")
        return await self.inner.send(call)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_that_cannot_have_reached_the_server_rereads_the_file(
    kind: str, fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.bin"
    data = os.urandom(BIG)
    path.write_bytes(data)
    if kind == "sync":
        transport = ConnectFailsOnceAfterReading(httpx.HTTPTransport())
        with AparaviDTC(API_KEY, base_url=url, transport=transport) as client:
            results = list(client.process(path))
        failed = transport.failed
    else:

        async def main() -> tuple[list[FileResult], int]:
            async with AsyncAparaviDTC(API_KEY, base_url=url) as client:
                sender = client._sender = ConnectFailsOnceSender(client._sender)  # type: ignore[assignment]
                async with client.process(path) as batch:
                    return [r async for r in batch], sender.failed

        results, failed = asyncio.run(main())
    assert failed == 1
    assert results[0].ok, results[0].error
    assert [r.body for r in uploads(fake)] == [data]  # all of it, once


@pytest.mark.parametrize("where", ["disk", "store"])
@pytest.mark.parametrize("kind", KINDS)
def test_an_upload_that_may_have_arrived_is_not_sent_again(
    kind: str, where: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")
    source: Any = tmp_path / "a.txt"
    if where == "store":  # an object streamed through fsspec follows the same rules
        import fsspec

        fsspec.filesystem("memory").pipe(f"/arrived-{kind}/a.txt", b"a")
        source = f"memory://arrived-{kind}/a.txt"
    with loopback_server() as server:
        server.script(
            respond(200, {"status": "OK", "data": {"errors": [], "warnings": []}}),
            respond(200, started()),
            respond(200, status_body("Running")),
            reset(),  # the whole body arrived; the connection drops before the answer
            respond(200, {"status": "OK", "data": {}}),
        )
        results = process_all(kind, server.url, source)
        methods = [(r.method, r.path.split("?")[0]) for r in server.requests]
    assert isinstance(results[0].error, APIConnectionError)
    assert methods.count(("PUT", "/webhook")) == 1
    assert methods[-1] == ("DELETE", "/task")


# -- the batch as a whole ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_refused_key_mid_batch_ends_the_batch(kind: str, fake: FakeAparavi, url: str) -> None:
    fake.fail_next("sendToWebhook", status=401)
    inputs = [(f"f{i}.txt", b"x") for i in range(4)]
    with pytest.raises(AuthenticationError):
        process_all(kind, url, inputs, concurrency=1)
    assert len(uploads(fake)) == 1  # nothing more was sent
    assert fake.tasks == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_pipeline_with_errors_is_refused_before_a_task_starts(
    kind: str, fake: FakeAparavi, url: str
) -> None:
    answer = {"status": "OK", "data": {"errors": ["component 'parse_1' is unknown"]}}
    fake.fail_next("validatePipeline", status=200, body=answer)
    with pytest.raises(PipelineValidationError, match="parse_1"):
        process_all(kind, url, [("a.txt", b"a")])
    assert "startTask" not in operations(fake)


@pytest.mark.parametrize("kind", KINDS)
def test_progress_counts_files_and_bytes(
    kind: str, fake: FakeAparavi, url: str, docs: Path
) -> None:
    fake.fail_next("sendToWebhook", status=500)
    seen: list[BatchProgress] = []
    process_all(kind, url, docs, concurrency=1, on_progress=seen.append)
    sizes = sum(len(data) for data in contents(docs).values())
    first, last = seen[0], seen[-1]
    assert (first.done, first.failed, first.total, first.bytes_sent) == (0, 0, 4, 0)
    assert (last.done, last.failed, last.succeeded, last.total) == (4, 1, 3, 4)
    assert last.bytes_total == sizes
    assert 0 < last.bytes_sent <= sizes
    for earlier, later in itertools.pairwise(seen):
        assert earlier.done <= later.done
        assert earlier.elapsed <= later.elapsed


def test_progress_reports_bytes_of_a_file_still_being_sent(
    fake: FakeAparavi, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * BIG)
    real_next = _uploads._FileReader.next

    def slow_next(reader: Any) -> bytes:
        time.sleep(0.2)
        return real_next(reader)

    monkeypatch.setattr(_uploads._FileReader, "next", slow_next)
    seen: list[BatchProgress] = []
    process_all("sync", url, path, on_progress=seen.append)
    partial = [p.bytes_sent for p in seen if p.done == 0 and 0 < p.bytes_sent < BIG]
    assert partial, seen


# -- ending early ---------------------------------------------------------------------------


def test_sync_break_close_and_an_error_in_the_loop_delete_the_task(
    fake: FakeAparavi, url: str
) -> None:
    inputs = [(f"f{i}.txt", b"x") for i in range(20)]
    with AparaviDTC(API_KEY, base_url=url) as client:
        for _ in client.process(inputs, concurrency=2):
            break
        assert fake.tasks == {}

        with client.process(inputs) as batch:
            next(batch)
        assert fake.tasks == {}

        batch = client.process(inputs)
        next(batch)
        batch.close()
        assert fake.tasks == {}

        def fail_in_the_loop() -> None:
            with client.process(inputs) as batch:
                for _ in batch:
                    raise RuntimeError("the caller's own error")

        with pytest.raises(RuntimeError, match="caller"):
            fail_in_the_loop()
        assert fake.tasks == {}
    assert operations(fake)["sendToWebhook"] < 4 * 20  # the rest were never sent


def test_a_stopped_sync_batch_leaves_no_thread_the_program_must_wait_for(
    fake: FakeAparavi, url: str
) -> None:
    """Leaving the loop abandons the uploads in flight at once, and their threads do not
    hold the program at exit (a Ctrl-C'd command waited for the service's answer)."""
    fake.delay("sendToWebhook", 3)
    inputs = [(f"f{i}.txt", b"x") for i in range(4)]
    with AparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process([("quick.txt", b""), *inputs], concurrency=2)
        next(batch)  # the empty file's result; two uploads are on their way
        deadline = time.monotonic() + 10
        while operations(fake).get("sendToWebhook", 0) < 2:  # and have reached the service
            assert time.monotonic() < deadline
            time.sleep(0.01)
        started = time.monotonic()
        batch.close()
        assert time.monotonic() - started < 2
        assert fake.tasks == {}
    uploading = [t for t in threading.enumerate() if t.name.startswith("aparavi-dtc-upload")]
    assert uploading  # still waiting for their answers, which nobody wants
    assert all(thread.daemon for thread in uploading)


async def test_async_break_and_aclose_delete_the_task(fake: FakeAparavi, url: str) -> None:
    inputs = [(f"f{i}.txt", b"x") for i in range(20)]
    async with AsyncAparaviDTC(API_KEY, base_url=url) as client:
        async with client.process(inputs, concurrency=2) as batch:
            async for _ in batch:
                break
        assert fake.tasks == {}

        batch = client.process(inputs)
        await batch.__anext__()
        await batch.aclose()
        assert fake.tasks == {}

        async for _ in client.process(inputs):  # no `async with`: ends when collected
            break
        gc.collect()
        for _ in range(200):
            if not fake.tasks:
                break
            await asyncio.sleep(0.01)
        assert fake.tasks == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_timeout_abandons_uploads_in_flight_and_deletes_the_task(
    kind: str, fake: FakeAparavi, url: str
) -> None:
    fake.delay("sendToWebhook", 5.0)
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="0 of 3 files") as info:
        process_all(kind, url, [(f"f{i}.txt", b"x") for i in range(3)], timeout=0.5)
    assert time.monotonic() - began < 3.0  # not held until the answers come
    assert info.value.left_running is False
    assert fake.tasks == {}


async def test_cancelling_the_consumer_cancels_uploads_in_flight(
    fake: FakeAparavi, url: str
) -> None:
    fake.delay("sendToWebhook", 5.0)
    async with AsyncAparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process([("a.txt", b"a"), ("b.txt", b"b")])
        began = time.monotonic()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(batch.__anext__(), 0.5)
        assert time.monotonic() - began < 3.0
    assert fake.tasks == {}


def test_closing_a_sync_batch_stops_a_file_being_sent(
    fake: FakeAparavi, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread cannot be interrupted, so the body itself stops at its next chunk."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (CHUNK * 12))
    reads: list[int] = []
    real_next = _uploads._FileReader.next

    def slow_next(reader: Any) -> bytes:
        reads.append(reader.sent)
        time.sleep(0.1)
        return real_next(reader)

    def interrupt(progress: BatchProgress) -> None:
        if progress.bytes_sent:
            raise KeyboardInterrupt  # Ctrl-C while the file is on its way

    monkeypatch.setattr(_uploads._FileReader, "next", slow_next)
    with AparaviDTC(API_KEY, base_url=url) as client:  # left open: closing it would stop it
        with pytest.raises(KeyboardInterrupt):
            list(client.process(path, on_progress=interrupt))
        time.sleep(1.5)  # time enough for the rest of the file, had it gone on
    assert len(reads) <= 8, reads  # of 13
    assert all(len(r.body) < CHUNK * 12 for r in uploads(fake))
    assert fake.tasks == {}


def test_an_error_in_on_progress_stops_the_batch(fake: FakeAparavi, url: str) -> None:
    fake.delay("sendToWebhook", 5.0)

    def fail(progress: BatchProgress) -> None:
        if progress.elapsed > 0.3:
            raise KeyboardInterrupt  # as Ctrl-C would, in the caller's code

    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        process_all("sync", url, [("a.txt", b"a")], on_progress=fail)
    assert time.monotonic() - began < 3.0
    assert fake.tasks == {}


# -- bad input, refused before anything is sent --------------------------------------------


def _missing(root: Path) -> Any:
    return root / "missing.pdf"


def _no_match(root: Path) -> Any:
    return str(root / "*.nothing")


def _empty_dir(root: Path) -> Any:
    (root / "empty").mkdir()
    return root / "empty"


def _hidden_only(root: Path) -> Any:
    (root / "hidden").mkdir()
    (root / "hidden" / ".only.txt").write_text("x")
    return root / "hidden"


BAD_INPUTS: list[tuple[Callable[[Path], Any], type[Exception], str]] = [
    (_missing, ValueError, "no such file or directory"),
    (_no_match, ValueError, "no file matches"),
    (_empty_dir, ValueError, "has no files"),
    (_hidden_only, ValueError, "has no files"),
    (lambda root: [], ValueError, "inputs is empty"),
    (lambda root: b"a.pdf", TypeError, "not bytes"),
    (lambda root: 42, TypeError, "not int"),
    (lambda root: [("a.txt", "not bytes")], TypeError, "file tuple"),
    (lambda root: [("a\nb.txt", b"x")], ValueError, "line break"),
    (lambda root: [None], TypeError, "NoneType"),
]


@pytest.mark.parametrize(("make", "error", "words"), BAD_INPUTS)
@pytest.mark.parametrize("kind", KINDS)
def test_bad_inputs_are_refused_when_process_is_called(
    kind: str,
    make: Callable[[Path], Any],
    error: type[Exception],
    words: str,
    fake: FakeAparavi,
    url: str,
    tmp_path: Path,
) -> None:
    client: Any = (AparaviDTC if kind == "sync" else AsyncAparaviDTC)(API_KEY, base_url=url)
    with pytest.raises(error, match=words):
        client.process(make(tmp_path))  # raised by the call, not by iterating
    assert fake.requests == []


BAD_OPTIONS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"concurrency": 0}, ValueError, "from 1 to 32"),
    ({"concurrency": 33}, ValueError, "from 1 to 32"),
    ({"concurrency": True}, TypeError, "concurrency must be an int"),
    ({"concurrency": "4"}, TypeError, "concurrency must be an int"),
    ({"threads": 17}, ValueError, "threads"),
    ({"timeout": -1}, ValueError, "timeout"),
    ({"timeout": float("nan")}, ValueError, "timeout"),
    ({"on_progress": "print"}, TypeError, "on_progress"),
    ({"pipeline": {"components": [{"id": "s", "provider": "filesys"}]}}, ValueError, "webhook"),
]


@pytest.mark.parametrize(("options", "error", "words"), BAD_OPTIONS)
def test_bad_options_are_refused_when_process_is_called(
    options: dict[str, Any], error: type[Exception], words: str, fake: FakeAparavi, url: str
) -> None:
    with AparaviDTC(API_KEY, base_url=url) as client, pytest.raises(error, match=words):
        client.process([("a.txt", b"a")], **options)
    assert fake.requests == []


def test_inputs_are_listed_once_in_order(tmp_path: Path) -> None:
    from aparavi_dtc._inputs import resolve_inputs

    (tmp_path / "d").mkdir()
    for name in ("b.txt", "a.txt", "c[1].txt"):
        (tmp_path / "d" / name).write_text(name)
    listed = resolve_inputs(
        [
            tmp_path / "d" / "b.txt",
            str(tmp_path / "d"),  # b.txt again: listed once
            str(tmp_path / "d" / "c[1].txt"),  # an existing name wins over the pattern
            ("mem.bin", b"\x00", "application/x-custom"),
        ]
    )
    assert [(s.index, s.name) for s in listed] == [
        (0, "b.txt"),
        (1, "a.txt"),
        (2, "c[1].txt"),
        (3, "mem.bin"),
    ]
    assert listed[0].content_type == "text/plain"
    assert listed[3].content_type == "application/x-custom"
    assert listed[3].path is None


def test_a_name_with_a_line_break_never_reaches_a_header() -> None:
    value = content_disposition("a\r\nX-Injected: 1.txt")
    assert "\r" not in value
    assert "\n" not in value
    assert "filename*=UTF-8''a%0D%0AX-Injected%3A%201.txt" in value


@pytest.mark.parametrize("kind", KINDS)
def test_the_default_pipeline_is_the_simple_parser(kind: str, fake: FakeAparavi, url: str) -> None:
    process_all(kind, url, [("a.txt", b"a")], threads=2)
    start = next(r for r in fake.requests if r.operation == "startTask")
    assert start.query["threads"] == "2"
    import json

    assert json.loads(start.body)["pipeline"] == pipelines.simple_parser()


def test_both_clients_default_to_the_same_concurrency() -> None:
    import inspect

    from aparavi_dtc._batch import DEFAULT_CONCURRENCY

    for client in (AparaviDTC, AsyncAparaviDTC):
        default = inspect.signature(client.process).parameters["concurrency"].default
        assert default == DEFAULT_CONCURRENCY


def test_a_first_client_does_not_load_process() -> None:
    done = fresh_process_loads(
        "import aparavi_dtc; aparavi_dtc.AparaviDTC('k' * 32); aparavi_dtc.AsyncAparaviDTC",
        "aparavi_dtc._batch",
        "aparavi_dtc._inputs",
    )
    assert done.stdout.strip() == "[]"


def test_a_files_request_shows_neither_key_nor_token(tmp_path: Path) -> None:
    from aparavi_dtc._batch import plan_batch

    (tmp_path / "a.txt").write_text("a")
    token = "tok-0123456789abcdef0123456789abcdef"
    plan = plan_batch(tmp_path, None, 1, None, None, None)
    with AparaviDTC(API_KEY, base_url="http://127.0.0.1:9") as client:
        upload = plan.next_upload(client._streamed_upload_call(token, "cpu"))
    assert upload is not None
    for shown in (repr(upload), repr(upload.call), str(upload)):
        assert API_KEY not in shown
        assert token not in shown
    assert "PUT /webhook" in repr(upload.call)


# -- choosing files: include and exclude ---------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "doc01.txt").write_text("one")
    (root / "doc02.pdf").write_text("two")
    (root / "sub" / "s1.txt").write_text("three")
    (root / "sub" / "deeper" / "s2.csv").write_text("four")
    return root


def test_each_file_knows_its_path_below_the_folder_given(
    fake: FakeAparavi, url: str, tree: Path
) -> None:
    (tree.parent / "loose.md").write_text("five")
    (tree.parent / "more" / "x").mkdir(parents=True)
    (tree.parent / "more" / "x" / "y.csv").write_text("six")
    pattern = str(tree.parent / "more" / "**" / "*.csv")
    inputs = [tree, tree.parent / "loose.md", pattern, ("m.txt", b"x")]
    results = process_all("sync", url, inputs)
    assert sorted(r.relative_path for r in results) == [
        "doc01.txt",
        "doc02.pdf",
        "loose.md",
        "m.txt",
        "sub/deeper/s2.csv",
        "sub/s1.txt",
        "x/y.csv",  # below the glob's folder, more/
    ]
    assert {r["relative_path"] for r in map(FileResult.to_dict, results)} >= {"sub/s1.txt"}


@pytest.mark.parametrize(
    ("include", "exclude", "chosen"),
    [
        (None, None, ["doc01.txt", "doc02.pdf", "sub/deeper/s2.csv", "sub/s1.txt"]),
        ("*.txt", None, ["doc01.txt", "sub/s1.txt"]),  # * crosses folders
        (["*.pdf", "*.csv"], None, ["doc02.pdf", "sub/deeper/s2.csv"]),
        ("sub/*", None, ["sub/deeper/s2.csv", "sub/s1.txt"]),
        ("doc*", None, ["doc01.txt", "doc02.pdf"]),
        ("s*", None, ["sub/deeper/s2.csv", "sub/s1.txt"]),  # no /: the name too
        (None, "sub/*", ["doc01.txt", "doc02.pdf"]),
        ("*.txt", "sub/*", ["doc01.txt"]),  # exclude wins
        ("*", ["*.csv", "doc01.*"], ["doc02.pdf", "sub/s1.txt"]),
        ("**/*.txt", None, ["doc01.txt", "sub/s1.txt"]),  # **/ also at the top
        ("sub/**/*.csv", None, ["sub/deeper/s2.csv"]),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_include_and_exclude_choose_files_by_their_path_below_the_folder(
    kind: str,
    include: Any,
    exclude: Any,
    chosen: list[str],
    fake: FakeAparavi,
    url: str,
    tree: Path,
) -> None:
    results = process_all(kind, url, tree, include=include, exclude=exclude)
    assert sorted(r.relative_path for r in results) == chosen
    assert len(uploads(fake)) == len(chosen)


def test_include_and_exclude_are_checked_before_anything_is_sent(
    fake: FakeAparavi, url: str, tree: Path
) -> None:
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(ValueError, match="no file is left once include and exclude"):
            client.process(tree, include="*.docx")
        with pytest.raises(TypeError, match="include must be a pattern or a list of patterns"):
            client.process(tree, include=3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="exclude must be a pattern or a list of patterns"):
            client.process(tree, exclude=[b"*.txt"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="an include pattern is empty"):
            client.process(tree, include="")
    assert fake.requests == []
