"""The command line's session file: never followed through a link, written atomically, kept
private, refused in one line when unusable, and never used to orphan a running task.

The CLI runs as a subprocess against ``FakeService`` (in test_cli), a loopback server that
answers by method and path as the real service does, so that parallel invocations can share
it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import API_KEY
from .test_cli import MARK, PIPELINE, FakeService, cli, session_file

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes, links and FIFOs")


@pytest.fixture
def service() -> Iterator[FakeService]:
    running = FakeService()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "config"


def saved_token(home: Path) -> str:
    data = json.loads(session_file(home).read_text())
    assert data["kind"] == MARK
    return str(data["token"])


def one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 with a single error line naming the problem, and no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("aparavi-dtc: error: ")
    for word in words:
        assert word in done.stderr
    assert API_KEY not in done.stdout + done.stderr


# -- links --------------------------------------------------------------------------------


def test_start_does_not_write_through_a_planted_link(
    service: FakeService, home: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    path = session_file(home)
    path.parent.mkdir(parents=True)
    path.symlink_to(victim)
    for args in (("start", PIPELINE), ("start", "--replace", PIPELINE)):
        done = cli(*args, home=home, url=service.url)
        one_clear_line(done, "symbolic link", str(path))
        assert victim.read_text() == "precious\n"
        assert path.is_symlink()
    assert service.started == []  # refused before a task was started


def test_a_dangling_link_creates_nothing(service: FakeService, home: Path, tmp_path: Path) -> None:
    target = tmp_path / "created-by-link.json"
    path = session_file(home)
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    one_clear_line(cli("start", PIPELINE, home=home, url=service.url), "symbolic link")
    assert not target.exists()
    assert service.started == []


def test_status_and_delete_do_not_read_through_a_link(
    service: FakeService, home: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "someone-elses-session.json"
    body = {"kind": MARK, "token": "tok-elsewhere-0123456789", "type": "cpu"}
    elsewhere.write_text(json.dumps({**body, "base_url": service.url}))
    path = session_file(home)
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere)
    for command in ("status", "delete"):
        one_clear_line(cli(command, home=home, url=service.url), "symbolic link")
    assert service.requests == []
    assert elsewhere.exists()


# -- unusable files: one line, exit 2, never a hang -----------------------------------------


def _plant(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
        (path / "inside").write_text("x")
    elif kind == "huge":
        path.write_text(json.dumps({"kind": MARK, "pad": "x" * 2_000_000}))
    elif kind == "nested":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "nested-object":
        path.write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")


@pytest.mark.parametrize(
    "kind", ["fifo", "directory", "huge", "nested", "nested-object", "binary"]
)
@pytest.mark.parametrize("command", ["status", "start", "delete"])
def test_unusable_session_path_is_one_line_and_exit_2(
    service: FakeService, home: Path, kind: str, command: str
) -> None:
    path = session_file(home)
    path.parent.mkdir(parents=True)
    _plant(path, kind)
    args = (command, PIPELINE) if command == "start" else (command,)
    done = cli(*args, home=home, url=service.url, timeout=20)
    one_clear_line(done, str(path))
    assert service.started == []


# -- modes ----------------------------------------------------------------------------------


def test_existing_config_dir_is_tightened_to_0700(service: FakeService, home: Path) -> None:
    directory = session_file(home).parent
    directory.mkdir(parents=True, mode=0o755)
    directory.chmod(0o755)
    done = cli("start", PIPELINE, home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(session_file(home).stat().st_mode) == 0o600


def test_existing_session_file_is_tightened_to_0600(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    path = session_file(home)
    path.chmod(0o644)
    done = cli("status", home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_temporary_files_are_left_behind(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    assert cli("start", "--replace", PIPELINE, home=home, url=service.url).returncode == 0
    left = sorted(p.name for p in session_file(home).parent.iterdir())
    assert set(left) - {"session.lock", "tasks.lock"} == {"session.json", "tasks.json"}


# -- a second start never orphans the first task ------------------------------------------


def test_second_start_refuses_while_the_task_lives(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    first = saved_token(home)
    done = cli("start", PIPELINE, home=home, url=service.url)
    one_clear_line(
        done, "already current", "aparavi-dtc status", "aparavi-dtc delete", "--replace"
    )
    assert first not in done.stderr
    assert service.started == [first]
    assert saved_token(home) == first


def test_start_replace_deletes_the_current_task_first(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    first = saved_token(home)
    done = cli("start", "--replace", PIPELINE, home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    second = saved_token(home)
    assert service.deleted == [first]
    assert service.live() == [second]
    methods = [m for m, path in service.requests if path == "/task"]
    assert methods == ["PUT", "GET", "DELETE", "PUT"]


def test_start_after_the_task_is_gone_needs_no_replace(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    first = saved_token(home)
    service.deleted.append(first)  # deleted elsewhere, or expired
    done = cli("start", PIPELINE, home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert saved_token(home) != first


def test_start_refuses_a_session_of_another_service(service: FakeService, home: Path) -> None:
    path = session_file(home)
    path.parent.mkdir(parents=True)
    other = {"kind": MARK, "token": "tok-other-0123456789", "type": "cpu"}
    path.write_text(json.dumps({**other, "base_url": "https://elsewhere.test"}))
    done = cli("start", "--replace", PIPELINE, home=home, url=service.url)
    one_clear_line(done, "https://elsewhere.test", "--base-url")
    assert service.started == []


# -- parallel invocations ------------------------------------------------------------------


def _parallel(jobs: list[tuple[str, ...]], home: Path, url: str) -> list[Any]:
    results: list[Any] = [None] * len(jobs)

    def work(index: int) -> None:
        results[index] = [cli(*args, home=home, url=url, timeout=90) for args in jobs[index]]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.timeout(180)
def test_parallel_starts_start_one_task(service: FakeService, home: Path) -> None:
    runs = _parallel([(("start", PIPELINE), ("status",))] * 8, home, service.url)
    starts = [run[0] for run in runs]
    assert sorted(done.returncode for done in starts) == [0] + [2] * 7
    for done in starts:
        assert done.returncode == 0 or "already current" in done.stderr, done.stderr
    for _, status in runs:
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith("Running")
    assert len(service.started) == 1
    assert saved_token(home) == service.started[0]


@pytest.mark.timeout(180)
def test_parallel_replacing_starts_leave_no_orphan_and_no_torn_file(
    service: FakeService, home: Path
) -> None:
    job = (("start", "--replace", PIPELINE), ("status",), ("status",), ("status",))
    runs = _parallel([job] * 8, home, service.url)
    for run in runs:
        assert run[0].returncode == 0, run[0].stderr
        for status in run[1:]:
            # The task a reader found may be replaced before it asks (404, exit 4); the file
            # it read is always whole.
            assert status.returncode in (0, 4), status.stderr
            assert "corrupt" not in status.stderr
            assert "session file" not in status.stderr
    assert len(service.started) == 8
    assert service.live() == [saved_token(home)]
