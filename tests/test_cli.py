"""The `aparavi-dtc` console script, run in a subprocess against loopback servers and Prism."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prism import running_prism

from aparavi_dtc import Progress
from aparavi_dtc._display import BarDisplay, LineDisplay, NullDisplay, display_for
from aparavi_dtc_api.models import TaskStatus

from .conftest import API_KEY, TOKEN, started, status_body
from .loopback import LoopbackServer, loopback_server, respond

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = str(Path(sys.executable).parent / "aparavi-dtc")  # the console script pip made
PIPELINE = str(ROOT / "examples" / "pipeline.json")
OK: dict[str, Any] = {"status": "OK", "data": {}}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


def cli(
    *args: str, home: Path, url: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url, "XDG_CONFIG_HOME": str(home)}
    environ |= env or {}
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=environ, timeout=timeout, check=False
    )


def session_file(home: Path) -> Path:
    return home / "aparavi-dtc" / "session.json"


def no_secrets(done: subprocess.CompletedProcess[str]) -> None:
    for text in (done.stdout, done.stderr):
        assert API_KEY not in text
        assert TOKEN not in text


# -- the stateful flow across invocations ---------------------------------------------------


def test_start_status_delete_share_a_session_file(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, started()))
    done = cli("start", PIPELINE, "--name", "nightly", "--threads", "2", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Task started: Task(token='***{TOKEN[-4:]}', type='cpu')"
    assert server.requests[0].path == "/task?name=nightly&threads=2"
    path = session_file(home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    no_secrets(done)

    server.script(respond(200, status_body("Running", completedCount=3, totalCount=12)))
    done = cli("status", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Running · 25% · 3/12 objects"
    assert server.requests[0].path == f"/task?token={TOKEN}&type=cpu"

    server.script(respond(200, OK))
    done = cli("delete", home=home, url=server.url)
    assert (done.returncode, done.stdout.strip()) == (0, "Task deleted")
    assert server.requests[0].method == "DELETE"
    assert not path.exists()

    done = cli("status", home=home, url=server.url)
    assert done.returncode == 2
    assert "no current task" in done.stderr


def test_token_and_type_pick_any_task(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, status_body("Completed")))
    done = cli(
        "status", "--token", "other-token-1234567890", "--type", "gpu", home=home, url=server.url
    )
    assert done.returncode == 0, done.stderr
    assert server.requests[0].path == "/task?token=other-token-1234567890&type=gpu"
    assert "other-token-1234567890" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is corrupt"),
        ('{"token": "x", "type": "cpu"}', "is not an aparavi-dtc session file"),
        ('["a list"]', "is not an aparavi-dtc session file"),
        ('{"kind": "aparavi-dtc session", "token": "", "type": "cpu"}', "is corrupt"),
        (
            '{"kind": "aparavi-dtc session", "token": "t", "type": "cpu", '
            '"base_url": "https://elsewhere.test"}',
            "is for 'https://elsewhere.test'",
        ),
    ],
)
def test_bad_session_file_says_what_to_do(
    server: LoopbackServer, home: Path, content: str, message: str
) -> None:
    path = session_file(home)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    done = cli("status", home=home, url=server.url)
    assert done.returncode == 2
    assert message in done.stderr
    assert f"delete {path}" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# -- exit codes and error lines ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "code", "message"),
    [
        (respond(401, {"error": "Unauthorized"}), 3, "Error getting task status: Unauthorized"),
        (
            respond(404, {"error": "Task not found"}),
            4,
            "Error getting task status: Task not found",
        ),
        (respond(400, {"error": "bad"}), 6, "Error getting task status: bad"),
        (
            respond(500, {"status": "Error", "error": f"key {API_KEY} token={TOKEN}"}),
            6,
            "Error getting task status: key ***",
        ),
    ],
)
def test_errors_are_one_line_with_an_exit_code(
    server: LoopbackServer, home: Path, answer: Any, code: int, message: str
) -> None:
    server.script(answer)
    done = cli("status", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    assert done.returncode == code
    assert done.stderr.startswith(f"aparavi-dtc: error: {message}")
    assert len(done.stderr.strip().splitlines()) == 1
    no_secrets(done)


def test_network_failure_exits_5(home: Path) -> None:
    done = cli("version", home=home, url="http://127.0.0.1:9")
    assert done.returncode == 5
    assert done.stderr.startswith("aparavi-dtc: error: Error getting version: ")


def test_usage_errors_exit_2(server: LoopbackServer, home: Path) -> None:
    assert cli("start", "/no/such.json", home=home, url=server.url).returncode == 2
    assert cli("start", PIPELINE, "--threads", "0", home=home, url=server.url).returncode == 2
    assert cli("frobnicate", home=home, url=server.url).returncode == 2
    done = cli("version", home=home, url=server.url, env={"APARAVI_API_KEY": ""})
    assert done.returncode == 2
    assert "APARAVI_API_KEY" in done.stderr


def test_debug_adds_detail(server: LoopbackServer, home: Path) -> None:
    server.script(respond(404, {"error": "Task not found"}))
    done = cli("--debug", "status", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    assert done.returncode == 4
    assert "Traceback" in done.stderr
    assert "TaskNotFoundError" in done.stderr
    assert "GET /task -> 404" in done.stderr
    no_secrets(done)


def test_api_key_option(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, {"status": "OK", "data": {"version": "9"}}))
    done = cli("--api-key", "flag-key-0123456789", "version", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    assert server.requests[0].headers["authorization"] == "flag-key-0123456789"
    assert "flag-key" not in done.stdout + done.stderr
    help_text = cli("--help", home=home, url=server.url).stdout
    assert "prefer APARAVI_API_KEY" in help_text


# -- waiting, uploads, run, JSON ------------------------------------------------------------


def test_start_wait_prints_a_line_per_change(server: LoopbackServer, home: Path) -> None:
    server.script(
        respond(200, started()),
        respond(200, status_body("Paused")),
        respond(200, status_body("Paused")),
        respond(200, status_body("Running", progress=50)),
        respond(200, status_body("Completed", progress=100)),
    )
    done = cli("start", PIPELINE, "--wait", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    lines = [line.rsplit(" · ", 1)[0] for line in done.stdout.strip().splitlines()]
    assert lines[1:] == ["Paused", "Running · 50%", "Completed · 100%", "Task Completed"]


def test_failed_task_exits_1(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, status_body("Failed", errors=["parser crashed"])))
    done = cli("status", "--watch", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    assert done.returncode == 1
    assert "Task ended Failed: parser crashed" in done.stderr


def test_ctrl_c_while_waiting_leaves_the_task(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, started()), respond(200, status_body("Running")))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": server.url}
    environ["XDG_CONFIG_HOME"] = str(home)
    proc = subprocess.Popen(
        [SCRIPT, "start", PIPELINE, "--wait"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    deadline = time.monotonic() + 30
    while len(server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "still running" in stderr
    assert "aparavi-dtc delete" in stderr
    assert session_file(home).exists()
    assert all(r.method != "DELETE" for r in server.requests)


def test_upload_files_and_text(server: LoopbackServer, home: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("alpha")
    two.write_text("beta")
    server.script(respond(200, OK))
    args = ("--token", TOKEN, "--type", "cpu")
    done = cli("upload", str(one), str(two), *args, home=home, url=server.url)
    assert (done.returncode, done.stdout.strip()) == (0, "Uploaded"), done.stderr
    assert server.requests[0].headers["content-type"].startswith("multipart/form-data")
    server.script(respond(200, OK))
    done = cli("upload", "--text", "hello", *args, home=home, url=server.url)
    assert done.returncode == 0
    assert server.requests[0].body == b"hello"
    done = cli("upload", *args, home=home, url=server.url)
    assert done.returncode == 2


def test_run_with_json_output(server: LoopbackServer, home: Path, tmp_path: Path) -> None:
    document = tmp_path / "doc.txt"
    document.write_text("content")
    server.script(
        respond(200, OK),  # validate
        respond(200, started()),
        respond(200, status_body("Running")),
        respond(200, {"status": "OK", "data": {"parsed": 1}}),  # upload
        respond(200, status_body("Completed")),
        respond(200, OK),  # delete
    )
    done = cli("--json", "run", PIPELINE, str(document), home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"]["status"] == "Completed"
    assert result["webhook"]["data"] == {"parsed": 1}
    methods = [r.method for r in server.requests]
    assert methods == ["POST", "PUT", "GET", "PUT", "GET", "DELETE"]


# -- against Prism ------------------------------------------------------------------------


def test_cli_against_prism(home: Path) -> None:
    with running_prism() as url:
        assert cli("validate", PIPELINE, home=home, url=url).stdout.strip() == "Pipeline is valid"
        done = cli("start", PIPELINE, home=home, url=url)
        assert done.returncode == 0, done.stderr
        done = cli("--json", "status", home=home, url=url)
        assert json.loads(done.stdout)["status"] == "Running"
        assert cli("delete", home=home, url=url).returncode == 0
        version = cli("version", home=home, url=url).stdout
        assert version.startswith("service 1.4.2, aparavi-dtc ")


# -- displays -----------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def progress(status: str, **fields: Any) -> Progress:
    return Progress.from_status(TaskStatus.from_dict({"status": status, **fields}), 3.0)


def test_display_choice() -> None:
    assert isinstance(display_for(io.StringIO()), LineDisplay)
    assert isinstance(display_for(Terminal()), BarDisplay)
    assert isinstance(display_for(Terminal(), quiet=True), NullDisplay)


def test_bar_display_shows_status_and_counts() -> None:
    screen = Terminal()
    bar = display_for(screen)
    bar.update(progress("Running", completedCount=5, totalCount=10))
    bar.close()
    shown = screen.getvalue()
    assert "Running" in shown
    assert "5/10 objects" in shown
