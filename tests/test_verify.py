"""`aparavi_dtc.testing.verify()`: the fake and Prism keep the contract; a loopback service
that drifts is caught, one test per kind of drift, each named in the report."""

from __future__ import annotations

import contextlib
import copy
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prism import running_prism

from aparavi_dtc import AparaviDTC, pipelines
from aparavi_dtc.testing import FakeAparavi, spec_path
from aparavi_dtc.testing._verify import RECORDED_TOKEN, VerifyReport, recordings
from aparavi_dtc.testing._verify import verify as verify_with

KEY = "verify-key-0123456789abcdef"


def verify(url: str, key: str, **options: Any) -> VerifyReport:
    with AparaviDTC(key, base_url=url, max_retries=0) as client:
        return verify_with(client, **options)


Answer = tuple[int, Any]  # status, body (JSON, or bytes as they are)


def fake_answers() -> dict[str, Answer]:
    """What the fake answers for the free operations: answers that conform."""
    client = httpx.Client(
        transport=FakeAparavi(api_key=KEY).transport(),
        base_url="http://fake",
        headers={"Authorization": KEY},
    )
    return {path: (200, client.get(path).json()) for path in ("/version", "/status", "/services")}


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client interrupted on purpose drops its connection


@contextlib.contextmanager
def service(
    answers: dict[str, Answer], on_request: Callable[[str, str], None] | None = None
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback service answering each path as ``answers`` says; yields its URL and the
    (method, path) of every request."""
    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _any(self) -> None:
            path = self.path.split("?")[0]
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append((self.command, path))
            if on_request is not None:
                on_request(self.command, path)
            status, body = answers.get(f"{self.command} {path}", answers.get(path, (404, {})))
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_PUT = do_POST = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_fake_conforms_also_with_a_task_and_an_upload_and_deletes_its_task() -> None:
    fake = FakeAparavi(api_key=KEY)
    with fake.serve() as url:
        report = verify(url, KEY, with_upload=True)
    assert report.conforms, report.to_dict()
    called = [each.operation for each in report.operations]
    assert called == [
        "getVersion", "getStatus", "getServices", "startTask", "getTask", "sendToWebhook",
        "deleteTask",
    ]  # fmt: skip
    assert fake.tasks == {}
    assert [r.method for r in fake.requests].count("DELETE") == 1


def test_without_being_asked_it_starts_nothing_and_uploads_nothing() -> None:
    fake = FakeAparavi(api_key=KEY)
    with fake.serve() as url:
        report = verify(url, KEY)
    assert report.conforms, report.to_dict()
    assert {r.method for r in fake.requests} == {"GET"}


def test_prism_conforms() -> None:
    with running_prism() as url:
        report = verify(url, "prism-takes-any-key", with_task=True)
    assert report.conforms, report.to_dict()


def only_drift(report: Any) -> list[tuple[str, str, str]]:
    return [
        (each.operation, drift.kind, drift.where)
        for each in report.operations
        for drift in each.drift
    ]


def drifted(change: Callable[[dict[str, Answer]], None], **options: Any) -> Any:
    answers = fake_answers()
    change(answers)
    with service(answers) as (url, _):
        return verify(url, KEY, **options)


def test_a_new_field_is_drift_unless_new_fields_are_allowed() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["/version"][1]["data"]["region"] = "eu-1"

    report = drifted(change)
    assert only_drift(report) == [("getVersion", "new field", "data.region")]
    assert not report.conforms
    assert "string" in report.operations[0].drift[0].detail  # the type seen
    assert drifted(change, allow_new_fields=True).conforms


def test_a_missing_required_field() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["GET /task"] = (200, {"status": "OK", "data": {"progress": 0.5}})

    report = drifted(change, task=("t" * 24, "cpu"))
    assert only_drift(report) == [("getTask", "missing field", "data.status")]


def test_a_type_mismatch() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["/version"][1]["data"]["version"] = 7

    report = drifted(change)
    assert only_drift(report) == [("getVersion", "type mismatch", "data.version")]
    assert report.operations[0].drift[0].detail == "integer; the spec says string"


def test_an_enum_value_the_spec_does_not_know(tmp_path: Path) -> None:
    spec = yaml.safe_load(spec_path().read_text(encoding="utf-8"))
    versions = spec["components"]["schemas"]["VersionInfo"]["properties"]["version"]
    versions["enum"] = ["1.0.0"]
    variant = tmp_path / "openapi.yaml"
    variant.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    def change(answers: dict[str, Answer]) -> None:
        answers["/version"][1]["data"]["version"] = "2.0.0"

    report = drifted(change, spec=variant)
    assert only_drift(report) == [("getVersion", "unknown enum value", "data.version")]


def test_a_status_code_the_spec_does_not_list() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["/status"] = (418, {"status": "Error", "error": "teapot"})

    report = drifted(change)
    assert only_drift(report) == [("getStatus", "undocumented status", "")]
    assert report.operations[1].status_code == 418


def test_an_answer_that_is_not_json() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["/services"] = (200, b"<html>maintenance</html>")

    assert only_drift(drifted(change)) == [("getServices", "not json", "")]


def test_a_service_that_cannot_be_reached_does_not_conform() -> None:
    with service({}) as (url, _):
        pass  # closed: nothing listens there any more
    report = verify(url, KEY)
    assert not report.conforms
    assert all(each.error and each.status_code is None for each in report.operations)


def test_a_named_task_is_read_and_nothing_else_is_done_to_it() -> None:
    fake = FakeAparavi(api_key=KEY)
    with fake.serve() as url:
        task = httpx.put(
            f"{url}/task", headers={"Authorization": KEY}, json={"pipeline": {"components": []}}
        ).json()["data"]
        report = verify(url, KEY, task=(task["token"], task["type"]))
    assert report.conforms, report.to_dict()
    assert [each.operation for each in report.operations][-1] == "getTask"
    assert list(fake.tasks) == [task["token"]]  # still there


def test_a_recording_holds_every_answer_and_no_secret(tmp_path: Path) -> None:
    fake = FakeAparavi(api_key=KEY)
    with fake.serve() as url:
        report = verify(url, KEY, with_upload=True, record=tmp_path / "rec")
    tokens = {r.query.get("token") for r in fake.requests} - {None}
    assert tokens
    files = sorted((tmp_path / "rec").iterdir())
    assert [p.name.split("-", 1)[1] for p in files] == [
        f"{each.operation}.json" for each in report.operations
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert KEY not in text
        assert not any(token in text for token in tokens if token)
    saved = list(recordings(tmp_path / "rec"))
    assert saved[3][0] == "startTask"
    assert saved[3][2]["data"]["token"] == RECORDED_TOKEN


def test_ctrl_c_while_a_started_task_is_read_still_deletes_it() -> None:
    answers = fake_answers()
    answers["PUT /task"] = (200, {"status": "OK", "data": {"token": "t" * 24, "type": "cpu"}})
    answers["GET /task"] = (200, {"status": "OK", "data": {"status": "Running"}})
    answers["DELETE /task"] = (200, {"status": "OK", "data": {}})

    def interrupt(method: str, path: str) -> None:
        if (method, path) == ("GET", "/task"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the main thread, mid-verify

    with service(answers, interrupt) as (url, seen), pytest.raises(KeyboardInterrupt):
        verify(url, KEY, with_task=True)
    assert ("DELETE", "/task") in seen


def test_the_report_as_json_names_every_operation() -> None:
    def change(answers: dict[str, Answer]) -> None:
        answers["/version"][1]["data"]["version"] = 7

    shown = drifted(change).to_dict()
    assert json.loads(json.dumps(shown)) == shown
    assert shown["conforms"] is False
    assert [each["operation"] for each in shown["operations"]] == [
        "getVersion",
        "getStatus",
        "getServices",
    ]
    assert shown["operations"][0]["drift"] == [
        {
            "kind": "type mismatch",
            "where": "data.version",
            "detail": "integer; the spec says string",
        }
    ]
    assert copy.deepcopy(shown["operations"][1])["conforms"] is True


# -- aparavi-dtc verify ------------------------------------------------------------------

SCRIPT = str(Path(sys.executable).parent / "aparavi-dtc")


def cli_env(url: str, home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    return environ | {
        "APARAVI_API_KEY": KEY,
        "APARAVI_BASE_URL": url,
        "XDG_CONFIG_HOME": str(home),
    }


def test_the_command_names_each_drift_and_exits_8(tmp_path: Path) -> None:
    answers = fake_answers()
    answers["/version"][1]["data"]["version"] = 7
    answers["/version"][1]["data"]["region"] = "eu"
    with service(answers) as (url, _):
        done = subprocess.run(
            [SCRIPT, "verify"], env=cli_env(url, tmp_path), capture_output=True, text=True
        )
        allowed = subprocess.run(
            [SCRIPT, "verify", "--allow-new-fields", "--json"],
            env=cli_env(url, tmp_path),
            capture_output=True,
            text=True,
        )
    assert done.returncode == 8, done.stderr
    assert "getVersion: HTTP 200, DRIFT\n  type mismatch data.version: integer" in done.stdout
    assert "  new field data.region: string, not in the spec" in done.stdout
    assert done.stdout.rstrip().endswith("The service drifted")
    assert allowed.returncode == 8  # the type mismatch still fails the run
    shown = json.loads(allowed.stdout)
    assert [each["conforms"] for each in shown["operations"]] == [False, True, True]
    assert [d["kind"] for d in shown["operations"][0]["drift"]] == ["type mismatch", "new field"]


def test_sigterm_while_the_command_reads_its_task_deletes_the_task(tmp_path: Path) -> None:
    answers = fake_answers()
    answers["PUT /task"] = (200, {"status": "OK", "data": {"token": "t" * 24, "type": "cpu"}})
    answers["GET /task"] = (200, {"status": "OK", "data": {"status": "Running"}})
    answers["DELETE /task"] = (200, {"status": "OK", "data": {}})
    running: list[subprocess.Popen[str]] = []

    def stop(method: str, path: str) -> None:
        if (method, path) == ("GET", "/task"):
            running[0].send_signal(signal.SIGTERM)
            time.sleep(0.5)  # the signal arrives while the answer is awaited

    with service(answers, stop) as (url, seen):
        proc = subprocess.Popen(
            [SCRIPT, "verify", "--with-task"],
            env=cli_env(url, tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        running.append(proc)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert ("DELETE", "/task") in seen
    assert "t" * 24 not in err


def test_a_fake_from_a_recording_answers_as_the_recorded_service(tmp_path: Path) -> None:
    answers = fake_answers()
    answers["/version"][1]["data"]["version"] = "9.9.9-recorded"
    answers["/version"][1]["data"]["region"] = "eu-1"  # what the spec does not know yet
    with service(answers) as (url, _):
        verify(url, KEY, record=tmp_path / "rec")

    fake = FakeAparavi.from_recording(tmp_path / "rec", api_key=KEY)
    with AparaviDTC(KEY, transport=fake.transport()) as client:
        version = client.version()
        assert version.data.version == "9.9.9-recorded"
        assert version.data["region"] == "eu-1"
        task = client.start_task(pipelines.simple_parser())  # tasks stay the fake's own
        task.delete()
    assert fake.tasks == {}


def test_a_recording_of_another_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "01-listEverything.json").write_text(
        json.dumps({"operation": "listEverything", "status_code": 200, "json": {}})
    )
    with pytest.raises(ValueError, match="unknown operation 'listEverything'"):
        FakeAparavi.from_recording(tmp_path)
