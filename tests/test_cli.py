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
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from prism import PRISM, free_port, running_prism

from aparavi_dtc import AparaviDTC, AuthenticationError, Progress, pipelines
from aparavi_dtc._cli.display import BarDisplay, LineDisplay, NullDisplay, display_for
from aparavi_dtc.testing import FakeAparavi
from aparavi_dtc_api.models import TaskStatus

from .conftest import API_KEY, TOKEN, fresh_process_loads, started, status_body
from .fake_server import serving
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


MARK = "aparavi-dtc session"


class FakeService:
    """Loopback service: ``PUT /task`` starts a new task with a fresh token; ``GET /task``
    answers Running for as long as it exists (404 once deleted, as the service does);
    ``DELETE /task`` deletes it; ``PUT /webhook`` answers :attr:`webhook_answer`; anything
    else answers ``{"status": "OK", "data": {}}``. A webhook task never finishes."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.deleted: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[bytes] = []
        self.webhook_answer: dict[str, Any] = {"status": "OK", "data": {}}
        self.status_fields: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def live(self) -> list[str]:
        """Tokens started and not deleted."""
        with self._lock:
            return [t for t in self.started if t not in self.deleted]

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict[str, Any]]:
        parsed = urllib.parse.urlsplit(target)
        token = urllib.parse.parse_qs(parsed.query).get("token", [""])[0]
        with self._lock:
            self.requests.append((method, parsed.path))
            self.bodies.append(body)
            known = token in self.started and token not in self.deleted
            if (method, parsed.path) == ("PUT", "/task"):
                token = f"tok-{uuid.uuid4().hex}"
                self.started.append(token)
                return 200, {"status": "OK", "data": {"token": token, "type": "cpu"}}
            if parsed.path == "/task" and not known:
                return 404, {"status": "Error", "error": "Task not found"}
            if (method, parsed.path) == ("GET", "/task"):
                data = {"status": "Running", "completed": False, **self.status_fields}
                return 200, {"status": "OK", "data": data}
            if (method, parsed.path) == ("DELETE", "/task"):
                self.deleted.append(token)
            if (method, parsed.path) == ("PUT", "/webhook"):
                if not known:
                    return 404, {"status": "Error", "error": "Task not found"}
                return 200, self.webhook_answer
        return 200, {"status": "OK", "data": {}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status, body = service.answer(self.command, self.path, self.rfile.read(length))
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_PUT = do_POST = do_DELETE = _any

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def service() -> Iterator[FakeService]:
    running = FakeService()
    try:
        yield running
    finally:
        running.close()


def cli(
    *args: str, home: Path, url: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url, "XDG_CONFIG_HOME": str(home)}
    environ |= env or {}
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=environ, timeout=timeout, check=False
    )


def batch_pipeline(where: Path) -> str:
    """A pipeline file whose source is not a webhook: its task runs to its end."""
    path = where / "batch.json"
    components = [{"id": "s3_1", "provider": "s3", "config": {}}]
    path.write_text(json.dumps({"source": "s3_1", "components": components}))
    return str(path)


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


def test_start_wait_prints_a_line_per_change(
    server: LoopbackServer, home: Path, tmp_path: Path
) -> None:
    server.script(
        respond(200, started()),
        respond(200, status_body("Paused")),
        respond(200, status_body("Paused")),
        respond(200, status_body("Running", progress=50)),
        respond(200, status_body("Completed", progress=100)),
    )
    done = cli("start", batch_pipeline(tmp_path), "--wait", home=home, url=server.url)
    assert done.returncode == 0, done.stderr
    lines = [line.rsplit(" · ", 1)[0] for line in done.stdout.strip().splitlines()]
    assert lines[1:] == ["Paused", "Running · 50%", "Completed · 100%", "Task Completed"]


def test_failed_task_exits_1(server: LoopbackServer, home: Path) -> None:
    server.script(respond(200, status_body("Failed", errors=["parser crashed"])))
    done = cli("status", "--watch", "--token", TOKEN, "--type", "cpu", home=home, url=server.url)
    assert done.returncode == 1
    assert "Task ended Failed: parser crashed" in done.stderr


def interrupt(proc: subprocess.Popen[str], every: float = 3.0) -> tuple[str, str]:
    """Press Ctrl-C in ``proc``, and again every ``every`` seconds while it runs, as a person
    would: CPython drops a KeyboardInterrupt raised inside a weakref callback, which the
    garbage collector can run at any moment, so one SIGINT in a great many never arrives.
    Give ``every`` more than the clean-up after a Ctrl-C takes."""
    for _ in range(int(30 / every)):
        proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=every)
        except subprocess.TimeoutExpired:
            continue
    return proc.communicate(timeout=1)


def test_ctrl_c_while_waiting_leaves_the_task(
    server: LoopbackServer, home: Path, tmp_path: Path
) -> None:
    server.script(respond(200, started()), respond(200, status_body("Running")))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": server.url}
    environ["XDG_CONFIG_HOME"] = str(home)
    proc = subprocess.Popen(
        [SCRIPT, "start", batch_pipeline(tmp_path), "--wait"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    deadline = time.monotonic() + 30
    while len(server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    _, stderr = interrupt(proc)
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
    assert (done.returncode, done.stdout.strip()) == (0, "Processed 0 objects"), done.stderr
    assert server.requests[0].headers["content-type"].startswith("multipart/form-data")
    server.script(respond(200, OK))
    done = cli("upload", "--text", "hello", *args, home=home, url=server.url)
    assert done.returncode == 0
    assert server.requests[0].body == b"hello"
    done = cli("upload", *args, home=home, url=server.url)
    assert done.returncode == 2


OBJECT_ID = "6f1c1e0a-3b7e-4a59-9d1c-2f4b8f0d7a11"
WEBHOOK_RESULT: dict[str, Any] = {
    "status": "OK",
    "data": {
        "objectsRequested": 1,
        "objectsCompleted": 1,
        "types": {},
        "objects": {
            OBJECT_ID: {
                "name": "a.txt",
                "path": "a.txt",
                "metadata": {},
                "text": ["hello"],
                "__types": {"text": "text"},
            }
        },
    },
}


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("hello")
    return path


def test_run_prints_each_objects_text(service: FakeService, home: Path, document: Path) -> None:
    service.webhook_answer = WEBHOOK_RESULT
    started = time.monotonic()
    done = cli("run", PIPELINE, str(document), home=home, url=service.url, timeout=30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 20  # it returned after the upload: no waiting
    assert done.stdout.endswith("Processed 1 of 1 objects\na.txt:\n  hello\n")
    paths = [f"{method} {path}" for method, path in service.requests]
    assert paths[:2] == ["POST /pipe/validate", "PUT /task"]
    assert paths[-2:] == ["PUT /webhook", "DELETE /task"]
    assert service.live() == []  # deleted although it never finished
    no_secrets(done)


def test_run_json_is_the_typed_result(service: FakeService, home: Path, document: Path) -> None:
    service.webhook_answer = WEBHOOK_RESULT
    done = cli("--json", "run", PIPELINE, str(document), home=home, url=service.url, timeout=30)
    assert done.returncode == 0, done.stderr
    output = strict_json(done.stdout)
    assert output["status"]["status"] == "Running"
    assert output["results"] == WEBHOOK_RESULT["data"]


def test_run_with_a_predefined_pipeline(service: FakeService, home: Path, document: Path) -> None:
    from aparavi_dtc import pipelines

    service.webhook_answer = WEBHOOK_RESULT
    done = cli("run", "--pipeline", "simple-parser", str(document), home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert "a.txt:\n  hello" in done.stdout
    validated = json.loads(service.bodies[0])
    assert validated["pipeline"] == pipelines.get("simple-parser")
    started = json.loads(service.bodies[1])
    assert started["pipeline"] == pipelines.get("simple-parser")
    assert b"hello" in service.bodies[service.requests.index(("PUT", "/webhook"))]


def test_upload_prints_results(service: FakeService, home: Path, document: Path) -> None:
    service.webhook_answer = WEBHOOK_RESULT
    done = cli("start", "--pipeline", "simple-parser", home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    done = cli("upload", str(document), home=home, url=service.url)
    assert (done.returncode, done.stdout) == (0, "Processed 1 of 1 objects\na.txt:\n  hello\n")
    done = cli("upload", "--json", "--text", "hello", home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert strict_json(done.stdout) == {"results": WEBHOOK_RESULT["data"]}
    assert service.live() != []  # upload leaves the task to the user


def test_results_text_is_neutralised(service: FakeService, home: Path, document: Path) -> None:
    hostile = {
        "objectsRequested": 2,
        "objectsCompleted": 2,
        "objects": {
            "id-1": {
                "name": "evil\x1b]0;owned\x07.txt\nfake: line",
                "text": ["one\r\x1b[2Jtwo", "3\n4"],
            },
            "id-2": {"path": "no-name.txt"},
        },
    }
    service.webhook_answer = {"status": "OK", "data": hostile}
    done = cli("run", PIPELINE, str(document), home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(
        "Processed 2 of 2 objects\n"
        "evil\\x1b]0;owned\\x07.txt\\x0afake: line:\n"
        "  one\\x0d\\x1b[2Jtwo\n"
        "  3\n"
        "  4\n"
        "id-2:\n"
        "  (no text)\n"
    )


def test_pipelines_lists_names_and_summaries(home: Path) -> None:
    from aparavi_dtc import pipelines

    no_key = {"APARAVI_API_KEY": ""}  # listing needs neither a key nor the service
    done = cli("pipelines", home=home, url="http://127.0.0.1:9", env=no_key)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == pipelines.names()
    for line, name in zip(lines, pipelines.names(), strict=True):
        assert line.endswith(pipelines.summary(name))
    done = cli("pipelines", "--json", home=home, url="http://127.0.0.1:9", env=no_key)
    assert strict_json(done.stdout) == {
        "pipelines": [
            {"name": name, "summary": pipelines.summary(name)} for name in pipelines.names()
        ]
    }
    done = cli("pipelines", "simple-parser", home=home, url="http://127.0.0.1:9", env=no_key)
    assert json.loads(done.stdout) == pipelines.get("simple-parser")
    done = cli("pipelines", "nope", home=home, url="http://127.0.0.1:9", env=no_key)
    assert done.returncode == 2
    assert "simple-parser" in done.stderr


def test_pipeline_file_or_name(service: FakeService, home: Path) -> None:
    from aparavi_dtc import pipelines

    done = cli("validate", "--pipeline", "simple-parser", home=home, url=service.url)
    assert (done.returncode, done.stdout.strip()) == (0, "Pipeline is valid"), done.stderr
    assert json.loads(service.bodies[0])["pipeline"] == pipelines.get("simple-parser")
    service.requests.clear()
    for args, message in [
        (("validate", PIPELINE, "--pipeline", "simple-parser"), "not both"),
        (("start", PIPELINE, "--pipeline", "simple-parser"), "not both"),
        (("validate",), "--pipeline NAME"),
        (("start",), "--pipeline NAME"),
        (("run", "--text", "x"), "--pipeline NAME"),
        (("start", "--pipeline", "nope"), "simple-parser, advanced-parser"),
        (("run", "--pipeline", "nope", "a.txt"), "simple-parser, advanced-parser"),
    ]:
        done = cli(*args, home=home, url=service.url)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert service.requests == []  # refused before anything was sent


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
        assert strict_json(done.stdout)["status"]["status"] == "Running"
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
    data = strict_json(done.stdout)["status"]
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
    assert strict_json(done.stdout)["status"]["status"] == HOSTILE


# -- against Prism ------------------------------------------------------------------------


def test_cli_against_prism(home: Path) -> None:
    with running_prism() as url:
        assert cli("validate", PIPELINE, home=home, url=url).stdout.strip() == "Pipeline is valid"
        done = cli("start", PIPELINE, home=home, url=url)
        assert done.returncode == 0, done.stderr
        done = cli("--json", "status", home=home, url=url)
        assert json.loads(done.stdout)["status"]["status"] == "Running"
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


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("prism", [False, True], ids=["fake", "prism"])
@pytest.mark.timeout(120)
def test_mock_serves_until_a_signal(prism: bool, home: Path) -> None:
    if prism and not PRISM.exists():
        pytest.skip("node_modules is not installed")
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ["XDG_CONFIG_HOME"] = str(home)
    proc = subprocess.Popen(
        [SCRIPT, "mock", "--port", str(port), *(["--prism"] if prism else [])],
        stdout=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        assert first.startswith(("Fake Aparavi service on ", "Prism mock of "))
        assert url in first
        key = "any-key-for-prism-0000" if prism else "aparavi-mock-key-0123456789"
        second = proc.stdout.readline()
        if prism:
            assert second.strip() == f"export APARAVI_BASE_URL={url}   # and use any key"
        else:  # both exports on one line, to copy into a shell as it is
            assert second.strip() == f"export APARAVI_BASE_URL={url} APARAVI_API_KEY={key}"
        with AparaviDTC(key, base_url=url) as client:
            result = client.run(pipelines.simple_parser(), text="hello", poll_interval=0)
        if not prism:  # the fake answers the text it was given
            assert result.texts == {"text": "hello"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert not _listening(port)
        assert _prism_pids(port) == []
    finally:
        proc.kill()
        proc.wait()
        for pid in _prism_pids(port):
            os.kill(pid, signal.SIGKILL)


def test_mock_takes_the_users_key_and_never_prints_it(home: Path) -> None:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"XDG_CONFIG_HOME": str(home), "APARAVI_API_KEY": API_KEY}
    proc = subprocess.Popen(
        [SCRIPT, "mock", "--port", str(port)], stdout=subprocess.PIPE, text=True, env=environ
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline() + proc.stdout.readline()
        assert "the key in APARAVI_API_KEY" in first
        assert API_KEY not in first
        url = f"http://127.0.0.1:{port}"
        with AparaviDTC(API_KEY, base_url=url) as client:
            assert client.start_task(pipelines.simple_parser()).token
        with (
            AparaviDTC("aparavi-mock-key-0123456789", base_url=url) as client,
            pytest.raises(AuthenticationError),
        ):
            client.start_task(pipelines.simple_parser())
        interrupt(proc)
        assert proc.returncode == 0
    finally:
        proc.kill()
        proc.wait()


def test_mock_refuses_a_bad_port(home: Path) -> None:
    done = cli("mock", "--port", "70000", home=home, url="http://127.0.0.1:1")
    assert done.returncode == 2
    assert "--port must be a whole number from 0 to 65535, not 70000" in done.stderr


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


def test_help_loads_neither_the_client_nor_the_models() -> None:
    done = fresh_process_loads(
        "import aparavi_dtc._cli", "httpx", "attrs", "aparavi_dtc_api.models", "rich"
    )
    assert done.stdout.strip() == "[]"


# -- process --------------------------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[tuple[FakeAparavi, str]]:
    service = FakeAparavi(api_key=API_KEY)
    with serving(service) as url:
        yield service, url


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    for index in range(4):
        (root / f"doc{index}.txt").write_text(f"text of doc {index}")
    (root / "sub" / "doc0.txt").write_text("another doc0")
    return root


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_process_writes_a_json_line_per_input(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    out = tmp_path / "results.jsonl"
    done = cli("process", str(folder), "--out", str(out), "--concurrency", "3", home=home, url=url)
    assert done.returncode == 0, done.stderr
    records = lines_of(out)
    assert sorted(r["index"] for r in records) == list(range(5))  # one valid line per input
    assert all(r["ok"] and r["error"] is None for r in records)
    texts = [["\n".join(o["text"]) for o in r["results"]["objects"].values()] for r in records]
    assert {(r["path"], "\n\n".join(t)) for r, t in zip(records, texts, strict=True)} == {
        (str(path), path.read_text()) for path in folder.rglob("*.txt")
    }
    assert "Processed 5 of 5 files" in done.stderr
    assert done.stdout == ""
    assert service.tasks == {}
    no_secrets(done)


def test_process_exits_7_when_some_files_failed(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    service.fail_next("sendToWebhook", status=500)
    out = tmp_path / "results.jsonl"
    done = cli("process", str(folder), "--out", str(out), home=home, url=url)
    assert done.returncode == 7, done.stderr
    records = lines_of(out)
    assert len(records) == 5
    failed = [r for r in records if not r["ok"]]
    assert len(failed) == 1
    assert failed[0]["error"]["type"] == "ServerError"
    assert failed[0]["error"]["status_code"] == 500
    assert failed[0]["error"]["message"] == (
        "Error sending to webhook: scripted failure of sendToWebhook"
    )
    assert "(1 failed)" in done.stderr
    assert "failed: Error sending to webhook (HTTP 500)" in done.stderr
    no_secrets(done)


def test_process_resume_sends_only_what_the_results_file_lacks(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    out = tmp_path / "results.jsonl"
    first = cli("process", str(folder), "--out", str(out), home=home, url=url)
    assert first.returncode == 0, first.stderr
    (folder / "late.txt").write_text("a late one")
    sent = sum(r.operation == "sendToWebhook" for r in service.requests)
    again = cli("process", str(folder), "--out", str(out), "--resume", home=home, url=url)
    assert again.returncode == 0, again.stderr
    assert sum(r.operation == "sendToWebhook" for r in service.requests) == sent + 1
    assert "Processed 1 of 1 files (5 more were done in an earlier run)" in again.stderr
    assert sorted(r["name"] for r in lines_of(out))[-1] == "late.txt"
    assert len(lines_of(out)) == 6
    afresh = cli(
        "process", str(folder), "--out", str(out), "--overwrite", "--json", home=home, url=url
    )
    assert json.loads(afresh.stdout)["skipped"] == 0  # --overwrite: the file restarts
    assert len(lines_of(out)) == 6


def test_process_refuses_a_results_file_another_run_writes(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    out = tmp_path / "results.jsonl"
    hold = "import sys, time; from aparavi_dtc._resume import open_results; "
    hold += "log = open_results(sys.argv[1], resume=True); print('locked', flush=True); "
    hold += "time.sleep(60)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        done = cli("process", str(folder), "--out", str(out), "--resume", home=home, url=url)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    assert "is being written by another run" in done.stderr
    assert service.requests == []


def test_process_resume_needs_a_results_file(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path
) -> None:
    service, url = fake
    done = cli("process", str(folder), "--resume", home=home, url=url)
    assert done.returncode == 2
    assert "--resume goes with --out FILE" in done.stderr
    assert service.requests == []


def test_process_out_dir_writes_a_text_file_per_input(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    _, url = fake
    out = tmp_path / "texts"
    done = cli("process", str(folder), "--out-dir", str(out), "--json", home=home, url=url)
    assert done.returncode == 0, done.stderr
    written = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.txt")}
    assert written["doc1.txt.txt"] == "text of doc 1"
    # Two inputs named doc0.txt, each in its own folder, as in the folder given.
    assert written["doc0.txt.txt"] == "text of doc 0"
    assert written["sub/doc0.txt.txt"] == "another doc0"
    assert len(written) == 5
    summary = json.loads(done.stdout)
    assert summary["succeeded"] == 5
    assert summary["failed"] == 0


def test_process_json_prints_a_json_line_per_input(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path
) -> None:
    _, url = fake
    done = cli("process", str(folder / "*.txt"), "--json", home=home, url=url)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(r["name"] for r in records) == [f"doc{i}.txt" for i in range(4)]
    assert done.stderr == ""


def test_process_prints_texts_and_takes_a_pipeline(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path
) -> None:
    service, url = fake
    path = str(folder / "doc1.txt")
    done = cli("process", path, "--pipeline", "simple-ocr", home=home, url=url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}:\n  text of doc 1\n"
    start = next(r for r in service.requests if r.operation == "startTask")
    assert json.loads(start.body)["pipeline"] == pipelines.simple_ocr()


def test_process_ctrl_c_deletes_the_task_and_says_what_was_kept(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 0.4)
    out = tmp_path / "results.jsonl"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url}
    environ["XDG_CONFIG_HOME"] = str(home)
    proc = subprocess.Popen(
        [SCRIPT, "process", str(folder), "--out", str(out), "--concurrency", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    _, stderr = interrupt(proc, every=10.0)
    assert proc.returncode == 130, stderr
    kept = len(lines_of(out))
    assert 1 <= kept < 5
    assert f"the task was deleted; {kept} of 5 files were done" in stderr
    assert str(out) in stderr
    assert service.tasks == {}


def test_process_refuses_bad_arguments_before_sending(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    missing = cli("process", str(tmp_path / "missing.pdf"), home=home, url=url)
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr
    both = cli("process", str(folder), "--out", "a", "--out-dir", "b", home=home, url=url)
    assert both.returncode == 2
    assert "not allowed with" in both.stderr
    busy = cli("process", str(folder), "--concurrency", "99", "--json", home=home, url=url)
    assert busy.returncode == 2
    assert json.loads(busy.stderr)["exit"] == "USAGE"
    assert service.requests == []


def test_batch_display_choice_and_bar() -> None:
    from aparavi_dtc import BatchProgress
    from aparavi_dtc._cli.process import (
        BarBatchDisplay,
        LineBatchDisplay,
        NullBatchDisplay,
        batch_display_for,
    )

    assert isinstance(batch_display_for(io.StringIO()), LineBatchDisplay)
    assert isinstance(batch_display_for(Terminal(), quiet=True), NullBatchDisplay)
    screen = Terminal()
    bar = batch_display_for(screen, stdout=io.StringIO())
    assert isinstance(bar, BarBatchDisplay)
    bar.update(BatchProgress(3, 1, 10, 2_000_000, 8_000_000, 2.0))
    bar.file_done("[red]odd.pdf: failed: no", failed=True)
    bar.close()
    shown = screen.getvalue()
    assert "3/10 files (1 failed)" in shown
    assert "2.0/8.0 MB" in shown
    assert "[red]odd.pdf: failed: no" in shown  # shown as it is, not read as markup
