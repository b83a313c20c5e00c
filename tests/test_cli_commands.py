"""The commands that mirror the SDK (``services``, ``pipe ...``), the JSON each command prints,
``mock``'s knobs, and ``python -m aparavi_dtc``: run in process against the fake served on
loopback, and as a subprocess where a signal or the interpreter itself is the point."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import aparavi_dtc
from aparavi_dtc import AparaviDTC, APIStatusError, AuthenticationError, pipelines
from aparavi_dtc._cli import main
from aparavi_dtc._signals import STOP_SIGNALS
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .test_cli import PIPELINE, SCRIPT, interrupt, strict_json


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeAparavi]:
    """The fake, served on loopback; the environment points the command line at it."""
    service = FakeAparavi(api_key=API_KEY)
    with service.serve() as url:
        monkeypatch.setenv("APARAVI_API_KEY", API_KEY)
        monkeypatch.setenv("APARAVI_BASE_URL", url)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        yield service


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("hello")
    return path


def aparavi(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr). The signal
    handlers it installs (SIGTERM and SIGHUP as Ctrl-C) are undone after it."""
    saved = {each: signal.getsignal(each) for each in STOP_SIGNALS}
    try:
        code = main(list(args))
    finally:
        for each, handler in saved.items():
            signal.signal(each, handler)
    out, err = capsys.readouterr()
    return code, out, err


