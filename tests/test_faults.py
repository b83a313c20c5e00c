"""The fault matrix: both clients against a real HTTP server on loopback.

Each case checks the outcome, how many attempts reached the server, and an upper bound on
the time taken. A last test runs the whole matrix with DEBUG logging on and looks for the
API key and the task token in every log line and exception message.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    AparaviError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TaskNotFoundError,
)

from .conftest import API_KEY, BASE_URL, PIPELINE, TOKEN, MakeClient, started, status_body
from .loopback import (
    Action,
    LoopbackServer,
    loopback_server,
    raw,
    reset,
    reset_mid,
    respond,
    truncate,
)

TIMEOUT = 0.5


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    script: tuple[Action, ...]
    call: Callable[[Any], Any]
    outcome: type[BaseException] | Callable[[Any], bool]
    attempts: int
    within: float


def get(client: Any) -> Any:
    return client.task(TOKEN, "cpu").get()


def start(client: Any) -> Any:
    return client.start_task(PIPELINE)


def wait(client: Any) -> Any:
    return client.task(TOKEN, "cpu").wait(poll_interval=0)


def upload_text(client: Any) -> Any:
    return client.task(TOKEN, "cpu").send_to_webhook(text="hello")


def upload_file(client: Any) -> Any:
    return client.task(TOKEN, "cpu").send_to_webhook(
        ("report.pdf", b"%PDF-1.7", "application/pdf")
    )


UPLOADED = {"status": "OK", "data": {"received": 1}}


LEAKY = {"status": "Error", "error": {"message": f"token={TOKEN} apikey={API_KEY} failed"}}

CASES = [
    Case("ok", (respond(200, status_body()),), get, lambda r: r.data.status == "Running", 1, 1),
    Case(
        "reset mid-response, then ok",
        (reset_mid(), reset(), respond(200, status_body())),
        get,
        lambda r: r.data.status == "Running",
        3,
        2,
    ),
    Case("reset every time", (reset_mid(),), get, APIConnectionError, 3, 2),
    Case(
        "start_task is not resent after a reset", (reset_mid(),), start, APIConnectionError, 1, 1
    ),
    Case(
        "slow response past the timeout",
        (respond(200, status_body(), delay=3),),
        get,
        APITimeoutError,
        3,
        3 * TIMEOUT + 1.0,
    ),
    Case(
        "429 with Retry-After, then ok",
        (
            respond(429, {"error": "slow down"}, headers={"Retry-After": "1"}),
            respond(200, status_body()),
        ),
        get,
        lambda r: r.data.status == "Running",
        2,
        1,
    ),
    Case("always 429", (respond(429, {"error": "slow down"}),), get, RateLimitError, 3, 1),
    Case(
        "503, then ok",
        (respond(503, ""), respond(200, status_body())),
        get,
        lambda r: r.data.status == "Running",
        2,
        1,
    ),
    Case(
        "always 503",
        (respond(503, "<html>down</html>", content_type="text/html"),),
        get,
        ServerError,
        3,
        1,
    ),
    Case("start_task is not resent after a 503", (respond(503, ""),), start, ServerError, 1, 1),
    Case(
        "start_task ok",
        (respond(200, started()),),
        start,
        lambda task: task.token == TOKEN,
        1,
        1,
    ),
    Case(
        "HTML page under 200",
        (respond(200, "<html><body>Login</body></html>", content_type="text/html"),),
        get,
        APIResponseValidationError,
        1,
        1,
    ),
    Case(
        "truncated JSON",
        (respond(200, b'{"status": "OK", "data": {"status": "Run'),),
        get,
        APIResponseValidationError,
        1,
        1,
    ),
    Case(
        "body shorter than its Content-Length",
        (truncate(b'{"status": "OK"', 500),),
        get,
        APIConnectionError,
        3,
        2,
    ),
    Case(
        "unknown status value",
        (respond(200, status_body("Quiescing")),),
        get,
        lambda r: r.data.status == "Quiescing",
        1,
        1,
    ),
    Case(
        "Paused, Running, Completed",
        (
            respond(200, status_body("Paused")),
            respond(200, status_body("Running")),
            respond(200, status_body("Completed")),
        ),
        wait,
        lambda status: status.status == "Completed",
        3,
        1,
    ),
    Case(
        "finished with errors",
        (respond(200, status_body("Completed", errors=["file 3 unreadable"])),),
        wait,
        TaskFailedError,
        1,
        1,
    ),
    Case("server echoes secrets", (respond(500, LEAKY),), get, ServerError, 1, 1),
    Case("not HTTP at all", (raw(b"SSH-2.0-OpenSSH_9.6\r\n"),), get, APIConnectionError, 3, 2),
    Case(
        "closed without an answer, then ok",
        (raw(b""), respond(200, status_body())),
        get,
        lambda r: r.data.status == "Running",
        2,
        1,
    ),
    Case("start_task is not resent after a close", (raw(b""),), start, APIConnectionError, 1, 1),
    # PUT /webhook is not idempotent either: a second copy of the files would be processed
    # twice. Each case ends in an error after exactly one attempt.
    Case(
        "send_to_webhook ok",
        (respond(200, UPLOADED),),
        upload_text,
        lambda r: r.data.to_dict() == {"received": 1},
        1,
        1,
    ),
    Case(
        "send_to_webhook is not resent after a reset",
        (reset_mid(), respond(200, UPLOADED)),
        upload_file,
        APIConnectionError,
        1,
        1,
    ),
    Case(
        "send_to_webhook is not resent after a 503",
        (respond(503, ""), respond(200, UPLOADED)),
        upload_text,
        ServerError,
        1,
        1,
    ),
    Case(
        "send_to_webhook is not resent after a close",
        (raw(b""), respond(200, UPLOADED)),
        upload_text,
        APIConnectionError,
        1,
        1,
    ),
    Case(
        "send_to_webhook is not resent after a read timeout",
        (respond(200, UPLOADED, delay=2), respond(200, UPLOADED)),
        upload_file,
        APITimeoutError,
        1,
        TIMEOUT + 1.0,
    ),
    Case(
        "redirect is not followed",
        (respond(307, "", headers={"Location": "/elsewhere"}),),
        get,
        APIStatusError,
        1,
        1,
    ),
]


def run_case(client: Any, server: LoopbackServer, case: Case) -> Any:
    server.script(*case.script)
    began = time.monotonic()
    outcome: Any
    try:
        outcome = case.call(client)
    except AparaviError as exc:
        outcome = exc
    elapsed = time.monotonic() - began
    if isinstance(case.outcome, type):
        assert isinstance(outcome, case.outcome), f"{case.name}: {outcome!r}"
    else:
        assert not isinstance(outcome, BaseException), f"{case.name}: {outcome!r}"
        assert case.outcome(outcome), case.name
    assert len(server.requests) == case.attempts, case.name
    assert elapsed < case.within, f"{case.name}: took {elapsed:.2f}s"
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault(make_client: MakeClient, server: LoopbackServer, case: Case) -> None:
    client = make_client(base_url=server.url, timeout=TIMEOUT)
    run_case(client, server, case)


@pytest.mark.real_delays
def test_retry_after_is_honoured(make_client: MakeClient, server: LoopbackServer) -> None:
    client = make_client(base_url=server.url, timeout=TIMEOUT)
    server.script(
        respond(429, {"error": "slow down"}, headers={"Retry-After": "1"}),
        respond(200, status_body()),
    )
    began = time.monotonic()
    assert get(client).data.status == "Running"
    assert 1.0 <= time.monotonic() - began < 2.5
    assert len(server.requests) == 2


def test_connection_refused(make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the client connects
    client = make_client(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT)
    began = time.monotonic()
    with caplog.at_level(logging.INFO, logger="aparavi_dtc"), pytest.raises(APIConnectionError):
        client.start_task(PIPELINE)  # never reached the server: retried even for PUT
    assert time.monotonic() - began < 2
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2


def test_no_secret_in_logs_or_errors(
    make_client: MakeClient, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(base_url=server.url, timeout=TIMEOUT)
    messages: list[str] = []
    with caplog.at_level(logging.DEBUG, logger="aparavi_dtc"):
        for case in CASES:
            outcome = run_case(client, server, case)
            if isinstance(outcome, BaseException):
                messages += [str(outcome), repr(outcome), repr(getattr(outcome, "body", ""))]
    messages += [record.getMessage() for record in caplog.records]
    assert any("GET /task -> 200" in m for m in messages)
    assert any("retrying" in m for m in messages)
    for message in messages:
        assert API_KEY not in message
        assert TOKEN not in message


def test_per_call_timeout_overrides_the_client(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    client = make_client(base_url=server.url, timeout=30)
    server.script(respond(200, status_body(), delay=2))
    began = time.monotonic()
    with pytest.raises(APITimeoutError):
        client.task(TOKEN, "cpu").get(timeout=0.2, max_retries=0)
    assert time.monotonic() - began < 1.5
    assert len(server.requests) == 1


def test_upload_to_a_server_that_stops_reading_times_out(make_client: MakeClient) -> None:
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # never accepted: the kernel takes a few KiB, then stops reading
        port = listener.getsockname()[1]
        client = make_client(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        began = time.monotonic()
        with pytest.raises(APITimeoutError, match="timed out"):
            client.task(TOKEN, "cpu").send_to_webhook(("big.bin", b"x" * (32 << 20)))
        assert time.monotonic() - began < 3


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, {"error": "boom"}, ServerError),
        (404, {"error": "Task not found"}, TaskNotFoundError),
        (429, {"error": "slow down"}, RateLimitError),
        (400, {"detail": "bad request"}, APIStatusError),
        (200, {"status": "Error", "error": "engine down"}, APIStatusError),
    ],
)
def test_errors_carry_the_request_id(
    make_client: MakeClient,
    server: LoopbackServer,
    status: int,
    body: dict[str, Any],
    error: type[APIStatusError],
) -> None:
    """The server's X-Request-ID (in any case) reaches the error, for support tickets."""
    client = make_client(base_url=server.url, timeout=TIMEOUT, max_retries=0)
    server.script(respond(status, body, headers={"X-Request-ID": "req-7f3a9c"}))
    with pytest.raises(error) as info:
        get(client)
    assert type(info.value) is error
    assert info.value.status_code == status
    assert info.value.request_id == "req-7f3a9c"
    server.script(respond(status, body))
    with pytest.raises(error) as info:
        get(client)
    assert info.value.request_id is None


