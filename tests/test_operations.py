"""Requests (``_operations``): the one request builder, calls and their repr, the endpoints
loaded on first use, and the request built for text, one file and several files."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from aparavi_dtc._operations import (
    GET_TASK,
    build,
    pipe_request,
    webhook_request,
)
from aparavi_dtc._redact import Redactor
from aparavi_dtc._types import Call


def test_a_text_request_is_utf8_text() -> None:
    kwargs = webhook_request("tok", "cpu", [], "héllo")
    assert kwargs["method"] == "put"
    assert kwargs["url"] == "/webhook"
    assert kwargs["params"] == {"token": "tok", "type": "cpu"}
    assert kwargs["content"] == "héllo".encode()
    assert kwargs["headers"]["Content-Type"] == "text/plain; charset=utf-8"


def test_one_file_goes_as_the_raw_body() -> None:
    kwargs = webhook_request("tok", "gpu", [("r.pdf", b"%PDF", "application/pdf")], None)
    assert kwargs["params"] == {"token": "tok", "type": "gpu"}
    assert kwargs["content"] == b"%PDF"
    assert kwargs["headers"]["Content-Type"] == "application/pdf"
    assert kwargs["headers"]["Content-Disposition"] == 'attachment; filename="r.pdf"'
    assert "files" not in kwargs


def test_several_files_go_as_parts_named_files() -> None:
    loaded = [("a.txt", b"alpha", "text/plain"), ("b.csv", b"x,y", "text/csv")]
    for kwargs in (webhook_request("tok", "cpu", loaded, None), pipe_request("tok", loaded)):
        parts = kwargs["files"]
        assert [(name, part[0], part[1].read(), part[2]) for name, part in parts] == [
            ("files", "a.txt", b"alpha", "text/plain"),
            ("files", "b.csv", b"x,y", "text/csv"),
        ]
        assert kwargs["params"]["token"] == "tok"
    assert pipe_request("tok", loaded)["url"] == "/pipe/process"


def _build(kwargs: dict[str, Any], *, token: str | None = None) -> Call[Any]:
    return build(
        GET_TASK,
        kwargs,
        base_url="https://api.test",
        headers={"Authorization": "key-0123456789", "Accept": "application/json"},
        timeout=5.0,
        max_retries=1,
        redactor=Redactor("key-0123456789"),
    )


def test_a_call_has_one_absolute_url_and_the_clients_headers() -> None:
    call = _build({"method": "get", "url": "/task", "params": {"token": "t 1", "type": "cpu"}})
    assert (call.method, call.url, call.path) == (
        "GET",
        "https://api.test/task?token=t%201&type=cpu",
        "/task",
    )
    assert call.content is None
    assert dict(call.headers) == {"Authorization": "key-0123456789", "Accept": "application/json"}
    assert (call.timeout, call.max_retries) == (5.0, 1)


def test_a_body_is_encoded_once_without_the_headers_each_stack_sets() -> None:
    call = _build({"method": "put", "url": "/task", "json": {"pipeline": {}}})
    assert call.content == b'{"pipeline":{}}'
    names = {name.lower() for name in call.headers}
    assert names == {"authorization", "accept", "content-type"}  # no host, no content-length
    assert call.headers["Content-Type"] == "application/json"


def test_a_calls_repr_shows_neither_url_nor_headers() -> None:
    call = _build({"method": "get", "url": "/task", "params": {"token": "secret-token-1234"}})
    assert repr(call) == "Call(GET /task, getting task status, no body)"
    with_body = call.with_body({"X": "y"}, b"data")
    assert repr(with_body) == "Call(GET /task, getting task status, bytes body)"
    assert (with_body.headers, with_body.content, with_body.url) == ({"X": "y"}, b"data", call.url)


def test_an_endpoint_loads_on_first_use_and_is_bound_in_its_tag() -> None:
    script = """
import sys
import aparavi_dtc
from aparavi_dtc_api.api import tasks
loaded = lambda name: f"aparavi_dtc_api.api.tasks.{name}" in sys.modules
assert not loaded("get_task") and not loaded("delete_task"), "loaded at import"
assert tasks.get_task._get_kwargs(token="tok", type_="cpu")["url"] == "/task"
assert loaded("get_task") and not loaded("delete_task"), "each on its own first use"
assert vars(tasks)["get_task"] is sys.modules["aparavi_dtc_api.api.tasks.get_task"]
try:
    tasks.no_such_endpoint
except AttributeError as exc:
    assert "no_such_endpoint" in str(exc)
else:
    raise AssertionError("an unknown endpoint was found")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