def environment(fake_url: str, home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    return environ | {
        "APARAVI_API_KEY": API_KEY,
        "APARAVI_BASE_URL": fake_url,
        "XDG_CONFIG_HOME": str(home),
    }


# -- services --------------------------------------------------------------------------------


def test_services_lists_each_component(fake: FakeAparavi, capsys: Any) -> None:
    code, out, err = aparavi(capsys, "services")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(
        ["webhook", "parse", "ocr", "llamaparse", "audio_transcribe", "summarization", "response"]
    )
    assert "ocr               OCR: Reads the text in images." in lines
    code, out, err = aparavi(capsys, "services", "ocr")
    assert code == 0, err
    assert json.loads(out) == {"ocr": {"title": "OCR", "description": "Reads the text in images."}}
    code, out, err = aparavi(capsys, "services", "nope")
    assert code == 6
    assert "Service 'nope' not found" in err


def test_services_json(fake: FakeAparavi, capsys: Any) -> None:
    code, out, _ = aparavi(capsys, "services", "--json")
    assert code == 0
    catalog = strict_json(out)["services"]
    assert catalog["ocr"] == {"title": "OCR", "description": "Reads the text in images."}
    code, out, _ = aparavi(capsys, "services", "ocr", "--json")
    assert strict_json(out) == {"services": {"ocr": catalog["ocr"]}}


# -- pipes ----------------------------------------------------------------------------------


def test_pipe_create_process_delete(fake: FakeAparavi, capsys: Any, document: Path) -> None:
    code, out, err = aparavi(capsys, "pipe", "create", "--pipeline", "simple-ocr", "--name", "x")
    assert code == 0, err
    (token,) = fake.pipes
    assert out.splitlines() == [
        f"Pipe created: {token}",
        f"  aparavi-dtc pipe process --token {token} FILE...   # process files through it",
        f"  aparavi-dtc pipe delete --token {token}            # delete it when done",
    ]
    create = next(r for r in fake.requests if r.operation == "createPipe")
    assert create.query == {"name": "x"}
    assert json.loads(create.body)["pipeline"] == pipelines.simple_ocr()

    code, out, err = aparavi(capsys, "pipe", "process", "--token", token, str(document))
    assert (code, out) == (0, "Processed 1 of 1 objects\na.txt:\n  hello\n"), err
    code, out, err = aparavi(capsys, "pipe", "process", "--token", token, str(document), "--json")
    assert code == 0, err
    (result,) = strict_json(out)["results"]["objects"].values()
    assert result["text"] == ["hello"]
    assert fake.pipes == [token]  # processing leaves the pipe to the user

    code, out, err = aparavi(capsys, "pipe", "delete", "--token", token)
    assert (code, out) == (0, "Pipe deleted\n"), err
    assert fake.pipes == []
    code, out, err = aparavi(capsys, "pipe", "delete", "--token", token)
    assert code == 6
    assert token not in out + err  # a pipe token is a secret everywhere but `pipe create`


def test_pipe_create_json_gives_the_token(fake: FakeAparavi, capsys: Any) -> None:
    code, out, err = aparavi(capsys, "pipe", "create", "--pipeline", "simple-parser", "--json")
    assert code == 0, err
    assert strict_json(out) == {"token": fake.pipes[0]}


def test_pipe_process_in_one_go_deletes_its_pipe(
    fake: FakeAparavi, capsys: Any, document: Path
) -> None:
    code, out, err = aparavi(
        capsys, "pipe", "process", "--pipeline", "simple-parser", str(document)
    )
    assert (code, out) == (0, "Processed 1 of 1 objects\na.txt:\n  hello\n"), err
    operations = [r.operation for r in fake.requests]
    assert operations == ["createPipe", "processPipe", "deletePipe"]
    assert fake.pipes == []
    fake.fail_next("processPipe", status=503, times=5)
    code, out, err = aparavi(capsys, "pipe", "process", PIPELINE, str(document))
    assert code == 6, err
    assert "HTTP 503" in err
    assert fake.pipes == []  # deleted on the error path too
    assert fake.requests[-1].operation == "deletePipe"


def test_pipe_refuses_bad_arguments_before_sending(
    fake: FakeAparavi, capsys: Any, document: Path, tmp_path: Path
) -> None:
    for args, message in [
        (("pipe", "process", "--pipeline", "simple-parser"), "at least one FILE"),
        (("pipe", "process", "--token", "t" * 20), "at least one FILE"),
        (("pipe", "process"), "needs --token TOKEN (a pipe of yours), or a pipeline file"),
        (("pipe", "process", str(document)), "the first argument is the pipeline file"),
        (
            ("pipe", "process", "--token", "t" * 20, "--pipeline", "simple-parser", "a.txt"),
            "give --token or a pipeline, not both",
        ),
        (("pipe", "process", "--pipeline", "simple-parser", str(tmp_path / "gone.pdf")), "gone"),
        (("pipe", "create"), "--pipeline NAME"),
        (("pipe", "delete", "--token", " "), "pipe token must not be empty"),
    ]:
        code, _, err = aparavi(capsys, *args)
        assert code == 2, (args, err)
        assert message in err, args
        assert len(err.strip().splitlines()) == 1
    assert fake.requests == []
    with pytest.raises(SystemExit):
        aparavi(capsys, "pipe", "delete")  # --token is required
    assert "--token" in capsys.readouterr().err


def test_pipe_process_ctrl_c_deletes_its_pipe(
    fake: FakeAparavi, document: Path, tmp_path: Path
) -> None:
    fake.delay("processPipe", 30.0)
    url = os.environ["APARAVI_BASE_URL"]
    proc = subprocess.Popen(
        [SCRIPT, "pipe", "process", "--pipeline", "simple-parser", str(document)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(url, tmp_path / "config"),
    )
    deadline = time.monotonic() + 30
    while not any(r.operation == "processPipe" for r in fake.requests):
        assert time.monotonic() < deadline, "the upload never started"
        time.sleep(0.02)
    _, stderr = interrupt(proc)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert fake.pipes == []


def test_pipe_create_deletes_a_pipe_whose_token_it_cannot_print(
    fake: FakeAparavi, tmp_path: Path
) -> None:
    fake.delay("createPipe", 0.5)
    url = os.environ["APARAVI_BASE_URL"]
    read, write = os.pipe()
    proc = subprocess.Popen(
        [SCRIPT, "pipe", "create", "--pipeline", "simple-parser"],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(url, tmp_path / "config"),
    )
    os.close(write)
    os.close(read)  # nobody will ever read the token
    _, stderr = proc.communicate(timeout=30)
    assert any(r.operation == "createPipe" for r in fake.requests)
    assert fake.pipes == [], stderr
    assert "Traceback" not in stderr


# -- one JSON shape per command -------------------------------------------------------------


def test_each_command_prints_one_json_object(
    fake: FakeAparavi, capsys: Any, document: Path, tmp_path: Path
) -> None:
    def run(*args: str, code: int = 0) -> Any:
        done, out, err = aparavi(capsys, *args, "--json")
        assert done == code, err
        (line,) = out.splitlines()
        return strict_json(line)

    session = str(tmp_path / "config" / "aparavi-dtc" / "session.json")
    assert run("validate", "--pipeline", "simple-parser") == {
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"components": [{"id": "x", "provider": ""}]}))
    assert run("validate", str(broken), code=1) == {
        "valid": False,
        "errors": ["component 'x' has no provider"],
        "warnings": [],
    }

    started = run("start", "--pipeline", "simple-parser")
    (token,) = fake.tasks
    assert started == {"type": "cpu", "session": session}  # the token only when asked for
    status = run("status")
    assert status == {"status": status["status"], "finished": False, "ready": True}
    assert status["status"]["status"] == "Running"
    assert run("status", "--watch") == status
    assert set(run("upload", str(document))) == {"results"}
    assert run("delete") == {"deleted": True}

    shown = run("start", "--pipeline", "simple-parser", "--show-token", "--wait")
    (token,) = fake.tasks
    assert shown == {"type": "cpu", "session": session, "token": token} | status
    assert run("status", "--token", token, "--type", "cpu")["ready"] is True
    run("delete")

    ran = run("run", "--pipeline", "simple-parser", str(document))
    assert (set(ran), ran["status"]["status"]) == ({"status", "results"}, "Running")
    assert run("version") == {
        "service": {"version": "3.0.0.9999", "hash": "fake000", "stamp": "2025-01-01 00:00:00"},
        "aparavi_dtc": aparavi_dtc.__version__,
    }
    assert run("pipelines") == {
        "pipelines": [{"name": n, "summary": pipelines.summary(n)} for n in pipelines.names()]
    }
    assert set(run("services")) == {"services"}
    pipe = run("pipe", "create", "--pipeline", "simple-parser")
    assert set(run("pipe", "process", "--token", pipe["token"], str(document))) == {"results"}
    assert run("pipe", "delete", "--token", pipe["token"]) == {"deleted": True}
    assert (fake.tasks, fake.pipes) == ({}, [])


