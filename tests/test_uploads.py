"""Uploads (``_uploads``): reading files and text, the exact words of every refusal, content types,
the Content-Disposition header, and bodies streamed from disk.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aparavi_dtc import _uploads
from aparavi_dtc._exceptions import (
    FileChangedError,
)
from aparavi_dtc._inputs import Remote
from aparavi_dtc._types import BodyError
from aparavi_dtc._uploads import (
    StreamedBody,
    content_disposition,
    read_file,
    read_files,
    read_upload,
)


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


# -- streamed bodies ----------------------------------------------------------------------


def test_a_streamed_body_needs_a_path_or_data(tmp_path: Path) -> None:
    exactly = "a streamed body reads a path or an object, or holds data: exactly one"
    with raises(ValueError, exactly):
        StreamedBody(1)
    with raises(ValueError, exactly):
        StreamedBody(1, path=tmp_path, data=b"x")
    with raises(ValueError, exactly):
        StreamedBody(1, data=b"x", remote=Remote(None, "b/k", "s3://b/k"))
    assert repr(StreamedBody(3, remote=Remote(None, "b/k", "s3://b/k"))) == (
        "StreamedBody(s3://b/k, 3 bytes)"
    )
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


def test_a_name_that_is_not_utf8_goes_as_its_bytes() -> None:
    name = "d\udce9.txt"  # os.fsdecode(b"d\xe9.txt")
    assert (
        content_disposition(name) == "attachment; filename=\"d?.txt\"; filename*=UTF-8''d%E9.txt"
    )
