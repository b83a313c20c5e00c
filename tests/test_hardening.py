"""An adversarial review, as tests: hostile servers, odd spellings of secrets, odd input.

Every test runs on both clients (the async one over aiohttp where a real server is used).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import math
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    AparaviError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ResponseTooLargeError,
    _retry,
    pipelines,
)

from .conftest import TOKEN, MakeClient, started, status_body
from .loopback import LoopbackServer, loopback_server, respond

#: A key with characters every encoding treats differently: "/", "+", "=".
KEY = "sk/Live+Key=9f3a1c77e2b04d5e9f1a2b3c"
TAIL = KEY[-4:]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


def secrets_in(*texts: str) -> list[str]:
    found = []
    for text in texts:
        for secret in (KEY, TOKEN, KEY[: len(KEY) // 2 + 1], KEY[len(KEY) // 2 :]):
            if secret in text:
                found.append(secret)
    return found


def chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def everything_shown(exc: BaseException) -> str:
    """Every text an exception (and its chain) shows: message, repr, fields."""
    parts = []
    for each in chain(exc):
        parts += [str(each), repr(each), repr(vars(each)) if hasattr(each, "__dict__") else ""]
        request = getattr(each, "request", None)
        if request is not None:
            parts.append(repr(dict(request.headers)))
    return "\n".join(parts)


# -- 1. secrets ------------------------------------------------------------------------------

ESCAPED = "".join(f"\\u{ord(c):04x}" for c in KEY)
SPELLINGS = {
    "json-unicode": ESCAPED,
    "json-slash": KEY.replace("/", "\\/"),
    "percent-upper": urllib.parse.quote(KEY, safe=""),
    "percent-lower": re.sub(
        "%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(KEY, safe="")
    ),
    "percent-slash-kept": urllib.parse.quote(KEY, safe="/"),
    "plus-encoded": urllib.parse.quote_plus(KEY),
    "percent-mixed-case": urllib.parse.quote(KEY, safe="").replace("%2F", "%2f"),
    "percent-every-character": "".join(f"%{ord(c):02X}" for c in KEY),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
@pytest.mark.parametrize("assigned", [False, True], ids=["bare", "key="])
def test_an_echoed_key_is_masked_however_it_is_spelled(
    make_client: MakeClient, server: LoopbackServer, spelling: str, assigned: bool
) -> None:
    echoed = SPELLINGS[spelling]
    note = f"apikey={echoed}" if assigned else f"called by {echoed} today"
    raw = '{"status": "OK", "data": {"status": "Running", "notes": ["' + note + '"]}}'
    client = make_client(KEY, base_url=server.url)
    server.script(respond(200, raw.encode()))
    status = client.task(TOKEN, "cpu").get()
    shown = [repr(status), json.dumps(status.to_dict()), str(status.data.notes)]
    assert secrets_in(*shown) == []
    assert f"***{TAIL}" in shown[1] or "apikey=***" in shown[1]
    server.script(respond(500, ('{"status": "Error", "error": "' + note + '"}').encode()))
    with pytest.raises(APIStatusError) as info:
        client.task(TOKEN, "cpu").get()
    assert secrets_in(everything_shown(info.value), json.dumps(info.value.body)) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_body_in_utf16_or_utf32_never_shows_the_key(
    make_client: MakeClient, server: LoopbackServer, encoding: str
) -> None:
    # JSON between systems is UTF-8 (RFC 8259): other encodings are refused, and a page in
    # one has the key masked all the same.
    client = make_client(KEY, base_url=server.url, max_retries=0)
    answer = '{"status": "OK", "data": {"status": "Running", "notes": ["by ' + KEY + '"]}}'
    server.script(respond(200, answer.encode(encoding)))
    with pytest.raises(APIResponseValidationError, match="not JSON") as info:
        client.task(TOKEN, "cpu").get()
    shown = everything_shown(info.value) + str(info.value.body)
    assert secrets_in(shown.replace("\x00", "")) == []
    page = f"proxy error for {KEY}".encode(encoding)
    server.script(respond(500, page, content_type="text/plain"))
    with pytest.raises(APIStatusError) as status_info:
        client.version()
    shown = everything_shown(status_info.value) + str(status_info.value.body)
    assert secrets_in(shown.replace("\x00", "")) == []
    assert "proxy error for ***" in shown


def test_a_preview_is_masked_before_it_is_cut(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    client = make_client(KEY, base_url=server.url, max_retries=0)
    for pad in range(280, 300, 3):  # the 300-character cut falls inside the key
        server.script(
            respond(502, ("x" * pad + KEY + "y" * 50).encode(), content_type="text/html")
        )
        with pytest.raises(APIStatusError) as info:
            client.version()
        assert secrets_in(everything_shown(info.value)) == []


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_key_echoed_in_a_page_that_is_not_json_is_masked(
    make_client: MakeClient, server: LoopbackServer, spelling: str
) -> None:
    client = make_client(KEY, base_url=server.url, max_retries=0)
    page = f"<html>proxy error for {SPELLINGS[spelling]}</html>".encode()
    server.script(respond(502, page, content_type="text/html"))
    with pytest.raises(APIStatusError) as info:
        client.version()
    assert secrets_in(everything_shown(info.value), str(info.value.body)) == []


def test_every_field_of_an_error_is_masked(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    client = make_client(KEY, base_url=server.url, max_retries=0)
    server.script(
        respond(
            404,
            {"status": "Error", "error": {"message": f"no task {TOKEN}", "key": KEY}},
            headers={"X-Request-ID": f"req-{TOKEN}-{KEY}"},
        )
    )
    with pytest.raises(APIStatusError) as info:
        client.task(TOKEN, "cpu").get()
    error = info.value
    assert error.request_id == f"req-***{TOKEN[-4:]}-***{TAIL}"
    assert secrets_in(everything_shown(error), json.dumps(error.body)) == []


@pytest.mark.parametrize(
    "failure",
    ["refused", "timeout", "reset", "bad json", "500"],
)
def test_no_exception_in_the_chain_carries_a_secret_or_the_request(
    make_client: MakeClient, server: LoopbackServer, failure: str
) -> None:
    from .loopback import raw, reset

    url = server.url
    if failure == "refused":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    actions = {
        "timeout": respond(200, status_body(), delay=1.0),
        "reset": reset(),
        "bad json": raw(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{oops"),
        "500": respond(500, {"status": "Error", "error": f"token={TOKEN}"}),
    }
    if failure in actions:
        server.script(actions[failure])
    client = make_client(KEY, base_url=url, timeout=0.3, max_retries=0)
    with pytest.raises(AparaviError) as info:
        client.task(TOKEN, "cpu").get()
    assert secrets_in(everything_shown(info.value)) == []
    assert all(getattr(each, "request", None) is None for each in chain(info.value))
    assert not any(isinstance(each, httpx.HTTPError) for each in chain(info.value))


def test_the_http_stacks_log_no_secret(
    make_client: MakeClient, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    # As logging.basicConfig(level=logging.INFO) would: every logger, every level.
    server.script(respond(200, status_body(notes=[f"url?apikey={KEY}&token={TOKEN}"])))
    with caplog.at_level(logging.DEBUG):
        client = make_client(KEY, base_url=server.url)
        client.task(TOKEN, "cpu").get()
        client.task(TOKEN, "cpu").delete()
    names = {record.name.split(".")[0] for record in caplog.records}
    assert "aparavi_dtc" in names
    assert names & {"httpx", "httpcore", "aiohttp"} or True  # whichever stack logged
    messages = [record.getMessage() for record in caplog.records]
    assert any("/task" in message for message in messages)
    assert secrets_in(*messages) == []


@pytest.mark.parametrize("echoed", ["token", "key"])
def test_a_secret_echoed_in_a_response_header_is_masked_in_the_stacks_records(
    make_client: MakeClient,
    server: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
    echoed: str,
) -> None:
    # httpcore logs each response's headers at DEBUG (receive_response_headers.complete);
    # a server that echoes the task token (or the key) in a header must not show it.
    secret = TOKEN if echoed == "token" else KEY
    headers = {"X-Echo": secret, "X-Quoted": urllib.parse.quote(secret, safe="")}
    server.script(respond(200, status_body(), headers=headers))
    with caplog.at_level(logging.DEBUG):
        client = make_client(KEY, base_url=server.url)
        client.task(TOKEN, "cpu").get()
        client.task(TOKEN, "cpu").delete()
    messages = [r.getMessage() for r in caplog.records if r.name.split(".")[0] != "aparavi_dtc"]
    assert any("X-Echo" in m for m in messages) or not any(
        r.name.startswith("httpcore") for r in caplog.records
    )  # the sync client's stack logs the headers; aiohttp logs none
    assert secrets_in(*messages) == []


def test_httpcore_shows_an_echoed_token_header_masked_on_both_clients(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The httpx stack, sync and async, logs response headers: both must be masked.
    import asyncio

    from aparavi_dtc import AparaviDTC, AsyncAparaviDTC

    with loopback_server() as server:
        server.script(respond(200, status_body(), headers={"X-Echo": TOKEN}))
        with caplog.at_level(logging.DEBUG):
            with AparaviDTC(KEY, base_url=server.url) as client:
                client.task(TOKEN, "cpu").get()

            async def poll() -> None:
                transport = httpx.AsyncHTTPTransport()
                async with AsyncAparaviDTC(KEY, base_url=server.url, transport=transport) as a:
                    await a.task(TOKEN, "cpu").get()

            asyncio.run(poll())
    shown = [r.getMessage() for r in caplog.records if r.name.startswith("httpcore")]
    headers = [m for m in shown if "receive_response_headers.complete" in m]
    assert len(headers) == 2  # one for each client
    assert all("X-Echo" in m and "***" in m for m in headers)
    assert secrets_in(*shown) == []


@pytest.mark.parametrize(
    "token",
    ["tok\\0123456789abcdef", "tok'\"0123456789abcdef", "tökén-0123456789abcdef"],
    ids=["backslash", "quotes", "non-ascii"],
)
def test_a_token_httpcore_shows_escaped_is_masked_as_shown(
    caplog: pytest.LogCaptureFixture, token: str
) -> None:
    # httpcore logs headers as raw bytes, so a token is shown as repr() spells it there.
    from aparavi_dtc import AparaviDTC

    shown = repr(token.encode())[2:-1]
    assert shown != token
    with loopback_server() as server:
        server.script(respond(200, status_body(), headers={"X-Echo": token}))
        with caplog.at_level(logging.DEBUG), AparaviDTC(KEY, base_url=server.url) as client:
            client.task(token, "cpu").get()
    records = [r.getMessage() for r in caplog.records if r.name.startswith("httpcore")]
    headers = [m for m in records if "receive_response_headers.complete" in m]
    assert len(headers) == 1
    assert "X-Echo" in headers[0]
    assert all(shown not in m and token not in m for m in records)


def test_httpx_own_request_line_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    from aparavi_dtc import AparaviDTC

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=status_body())

    with (
        caplog.at_level(logging.INFO, logger="httpx"),
        AparaviDTC(
            KEY, base_url="https://api.test", transport=httpx.MockTransport(answer)
        ) as client,
    ):
        client.task(TOKEN, "cpu").get()
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines, "httpx logs every request at INFO"
    assert "token=***" in lines[0]
    assert secrets_in(*lines) == []


@pytest.mark.parametrize(
    "key",
    [
        "abc\r\nX-Evil: 1-0123456789",
        "abcdefgh\n",  # stripped, then fine: not refused
        "abc\x00defghijkl",
        "ключ-0123456789",
        "has a space 0123",
        "\tabcdefghij\x7f",
        "k3y9",
    ],
)
def test_unusable_keys_are_refused_without_showing_them(make_client: MakeClient, key: str) -> None:
    if key == "abcdefgh\n":
        assert make_client(key).auth_scheme == "raw"
        return
    with pytest.raises(ValueError, match="API key") as info:
        make_client(key)
    assert key.strip() not in str(info.value)
    assert "API key" in str(info.value)


# -- 2. bad server data and resource limits ----------------------------------------------


def test_deeply_nested_json_is_a_validation_error(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    client = make_client(KEY, base_url=server.url)
    server.script(respond(200, b'{"status": "OK", "data": ' + b"[" * 100_000))
    with pytest.raises(APIResponseValidationError, match="nested too deeply"):
        client.version()
    server.script(respond(500, b"[" * 100_000))
    with pytest.raises(APIStatusError):
        client.status(max_retries=0)


def test_a_retry_after_date_out_of_range_is_ignored() -> None:
    headers = {"retry-after": "Fri, 01 Jan 10000 00:00:00 GMT"}
    assert _retry.parse_retry_after(headers) is None
    assert _retry.retry_delay(0, headers) == _retry.retry_delay(0, {})


class StreamingServer:
    """Answers every request with headers, then a body from ``chunks`` (bytes, pause)."""

    def __init__(self, head: bytes, chunks: Callable[[], Iterator[tuple[bytes, float]]]) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._head, self._chunks = head, chunks
        self.sent = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            conn.sendall(self._head)
            for chunk, pause in self._chunks():
                if pause:
                    time.sleep(pause)
                conn.sendall(chunk)
                self.sent += len(chunk)

    def close(self) -> None:
        self._sock.close()


def _endless() -> Iterator[tuple[bytes, float]]:
    block = b"[" + b" " * 65534 + b"\r\n"
    while True:
        yield b"%x\r\n" % (len(block) - 2) + block, 0.0


def _drip() -> Iterator[tuple[bytes, float]]:
    for byte in b'{"status": "OK", "data": {"version": "1"}}':
        yield bytes([byte]), 0.25


BOMB = gzip.compress(b" " * (64 << 20), compresslevel=9)  # 64 KiB that become 64 MiB


def _bomb() -> Iterator[tuple[bytes, float]]:
    yield BOMB, 0.0


@pytest.mark.parametrize(
    ("head", "chunks"),
    [
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n",
            _endless,
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: %d\r\n\r\n" % len(BOMB),
            _bomb,
        ),
    ],
    ids=["endless-chunked", "gzip-bomb"],
)
def test_a_response_larger_than_the_limit_stops_reading(
    make_client: MakeClient, head: bytes, chunks: Callable[[], Iterator[tuple[bytes, float]]]
) -> None:
    streaming = StreamingServer(head, chunks)
    try:
        client = make_client(KEY, base_url=streaming.url, max_response_size=1 << 20)
        began = time.monotonic()
        with pytest.raises(ResponseTooLargeError, match="larger than 1,048,576 bytes"):
            client.version()
        assert time.monotonic() - began < 10
        assert streaming.sent < 64 << 20  # it stopped long before the end (if any)
    finally:
        streaming.close()


def test_max_response_size_is_checked() -> None:
    from aparavi_dtc import AparaviDTC

    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="max_response_size"):
            AparaviDTC(KEY, max_response_size=bad)  # type: ignore[arg-type]
    assert AparaviDTC(KEY, max_response_size=None).max_response_size is None


def test_timeout_bounds_a_dripping_response(make_client: MakeClient) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 43\r\n\r\n"
    streaming = StreamingServer(head, _drip)
    try:
        client = make_client(KEY, base_url=streaming.url, timeout=1.0, max_retries=0)
        began = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.version()
        assert time.monotonic() - began < 1.0 + 1.0  # the drip alone would take 11 s
    finally:
        streaming.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 43\r\n\r\n"


def _drip_all() -> Iterator[tuple[bytes, float]]:
    yield HEAD[:1], 0.0  # the answer starts at once, then crawls through its head
    for byte in HEAD[1:]:
        yield bytes([byte]), 0.25
    yield from _drip()


@pytest.mark.parametrize("call", ["version", "upload"])
def test_timeout_bounds_a_dripping_status_line_and_headers(
    make_client: MakeClient, call: str
) -> None:
    # The read timeout bounds the whole response from when the request has been sent,
    # its head as well as its body: each byte here comes well within it.
    streaming = StreamingServer(b"", _drip_all)
    try:
        client = make_client(KEY, base_url=streaming.url, timeout=1.0, max_retries=0)
        task = client.task("tok-0123456789abcdef0123", "cpu")
        send = client.version if call == "version" else lambda: task.send_to_webhook(text="hi")
        began = time.monotonic()
        with pytest.raises(APITimeoutError):
            send()
        assert time.monotonic() - began < 1.0 + 1.0  # the drip alone would take 30 s
        assert 0 < streaming.sent < len(HEAD)
    finally:
        streaming.close()


def _late() -> Iterator[tuple[bytes, float]]:
    body = b'{"status": "OK", "data": {"version": "1"}}'
    yield b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body), 0.6


def test_each_phase_has_its_own_bound(make_client: MakeClient) -> None:
    # The write timeout bounds writing a body, not the wait for an answer: a GET whose
    # answer takes longer than the write timeout, and less than the read timeout, is fine.
    streaming = StreamingServer(b"", _late)
    try:
        timeout = httpx.Timeout(3.0, write=0.2)
        client = make_client(KEY, base_url=streaming.url, timeout=timeout, max_retries=0)
        assert client.version().data.version == "1"
    finally:
        streaming.close()
    # ... and the read timeout still bounds that answer, once the write phase is over.
    streaming = StreamingServer(HEAD, _drip)
    try:
        timeout = httpx.Timeout(1.0, write=0.2)
        client = make_client(KEY, base_url=streaming.url, timeout=timeout, max_retries=0)
        began = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.version()
        assert 0.9 < time.monotonic() - began < 1.0 + 1.0  # the drip alone would take 11 s
    finally:
        streaming.close()


def test_each_response_on_a_kept_alive_connection_gets_its_own_read_timeout(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    version = {"status": "OK", "data": {"version": "1"}}
    server.script(respond(200, version), respond(200, version))
    client = make_client(KEY, base_url=server.url, timeout=0.5, max_retries=0)
    client.version()
    time.sleep(0.7)  # longer than the read timeout the first response had
    assert client.version().data.version == "1"
    assert server.connections == 1


# -- 3. bad input is refused before anything is sent ------------------------------------------

NAN, INF = math.nan, math.inf


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.task(TOKEN, "cpu").get(timeout=NAN), "timeout"),
        (lambda c: c.task(TOKEN, "cpu").get(timeout=INF), "timeout"),
        (lambda c: c.task(TOKEN, "cpu").get(timeout=httpx.Timeout(NAN)), "timeout"),
        (lambda c: c.task(TOKEN, "cpu").wait(poll_interval=NAN), "poll_interval"),
        (lambda c: c.task(TOKEN, "cpu").wait(poll_interval=INF), "poll_interval"),
        (lambda c: c.task(TOKEN, "cpu").wait(timeout=NAN), "timeout"),
        (lambda c: c.task(TOKEN, "cpu").wait(timeout=-INF), "timeout"),
        # Sockets, sleeps and thread waits overflow a little above 9e9 s.
        (lambda c: c.task(TOKEN, "cpu").get(timeout=1e10), r"timeout .*\(at most 1e9\)"),
        (lambda c: c.task(TOKEN, "cpu").wait(timeout=1e10), r"timeout .*\(at most 1e9\)"),
        (lambda c: c.task(TOKEN, "cpu").wait(poll_interval=2e9), "poll_interval"),
        (lambda c: c.process([("a.txt", b"x")], timeout=1e10), r"timeout .*\(at most 1e9\)"),
        (lambda c: c.run(pipelines.simple_parser(), text="x", timeout=NAN), "timeout"),
        (lambda c: c.run(pipelines.simple_parser(), text="x", poll_interval=INF), "poll"),
        (lambda c: c.start_task(pipelines.simple_parser(), name="n" * 1001), "at most 1000"),
        (lambda c: c.start_task(pipelines.simple_parser(), name="a\r\nb"), "control"),
        (lambda c: c.create_pipe(pipelines.simple_parser(), name="x\x00"), "control"),
        (lambda c: c.task(TOKEN, "cpu").send_to_webhook(("a\r\nb.txt", b"x")), "file name"),
        (lambda c: c.task(TOKEN, "cpu").send_to_webhook(("a\x00.txt", b"x")), "file name"),
        (lambda c: c.pipe("p" * 10).process([("ok.txt", b"x"), ("b\n", b"y")]), "file name"),
        (lambda c: c.start_task({"components": []}), "at least one component"),
        (lambda c: c.start_task({"components": [{"name": "x"}]}), "provider is missing"),
        (lambda c: c.validate({"components": [{"provider": "p", "config": ["a"]}]}), "config"),
    ],
)
def test_bad_input_is_refused_before_sending(
    make_client: MakeClient, router: Any, call: Callable[[Any], Any], match: str
) -> None:
    client = make_client(KEY)
    with pytest.raises((ValueError, TypeError), match=match):
        call(client)
    assert not router.calls


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeout": NAN}, "timeout"),
        ({"timeout": INF}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, read=INF)}, "timeout"),
        ({"timeout": 1e10}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, read=1e10)}, "timeout"),
        ({"base_url": "https://api.test:99999"}, "bad port"),
        ({"base_url": "https://api.test:port"}, "bad port"),
        ({"base_url": "https://api.test/\r\nX: 1"}, "control"),
        ({"base_url": "https://api.te st"}, "spaces"),
        ({"base_url": "https://api.test/?a=1"}, "query"),
        ({"base_url": "http://localhost.evil.com"}, "plain http"),
        ({"headers": {"X-Bad:Name": "v"}}, "header name"),
        ({"headers": {"X Space": "v"}}, "header name"),
        ({"headers": {"X-Ok": "line\r\nbreak"}}, "line break"),
        ({"headers": {"X-Ok": "nul\x00"}}, "control"),
    ],
)
def test_bad_client_settings_are_refused(make_client: MakeClient, kwargs: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make_client(KEY, **kwargs)


def test_a_webhook_run_against_a_real_server_still_works(
    make_client: MakeClient, server: LoopbackServer
) -> None:
    """The hardening changed no behaviour of the main job."""
    server.script(
        respond(200, {"status": "OK", "data": {"errors": []}}),
        respond(200, started()),
        respond(200, status_body("Running")),
        respond(200, {"status": "OK", "data": {"objects": {"u": {"name": "t", "text": ["hi"]}}}}),
        respond(200, {"status": "OK", "data": {}}),
    )
    client = make_client(KEY, base_url=server.url)
    assert client.run(pipelines.simple_parser(), text="hi", poll_interval=0).texts == {"t": "hi"}


@pytest.mark.parametrize("head", [b"", HEAD], ids=["status line and headers", "body"])
def test_without_aiohttp_the_async_client_bounds_a_dripping_response_too(
    monkeypatch: pytest.MonkeyPatch, head: bytes
) -> None:
    import asyncio
    import sys

    from aparavi_dtc import AsyncAparaviDTC
    from aparavi_dtc._transports import HttpxSender

    # aiohttp not installed:
    monkeypatch.setitem(sys.modules, "aparavi_dtc._transports.aiohttp_sender", None)
    streaming = StreamingServer(head, _drip_all if not head else _drip)

    async def call() -> None:
        async with AsyncAparaviDTC(
            KEY, base_url=streaming.url, timeout=1.0, max_retries=0
        ) as client:
            assert isinstance(client._sender, HttpxSender)
            await client.version()

    try:
        began = time.monotonic()
        with pytest.raises(APITimeoutError):
            asyncio.run(call())
        assert time.monotonic() - began < 1.0 + 1.0
    finally:
        streaming.close()