def test_start_shows_the_token_only_when_asked(fake: FakeAparavi, capsys: Any) -> None:
    code, out, err = aparavi(capsys, "start", "--pipeline", "simple-parser")
    assert code == 0, err
    (token,) = fake.tasks
    assert token not in out + err
    aparavi(capsys, "delete")
    code, out, err = aparavi(capsys, "start", "--pipeline", "simple-parser", "--show-token")
    assert code == 0, err
    (token,) = fake.tasks
    assert out.splitlines()[1:] == [
        f"  aparavi-dtc status --token {token} --type cpu   # follow it from anywhere"
    ]
    aparavi(capsys, "delete")


# -- mock ---------------------------------------------------------------------------------


@contextlib.contextmanager
def mock(*args: str, home: Path, key: str | None = None) -> Iterator[subprocess.Popen[str]]:
    """``aparavi-dtc mock ARGS`` running until the block ends (then SIGTERM)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"XDG_CONFIG_HOME": str(home)} | ({"APARAVI_API_KEY": key} if key else {})
    proc = subprocess.Popen(
        [SCRIPT, "mock", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            proc.kill()


def test_mock_json_says_where_and_with_which_key(tmp_path: Path) -> None:
    with mock("--json", home=tmp_path) as proc:
        assert proc.stdout is not None
        served = strict_json(proc.stdout.readline())
        assert set(served) == {"base_url", "prism", "api_key"}
        assert served["prism"] is False
        with AparaviDTC(served["api_key"], base_url=served["base_url"]) as client:
            assert client.start_task(pipelines.simple_parser()).type == "cpu"
    with mock("--json", home=tmp_path, key=API_KEY) as proc:
        assert proc.stdout is not None
        assert strict_json(proc.stdout.readline())["api_key"] is None  # the user's own


def served_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return str(strict_json(proc.stdout.readline())["base_url"])


def test_mock_survives_clients_that_go_away(tmp_path: Path) -> None:
    def reset(sock: socket.socket) -> None:  # close with a TCP reset, as a crashed client
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    halves = [
        b"GET /vers",  # half a request line
        b"PUT /task HTTP/1.1\r\nContent-Length: 100\r\n\r\n{",  # half a body
        b"PUT /task HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",  # half a chunk
        b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n",  # gone before the answer
    ]
    with mock("--json", home=tmp_path, key=API_KEY) as proc:
        url = served_url(proc)
        port = int(url.rsplit(":", 1)[1])
        for half in halves:
            for close in (socket.socket.close, reset):
                sock = socket.create_connection(("127.0.0.1", port))
                sock.sendall(half)
                time.sleep(0.05)
                close(sock)
        time.sleep(0.5)
        with AparaviDTC(API_KEY, base_url=url) as client:  # it still serves
            assert client.version().data.version
    assert proc.returncode == 0
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    assert "Traceback" not in stderr, stderr
    assert stderr == ""


def test_mock_fails_and_delays_as_told(tmp_path: Path) -> None:
    knobs = ["--fail", "getTask:503:2", "--fail", "startTask:401", "--delay", "getVersion:0.5"]
    with mock("--json", *knobs, home=tmp_path, key=API_KEY) as proc:
        url = served_url(proc)
        with AparaviDTC(API_KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(AuthenticationError):
                client.start_task(pipelines.simple_parser())
            task = client.start_task(pipelines.simple_parser())  # once only
            for _ in range(2):
                with pytest.raises(APIStatusError) as failed:
                    task.get()
                assert failed.value.status_code == 503
            assert task.get().data.status == "Running"
            began = time.monotonic()
            client.version()
            assert time.monotonic() - began >= 0.5
            task.delete()


@pytest.mark.parametrize(
    ("knobs", "message"),
    [
        (["--fail", "nope:500"], "--fail nope:500: unknown operation 'nope'; one of createPipe, "),
        (["--fail", "getTask"], "--fail takes OPERATION:STATUS[:TIMES], such as getTask:503:2"),
        (
            ["--fail", "getTask:abc"],
            "--fail takes OPERATION:STATUS[:TIMES], such as getTask:503:2",
        ),
        (["--fail", "getTask:1:2:3"], "--fail takes OPERATION:STATUS[:TIMES]"),
        (["--fail", "getTask:700"], "status must be an HTTP status code from 100 to 599, not 700"),
        (["--fail", "getTask:503:0"], "--fail getTask:503:0: times must be 1 or more, not 0"),
        (["--delay", "getTask"], "--delay takes OPERATION:SECONDS, such as sendToWebhook:2.5"),
        (["--delay", "getTask:-1"], "seconds must be a finite number, 0 or more, not -1"),
        (["--delay", "getTask:nan"], "seconds must be a finite number, 0 or more, not nan"),
        (["--delay", "nope:1"], "--delay nope:1: unknown operation 'nope'; one of "),
        (["--prism", "--delay", "getTask:1"], "--fail and --delay act on the fake, not on Prism"),
    ],
)
def test_mock_refuses_bad_knobs(knobs: list[str], message: str, capsys: Any) -> None:
    code, out, err = aparavi(capsys, "mock", *knobs)
    assert (code, out) == (2, "")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "['" not in err  # no Python list in the message


def test_python_dash_m_is_the_command(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    done = subprocess.run(
        [sys.executable, "-m", "aparavi_dtc", "pipelines"],
        capture_output=True,
        text=True,
        env=environ | {"XDG_CONFIG_HOME": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == pipelines.names()
    usage = subprocess.run(
        [sys.executable, "-m", "aparavi_dtc", "nope"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage: aparavi-dtc ")
