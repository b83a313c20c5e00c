"""What ``make mutate`` found the other tests leave open, tested directly: each test here
fails when a line of the module it names is changed (TESTING.md, "Surviving mutants").

Uploads (``_uploads``): the exact words of every refusal, the content types, and the
requests built for text, one file and several. Responses (``_response``): how an error's
reason is found, cut and masked, which class a status maps to, and the preview of a body
that is not JSON. Batches (``_batch``): a result's repr, elapsed times, and the timeout's
message.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

import aparavi_dtc
from aparavi_dtc import _operations as ops
from aparavi_dtc import _uploads
from aparavi_dtc._batch import (
    AsyncBatch,
    Batch,
    BatchPlan,
    FileResult,
    Upload,
    plan_batch,
)
from aparavi_dtc._checks import check_concurrency
from aparavi_dtc._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    FileChangedError,
    RateLimitError,
    ServerError,
    TaskNotFoundError,
    TaskTimeoutError,
)
from aparavi_dtc._operations import pipe_request, webhook_request
from aparavi_dtc._redact import Redactor
from aparavi_dtc._response import (
    _text,
    handle,
    is_error_envelope,
    response_budget,
    status_error,
    too_large,
)
from aparavi_dtc._uploads import (
    BodyError,
    StreamedBody,
    content_disposition,
    read_file,
    read_files,
    read_upload,
)

from .conftest import API_KEY, BASE_URL


def raises(error: type[Exception], message: str) -> Any:
    return pytest.raises(error, match=f"^{re.escape(message)}$")


# -- reading files ------------------------------------------------------------------------

TUPLE = "a file tuple must be (filename, bytes) or (filename, bytes, type)"


@pytest.mark.parametrize(
    "item",
    [("a.txt",), ("a.txt", "text"), ("a.txt", b"x", b"type"), ("a.txt", b"x", "t", "u"), ()],
)
def test_a_bad_file_tuple_is_refused_in_words(item: Any) -> None:
    with raises(TypeError, TUPLE):
        read_file(item)


def test_file_tuples_and_their_content_types() -> None:
    assert read_file(("a.txt", b"x")) == ("a.txt", b"x", "text/plain")
    assert read_file(("a.txt", b"x", "application/json")) == ("a.txt", b"x", "application/json")
    assert read_file(("a.txt", b"x", "")) == ("a.txt", b"x", "text/plain")
    assert read_file(("a.unknown-kind", b"x")) == (
        "a.unknown-kind",
        b"x",
        "application/octet-stream",
    )


def test_a_path_is_read_now(tmp_path: Path) -> None:
    path = tmp_path / "doc.csv"
    path.write_bytes(b"a,b\n")
    assert read_file(path) == ("doc.csv", b"a,b\n", "text/csv")
    assert read_file(str(path)) == ("doc.csv", b"a,b\n", "text/csv")
    missing = tmp_path / "missing.pdf"
    with raises(ValueError, f"cannot read file {missing}: No such file or directory"):
        read_file(missing)
    with raises(ValueError, f"cannot read file {tmp_path}: Is a directory"):
        read_file(tmp_path)


def test_what_is_not_a_file_is_refused_in_words() -> None:
    with raises(TypeError, "a file must be a path or a (filename, bytes) tuple, not 3"):
        read_file(3)  # type: ignore[arg-type]
    shown = repr(list(range(100)))[:80]
    with raises(TypeError, f"a file must be a path or a (filename, bytes) tuple, not {shown}"):
        read_file(list(range(100)))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "a\nb", "a\rb", "\x00", "\x1f.txt", "a\x7f"])
def test_a_file_name_with_control_characters_is_refused(name: str) -> None:
    with raises(
        ValueError, f"file name {name!r} is empty or has a line break or control character"
    ):
        read_file((name, b"x"))


@pytest.mark.parametrize("name", [" ", "~", "a b.txt", "\x80.txt", "résumé.txt"])
def test_printable_file_names_are_accepted(name: str) -> None:
    assert read_file((name, b"x"))[:2] == (name, b"x")


def test_an_empty_file_is_refused_in_words(tmp_path: Path) -> None:
    with raises(ValueError, "file 'a.txt' is empty: the service needs something to process"):
        read_file(("a.txt", b""))
    (tmp_path / "e.txt").write_bytes(b"")
    with raises(ValueError, "file 'e.txt' is empty: the service needs something to process"):
        read_file(tmp_path / "e.txt")


def test_read_files_takes_one_or_several(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"p")
    one = ("p.txt", b"p", "text/plain")
    assert read_files(path) == [one]
    assert read_files(str(path)) == [one]
    assert read_files(("p.txt", b"p")) == [one]
    assert read_files([path, ("q.json", b"{}")]) == [one, ("q.json", b"{}", "application/json")]
    with raises(ValueError, "files is empty: pass at least one file"):
        read_files([])


def test_read_upload_takes_files_or_text(tmp_path: Path) -> None:
    both = "send_to_webhook() takes files=... or text=..., exactly one of them"
    with raises(ValueError, both):
        read_upload(None, None)
    with raises(ValueError, both):
        read_upload([("a", b"x")], "text")
    with raises(TypeError, "text must be a string, not bytes"):
        read_upload(None, b"x")  # type: ignore[arg-type]
    with raises(ValueError, "text is empty: the webhook needs something to process"):
        read_upload(None, "")
    assert read_upload(None, "some text") == ([], "some text")
    assert read_upload(("a.txt", b"x"), None) == ([("a.txt", b"x", "text/plain")], None)


# -- headers and requests -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("a.txt", 'attachment; filename="a.txt"'),
        ('a"b\\c.txt', "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc.txt"),
        ("a\r\nb.txt", "attachment; filename=\"a__b.txt\"; filename*=UTF-8''a%0D%0Ab.txt"),
        ("a\x7f", "attachment; filename=\"a_\"; filename*=UTF-8''a%7F"),
        ("é/b", "attachment; filename=\"?/b\"; filename*=UTF-8''%C3%A9%2Fb"),
    ],
)
def test_content_disposition(name: str, value: str) -> None:
    assert content_disposition(name) == value


def test_a_text_request_is_utf8_text() -> None:
    kwargs = webhook_request("tok", "cpu", [], "héllo")
    assert kwargs["method"] == "put"
    assert kwargs["url"] == "/webhook"
    assert kwargs["params"] == {"token": "tok", "type": "cpu"}
    assert kwargs["content"] == "héllo".encode()
    assert kwargs["headers"]["Content-Type"] == "text/plain; charset=utf-8"


def test_one_file_goes_as_the_raw_body() -> None:
    kwargs = webhook_request("tok", "gpu", [("r.pdf", b"%PDF", "application/pdf")], None)
    assert kwargs["params"] == {"token": "tok", "type": "gpu"}
    assert kwargs["content"] == b"%PDF"
    assert kwargs["headers"]["Content-Type"] == "application/pdf"
    assert kwargs["headers"]["Content-Disposition"] == 'attachment; filename="r.pdf"'
    assert "files" not in kwargs


def test_several_files_go_as_parts_named_files() -> None:
    loaded = [("a.txt", b"alpha", "text/plain"), ("b.csv", b"x,y", "text/csv")]
    for kwargs in (webhook_request("tok", "cpu", loaded, None), pipe_request("tok", loaded)):
        parts = kwargs["files"]
        assert [(name, part[0], part[1].read(), part[2]) for name, part in parts] == [
            ("files", "a.txt", b"alpha", "text/plain"),
            ("files", "b.csv", b"x,y", "text/csv"),
        ]
        assert kwargs["params"]["token"] == "tok"
    assert pipe_request("tok", loaded)["url"] == "/pipe/process"


# -- streamed bodies ----------------------------------------------------------------------


def test_a_streamed_body_needs_a_path_or_data(tmp_path: Path) -> None:
    exactly = "a streamed body reads a path or holds data, exactly one"
    with raises(ValueError, exactly):
        StreamedBody(1)
    with raises(ValueError, exactly):
        StreamedBody(1, path=tmp_path, data=b"x")
    assert repr(StreamedBody(1, data=b"x")) == "StreamedBody(<bytes>, 1 bytes)"
    path = tmp_path / "f.bin"
    assert repr(StreamedBody(7, path=path)) == f"StreamedBody({path}, 7 bytes)"


def test_check_says_when_a_file_changed_or_went(tmp_path: Path) -> None:
    StreamedBody(3, data=b"abc").check()  # bytes in memory cannot change
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    StreamedBody(3, path=path).check()
    with pytest.raises(BodyError) as caught:
        StreamedBody(5, path=path).check()
    assert isinstance(caught.value.error, FileChangedError)
    message = f"{path} changed while being processed: listed with 5 bytes, is now 3 bytes"
    assert str(caught.value.error) == message
    assert str(caught.value) == message
    path.unlink()
    with pytest.raises(BodyError) as caught:
        StreamedBody(3, path=path).check()
    assert isinstance(caught.value.error, FileNotFoundError)


def test_chunks_of_data_and_their_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_uploads, "CHUNK", 4)
    seen: list[int] = []
    body = StreamedBody(10, data=b"0123456789", on_chunk=seen.append)
    assert list(body.chunks()) == [b"0123", b"4567", b"89"]
    assert seen == [0, 4, 8, 10]


def test_chunks_of_a_file_and_their_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_uploads, "CHUNK", 4)
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789")
    seen: list[int] = []
    body = StreamedBody(10, path=path, on_chunk=seen.append)
    assert list(body.chunks()) == [b"0123", b"4567", b"89"]
    assert seen == [0, 4, 8, 10]
    assert list(body.chunks()) == [b"0123", b"4567", b"89"]  # afresh on every attempt


@pytest.mark.parametrize(
    ("listed", "how"),
    [(12, "is now 10 bytes"), (8, "is now 10 bytes")],
)
def test_a_file_of_another_size_is_refused_before_its_first_chunk(
    tmp_path: Path, listed: int, how: str
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789")
    with pytest.raises(BodyError) as caught:
        list(StreamedBody(listed, path=path).chunks())
    assert str(caught.value.error) == (
        f"{path} changed while being processed: listed with {listed} bytes, {how}"
    )


def test_a_file_that_shrinks_or_grows_while_sent_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = 16 * 1024  # beyond the read buffer, so that every chunk is read from the file
    monkeypatch.setattr(_uploads, "CHUNK", size)
    path = tmp_path / "f.bin"
    path.write_bytes(b"a" * size * 3)
    chunks = StreamedBody(size * 3, path=path).chunks()
    assert next(chunks) == b"a" * size
    path.write_bytes(b"b" * (size + 5))  # truncated under the reader
    with pytest.raises(BodyError) as caught:
        next(chunks)
    assert str(caught.value.error) == (
        f"{path} changed while being processed: listed with {size * 3} bytes, "
        f"ended after {size + 5} bytes"
    )
    path.write_bytes(b"a" * size * 2)
    chunks = StreamedBody(size * 2, path=path).chunks()
    assert next(chunks) == b"a" * size
    with path.open("ab") as more:
        more.write(b"!")
    with pytest.raises(BodyError) as caught:
        next(chunks)  # the last chunk is held back
    assert str(caught.value.error) == (
        f"{path} changed while being processed: listed with {size * 2} bytes, "
        "grew while being sent"
    )


def test_the_chunks_of_a_file_gone_say_so(tmp_path: Path) -> None:
    with pytest.raises(BodyError) as caught:
        list(StreamedBody(3, path=tmp_path / "gone.bin").chunks())
    assert isinstance(caught.value.error, FileNotFoundError)


def test_an_error_from_the_report_stops_the_body(tmp_path: Path) -> None:
    def refuse(sent: int) -> None:
        raise RuntimeError(f"stop at {sent}")

    with pytest.raises(BodyError) as caught:
        list(StreamedBody(1, data=b"x", on_chunk=refuse).chunks())
    assert isinstance(caught.value.error, RuntimeError)
    assert str(caught.value) == "stop at 0"


# -- responses ----------------------------------------------------------------------------


def call(operation: ops.Operation[Any] = ops.GET_TASK) -> ops.Call[Any]:
    return ops.Call(
        operation, "GET", "https://api.test/task", {}, None, 5.0, 0, Redactor(API_KEY), "/task"
    )


def error(status: int, body: Any, headers: dict[str, str] | None = None) -> APIStatusError:
    return status_error(call(), status, body, headers or {})


def test_too_large_names_the_limit_and_the_option() -> None:
    exc = too_large(call(), 200, 1_000_000)
    assert str(exc) == (
        "Error getting task status: the response is larger than 1,000,000 bytes "
        "(the client's max_response_size)"
    )
    assert (exc.status_code, exc.body) == (200, None)


def test_a_long_reason_is_cut_at_300_characters() -> None:
    assert str(error(400, {"error": "e" * 300})) == "Error getting task status: " + "e" * 300
    assert str(error(400, {"error": "e" * 301})) == "Error getting task status: " + "e" * 300 + "…"


@pytest.mark.parametrize(
    ("status", "redirect"), [(299, False), (300, True), (302, True), (399, True), (400, False)]
)
def test_redirects_are_said_to_be_not_followed(status: int, redirect: bool) -> None:
    message = str(error(status, {"error": "moved"}))
    if redirect:
        assert message == f"Error getting task status: redirect (HTTP {status}) not followed"
    else:
        assert message == "Error getting task status: moved"


@pytest.mark.parametrize(
    ("operation", "status", "reason", "cls"),
    [
        (ops.GET_TASK, 401, "no", AuthenticationError),
        (ops.GET_TASK, 404, "gone", TaskNotFoundError),
        (ops.GET_TASK, 400, "Task Not Found here", TaskNotFoundError),
        (ops.GET_TASK, 403, "forbidden", APIStatusError),
        (ops.GET_TASK, 405, "no", APIStatusError),
        (ops.GET_VERSION, 404, "not found", APIStatusError),
        (ops.GET_TASK, 429, "slow down", RateLimitError),
        (ops.GET_TASK, 499, "x", APIStatusError),
        (ops.GET_TASK, 500, "x", ServerError),
        (ops.GET_TASK, 599, "x", ServerError),
    ],
)
def test_the_class_of_an_error(
    operation: ops.Operation[Any], status: int, reason: str, cls: type[APIStatusError]
) -> None:
    exc = status_error(call(operation), status, {"error": reason}, {})
    assert type(exc) is cls
    assert exc.status_code == status


def test_the_request_id_is_kept_masked_and_cut() -> None:
    assert error(500, None).request_id is None
    assert error(500, None, {"x-request-id": "req-1"}).request_id == "req-1"
    masked = error(500, None, {"x-request-id": f"id-{API_KEY}-" + "r" * 400}).request_id
    assert masked == ("id-***6f70-" + "r" * 400)[:300]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"error": "  plain  "}, "plain"),
        ({"error": {"message": " nested "}}, "nested"),
        ({"error": {"message": " "}, "message": "fallback"}, "fallback"),
        ({"detail": "  a detail "}, "a detail"),
        ({"detail": "  ", "message": "m"}, "m"),
        ({"detail": [], "message": "m"}, "m"),
        ({"message": " only a message "}, "only a message"),
        ({"message": "   "}, "Bad Request"),
        ({}, "Bad Request"),
        (
            {"detail": [{"loc": ["body", "pipeline", 0], "msg": "field required"}]},
            "body.pipeline.0: field required",
        ),
        ({"detail": [{"loc": "body", "msg": "bad"}]}, "bad"),
        ({"detail": [{"msg": "bad"}]}, "bad"),
        ({"detail": [{"loc": ["q"]}]}, "q: invalid"),
        ({"detail": [{}]}, "invalid"),
        ({"detail": ["text", 7]}, "text; 7"),
        ({"detail": [{"msg": str(i)} for i in range(7)]}, "0; 1; 2; 3; 4"),
        ("not a mapping", "Bad Request"),
    ],
)
def test_the_reason_of_an_error(body: Any, reason: str) -> None:
    assert str(error(400, body)) == f"Error getting task status: {reason}"


@pytest.mark.parametrize(
    ("body", "envelope"),
    [
        ({"status": "Error"}, True),
        ({"status": "Error", "error": "", "data": {"a": 1}}, True),
        ({"status": "OK", "error": "boom"}, False),  # a status string decides
        ({"status": "Running", "error": "boom", "data": None}, False),
        ({"status": 3, "error": "boom"}, True),  # not a string: as if absent
        ({"error": "boom"}, True),
        ({"error": {"message": "boom"}, "data": None}, True),
        ({"error": "boom", "data": {}}, False),
        ({"error": ""}, False),
        ({"error": {}}, False),
        ({"error": []}, False),
        ({"error": None}, False),
        ({}, False),
    ],
)
def test_what_an_error_envelope_is(body: dict[str, Any], envelope: bool) -> None:
    assert is_error_envelope(body) is envelope


def test_a_body_nested_too_deeply_is_shown_as_text() -> None:
    raw = b"[" * 100_000
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, raw, False)
    shown = "[" * 300 + "…"
    assert str(caught.value) == (
        "Error getting task status: the response is nested too deeply to read, "
        f"not a JSON object: {shown!r:.120}"
    )
    assert caught.value.body == shown
    with pytest.raises(ServerError) as failed:
        handle(call(), 500, {}, raw, False)
    assert failed.value.body == shown


@pytest.mark.parametrize(
    ("raw", "what", "body"),
    [
        (b"<html>oops</html>", "not JSON", "<html>oops</html>"),
        (b"[1, 2]", "a JSON list", [1, 2]),
        (b'"text"', "a JSON str", "text"),
        (b"", "not JSON", ""),
    ],
)
def test_an_answer_that_is_not_an_object_is_refused(raw: bytes, what: str, body: Any) -> None:
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, raw, False)
    shown = raw.decode()
    assert str(caught.value) == (
        f"Error getting task status: the response is {what}, not a JSON object: {shown!r}"
    )
    assert caught.value.body == body
    assert caught.value.status_code == 200


@pytest.mark.parametrize("status", [300, 304, 399])
def test_a_redirect_with_a_json_body_is_not_an_answer(status: int) -> None:
    raw = b'{"status": "OK", "data": {"status": "Completed"}}'
    with pytest.raises(APIStatusError) as caught:
        handle(call(), status, {}, raw, False)
    assert str(caught.value) == f"Error getting task status: redirect (HTTP {status}) not followed"


def test_a_status_without_a_phrase_is_named_by_number() -> None:
    assert str(error(499, {})) == "Error getting task status: HTTP 499"


def _response_text(raw: bytes) -> str:
    """What an error says of a body that is not JSON."""
    return _text(call(), raw)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"x" * 300, "x" * 300),
        (b"x" * 301, "x" * 300 + "…"),
        ("é".encode() * 200, "é" * 200 + "…"),  # 400 bytes, 200 characters: still cut
        (b"\xff" * 3, "\ufffd" * 3),
        (f"key {API_KEY}".encode(), "key ***6f70"),
    ],
)
def test_the_preview_of_a_body_that_is_not_json(raw: bytes, shown: str) -> None:
    assert _response_text(raw) == shown


def test_the_preview_is_masked_before_it_is_cut() -> None:
    # A secret assigned over 4 KB shrinks to "token=***aaaa": what follows it up to the end of
    # the window (300 + 4096 bytes) is shown, and nothing after.
    raw = b"token=" + b"a" * 4300 + b"&" + b"b" * 89 + b"c" * 10
    assert _response_text(raw) == "token=***aaaa&" + "b" * 89 + "…"


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

    assert Batch(results(), 3).total == 3
    assert repr(Batch(results(), 3)) == "Batch(total=3)"
    assert AsyncBatch(aresults(), 2).total == 2
    assert repr(AsyncBatch(aresults(), 2)) == "AsyncBatch(total=2)"


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
        assert call.timeout == sync_client.timeout
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


@pytest.mark.parametrize(
    ("concurrency", "error", "message"),
    [
        ("4", TypeError, "concurrency must be an int, not str"),
        (True, TypeError, "concurrency must be an int, not bool"),
        (4.0, TypeError, "concurrency must be an int, not float"),
        (0, ValueError, "concurrency must be from 1 to 32 (a client's connections), not 0"),
        (33, ValueError, "concurrency must be from 1 to 32 (a client's connections), not 33"),
    ],
)
def test_concurrency_is_checked_in_words(
    concurrency: object, error: type[Exception], message: str
) -> None:
    with raises(error, message):
        check_concurrency(concurrency)


def test_concurrency_from_1_to_32_is_accepted() -> None:
    assert [check_concurrency(n) for n in (1, 4, 32)] == [1, 4, 32]


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


# -- found by the whole run ---------------------------------------------------------------


def test_credentials_in_the_base_url_are_refused_in_words() -> None:
    from aparavi_dtc._checks import check_base_url

    with raises(ValueError, "base_url must not contain credentials; pass api_key instead"):
        check_base_url("https://user:secret@api.test")
    assert check_base_url("https://api.test/pathX/") == "https://api.test/pathX"
    assert check_base_url("https://api.test/X//") == "https://api.test/X"


def test_a_redactor_without_secrets_needs_nothing() -> None:
    assert Redactor().needed(b"plain text") is False
    assert Redactor("short").needed(b"short") is False  # too short to be masked everywhere
    assert Redactor().text("plain text") == "plain text"


def test_a_response_that_does_not_fit_keeps_its_body() -> None:
    body = {"status": "OK", "data": {"status": 7}}
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, json.dumps(body).encode(), True)
    assert caught.value.body == body
    assert str(caught.value).startswith("Error getting task status: unexpected response: ")


def test_the_response_budget_is_the_read_timeout() -> None:
    import httpx

    assert response_budget(call()) == 5.0
    timed = ops.Call(
        ops.GET_TASK,
        "GET",
        "https://api.test/task",
        {},
        None,
        httpx.Timeout(1.0, read=7.0),
        0,
        Redactor(API_KEY),
        "/task",
    )
    assert response_budget(timed) == 7.0
