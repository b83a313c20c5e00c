"""Uploads: checking and reading files and text, and encoding them as the service takes
them (a file's name as a header, several files as multipart parts named ``files``); and bodies
streamed from disk a chunk at a time, afresh on every attempt (``process()``)."""

from __future__ import annotations

import errno
import io
import os
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from aparavi_dtc_api import models
from aparavi_dtc_api.types import File

from ._checks import check_file_name, guess_content_type
from ._exceptions import FileChangedError
from ._types import BodyError, FileInput, Loaded, RemoteObject

if TYPE_CHECKING:
    from aparavi_dtc_api.models import WebhookFiles


#: A file to upload: a path, or ``(filename, content)``, or ``(filename, content, type)``.


#: The operations the service answers only once it has processed what they carry: by
#: default they wait for their answer longer than any other (``DEFAULT_UPLOAD_TIMEOUT``).


def read_file(item: FileInput) -> Loaded:
    """Read one upload into memory now, so a bad path fails before anything is sent."""
    if isinstance(item, tuple):
        kinds = (str, bytes, str)[: len(item)]
        if len(item) not in (2, 3) or not all(map(isinstance, item, kinds)):
            raise TypeError("a file tuple must be (filename, bytes) or (filename, bytes, type)")
        name, content = item[0], item[1]
        kind = item[2] if len(item) == 3 else None
    elif isinstance(item, str | os.PathLike):
        path = Path(item)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read file {path}: {exc.strerror or exc}") from None
        name, kind = path.name, None
    else:
        raise TypeError(f"a file must be a path or a (filename, bytes) tuple, not {item!r:.80}")
    check_file_name(name)
    if not content:
        raise ValueError(f"file {name!r} is empty: the service needs something to process")
    return name, content, kind or guess_content_type(name)


def read_files(files: FileInput | Sequence[FileInput]) -> list[Loaded]:
    """Check and read one file or several: at least one, none empty."""
    single = isinstance(files, str | os.PathLike | tuple)
    items: list[FileInput] = [files] if single else list(files)  # type: ignore[list-item,arg-type]
    if not items:
        raise ValueError("files is empty: pass at least one file")
    return [read_file(item) for item in items]


def read_upload(
    files: FileInput | Sequence[FileInput] | None, text: str | None
) -> tuple[list[Loaded], str | None]:
    """Check a webhook upload and read its files: ``(files read, text)``."""
    if (files is None) == (text is None):
        raise ValueError("send_to_webhook() takes files=... or text=..., exactly one of them")
    if text is not None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, not {type(text).__name__}")
        if not text:
            raise ValueError("text is empty: the webhook needs something to process")
        return [], text
    return read_files(files), None  # type: ignore[arg-type]


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def content_disposition(filename: str) -> str:
    """``attachment; filename=...``, with an RFC 5987 form for names beyond ASCII.

    Control characters (a file on disk may have a line break in its name) never reach the
    header as they are: ``_`` in the plain form, percent-encoded in the RFC 5987 one.
    """
    ascii_name = filename.encode("ascii", "replace").decode().replace("\\", "_").replace('"', "_")
    ascii_name = _CONTROL.sub("_", ascii_name)
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        # A name that is not UTF-8 (a path's bytes kept as surrogates) is sent as its bytes.
        quoted = urllib.parse.quote(filename, safe="", errors="surrogateescape")
        value += f"; filename*=UTF-8''{quoted}"
    return value


def multipart(loaded: list[Loaded]) -> WebhookFiles:
    """Files as the multipart body of an upload: every file a part named ``files``."""
    return models.WebhookFiles(
        files=[File(payload=io.BytesIO(c), file_name=n, mime_type=k) for n, c, k in loaded]
    )


# -- streamed bodies ----------------------------------------------------------------------

#: Bytes read from a file at a time while it is sent: the memory one upload in flight holds.
#: A mebibyte sends a large file faster than smaller reads (BENCHMARKS.md), on both clients.
CHUNK = 1024 * 1024


#: Tries to open an object of a remote store before its file fails: opening comes before
#: anything of the file is sent, so trying again cannot send it twice.
OPEN_ATTEMPTS = 3


def _builtin(exc: BaseException) -> bool:
    """Whether ``exc`` is one of Python's own ``OSError`` types (``FileNotFoundError``,
    ``PermissionError``, ...), as a local file's errors are, rather than a store's type."""
    return isinstance(exc, OSError) and type(exc).__module__ == "builtins"