def _failing_transport(
    error: type[httpx.TransportError], answer: dict[str, Any], seen: list[str]
) -> httpx.MockTransport:
    """Fails the first request with ``error``, answers ``answer`` after that."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if len(seen) == 1:
            raise error("scripted failure", request=request)
        return httpx.Response(200, json=answer)

    return httpx.MockTransport(handle)


PUTS = {
    "start_task": (start, started(), "PUT /task"),
    "send_to_webhook": (upload_text, UPLOADED, "PUT /webhook"),
}


@pytest.mark.parametrize("put", sorted(PUTS))
@pytest.mark.parametrize(
    "error",
    [httpx.PoolTimeout, httpx.ConnectTimeout, httpx.ConnectError],
    ids=lambda e: e.__name__,
)
def test_a_put_that_never_left_is_resent(
    make_client: MakeClient, put: str, error: type[httpx.TransportError]
) -> None:
    """No connection was had (pool timeout, connect timeout, refused): nothing reached the
    server, so even a PUT is sent again."""
    send, answer, line = PUTS[put]
    seen: list[str] = []
    client = make_client(base_url=BASE_URL, transport=_failing_transport(error, answer, seen))
    outcome = send(client)
    assert seen == [line, line]
    assert outcome is not None


@pytest.mark.parametrize("put", sorted(PUTS))
@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.WriteTimeout, APITimeoutError),
        (httpx.ReadError, APIConnectionError),
        (httpx.RemoteProtocolError, APIConnectionError),
    ],
    ids=lambda e: e.__name__,
)
def test_a_put_that_may_have_arrived_is_not_resent(
    make_client: MakeClient,
    put: str,
    error: type[httpx.TransportError],
    raised: type[APIConnectionError],
) -> None:
    send, answer, line = PUTS[put]
    seen: list[str] = []
    client = make_client(base_url=BASE_URL, transport=_failing_transport(error, answer, seen))
    with pytest.raises(raised):
        send(client)
    assert seen == [line]
