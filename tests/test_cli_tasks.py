"""The record of tasks and ``aparavi-dtc tasks``: a task a killed command left running is
listed (without its token) and deleted from the command line."""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest

from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .test_cli import PIPELINE, FakeService, cli, fake, folder, home, service
from .test_cli_signals import launch, until

__all__ = ["fake", "folder", "home", "service"]  # fixtures, used by name


def record_of(home: Path) -> Path:
    return home / "aparavi-dtc" / "tasks.json"


def recorded(home: Path) -> list[dict[str, object]]:
    path = record_of(home)
    if not path.exists():
        return []
    tasks = json.loads(path.read_text())["tasks"]
    assert isinstance(tasks, list)
    return tasks


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_killed_process_leaves_a_task_that_tasks_lists_and_deletes(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path, tmp_path: Path
) -> None:
    service, url = fake
    service.delay("sendToWebhook", 0.5)
    out = tmp_path / "results.jsonl"
    proc = launch(home, url, "process", str(folder), "--out", str(out), "--concurrency", "1")
    until(lambda: out.exists() and bool(out.read_text()))
    proc.kill()  # nothing runs: no clean-up, no delete
    proc.communicate(timeout=30)
    (token,) = service.tasks

    listed = cli("tasks", home=home, url=url)
    assert listed.returncode == 0, listed.stderr
    assert f"1. cpu task on {url}: Running" in listed.stdout
    assert f"by `aparavi-dtc process {folder} --out {out} --concurrency 1`" in listed.stdout
    assert "started 20" in listed.stdout
    assert " UTC by " in listed.stdout
    assert token not in listed.stdout + listed.stderr
    assert service.tasks == {token: "cpu"}  # listing deletes nothing

    shown = cli("tasks", "--json", home=home, url=url)
    data = json.loads(shown.stdout)
    assert set(data) == {"tasks", "deleted", "dropped", "forgotten"}
    (entry,) = data["tasks"]
    assert entry | {"started": "", "command": ""} == {
        "number": 1,
        "type": "cpu",
        "name": None,
        "base_url": url,
        "started": "",
        "command": "",
        "current": False,
        "running_command": False,
        "status": "Running",
        "error": None,
    }
    assert token not in shown.stdout

    deleted = cli("tasks", "--delete", home=home, url=url)
    assert deleted.returncode == 0, deleted.stderr
    assert service.tasks == {}
    assert f"- cpu task on {url}: deleted" in deleted.stdout
    assert recorded(home) == []
    assert cli("tasks", home=home, url=url).stdout.startswith("No task recorded")


def test_a_finished_run_leaves_nothing_recorded(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path
) -> None:
    _, url = fake
    done = cli("process", str(folder), home=home, url=url)
    assert done.returncode == 0, done.stderr
    assert recorded(home) == []
    mode = stat.S_IMODE(os.stat(record_of(home)).st_mode)
    assert mode == 0o600


