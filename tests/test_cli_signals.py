"""SIGTERM (kill, docker stop, Kubernetes) and SIGHUP (a dropped SSH session) stop a command
as Ctrl-C does: the task it started is deleted, the results file stays whole, and the exit
status is 128 + the signal's number."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .test_cli import (
    PIPELINE,
    SCRIPT,
    FakeService,
    batch_pipeline,
    document,
    fake,
    folder,
    home,
    lines_of,
    service,
)

__all__ = ["document", "fake", "folder", "home", "service"]  # fixtures, used by name

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

SIGNALS = [
    pytest.param(signal.SIGTERM, 143, id="TERM"),
    pytest.param(signal.SIGHUP, 129, id="HUP"),
]


def launch(home: Path, url: str, *args: str) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url}
    environ["XDG_CONFIG_HOME"] = str(home)
    return subprocess.Popen(
        [SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ
    )


def until(ready: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stop(proc: subprocess.Popen[str], sig: int, every: float = 10.0) -> tuple[str, str]:
    """Send ``sig``, and again every ``every`` seconds while ``proc`` runs: CPython drops an
    exception a signal handler raises inside a weakref callback, so one signal in a great
    many never arrives (see ``interrupt`` in test_cli.py)."""
    for _ in range(int(30 / every)):
        proc.send_signal(sig)
        try:
            return proc.communicate(timeout=every)
        except subprocess.TimeoutExpired:
            continue
    return proc.communicate(timeout=1)


@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_process_stopped_by_a_signal_deletes_its_task(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path, sig: int, code: int
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 0.4)
    out = tmp_path / "results.jsonl"
    proc = launch(home, url, "process", str(folder), "--out", str(out), "--concurrency", "1")
    until(lambda: out.exists() and bool(out.read_text()))
    _, stderr = stop(proc, sig)
    assert proc.returncode == code, stderr
    kept = len(lines_of(out))  # every line whole JSON
    assert 1 <= kept < 5
    assert out.read_text().endswith("\n")
    assert f"the task was deleted; {kept} of 5 files were done" in stderr
    assert f"results are in {out} (run the same command with --resume to go on)" in stderr
    assert service.tasks == {}
    assert any(r.operation == "deleteTask" for r in service.requests)


@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_run_stopped_by_a_signal_deletes_its_task(
    fake: tuple[FakeAparavi, str], document: Path, home: Path, sig: int, code: int
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 5)
    proc = launch(home, url, "run", PIPELINE, str(document))
    until(lambda: any(r.operation == "sendToWebhook" for r in service.requests))
    _, stderr = stop(proc, sig)
    assert proc.returncode == code, stderr
    assert "interrupted" in stderr
    assert service.tasks == {}
    assert any(r.operation == "deleteTask" for r in service.requests)


@pytest.mark.parametrize(("sig", "code"), SIGNALS)
def test_start_wait_stopped_by_a_signal_keeps_the_current_task_as_ctrl_c_does(
    service: FakeService, home: Path, sig: int, code: int, tmp_path: Path
) -> None:
    # A task that runs to its end: a webhook task's wait ends once it is Running.
    proc = launch(home, service.url, "start", batch_pipeline(tmp_path), "--wait")
    until(lambda: ("GET", "/task") in service.requests)
    _, stderr = stop(proc, sig)
    assert proc.returncode == code, stderr
    assert "still running" in stderr
    assert "aparavi-dtc delete" in stderr
    assert len(service.live()) == 1


def test_the_json_error_names_the_signal(
    fake: tuple[FakeAparavi, str], document: Path, home: Path
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 5)
    proc = launch(home, url, "run", PIPELINE, str(document), "--json")
    until(lambda: any(r.operation == "sendToWebhook" for r in service.requests))
    _, stderr = stop(proc, signal.SIGTERM)
    assert proc.returncode == 143
    report = json.loads(stderr)
    assert (report["code"], report["exit"]) == (143, "TERMINATED")
    assert service.tasks == {}


def test_a_failed_delete_says_how_to_delete_the_task(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 0.4)
    service.fail_next("deleteTask", status=500, times=100)
    out = tmp_path / "results.jsonl"
    proc = launch(home, url, "process", str(folder), "--out", str(out), "--concurrency", "1")
    until(lambda: out.exists() and bool(out.read_text()))
    _, stderr = stop(proc, signal.SIGTERM)
    assert proc.returncode == 143, stderr
    assert "the task was deleted" not in stderr
    assert "could not be deleted" in stderr
    assert "aparavi-dtc tasks --delete 1" in stderr
    assert len(service.tasks) == 1
    (token,) = service.tasks
    assert token not in stderr


@pytest.mark.parametrize("second", [False, True], ids=["once", "twice"])
def test_an_interrupted_process_ends_without_waiting_for_its_uploads_answer(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path, second: bool
) -> None:
    """The upload in flight answers in 20 s; Ctrl-C (twice, 20 ms apart) ends the command
    at once, its task deleted, with its one error line and no traceback."""
    service, url = fake
    service.delay("sendToWebhook", 20)
    proc = launch(home, url, "process", str(folder), "--concurrency", "2")
    until(lambda: any(r.operation == "sendToWebhook" for r in service.requests))
    time.sleep(0.2)  # the uploads are on their way
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    if second:
        time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10, "the command waited for the upload's answer"
    assert proc.returncode == 130, err
    assert service.tasks == {}
    assert "Traceback" not in err, err
    assert "Exception ignored" not in err, err
    assert "interrupted: the task was deleted" in err
