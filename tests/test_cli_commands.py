"""The commands that mirror the SDK (``services``, ``pipe ...``), the JSON each command prints,
``mock``'s knobs, and ``python -m aparavi_dtc``: run in process against the fake served on
loopback, and as a subprocess where a signal or the interpreter itself is the point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aparavi_dtc import pipelines
from aparavi_dtc._cli import main
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
    """Run the command line in this process: (exit code, stdout, stderr)."""
    code = main(list(args))
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
