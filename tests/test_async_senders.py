"""The async client's aiohttp path against a real loopback server.

Most tests run both clients through respx, where the async client sends through httpx.
Here its default sender meets real sockets: it must put on the wire what the sync client
puts there, close, refuse misuse, honour proxies from the environment, and translate
aiohttp's failures into the exceptions that drive retries.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import httpx
import pytest

from aparavi_dtc import AparaviDTC, APIConnectionError, AsyncAparaviDTC
from aparavi_dtc._transports.aiohttp_sender import _Attempt, as_httpx_error, client_timeout
from aparavi_dtc._url import env_proxy

from .conftest import API_KEY, PIPELINE, TOKEN, started, status_body
from .loopback import LoopbackServer, Recorded, loopback_server, respond


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


def webhook(client: Any, *args: Any, **kwargs: Any) -> Any:
    return client.task(TOKEN, "cpu").send_to_webhook(*args, **kwargs)


OPERATIONS: dict[str, tuple[Callable[[Any], Any], dict[str, Any]]] = {
    "start_task": (lambda c: c.start_task(PIPELINE, name="nightly run", threads=4), started()),
    "get_task": (lambda c: c.task(TOKEN, "cpu").get(), status_body()),
    "delete_task": (lambda c: c.task(TOKEN, "cpu").delete(), started()),
    "validate": (lambda c: c.validate(PIPELINE), started()),
    "one file": (
        lambda c: webhook(c, ("rapport é.pdf", b"%PDF-1.7\n\x00\xff", "application/pdf")),
        started(),
    ),
    "large file": (lambda c: webhook(c, ("big.bin", bytes(range(256)) * 1000)), started()),
    "two files": (lambda c: webhook(c, [("a.txt", b"alpha"), ("b.json", b"{}")]), started()),
    "text": (lambda c: webhook(c, text="héllo\nworld"), started()),
    "version": (lambda c: c.version(), started()),
    "status": (lambda c: c.status(), started()),
}

COMPARED = ("authorization", "user-agent", "accept", "content-disposition", "x-trace")


def sent_by_both(server: LoopbackServer, operation: str) -> tuple[Recorded, Recorded]:
    call, answer = OPERATIONS[operation]
    server.script(respond(200, answer))
    with AparaviDTC(API_KEY, base_url=server.url, headers={"X-Trace": "t-1"}) as client:
        call(client)
    (by_sync,) = server.requests

    async def send() -> None:
        async with AsyncAparaviDTC(
            API_KEY, base_url=server.url, headers={"X-Trace": "t-1"}
        ) as client:
            await call(client)

    server.script(respond(200, answer))
    asyncio.run(send())
    (by_async,) = server.requests
    return by_sync, by_async


def without_boundary(request: Recorded) -> tuple[str, bytes]:
    kind = request.headers.get("content-type", "")
    found = re.search(r"boundary=([\w-]+)", kind)
    if not found:
        return kind, request.body
    boundary = found.group(1)
    return kind.replace(boundary, "B"), request.body.replace(boundary.encode(), b"B")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_async_client_sends_what_the_sync_client_sends(
    server: LoopbackServer, operation: str
) -> None:
    by_sync, by_async = sent_by_both(server, operation)
    assert (by_async.method, by_async.path) == (by_sync.method, by_sync.path)
    assert without_boundary(by_async) == without_boundary(by_sync)
    for name in COMPARED:
        assert by_async.headers.get(name) == by_sync.headers.get(name), name
    for request in (by_sync, by_async):
        assert int(request.headers.get("content-length", "0")) == len(request.body)
        assert request.headers["authorization"] == API_KEY
        assert request.headers["x-trace"] == "t-1"


def test_the_bodies_compared_are_the_right_ones(server: LoopbackServer) -> None:
    _, start = sent_by_both(server, "start_task")
    assert json.loads(start.body)["pipeline"] == PIPELINE
    assert start.path == "/task?name=nightly%20run&threads=4"
    _, text = sent_by_both(server, "text")
    assert text.body == "héllo\nworld".encode()
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    _, poll = sent_by_both(server, "get_task")
    assert (poll.method, poll.path, poll.body) == ("GET", f"/task?token={TOKEN}&type=cpu", b"")


def test_closed_client_refuses_to_send(server: LoopbackServer) -> None:
    server.script(respond(200, started()))

    async def scenario() -> None:
        async with AsyncAparaviDTC(API_KEY, base_url=server.url) as client:
            await client.version()
        with pytest.raises(RuntimeError, match="closed"):
            await client.version()

    asyncio.run(scenario())
    assert len(server.requests) == 1


def test_one_client_per_event_loop(server: LoopbackServer) -> None:
    server.script(respond(200, started()))
    client = AsyncAparaviDTC(API_KEY, base_url=server.url)
    asyncio.run(client.version())
    with pytest.raises(RuntimeError, match="event loop"):
        asyncio.run(client.version())
    assert len(server.requests) == 1


def test_many_calls_share_kept_alive_connections(server: LoopbackServer) -> None:
    server.script(respond(200, status_body()))
    before = server.connections

    async def scenario() -> None:
        async with AsyncAparaviDTC(API_KEY, base_url=server.url) as client:
            for _ in range(20):
                await client.task(TOKEN, "cpu").get()

    asyncio.run(scenario())
    assert len(server.requests) == 20
    assert server.connections - before == 1


def test_each_client_keeps_its_own_bounded_url_cache(server: LoopbackServer) -> None:
    from aparavi_dtc._config import CACHED_TASKS

    server.script(respond(200, status_body()))

    async def scenario() -> tuple[int, int]:
        async with (
            AsyncAparaviDTC(API_KEY, base_url=server.url) as first,
            AsyncAparaviDTC(API_KEY, base_url=server.url) as second,
        ):
            for index in range(CACHED_TASKS + 5):
                await first.task(f"token-{index:05d}-abcdefgh", "cpu").get()
            return len(first._sender._targets), len(second._sender._targets)

    kept, other = asyncio.run(scenario())
    assert 0 < kept <= CACHED_TASKS
    assert other == 0  # nothing shared between clients


def test_environment_proxy_carries_https_requests_without_the_key(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loopback server plays the proxy: both clients ask it to CONNECT to the service,
    # and the key never reaches it (it would travel inside the TLS tunnel).
    monkeypatch.setenv("HTTPS_PROXY", server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server.script(respond(403, b"", content_type="text/plain"))

    async def scenario() -> None:
        async with AsyncAparaviDTC(API_KEY, base_url="https://api.test", max_retries=0) as client:
            await client.version()

    with pytest.raises(APIConnectionError):
        asyncio.run(scenario())
    with (
        AparaviDTC(API_KEY, base_url="https://api.test", max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.version()
    assert [request.method for request in server.requests] == ["CONNECT", "CONNECT"]
    assert [request.path for request in server.requests] == ["api.test:443"] * 2
    for request in server.requests:
        assert API_KEY not in repr(request)


def test_a_loopback_service_is_never_reached_through_a_proxy(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on 127.0.0.9:9: a request sent to the proxy would fail.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.9:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server.script(respond(200, {"status": "OK", "data": {"version": "3.0"}}))

    async def scenario() -> str:
        async with AsyncAparaviDTC(API_KEY, base_url=server.url) as client:
            return (await client.version()).data.version

    assert asyncio.run(scenario()) == "3.0"
    with AparaviDTC(API_KEY, base_url=server.url) as client:
        assert client.version().data.version == "3.0"
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("environment", "base_url", "expected"),
    [
        ({}, "https://eaas.aparavi.com", None),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https://eaas.aparavi.com", "http://proxy:3128"),
        ({"HTTPS_PROXY": "proxy:3128"}, "https://eaas.aparavi.com", "http://proxy:3128"),
        ({"HTTP_PROXY": "http://proxy:3128"}, "https://eaas.aparavi.com", None),
        ({"ALL_PROXY": "http://proxy:3128"}, "https://eaas.aparavi.com", "http://proxy:3128"),
        (
            {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".aparavi.com"},
            "https://eaas.aparavi.com",
            None,
        ),
    ],
)
def test_env_proxy(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    base_url: str,
    expected: str | None,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert env_proxy(base_url) == expected


@pytest.mark.parametrize(
    ("timeout", "connect", "sock_connect"),
    [
        (httpx.Timeout(30.0, connect=5.0), 35.0, 5.0),
        (2.0, 4.0, 2.0),
        (None, None, None),
        (httpx.Timeout(10.0, pool=None), None, 10.0),
    ],
)
def test_client_timeout(timeout: Any, connect: float | None, sock_connect: float | None) -> None:
    # aiohttp bounds only making a new connection; getting one (pooled or new: pool plus
    # connect), writing and the whole response are each attempt's one clock, a single
    # timer (test_hardening.py's dripping servers).
    converted = client_timeout(timeout)
    assert converted.total is None
    assert converted.sock_read is None
    assert (converted.connect, converted.sock_connect) == (None, sock_connect)

    async def first_deadline() -> float | None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        attempt = _Attempt(httpx.Timeout(timeout))
        when = attempt.when()
        attempt.done()
        assert attempt.connecting
        assert isinstance(attempt.error(), httpx.ConnectTimeout)  # retried even for a PUT
        return None if when is None else when - start

    due = asyncio.run(first_deadline())
    if connect is None:
        assert due is None
    else:
        assert due == pytest.approx(connect, abs=0.5)


class _Key:
    """Enough of aiohttp's ConnectionKey for ClientConnectorError's message."""

    host = "eaas.aparavi.com"
    port = 443
    ssl = True


SECRET_URL = f"https://eaas.aparavi.com/task?token={TOKEN}&type=cpu"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (aiohttp.ConnectionTimeoutError(), httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError(), httpx.ReadTimeout),
        (TimeoutError(), httpx.ReadTimeout),
        (
            aiohttp.ClientConnectorError(_Key(), ConnectionRefusedError(111, "refused")),
            httpx.ConnectError,
        ),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (
            aiohttp.ClientPayloadError("Response payload is not completed"),
            httpx.RemoteProtocolError,
        ),
        (
            aiohttp.ClientResponseError(None, (), message="Bad status line"),
            httpx.RemoteProtocolError,
        ),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), httpx.ReadError),
        (aiohttp.InvalidURL(SECRET_URL), httpx.TransportError),
    ],
)
def test_aiohttp_errors_become_the_matching_httpx_errors(
    error: Exception, expected: type[httpx.TransportError]
) -> None:
    translated = as_httpx_error(error)
    assert type(translated) is expected
    assert str(translated)
    assert TOKEN not in str(translated)


def test_connect_error_message_names_host_and_reason_only() -> None:
    error = aiohttp.ClientConnectorError(_Key(), ConnectionRefusedError(111, "refused"))
    assert str(as_httpx_error(error)) == "cannot connect to eaas.aparavi.com:443: refused"


def test_without_aiohttp_the_async_client_sends_through_httpx_with_the_same_behaviour(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from aparavi_dtc import APITimeoutError, ResponseTooLargeError, ServerError
    from aparavi_dtc._transports import HttpxSender

    # aiohttp not installed:
    monkeypatch.setitem(sys.modules, "aparavi_dtc._transports.aiohttp_sender", None)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.9:9")  # a loopback service skips it
    big = {"status": "OK", "data": {"version": "x" * 5000}}
    server.script(
        respond(200, {"status": "OK", "data": {"version": "3.0"}}),
        respond(503, {"status": "Error", "error": "busy"}),
        respond(503, {"status": "Error", "error": "busy"}),
        respond(200, status_body(), delay=1.0),
        respond(200, big),
    )

    async def scenario() -> list[Any]:
        outcomes: list[Any] = []
        async with AsyncAparaviDTC(
            API_KEY, base_url=server.url, timeout=0.3, max_retries=1, max_response_size=4096
        ) as client:
            assert isinstance(client._sender, HttpxSender)
            outcomes.append((await client.version()).data.version)
            for call in (
                client.status,
                lambda: client.task("tok-0123456789", "cpu").get(max_retries=0),
                client.version,
            ):
                try:
                    outcomes.append(await call())
                except Exception as exc:
                    outcomes.append(type(exc))
        return outcomes

    assert asyncio.run(scenario()) == ["3.0", ServerError, APITimeoutError, ResponseTooLargeError]
    assert len(server.requests) == 5  # the 503 was retried once