def test_start_records_the_task_and_delete_strikes_it_out(
    service: FakeService, home: Path
) -> None:
    done = cli("start", PIPELINE, "--name", "nightly", home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    (entry,) = recorded(home)
    assert (entry["type"], entry["name"], entry["token"]) == ("cpu", "nightly", service.live()[0])
    listed = cli("tasks", home=home, url=service.url)
    assert "1. cpu task 'nightly' on" in listed.stdout
    assert "(the current task)" in listed.stdout
    assert cli("delete", home=home, url=service.url).returncode == 0
    assert recorded(home) == []


def test_the_api_key_given_as_an_option_is_not_recorded(service: FakeService, home: Path) -> None:
    done = cli("--api-key", API_KEY, "start", PIPELINE, home=home, url=service.url, env={})
    assert done.returncode == 0, done.stderr
    assert API_KEY not in record_of(home).read_text()
    (entry,) = recorded(home)
    assert entry["command"] == f"aparavi-dtc start {PIPELINE}"


def test_a_task_the_service_no_longer_has_is_dropped_and_said_so(
    service: FakeService, home: Path
) -> None:
    for _ in range(2):
        cli("start", PIPELINE, "--replace", home=home, url=service.url)
    (entry,) = recorded(home)  # --replace deleted the first, and struck it out
    assert service.live() == [entry["token"]]
    service.deleted.append(str(entry["token"]))  # gone behind the command line's back
    listed = cli("tasks", home=home, url=service.url)
    assert listed.returncode == 0, listed.stderr
    assert "the service no longer has it; dropped from the record" in listed.stdout
    assert recorded(home) == []


def test_delete_by_number(service: FakeService, home: Path) -> None:
    for _ in range(3):
        cli("start", PIPELINE, "--replace", home=home, url=service.url)
    # Each --replace deleted the one before, so record three more by hand: killed runs.
    assert len(recorded(home)) == 1
    path = record_of(home)
    data = json.loads(path.read_text())
    for token in ("tok-a", "tok-b"):
        service.started.append(token)
        data["tasks"].append(data["tasks"][0] | {"token": token, "command": f"run {token}"})
    path.write_text(json.dumps(data))
    done = cli("tasks", "--delete", "3", home=home, url=service.url)
    assert done.returncode == 0, done.stderr
    assert "tok-b" in service.deleted
    assert "tok-a" not in service.deleted
    assert [entry["command"] for entry in recorded(home)][1:] == ["run tok-a"]
    wrong = cli("tasks", "--delete", "7", home=home, url=service.url)
    assert wrong.returncode == 2
    assert "no task numbered 7: 2 tasks are recorded, numbered 1 to 2" in wrong.stderr


def test_a_corrupt_record_is_one_error_line(service: FakeService, home: Path) -> None:
    record_of(home).parent.mkdir(parents=True)
    record_of(home).write_text("{not json")
    done = cli("tasks", home=home, url=service.url)
    assert done.returncode == 2
    assert f"the record of tasks {record_of(home)} is corrupt" in done.stderr


def test_a_record_that_cannot_be_written_does_not_stop_a_run(
    fake: tuple[FakeAparavi, str], folder: Path, home: Path
) -> None:
    service, url = fake
    (home / "aparavi-dtc").mkdir(parents=True)
    record_of(home).mkdir()  # not a file: nothing can be recorded
    done = cli("process", str(folder), home=home, url=url)
    assert done.returncode == 0, done.stderr
    assert "warning: `aparavi-dtc tasks` will not list the task" in done.stderr
    assert service.tasks == {}


def test_the_recorded_command_leaves_out_the_key() -> None:
    from aparavi_dtc._cli.record import shown_command

    assert shown_command(["--api-key", "k", "run", "a b.pdf"]) == "aparavi-dtc run 'a b.pdf'"
    assert shown_command(["run", "--api-key=k", "x"]) == "aparavi-dtc run x"
    assert shown_command(["run", "--", "--api-key"]) == "aparavi-dtc run -- --api-key"


def test_a_recorded_task_masks_its_token() -> None:
    from aparavi_dtc._cli.record import Recorded

    token = "tok-9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
    task = Recorded(token, "cpu", "https://x", "2026-01-01T00:00:00Z", "aparavi-dtc run")
    assert token not in repr(task)
    assert Recorded.from_file(task.to_file()) == task
    assert Recorded.from_file({"token": "t"}) is None


def test_commands_recording_at_once_lose_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from aparavi_dtc._cli.record import Recorded, add_task, drop_task, read_tasks

    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    tokens = [f"tok-{index:04d}" for index in range(24)]

    def started(token: str) -> None:
        add_task(Recorded(token, "cpu", "https://x", "2026-01-01T00:00:00Z", "aparavi-dtc run"))

    def each(work: object, of: list[str]) -> None:
        threads = [threading.Thread(target=work, args=(token,)) for token in of]  # type: ignore[arg-type]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    each(started, tokens)
    assert sorted(task.token for task in read_tasks()) == tokens
    each(drop_task, tokens[::2])
    assert sorted(task.token for task in read_tasks()) == tokens[1::2]


def test_each_task_is_asked_of_its_own_service(service: FakeService, home: Path) -> None:
    other = FakeService()
    try:
        assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
        path = record_of(home)
        data = json.loads(path.read_text())
        other.started.append("tok-elsewhere")
        there = {"token": "tok-elsewhere", "base_url": other.url, "command": "aparavi-dtc run"}
        data["tasks"].append(data["tasks"][0] | there)
        path.write_text(json.dumps(data))
        listed = cli("tasks", home=home, url=service.url)
        assert f"1. cpu task on {service.url}: Running" in listed.stdout
        assert f"2. cpu task on {other.url}: Running" in listed.stdout
        done = cli("tasks", "--delete", home=home, url=service.url)
        assert done.returncode == 0, done.stderr
        assert (service.live(), other.live()) == ([], [])
        assert recorded(home) == []
    finally:
        other.close()


def test_a_delete_that_fails_keeps_the_task_recorded(
    fake: tuple[FakeAparavi, str], home: Path
) -> None:
    service, url = fake
    assert cli("start", PIPELINE, home=home, url=url).returncode == 0
    service.fail_next("deleteTask", status=500, times=10)
    done = cli("tasks", "--delete", "1", "--max-retries", "0", home=home, url=url)
    assert done.returncode == 6
    assert "Error deleting task (HTTP 500)" in done.stdout
    assert len(service.tasks) == 1
    assert len(recorded(home)) == 1


def test_a_task_whose_service_is_gone_is_forgotten_on_request(home: Path) -> None:
    gone = FakeAparavi(api_key=API_KEY)
    with gone.serve() as url:
        assert cli("start", PIPELINE, "--name", "trial", home=home, url=url).returncode == 0
        (token,) = gone.tasks
    # The service is gone for good: the task can be neither asked about nor deleted.
    assert cli("tasks", "--delete", "--max-retries", "0", home=home, url=url).returncode == 5
    assert len(recorded(home)) == 1
    done = cli("tasks", "--forget", "1", home=home, url=url)
    assert done.returncode == 0, done.stderr
    assert f"- cpu task 'trial' on {url}: forgotten, not deleted: it may still run" in done.stdout
    assert token not in done.stdout + done.stderr
    assert recorded(home) == []
    assert not (home / "aparavi-dtc" / "session.json").exists()  # nor the current task
    assert cli("tasks", home=home, url=url).stdout.startswith("No task recorded")


def test_forget_takes_numbers_and_not_delete_too(service: FakeService, home: Path) -> None:
    assert cli("start", PIPELINE, home=home, url=service.url).returncode == 0
    for args in (["--forget"], ["--forget", "1", "--delete"], ["--forget", "2"]):
        done = cli("tasks", *args, home=home, url=service.url)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert len(recorded(home)) == 1
    shown = json.loads(cli("tasks", "--forget", "1", "--json", home=home, url=service.url).stdout)
    assert set(shown) == {"tasks", "deleted", "dropped", "forgotten"}
    assert [entry["type"] for entry in shown["forgotten"]] == ["cpu"]
    assert service.live()  # forgotten, not deleted