class _FileReader:
    """Reads one file in chunks, checking that it still has the size it was listed with:
    a local one, or (``remote``) an object of an fsspec filesystem."""

    __slots__ = ("_handle", "_remote", "path", "sent", "size")

    def __init__(self, path: Path | str, size: int, remote: RemoteObject | None = None) -> None:
        self.path = path
        self.size = size
        self.sent = 0
        self._remote = remote
        self._handle: IO[bytes] | None = None

    def _open(self) -> tuple[IO[bytes], int]:
        """The open file and its size now."""
        if self._remote is None:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed by close()
            return handle, os.fstat(handle.fileno()).st_size
        fs, path = self._remote.fs, self._remote.path
        for attempt in range(OPEN_ATTEMPTS):
            try:
                handle = fs.open(path, "rb", block_size=CHUNK)
                break
            except (FileNotFoundError, PermissionError):
                raise
            except OSError:  # the store did not answer: nothing of the file is sent yet
                if attempt + 1 == OPEN_ATTEMPTS:
                    raise
                time.sleep(0.2 * 2**attempt)
        size = getattr(handle, "size", None)
        return handle, int(size if size is not None else fs.size(path))

    def next(self) -> bytes:
        """The next chunk, b"" at the end; opens the file on first use.

        Raises :class:`BodyError` with the ``OSError`` (``FileNotFoundError`` for a file
        gone, :class:`FileChangedError` for one that shrank or grew, or for an object that
        is another version now). A store's own error (s3fs's ``FileExpired``, botocore's)
        becomes one of these too, as for a local file (see :meth:`_store_error`).
        """
        try:
            handle = self._handle
            if handle is None:
                handle, actual = self._open()
                self._handle = handle
                if actual != self.size:
                    raise self._changed(f"is now {actual} bytes")
            want = min(CHUNK, self.size - self.sent)
            if want == 0:
                return b""
            chunk = handle.read(want)
            if len(chunk) < want:
                raise self._changed(f"ended after {self.sent + len(chunk)} bytes")
            self.sent += len(chunk)
            # A file that grew is refused before its last chunk goes out, so the service
            # never receives a complete-looking body that is not the file.
            if self.sent == self.size and handle.read(1):
                raise self._changed("grew while being sent")
            return chunk
        except FileChangedError as exc:
            raise BodyError(exc) from None
        except Exception as exc:
            if _builtin(exc):  # FileNotFoundError, PermissionError, ...: as they are
                raise BodyError(exc) from None
            if self._remote is None:
                raise
            raise BodyError(self._store_error(exc)) from None

    def _store_error(self, exc: Exception) -> OSError:
        """A store's own error (s3fs's ``FileExpired``, botocore's, gcsfs's) in the types a
        local file's would have, with the store's error as its cause: the object looked up
        again is gone (``FileNotFoundError``) or has another ETag than the one listed
        (:class:`FileChangedError`); else an ``OSError`` that names the store's error."""
        remote = self._remote
        assert remote is not None
        error = OSError(f"cannot read {self.path}: {type(exc).__name__}: {exc}")
        try:
            now = remote.version_now()
        except FileNotFoundError:
            error = FileNotFoundError(errno.ENOENT, "no such object any more", str(self.path))
        except Exception:  # the store cannot tell: its first error is the one reported
            pass
        else:
            # Only an ETag is compared: a modification time may be spelled differently
            # by a listing and by a look at one object (a float, a datetime).
            if remote.version.startswith("etag:") and now != remote.version:
                error = self._changed("and another version of it is in the store now")
        error.__cause__ = exc
        return error

    def _changed(self, how: str) -> FileChangedError:
        return FileChangedError(
            f"{self.path} changed while being processed: listed with {self.size} bytes, {how}"
        )

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class StreamedBody:
    """A request body produced a chunk at a time, afresh on every attempt: a file read
    from disk as it is sent (``path``), or bytes already in memory (``data``).

    Memory stays at one chunk per upload whatever the file's size, and a retry re-reads
    the file from its start. ``on_chunk(sent)`` is told the bytes handed to the HTTP stack
    so far, before each chunk and at the end; an exception from it stops the body.
    Everything the body raises comes out as :class:`BodyError`.
    """

    __slots__ = ("_data", "_on_chunk", "_path", "_remote", "size")

    def __init__(
        self,
        size: int,
        *,
        path: Path | None = None,
        data: bytes | None = None,
        remote: RemoteObject | None = None,
        on_chunk: Callable[[int], object] | None = None,
    ) -> None:
        if [path, data, remote].count(None) != 2:
            raise ValueError(
                "a streamed body reads a path or an object, or holds data: exactly one"
            )
        self.size = size
        self._path = path
        self._data = data
        self._remote = remote
        self._on_chunk = on_chunk

    def __repr__(self) -> str:
        source: object = self._path if self._path is not None else "<bytes>"
        if self._remote is not None:
            source = self._remote.url
        return f"StreamedBody({source}, {self.size} bytes)"

    def _reader(self) -> _FileReader:
        if self._remote is not None:
            return _FileReader(self._remote.url, self.size, self._remote)
        assert self._path is not None
        return _FileReader(self._path, self.size)

    def check(self) -> None:
        """Raise the file's error now if it is gone or no longer has its listed size, so
        that no request is started for it (sending checks again, chunk by chunk). An
        object of a remote filesystem is checked as it is opened, its first chunk read
        before anything of it is sent, so that a listing is not asked for twice."""
        if self._path is None:
            return
        try:
            actual = os.stat(self._path).st_size
        except OSError as exc:
            raise BodyError(exc) from None
        if actual != self.size:
            raise BodyError(_FileReader(self._path, self.size)._changed(f"is now {actual} bytes"))

    def _report(self, sent: int) -> None:
        if self._on_chunk is not None:
            try:
                self._on_chunk(sent)
            except Exception as exc:
                raise BodyError(exc) from None

    def chunks(self) -> Iterator[bytes]:
        """The body for one attempt, read as the HTTP stack asks for it."""
        if self._data is not None:
            data = self._data
            for start in range(0, len(data), CHUNK):
                self._report(start)
                yield data[start : start + CHUNK]
            self._report(len(data))
            return
        reader = self._reader()
        try:
            while True:
                self._report(reader.sent)
                chunk = reader.next()
                if not chunk:
                    return
                yield chunk
        finally:
            reader.close()

    async def achunks(self) -> AsyncIterator[bytes]:
        """:meth:`chunks` for an event loop: the file is read in a worker thread."""
        if self._data is not None:
            for chunk in self.chunks():
                yield chunk
            return
        import asyncio  # here: a sync client never needs it, and it costs a first answer

        reader = self._reader()
        try:
            while True:
                self._report(reader.sent)
                chunk = await asyncio.to_thread(reader.next)
                if not chunk:
                    return
                yield chunk
        finally:
            reader.close()
