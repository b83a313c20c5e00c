"""The CLI's session file, in process: where it lives, what is refused and with which words,
the modes it leaves, and what each function returns.

``test_cli_session.py`` drives the same promises through the console script in a
subprocess; these tests call ``aparavi_dtc._session`` directly, so that ``make mutate`` can
tell what each line of it is for (TESTING.md).
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from aparavi_dtc._cli import session as _session
from aparavi_dtc._cli.session import (
    SESSION_LIMIT,
    SESSION_MARK,
    SessionError,
    clear_session,
    config_dir,
    load_session,
    read_session,
    save_session,
    session_lock,
    session_path,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes, links and FIFOs")

URL = "https://api.test"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``XDG_CONFIG_HOME`` in a fresh directory; returns the config directory to be."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("APPDATA", raising=False)
    return tmp_path / "xdg" / "aparavi-dtc"


def task(token: str = "tok-1", type_: str = "cpu") -> Any:
    return SimpleNamespace(token=token, type=type_)


def fix(path: Path) -> str:
    return f"delete {path}, or pass --token and --type"


def write(path: Path, data: object, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    path.chmod(mode)


def good(**fields: object) -> dict[str, object]:
    return {"kind": SESSION_MARK, "token": "t", "type": "cpu", "base_url": URL} | fields


def refused(match: str) -> Any:
    return pytest.raises(SessionError, match=f"^{re.escape(match)}$")


# -- where --------------------------------------------------------------------------------


def test_the_config_dir_follows_xdg_config_home(home: Path) -> None:
    assert config_dir() == home
    assert session_path() == home / "session.json"


def test_without_xdg_config_home_it_is_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_dir() == tmp_path / ".config" / "aparavi-dtc"
    monkeypatch.setenv("XDG_CONFIG_HOME", "")  # empty means unset
    assert config_dir() == tmp_path / ".config" / "aparavi-dtc"


def test_appdata_is_used_on_windows_only(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    assert config_dir() == home


# -- saving -------------------------------------------------------------------------------


def test_save_then_read_and_load(home: Path) -> None:
    assert read_session() is None
    assert load_session(URL) is None
    save_session(task("tok-1", "gpu"), URL)
    path = home / "session.json"
    assert json.loads(path.read_text()) == {
        "kind": SESSION_MARK,
        "token": "tok-1",
        "type": "gpu",
        "base_url": URL,
    }
    assert read_session() == {"token": "tok-1", "type": "gpu", "base_url": URL}
    assert load_session(URL) == ("tok-1", "gpu")
    save_session(task("tok-2", "cpu"), URL)
    assert load_session(URL) == ("tok-2", "cpu")
    assert sorted(p.name for p in home.iterdir()) == ["session.json"]


def test_save_makes_the_file_0600_and_the_directories_0700(home: Path) -> None:
    save_session(task(), URL)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "session.json").stat().st_mode) == 0o600


def test_save_tightens_an_existing_config_dir(home: Path) -> None:
    home.mkdir(parents=True)
    home.chmod(0o755)
    save_session(task(), URL)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_save_refuses_a_config_dir_that_is_a_file(home: Path) -> None:
    home.parent.mkdir(parents=True)
    home.write_text("")
    with refused(f"cannot use the directory {home}: File exists"):
        save_session(task(), URL)


def test_save_refuses_a_config_dir_replaced_by_a_file_meanwhile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.parent.mkdir(parents=True)
    made = Path.mkdir

    def raced(self: Path, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        if self == home:
            self.rmdir()
            self.write_text("")

    monkeypatch.setattr(Path, "mkdir", raced)
    with refused(f"{home} is not a directory: move it away"):
        save_session(task(), URL)


def test_save_refuses_a_config_dir_of_another_user(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir(parents=True, mode=0o755)
    monkeypatch.setattr(os, "geteuid", lambda: home.stat().st_uid + 1)
    with refused(f"{home} belongs to another user: set XDG_CONFIG_HOME"):
        save_session(task(), URL)
    assert stat.S_IMODE(home.stat().st_mode) == 0o755  # not touched
    assert not (home / "session.json").exists()


def test_a_failed_write_says_so_and_leaves_no_temporary_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "session.json").mkdir(parents=True)  # os.replace cannot put a file over it
    with refused(f"cannot write the session file {home / 'session.json'}: Is a directory"):
        save_session(task(), URL)
    assert sorted(p.name for p in home.iterdir()) == ["session.json"]


def test_an_interrupted_write_leaves_no_temporary_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_session(task(), URL)
    assert list(home.iterdir()) == []


def test_save_replaces_a_link_and_not_what_it_points_to(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("precious")
    home.mkdir(parents=True)
    (home / "session.json").symlink_to(target)
    save_session(task("tok-9"), URL)
    assert target.read_text() == "precious"
    assert not (home / "session.json").is_symlink()
    assert load_session(URL) == ("tok-9", "cpu")


# -- reading ------------------------------------------------------------------------------


def test_read_tightens_a_readable_session_file(home: Path) -> None:
    write(home / "session.json", good(), mode=0o644)
    assert read_session() == {"token": "t", "type": "cpu", "base_url": URL}
    assert stat.S_IMODE((home / "session.json").stat().st_mode) == 0o600


def test_read_keeps_a_private_session_file_as_it_is(home: Path) -> None:
    write(home / "session.json", good(), mode=0o400)
    assert read_session() == {"token": "t", "type": "cpu", "base_url": URL}
    assert stat.S_IMODE((home / "session.json").stat().st_mode) == 0o400


def test_read_refuses_a_link(home: Path, tmp_path: Path) -> None:
    write(tmp_path / "other.json", good())
    home.mkdir(parents=True)
    path = home / "session.json"
    path.symlink_to(tmp_path / "other.json")
    with refused(f"{path} is a symbolic link, which aparavi-dtc does not follow: {fix(path)}"):
        read_session()
    path.unlink()
    path.symlink_to(tmp_path / "missing.json")  # dangling: still a link, not "no session"
    with refused(f"{path} is a symbolic link, which aparavi-dtc does not follow: {fix(path)}"):
        read_session()


def test_read_refuses_a_file_it_cannot_open(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "session.json"
    write(path, good())

    def denied(*args: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with refused(f"cannot open {path}: Permission denied: {fix(path)}"):
        read_session()


def test_read_refuses_what_is_not_a_regular_file(home: Path) -> None:
    path = home / "session.json"
    path.mkdir(parents=True)
    with refused(f"{path} is a directory, not a session file: {fix(path)}"):
        read_session()
    path.rmdir()
    os.mkfifo(path)
    with refused(f"{path} is a named pipe, not a session file: {fix(path)}"):
        read_session()
    path.unlink()
    short = Path(os.path.relpath(path))  # an AF_UNIX path is limited to ~100 bytes
    if len(str(short)) < 100:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(short))
            # opening a socket fails (ENXIO) before it can be looked at
            with refused(f"cannot open {path}: No such device or address: {fix(path)}"):
                read_session()


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        (stat.S_IFDIR, "a directory"),
        (stat.S_IFIFO, "a named pipe"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFCHR, "a device"),
        (stat.S_IFBLK, "a device"),
        (stat.S_IFLNK, "not a regular file"),
    ],
)
def test_kinds_of_file_are_named(mode: int, kind: str) -> None:
    assert _session._kind(mode | 0o644) == kind


def test_read_refuses_a_file_of_another_user(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "session.json"
    write(path, good(), mode=0o644)
    monkeypatch.setattr(os, "geteuid", lambda: path.stat().st_uid + 1)
    with refused(f"{path} belongs to another user: {fix(path)}"):
        read_session()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not touched


def test_read_refuses_a_file_too_large(home: Path) -> None:
    path = home / "session.json"
    text = json.dumps(good())
    write(path, text + " " * (SESSION_LIMIT - len(text)))
    assert read_session() == {"token": "t", "type": "cpu", "base_url": URL}
    write(path, text + " " * (SESSION_LIMIT - len(text) + 1))
    with refused(f"{path} is too large for a session file: {fix(path)}"):
        read_session()


@pytest.mark.parametrize("text", ["{", "", "[" * 100_000 + "]" * 100_000])
def test_read_refuses_a_corrupt_file(home: Path, text: str) -> None:
    path = home / "session.json"
    write(path, text[: SESSION_LIMIT - 1])
    with refused(f"the session file {path} is corrupt: {fix(path)}"):
        read_session()


@pytest.mark.parametrize(
    "data",
    [
        [good()],
        "a string",
        {"token": "t", "type": "cpu", "base_url": URL},
        good(kind="aparavi-dtc sessions"),
    ],
)
def test_read_refuses_a_file_that_is_not_a_session(home: Path, data: object) -> None:
    path = home / "session.json"
    write(path, json.dumps(data))
    with refused(f"{path} is not an aparavi-dtc session file: {fix(path)}"):
        read_session()


@pytest.mark.parametrize(
    "data",
    [
        good(token=""),
        good(type=None),
        good(base_url=7),
        {"kind": SESSION_MARK, "token": "t", "type": "cpu"},
    ],
)
def test_read_refuses_a_session_with_a_missing_field(home: Path, data: object) -> None:
    path = home / "session.json"
    write(path, data)
    with refused(f"the session file {path} is corrupt: {fix(path)}"):
        read_session()


def test_read_returns_the_three_fields_only(home: Path) -> None:
    write(home / "session.json", good(extra="x", token="tok"))
    assert read_session() == {"token": "tok", "type": "cpu", "base_url": URL}


def test_load_refuses_a_session_of_another_service(home: Path) -> None:
    path = home / "session.json"
    write(path, good())
    other = "http://127.0.0.1:9"
    with refused(
        f"the session file {path} is for {URL!r}, not {other!r}: use that base URL, or {fix(path)}"
    ):
        load_session(other)


# -- clearing and locking ------------------------------------------------------------------


def test_clear_removes_the_session_of_that_token_only(home: Path) -> None:
    save_session(task("tok-1"), URL)
    clear_session("tok-2")
    assert load_session(URL) == ("tok-1", "cpu")
    clear_session("tok-1")
    assert not (home / "session.json").exists()
    clear_session("tok-1")  # nothing left: nothing to do
    assert read_session() is None


def test_clear_leaves_a_file_that_is_not_ours_to_remove(home: Path) -> None:
    path = home / "session.json"
    write(path, "not json")
    clear_session("tok-1")
    assert path.read_text() == "not json"


def test_the_lock_is_a_private_file_in_the_config_dir(home: Path) -> None:
    import fcntl

    with session_lock():
        lock = home / "session.lock"
        assert stat.S_ISREG(lock.lstat().st_mode)
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        # held: another lock on the file would wait
        with open(lock, "rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock, "rb") as other:  # released with the block
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_the_lock_refuses_a_link(home: Path, tmp_path: Path) -> None:
    home.mkdir(parents=True)
    lock = home / "session.lock"
    lock.symlink_to(tmp_path / "elsewhere")
    with (
        refused(f"{lock} is a symbolic link, which aparavi-dtc does not follow: delete {lock}"),
        session_lock(),
    ):
        pass
    assert not (tmp_path / "elsewhere").exists()


def test_the_lock_says_when_it_cannot_be_created(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir(parents=True)

    def vanished(*args: object) -> int:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(os, "open", vanished)
    lock = home / "session.lock"
    with refused(f"cannot create {lock}: No such file or directory"), session_lock():
        pass


# -- what the other tests cannot see -------------------------------------------------------


class WindowsOs:
    """``os`` as ``_session`` sees it on Windows: the same functions, ``os.name == "nt"``."""

    name = "nt"

    def __getattr__(self, attr: str) -> Any:
        return getattr(os, attr)


def test_on_windows_the_config_dir_is_under_appdata(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_session, "os", WindowsOs())
    assert config_dir() == home  # no APPDATA: as elsewhere
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    assert config_dir() == tmp_path / "appdata" / "aparavi-dtc"


def test_on_windows_modes_are_left_alone(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir(parents=True, mode=0o755)
    home.chmod(0o755)
    write(home / "session.json", good(), mode=0o644)
    monkeypatch.setattr(_session, "os", WindowsOs())
    assert read_session() == {"token": "t", "type": "cpu", "base_url": URL}
    assert stat.S_IMODE((home / "session.json").stat().st_mode) == 0o644
    save_session(task(), URL)
    assert stat.S_IMODE(home.stat().st_mode) == 0o755


@pytest.fixture
def chmods(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every chmod and fchmod, made with a umask that leaves new files group-readable."""
    calls: list[object] = []
    chmod, fchmod = os.chmod, os.fchmod

    def record_chmod(path: Any, mode: int, **kwargs: Any) -> None:
        calls.append(path)
        chmod(path, mode, **kwargs)

    def record_fchmod(fd: int, mode: int) -> None:
        calls.append(fd)
        fchmod(fd, mode)

    monkeypatch.setattr(os, "chmod", record_chmod)
    monkeypatch.setattr(os, "fchmod", record_fchmod)
    old = os.umask(0o022)
    yield calls
    os.umask(old)


