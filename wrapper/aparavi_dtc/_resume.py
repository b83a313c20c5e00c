"""A resumable ``process()``: its results file, one JSON object per finished file.

Each line is written whole and flushed as its file finishes, so that a run killed at any
moment leaves every line it finished readable; a last line cut short is left out (and cut
off) by the next run. A later run over the same inputs skips every input whose input and
version (size and modification time, an object's ETag, or a digest of bytes) has a line with
``"ok": true``; failed files are sent again. The file is locked for as long as a run
writes it (an advisory ``flock``), so that a second run at the same time is refused
instead of interleaving its lines.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import IO, Any

from ._exceptions import ResultsFileInUseError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one run at a time is the user's to keep
    fcntl = None  # type: ignore[assignment]

__all__ = ["NotAResultsFileError", "ResultsLog", "check_results", "open_results", "read_finished"]


class NotAResultsFileError(FileExistsError):
    """Raised by ``process(results=...)`` when the file holds something that is not a
    results file (no line of its first 64 KiB is a file's result): it is neither resumed nor
    appended to, and replaced only with ``overwrite=True``. ``filename`` is the file."""


class ResultsLog:
    """An open, locked results file: what earlier runs finished, and where this run's lines go."""

    def __init__(self, path: Path, handle: IO[bytes], done: set[tuple[str, str]]) -> None:
        self.path = path
        self._handle = handle
        self._done = done

    def __repr__(self) -> str:
        return f"ResultsLog({str(self.path)!r}, {len(self._done)} done)"

    def finished(self, input: str, version: str) -> bool:
        """Whether an earlier run processed this input, in this version, successfully."""
        return (input, version) in self._done

    def write(self, record: dict[str, Any]) -> None:
        """Append one file's record as a line, whole, and flush it to the operating system."""
        if self._handle.closed:  # the batch was closed from elsewhere as this file ended
            return
        # ASCII, with every other character escaped: a path that is not UTF-8 (its bytes
        # kept as surrogates) is written, and read back, as it is.
        # A NaN the service sent is written as Python's json reads it back, not refused.
        line = json.dumps(record) + "\n"
        self._handle.write(line.encode("ascii"))
        self._handle.flush()

    def close(self) -> None:
        """Release the lock and close the file; what is written afterwards is dropped (a
        batch closed from another thread as a file ended: that file is sent again next
        time)."""
        if not self._handle.closed:
            self._handle.close()  # closing the descriptor releases its flock


def open_results(
    path: str | os.PathLike[str], *, resume: bool, overwrite: bool = False
) -> ResultsLog:
    """Open (or create) the results file at ``path`` and lock it for this run.

    With ``resume``, the lines already there tell which inputs are done, and a torn last
    line is cut off. Without, the file starts empty: one that holds anything is emptied
    only with ``overwrite``, and refused otherwise.

    Raises:
        ResultsFileInUseError: Another run holds the file.
        FileExistsError: Neither ``resume`` nor ``overwrite``, and the file is not empty.
        OSError: It cannot be opened or read.
    """
    target = Path(path)
    handle = open(target, "a+b")  # noqa: SIM115 - closed by ResultsLog.close()
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ResultsFileInUseError(
                    f"the results file {target} is being written by another run; "
                    "wait for it to end, or write to another file",
                    path=str(target),
                ) from None
        refusal = _refusal(handle, str(target), resume=resume, overwrite=overwrite)
        if refusal is not None:  # decided under the lock
            raise refusal
        done: set[tuple[str, str]] = set()
        if resume:
            done = _read(handle)
        else:
            handle.truncate(0)
        handle.seek(0, os.SEEK_END)
    except BaseException:
        with contextlib.suppress(OSError):
            handle.close()
        raise
    return ResultsLog(target, handle, done)


def check_results(path: str | os.PathLike[str], *, resume: bool, overwrite: bool) -> None:
    """Raise what :func:`open_results` would raise for ``path`` on its contents, without
    opening it to write (``--dry-run``). What is not a regular file is not looked into: the
    run itself reports what it makes of it."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would wait for a writer
            return
        with open(path, "rb") as handle:
            refusal = _refusal(handle, os.fspath(path), resume=resume, overwrite=overwrite)
    except FileNotFoundError:
        return
    if refusal is not None:
        raise refusal


def _refusal(handle: IO[bytes], name: str, *, resume: bool, overwrite: bool) -> OSError | None:
    """Why the results file open as ``handle`` may not be used as asked, or None: one
    that holds anything is resumed or replaced only when asked to, and a file that is not
    a results file only replaced."""
    if overwrite or not handle.seek(0, os.SEEK_END):
        return None
    handle.seek(0)
    if not _is_results(handle.read(_SHOWN_BY)):
        return NotAResultsFileError(
            errno.EEXIST,
            "the file is not a results file (no line of its start is a file's result): name "
            "another file, or pass overwrite=True to replace it",
            name,
        )
    if resume:
        return None
    return FileExistsError(
        errno.EEXIST,
        "the results file holds the lines of an earlier run: pass resume=True to go on "
        "from them, or overwrite=True to replace them",
        name,
    )


#: How much of a file shows whether it is a results file: its first line, or its head.
_SHOWN_BY = 64 * 1024
_OPEN_STRING = rb'"(?:[^"\\]|\\.)*'  # a JSON string without its closing quote
_STRING = re.compile(_OPEN_STRING + rb'"')
_CUT_STRING = re.compile(_OPEN_STRING + rb"\\?")  # a string's start, cut anywhere
_BOOLEAN = re.compile(rb"true|false")
#: How every line begins (``ResultsLog.write``): each literal, then a value of its kind.
_BEGINNING = ((b'{"input": ', _STRING), (b', "version": ', _STRING), (b', "ok": ', _BOOLEAN))


def _is_results(start: bytes) -> bool:
    """Whether a file that begins with ``start`` (its first :data:`_SHOWN_BY` bytes, or
    all of it) is a results file: a whole line of it is a file's result, or its first
    line begins as this module begins every line (the rest of a long line unread), or is
    the start of one that a run killed as it wrote it left cut short."""
    *whole, last = start.split(b"\n")
    if any(_begins_as_result(line) or _is_record(line) for line in whole):
        return True
    return not whole and _begins_as_result(last, cut=len(start) < _SHOWN_BY)


def _begins_as_result(line: bytes, *, cut: bool = False) -> bool:
    """Whether ``line`` begins as :meth:`ResultsLog.write` begins every line; ``cut``: or
    ends, cut short, anywhere in that beginning."""
    position = 0
    for literal, value in _BEGINNING:
        rest = line[position:]
        if not rest.startswith(literal):
            return cut and literal.startswith(rest)
        position += len(literal)
        found = value.match(line, position)
        if found is None:
            return cut and _begins(value, line[position:])
        position = found.end()
    return True


def _begins(value: re.Pattern[bytes], rest: bytes) -> bool:
    """Whether ``rest`` could be the start of a value that ``value`` matches."""
    if not rest:
        return True
    if value is _BOOLEAN:
        return b"true".startswith(rest) or b"false".startswith(rest)
    return _CUT_STRING.fullmatch(rest) is not None


def _is_record(line: bytes) -> bool:
    """Whether a whole ``line`` is a JSON record of a file's result in another spelling
    (its keys in another order, other spaces)."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and {"input", "version", "ok"} <= record.keys()


def read_finished(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """The (input, version) of every successful line of the results file at ``path``,
    read without locking or changing it (nothing for a file that does not exist)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return set()
    return _finished(data[: data.rfind(b"\n") + 1])


#: How :meth:`ResultsLog.write` begins every line (``FileResult.to_dict()`` puts these
#: three first): read without parsing the rest, which holds the texts and can be long.
_HEAD = re.compile(
    rb'\{"input": (%b), "version": (%b), "ok": true[,}]' % (_STRING.pattern, _STRING.pattern)
)


def _read(handle: IO[bytes]) -> set[tuple[str, str]]:
    """The (input, version) of every successful line; a last line without its newline (a
    run killed while writing it) is cut off, so that the next line starts on its own."""
    handle.seek(0)
    data = handle.read()
    whole = data.rfind(b"\n") + 1  # bytes up to the end of the last complete line
    handle.truncate(whole)
    return _finished(data[:whole])


def _finished(lines: bytes) -> set[tuple[str, str]]:
    """The (input, version) of every successful line among whole ``lines``."""
    keys = (_key(line) for line in lines.split(b"\n") if line)
    return {key for key in keys if key is not None and key[1]}


def _key(line: bytes) -> tuple[str, str] | None:
    """The (input, version) of a successful line, or None."""
    head = _HEAD.match(line)
    try:
        if head is not None:  # a line as this module writes it
            return _string(head.group(1)), _string(head.group(2))
        record = json.loads(line)  # any other spelling of a record
    except ValueError:  # not a line of ours (or damaged): it finished nothing
        return None
    if not isinstance(record, dict) or record.get("ok") is not True:
        return None
    key = record.get("input"), record.get("version")
    if isinstance(key[0], str) and isinstance(key[1], str):
        return key[0], key[1]
    return None


def _string(literal: bytes) -> str:
    """A JSON string literal's text: as it is when it escapes nothing (nearly always)."""
    if b"\\" in literal:
        text: str = json.loads(literal)
        return text
    return literal[1:-1].decode("utf-8")
