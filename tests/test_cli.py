"""The `aparavi-dtc` console script, run in a subprocess against loopback servers and Prism."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prism import PRISM, free_port, running_prism

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
        (
            respond(401, {"error": "Unauthorized"}),
            3,
            "Error getting task status (HTTP 401): Unauthorized",
        ),
        (
            respond(404, {"error": "Task not found"}),
            4,
            "Error getting task status (HTTP 404): Task not found",
        ),
        (respond(400, {"error": "bad"}), 6, "Error getting task status (HTTP 400): bad"),
        (
            respond(500, {"status": "Error", "error": f"key {API_KEY} token={TOKEN}"}),
            6,
            "Error getting task status (HTTP 500): key ***",
        ),
        (
            respond(502, {"status": "Error", "error": "Bad Gateway"}),
            6,
            "Error getting task status (HTTP 502): Bad Gateway",
        ),
        (  # an error envelope under HTTP 200 is not an HTTP failure: no code to show
            respond(200, {"status": "Error", "error": "no such pipeline"}),
            6,
            "Error getting task status: no such pipeline",
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


def test_network_failure_exits_5_and_names_the_host(home: Path) -> None:
    done = cli("version", home=home, url="http://127.0.0.1:9")
    assert done.returncode == 5
    assert done.stderr.startswith("aparavi-dtc: error: Error getting version: cannot reach ")
    assert "127.0.0.1:9" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_usage_errors_exit_2(server: LoopbackServer, home: Path) -> None:
    assert cli("start", "/no/such.json", home=home, url=server.url).returncode == 2
    assert cli("start", PIPELINE, "--threads", "0", home=home, url=server.url).returncode == 2
    assert cli("frobnicate", home=home, url=server.url).returncode == 2
    done = cli("version", home=home, url=server.url, env={"APARAVI_API_KEY": ""})
    assert done.returncode == 2
    assert "APARAVI_API_KEY" in done.stderr
    assert "--api-key" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


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


# -- JSON and what the server's text may contain ------------------------------------------


def strict_json(text: str) -> Any:
    """Parse ``text`` as RFC 8259 JSON: NaN, Infinity and -Infinity are refused."""

    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_goes_before_or_after_the_command(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, status_body("Running")))
    for args in (("--json", "status"), ("status", "--json")):
        done = cli(*args, "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
        assert done.returncode == 0, done.stderr
        assert strict_json(done.stdout)["status"] == "Running"
    server.script(respond(200, {"status": "OK", "data": {"version": "9"}}))
    done = cli("version", "--base-url", server.url, "--debug", home=home, url="http://unused:1")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_json_errors_are_a_json_object_on_stderr(
    server: LoopbackServer, home: Path, where: str
) -> None:
    server.script(respond(502, {"status": "Error", "error": "Bad Gateway"}))
    args = ["status", "--token", TOKEN, "--type", "cpu"]
    args = ["--json", *args] if where == "before" else [*args, "--json"]
    done = cli(*args, home=home, url=server.url)
    assert done.returncode == 6
    assert done.stdout == ""
    error = strict_json(done.stderr)
    assert error == {
        "error": "Error getting task status (HTTP 502): Bad Gateway",
        "code": 6,
        "exit": "API_ERROR",
        "status_code": 502,
    }
    # usage errors and errors found before anything is sent, too
    done = cli("--json", "frobnicate", home=home, url=server.url)
    assert (done.returncode, strict_json(done.stderr)["exit"]) == (2, "USAGE")
    done = cli("status", "--json", home=home, url=server.url)
    assert strict_json(done.stderr) == {
        "error": "no current task: run `aparavi-dtc start PIPELINE` first, "
        "or pass --token and --type",
        "code": 2,
        "exit": "USAGE",
    }


def test_json_output_is_strict(server: LoopbackServer, home: Path) -> None:
    body = (
        b'{"status": "OK", "data": {"status": "Running", "progress": NaN, "totalSize": Infinity}}'
    )
    server.script(respond(200, body))
    done = cli("--json", "status", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    data = strict_json(done.stdout)
    assert data["status"] == "Running"
    assert data.get("progress") is None
    assert data.get("totalSize") is None


HOSTILE = "Run\x1b]0;owned\x07ning\x1b[2J\r\x9b31mX\u202eY\x00"
CONTROLS = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\x00")


def no_controls(text: str) -> None:
    for char in CONTROLS:
        assert char not in text, repr(text)


def test_server_text_is_neutralised(server: LoopbackServer, home: Path) -> None:
    args = ("--token", TOKEN, "--type", "cpu")
    server.script(respond(200, status_body(HOSTILE)))
    done = cli("status", *args, home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    no_controls(done.stdout)
    assert done.stdout.startswith("Run\\x1b]0;owned\\x07ning")
    assert len(done.stdout.strip().splitlines()) == 1

    server.script(respond(400, {"status": "Error", "error": f"bad\n{HOSTILE}"}))
    done = cli("status", *args, home=home, url=server.url)
    assert done.returncode == 6
    no_controls(done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1

    server.script(
        respond(200, {"status": "OK", "data": {"errors": [HOSTILE], "warnings": [HOSTILE]}})
    )
    done = cli("validate", PIPELINE, home=home, url=server.url)
    assert done.returncode == 1
    no_controls(done.stdout + done.stderr)

    server.script(respond(200, {"status": "OK", "data": {"version": HOSTILE}}))
    done = cli("version", home=home, url=server.url)
    no_controls(done.stdout)

    server.script(respond(200, status_body("Failed", errors=[HOSTILE])))
    done = cli("status", "--watch", *args, home=home, url=server.url)
    assert done.returncode == 1
    no_controls(done.stdout + done.stderr)


def test_json_output_escapes_controls(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, status_body(HOSTILE)))
    done = cli("status", "--json", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    no_controls(done.stdout)
    assert strict_json(done.stdout)["status"] == HOSTILE


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
        assert version.startswith("service 3.0.0.9999, aparavi-dtc ")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _prism_pids(port: int) -> list[int]:
    """Prism processes serving ``port`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"prism" in arg for arg in argv) and str(port).encode() in argv:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"]
)
@pytest.mark.timeout(120)
def test_make_mock_stops_prism_on_a_signal(sig: int) -> None:
    if not PRISM.exists():
        pytest.skip("node_modules is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "prism.py"), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Prism mock of openapi.yaml on ")
        assert _listening(port)
        assert _prism_pids(port)
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while (_listening(port) or _prism_pids(port)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _listening(port)
        assert _prism_pids(port) == []
    finally:
        proc.kill()
        proc.wait()
        for pid in _prism_pids(port):  # an orphan left by a broken tools/prism.py
            os.kill(pid, signal.SIGKILL)


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


def test_displays_neutralise_the_status() -> None:
    screen = Terminal()
    bar = display_for(screen)
    bar.update(progress("[red]Running\x1b[2J\x1b]0;owned\x07", completedCount=1, totalCount=2))
    bar.close()
    shown = screen.getvalue()
    assert "[red]Running" in shown  # shown as it is, not read as rich markup
    assert "\x1b[2J" not in shown
    assert "\x07" not in shown
    lines = io.StringIO()
    plain = display_for(lines)
    plain.update(progress("Running\r\x1b[1A", progress=10))
    assert lines.getvalue().startswith("Running\\x0d\\x1b[1A · 10%")