def test_new_files_are_private_from_the_start(home: Path, chmods: list[object]) -> None:
    # Created 0700 and 0600, not made readable and then tightened: nothing to change after.
    with session_lock():
        pass
    save_session(task(), URL)
    assert read_session() is not None
    assert chmods == []
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "session.lock").stat().st_mode) == 0o600


def test_a_link_is_named_where_the_system_says_emlink(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # O_NOFOLLOW fails with ELOOP on Linux, EMLINK on FreeBSD: either way, a link.
    path = home / "session.json"
    home.mkdir(parents=True)
    path.symlink_to(tmp_path / "elsewhere")

    def emlink(*args: object) -> int:
        raise OSError(errno.EMLINK, "Too many links")

    monkeypatch.setattr(os, "open", emlink)
    with refused(f"{path} is a symbolic link, which aparavi-dtc does not follow: {fix(path)}"):
        read_session()


def test_a_session_file_that_is_not_utf8_is_corrupt(home: Path) -> None:
    path = home / "session.json"
    write(path, "")
    path.write_bytes(b'{"kind": "\xff\xfe"}')
    with refused(f"the session file {path} is corrupt: {fix(path)}"):
        read_session()


def test_the_temporary_file_is_made_beside_the_session_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []
    replace = os.replace

    def record(source: Any, target: Any) -> None:
        renames.append((str(source), str(target)))
        replace(source, target)

    monkeypatch.setattr(os, "replace", record)
    save_session(task(), URL)
    [(source, target)] = renames
    assert target == str(home / "session.json")
    assert Path(source).parent == home
    assert Path(source).name.startswith(".session-")
    assert Path(source).name.endswith(".tmp")


def test_a_temporary_file_already_gone_still_gives_the_write_error(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(source: Any, target: Any) -> None:
        os.unlink(source)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", lost)
    path = home / "session.json"
    with refused(f"cannot write the session file {path}: Invalid cross-device link"):
        save_session(task(), URL)


def test_clear_when_the_file_goes_meanwhile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_session(task("tok-1"), URL)
    unlink = Path.unlink

    def raced(self: Path, missing_ok: bool = False) -> None:
        unlink(self)  # another invocation removes it first
        unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", raced)
    clear_session("tok-1")
    assert not (home / "session.json").exists()
