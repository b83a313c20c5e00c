"""``client.with_raw_response`` (``_response.RawResponse``): each operation's HTTP response
as it was read, on both clients over loopback: status, masked headers, the envelope's
metrics, elapsed time and attempts, and ``parse()`` to the usual model, nothing read twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aparavi_dtc import APIResponseValidationError, NoActiveTaskError, ServerError, pipelines

from .conftest import API_KEY, TOKEN, MakeClient, started, status_body
from .loopback import LoopbackServer, loopback_server, respond

VERSION = {
    "status": "OK",
    "data": {"version": "1.2.3", "hash": "abc", "stamp": "2026"},
    "metrics": {"cpu": 1.5, "total_time": 2.0},
}


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as made:
        yield made


def test_a_raw_answer_has_its_status_headers_metrics_and_model(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    echo = {"X-Request-Id": "req-7", "X-Echo": f"key={API_KEY}"}
    server.script(respond(200, VERSION, headers=echo))
    client = make_client(API_KEY, base_url=server.url)
    raw = client.with_raw_response.version()
    assert raw.status_code == 200
    headers = {name.lower(): value for name, value in raw.headers.items()}
    assert headers["x-request-id"] == "req-7"
    assert API_KEY not in headers["x-echo"]  # masked
    assert raw.metrics == {"cpu": 1.5, "total_time": 2.0}
    assert raw.attempts == 1
    assert 0 <= raw.elapsed < 5
    model = raw.parse()
    assert model.data.version == "1.2.3"
    assert raw.parse() is model  # parsed once
    assert len(server.requests) == 1  # read once
    assert repr(raw).startswith("RawResponse(200, GET /version, ")


def test_a_refusal_is_raised_by_parse_after_the_retries(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    failing = respond(503, {"status": "Error", "error": "down"})
    server.script(failing, failing, failing)
    client = make_client(API_KEY, base_url=server.url, max_retries=2)
    raw = client.with_raw_response.status()
    assert (raw.status_code, raw.attempts) == (503, 3)
    with pytest.raises(ServerError, match="Error getting service status: down"):
        raw.parse()
    assert len(server.requests) == 3


def test_task_operations_use_the_current_task(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    client = make_client(API_KEY, base_url=server.url)
    with pytest.raises(NoActiveTaskError):
        client.with_raw_response.get_task()
    assert server.requests == []
    server.script(respond(200, started()), respond(200, status_body("Running")))
    raw_start = client.with_raw_response.start_task(pipelines.simple_parser())
    assert raw_start.parse().token == TOKEN  # the task start_task() returns
    assert client.token == TOKEN  # current, as start_task() makes it
    raw = client.with_raw_response.get_task()
    assert raw.parse().data.status == "Running"
    assert "token=" in server.requests[-1].path


def test_parse_keeps_the_clients_strictness(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    odd = {"status": "OK", "data": {"version": 5}}  # a number where the spec says a string
    server.script(respond(200, odd), respond(200, odd))
    lenient = make_client(API_KEY, base_url=server.url).with_raw_response.version()
    assert lenient.parse().data["version"] == 5  # kept under its wire name
    strict = make_client(API_KEY, base_url=server.url, strict=True).with_raw_response.version()
    with pytest.raises(APIResponseValidationError, match=r"data\.version"):
        strict.parse()
