"""The command line waiting for a task: a wait that times out exits 5 and says how to go on, run as
the console script.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aparavi_dtc import (
    APIStatusError,
)

from .conftest import API_KEY, TOKEN, started, status_body
from .loopback import LoopbackServer, loopback_server, respond
from .test_cli import batch_pipeline
from .test_cli_commands import aparavi

ROOT = Path(__file__).resolve().parent.parent


OK: dict[str, Any] = {"status": "OK", "data": {}}


# -- the command line ---------------------------------------------------------------------

SCRIPT = str(Path(sys.executable).parent / "aparavi-dtc")  # the console script pip made


PIPELINE_FILE = str(ROOT / "examples" / "pipeline.json")


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


def cli(
    *args: str, home: Path, url: str, pythonpath: str | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url, "XDG_CONFIG_HOME": str(home)}
    if pythonpath is not None:
        environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (pythonpath, environ.get("PYTHONPATH")) if p
        )
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=environ, timeout=30, check=False
    )


# Started before the console script: for the waiting code alone, every reading of the
# monotonic clock is an hour and a bit later than the one before, so a wait reaches its
# (default, one hour) deadline at once, with nothing else about the command changed.
FAST_CLOCK = """
import sys, time
_real, _skew = time.monotonic, [0.0]
def _fast():
    if sys._getframe(1).f_globals.get("__name__") != "aparavi_dtc._polling":
        return _real()
    _skew[0] += 4000.0
    return _real() + _skew[0]
time.monotonic = _fast
"""


@pytest.mark.parametrize("command", ["status", "start"])
def test_a_wait_that_times_out_exits_5_and_says_how_to_go_on(
    server: LoopbackServer, tmp_path: Path, command: str
) -> None:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(FAST_CLOCK, encoding="utf-8")
    if command == "status":
        server.script(respond(200, status_body("Running")))
        args = ["status", "--watch", "--token", TOKEN, "--type", "cpu"]
    else:
        server.script(respond(200, started()), respond(200, status_body("Running")))
        args = ["start", batch_pipeline(tmp_path), "--wait"]
    done = cli(*args, home=tmp_path / "config", url=server.url, pythonpath=str(shim))
    assert done.returncode == 5, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "error" in line]
    assert line.startswith("aparavi-dtc: error: Task did not finish within ")
    assert "(last status: Running)" in line
    assert "It is still running: follow it with `aparavi-dtc status --watch`" in line
    assert "error.task" not in line  # Python advice has no place in a shell
    assert TOKEN not in done.stdout + done.stderr
    assert API_KEY not in done.stdout + done.stderr


def test_a_failed_status_code_is_not_mistaken_for_a_timeout(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.script(respond(500, {"status": "Error", "error": "engine down"}))
    done = cli("status", "--token", TOKEN, "--type", "cpu", home=tmp_path, url=server.url)
    assert done.returncode == 6, done.stderr
    assert "engine down" in done.stderr
    assert isinstance(APIStatusError("x", status_code=500, body=None), APIStatusError)


# -- a webhook task stays Running: waiting for it ends when it takes uploads ----------------


@pytest.fixture
def pointed(server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The environment points the command line (run in this process) at ``server``."""
    monkeypatch.setenv("APARAVI_API_KEY", API_KEY)
    monkeypatch.setenv("APARAVI_BASE_URL", server.url)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return server.url


READY = (
    "Task Running, ready for uploads: `aparavi-dtc upload FILE...` (or `--text TEXT`) sends them"
)


@pytest.mark.timeout(30)
def test_watch_ends_when_a_webhook_task_takes_uploads(
    server: LoopbackServer, pointed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(
        respond(200, status_body("Created")), respond(200, status_body("Running", serviceUp=1))
    )
    code, out, err = aparavi(capsys, "status", "--watch", "--token", TOKEN, "--type", "cpu")
    assert code == 0, err
    assert out.splitlines()[-1] == READY
    assert len(server.requests) == 2


@pytest.mark.timeout(30)
def test_watch_waits_for_a_running_task_to_finish(
    server: LoopbackServer, pointed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Running alone is not ready for uploads: a task of another source runs to its end.
    server.script(respond(200, status_body("Running")), respond(200, status_body("Completed")))
    code, out, err = aparavi(capsys, "status", "--watch", "--token", TOKEN, "--type", "cpu")
    assert code == 0, err
    assert out.splitlines()[-1] == "Task Completed"


@pytest.mark.timeout(30)
def test_start_wait_on_a_webhook_pipeline_ends_when_it_runs(
    server: LoopbackServer, pointed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(
        respond(200, started()),
        respond(200, status_body("Created")),
        respond(200, status_body("Running")),  # the SDK's run() takes Running as ready too
    )
    code, out, err = aparavi(capsys, "start", PIPELINE_FILE, "--wait")
    assert code == 0, err
    assert out.splitlines()[-1] == READY
    assert len(server.requests) == 3
