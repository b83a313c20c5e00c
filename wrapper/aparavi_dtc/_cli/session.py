"""The session file: the current task of the command line, between invocations.

`start` records the task it started in one file; `status`, `upload` and `delete` act on
it. The file is never followed through a symbolic link and never trusted unless it is a
small regular file of ours; it is replaced atomically (a temporary file in the same
directory, then a rename), so a reader sees the old or the new file, never half of one.
`start` and `delete` change it under a lock, so parallel invocations cannot orphan a task.
The record of tasks (``tasks.py``) is kept the same way, beside it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aparavi_dtc import Task

__all__ = [
    "SessionError",
    "clear_session",
    "config_dir",
    "load_session",
    "open_private",
    "private_dir",
    "private_lock",
    "read_private",
    "read_session",
    "save_session",
    "session_lock",
    "session_path",
    "write_private",
]


class SessionError(Exception):
    """The session file cannot be used; the message says what to do (exit code 2)."""


SESSION_MARK = "aparavi-dtc session"
SESSION_LIMIT = 64 * 1024  # a session file is ~200 bytes; anything larger is not one
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of hanging
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/aparavi-dtc`` (``%APPDATA%`` on Windows), else ``~/.config``."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "aparavi-dtc"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aparavi-dtc"


def session_path() -> Path:
    """Where the current task is recorded."""
    return config_dir() / "session.json"


def _fix(path: Path) -> str:
    return f"delete {path}, or pass --token and --type"


def _is_ours(st: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def private_dir() -> Path:
    """The config directory, created 0700 or tightened to it; refused if not ours."""
    directory = config_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.stat(directory)
        if not stat.S_ISDIR(st.st_mode):
            raise SessionError(f"{directory} is not a directory: move it away")
        if not _is_ours(st):
            raise SessionError(f"{directory} belongs to another user: set XDG_CONFIG_HOME")
        if os.name != "nt" and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(directory, 0o700)
    except OSError as exc:
        raise SessionError(f"cannot use the directory {directory}: {exc.strerror}") from None
    return directory


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_private(path: Path, flags: int, fix: str, what: str = "a session file") -> int:
    """Open ``path`` without following a link; refuse anything but a regular file of ours.

    ``fix`` tells the user what to do about a file that is refused; ``what`` names the
    kind of file expected.
    """
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise SessionError(
                f"{path} is a symbolic link, which aparavi-dtc does not follow: {fix}"
            ) from None
        if isinstance(exc, FileNotFoundError):
            raise
        raise SessionError(f"cannot open {path}: {exc.strerror}: {fix}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SessionError(f"{path} is {_kind(st.st_mode)}, not {what}: {fix}")
        if not _is_ours(st):
            raise SessionError(f"{path} belongs to another user: {fix}")
        if os.name != "nt" and stat.S_IMODE(st.st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_private(path: Path, noun: str, mark: str, limit: int, fix: str) -> dict[str, Any] | None:
    """The JSON object in the private file ``path`` (a ``noun`` such as "session file"),
    None when there is none; refused (SessionError saying ``fix``) when it is larger than
    ``limit`` bytes, not JSON, or not marked ``kind: mark``."""
    try:
        fd = open_private(path, os.O_RDONLY, fix, f"a {noun}")
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise SessionError(f"{path} is too large for a {noun}: {fix}")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise SessionError(f"the {noun} {path} is corrupt: {fix}") from None
    if not isinstance(data, dict) or data.get("kind") != mark:
        raise SessionError(f"{path} is not an aparavi-dtc {noun}: {fix}")
    return data


def read_session() -> dict[str, str] | None:
    """The saved session (``token``, ``type``, ``base_url``), None when there is none."""
    path = session_path()
    data = read_private(path, "session file", SESSION_MARK, SESSION_LIMIT, _fix(path))
    if data is None:
        return None
    fields = {key: data.get(key) for key in ("token", "type", "base_url")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise SessionError(f"the session file {path} is corrupt: {_fix(path)}")
    return {key: str(value) for key, value in fields.items()}


def load_session(base_url: str) -> tuple[str, str] | None:
    """The saved task's token and type for ``base_url``, None when there is none."""
    saved = read_session()
    if saved is None:
        return None
    if saved["base_url"] != base_url:
        path = session_path()
        raise SessionError(
            f"the session file {path} is for {saved['base_url']!r}, not {base_url!r}: "
            f"use that base URL, or {_fix(path)}"
        )
    return saved["token"], saved["type"]


def save_session(task: Task, base_url: str) -> None:
    """Record ``task`` as the current one."""
    data = {"kind": SESSION_MARK, "token": task.token, "type": task.type, "base_url": base_url}
    write_private("session.json", data, "the session file")


def write_private(name: str, data: object, what: str) -> None:
    """Write ``data`` as JSON to ``name`` in the private directory: a new file readable by
    the user alone (0600), renamed over the old one, so that no reader ever sees half a
    file. ``what`` names the file in an error."""
    directory = private_dir()
    path = directory / name
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)  # replaces a link or a file itself, never what it points to
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise SessionError(f"cannot write {what} {path}: {exc.strerror}") from None
        raise


def clear_session(token: str) -> None:
    """Forget the current task if it is ``token`` (another may have replaced it)."""
    try:
        saved = read_session()
    except SessionError:
        return  # not ours to remove
    if saved is not None and saved["token"] == token:
        with contextlib.suppress(FileNotFoundError):
            session_path().unlink()


def session_lock() -> contextlib.AbstractContextManager[None]:
    """Hold the session's lock file while the session is changed."""
    return private_lock("session.lock")


@contextlib.contextmanager
def private_lock(name: str) -> Iterator[None]:
    """Hold the lock file ``name`` in the private directory (POSIX ``flock``): one process
    at a time, and one thread (each takes the lock on a file descriptor of its own)."""
    try:
        import fcntl
    except ImportError:  # Windows: the rename alone keeps the file whole
        yield
        return
    path = private_dir() / name
    try:
        fd = open_private(path, os.O_RDWR | os.O_CREAT, f"delete {path}", "a lock file")
    except FileNotFoundError as exc:
        raise SessionError(f"cannot create {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
