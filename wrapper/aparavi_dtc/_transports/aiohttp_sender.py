"""The async client's default HTTP stack: aiohttp, when installed (``aparavi-dtc[aiohttp]``).

aiohttp costs about a third of httpx's async stack per request (BENCHMARKS.md). Its
failures are raised as httpx's exception types, as the package explains.
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl

from .._checks import TimeoutTypes
from .._config import CACHED_TASKS
from .._types import BodyError, Call, async_content, too_large
from .._url import env_proxy, uses_tls
from .base import CHUNK, CLOSED_MESSAGE, NoTLS, Reply, read_capped, speaks_no_tls


def client_timeout(timeout: TimeoutTypes) -> aiohttp.ClientTimeout:
    """What aiohttp bounds of ``timeout`` (as httpx takes it): making a new connection
    (``sock_connect``, httpx's ``connect``), which happens only when none is pooled.

    The rest is each attempt's own clock (:class:`_Attempt`), one timer rescheduled from
    phase to phase: getting a connection, pooled or new, within httpx's ``pool`` plus
    ``connect`` (aiohttp's ``connect`` would be a second timer on every request); writing,
    where aiohttp has no limit; and the whole response, where aiohttp's ``sock_read``
    limits only each wait for data.
    """
    return aiohttp.ClientTimeout(
        total=None, connect=None, sock_connect=httpx.Timeout(timeout).connect
    )


class _Attempt:
    """One attempt's clock: a connection (pooled or new) within the pool plus connect
    timeouts, then each chunk of a request body within the write timeout of the last,
    then the whole response, from its first byte to its last, within the read timeout of
    the request being written.

    Each phase's deadline is its start plus its bound, and phases only start later, so
    the earliest any deadline can fall is the attempt's start plus its smallest bound. One
    event-loop timer is set there; when it fires before the deadline of the phase then
    running, it is set again for that deadline. An attempt that ends in time (nearly all
    of them) costs one timer, however many phases it went through; ``timer`` (entered
    around the attempt) stays unarmed until the deadline has passed, then cancels it.
    """

    __slots__ = (
        "_deadline",
        "_handle",
        "_loop",
        "_read",
        "_write",
        "connecting",
        "timer",
        "writing",
    )

    def __init__(self, phases: httpx.Timeout) -> None:
        self._loop = loop = asyncio.get_running_loop()
        self._read, self._write = phases.read, phases.write
        pool, connect = phases.pool, phases.connect
        first = None if pool is None or connect is None else pool + connect
        now = loop.time()
        self._deadline = None if first is None else now + first
        self.timer = asyncio.timeout(None)
        self.connecting = True  # until the request's head is written
        self.writing = False
        bounds = [b for b in (first, self._read, self._write) if b is not None]
        self._handle: asyncio.TimerHandle | None = (
            loop.call_at(now + min(bounds), self._check) if bounds else None
        )

    def wrote(self) -> None:
        """A chunk of the body was taken: the next is due within the write timeout."""
        self.connecting = False
        self.writing = True
        self._due(self._write)

    def sent(self) -> None:
        """The request is written: its response is due within the read timeout."""
        self.connecting = self.writing = False
        self._due(self._read)

    def when(self) -> float | None:
        """The deadline of the phase running, in the event loop's time; None for none."""
        return self._deadline

    def _due(self, seconds: float | None) -> None:
        if seconds is None:
            self._deadline = None
            return
        self._deadline = deadline = self._loop.time() + seconds
        handle = self._handle
        if handle is None or handle.when() > deadline:
            if handle is not None:
                handle.cancel()
            self._handle = self._loop.call_at(deadline, self._check)

    def _check(self) -> None:
        """The timer fired: end the attempt if its phase is past its deadline, else wait
        for that deadline."""
        self._handle = None
        deadline = self._deadline
        if deadline is None:
            return  # a phase without a bound; a later phase sets a timer of its own
        if self._loop.time() >= deadline:
            self.timer.reschedule(deadline)  # cancels the attempt as asyncio.timeout does
        else:
            self._handle = self._loop.call_at(deadline, self._check)

    def done(self) -> None:
        """The attempt ended: its timer is not needed any more."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def error(self) -> httpx.TimeoutException:
        """What the clock running out means: only a request not yet written can be sent
        again safely (``_retry.should_retry``)."""
        if self.connecting:
            return httpx.ConnectTimeout("timed out connecting")
        if self.writing:
            return httpx.WriteTimeout("timed out sending the request body")
        return httpx.ReadTimeout("timed out reading the response")


#: The attempt being sent in this task, for :class:`_Request`.
_ATTEMPT: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar(
    "aparavi_dtc_attempt", default=None
)


class _Request(aiohttp.ClientRequest):
    """aiohttp's request, telling the attempt when it has been written.

    ``send`` returns once the request's head is written and its body (if any) is being
    written by a task of its own, which paces itself (:func:`paced_body`). aiohttp's trace
    hooks would tell the same, at ten awaited signals a request.
    """

    async def send(self, conn: Any) -> aiohttp.ClientResponse:
        response = await super().send(conn)
        attempt = _ATTEMPT.get()
        if attempt is not None and not attempt.writing:
            attempt.sent()
        return response


def as_httpx_error(exc: Exception) -> httpx.TransportError:
    """The httpx exception that says what ``exc`` from aiohttp says.

    What matters is whether the request can have reached the server: only then is it
    unsafe to send a start or an upload again (``_retry.should_retry``).
    """
    if isinstance(exc, aiohttp.ConnectionTimeoutError):  # waiting for or making a connection
        return httpx.ConnectTimeout("timed out connecting")
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        return httpx.ReadTimeout("timed out waiting for the response")
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, unreachable, DNS, TLS
        if speaks_no_tls(exc.os_error):
            return NoTLS(_describe(exc))
        return httpx.ConnectError(_describe(exc))
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError("Server disconnected without sending a complete response")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError("the response body ended early or was malformed")
    if isinstance(exc, aiohttp.ClientResponseError):  # an unreadable status line or headers
        return httpx.RemoteProtocolError(f"malformed response: {exc.message}")
    if isinstance(exc, aiohttp.ClientOSError):
        return httpx.ReadError(_describe(exc))
    return httpx.TransportError(f"{type(exc).__name__} in aiohttp")  # its text may hold the URL


def _describe(exc: aiohttp.ClientOSError) -> str:
    """An OS error's own words; aiohttp's message may carry the request's URL."""
    reason = exc.strerror or (str(exc.args[-1]) if exc.args else "") or type(exc).__name__
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port}: {reason}"
    return reason


async def _slices(content: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(content), CHUNK):
        yield content[start : start + CHUNK]


async def paced_body(
    content: bytes | AsyncIterator[bytes], attempt: _Attempt
) -> AsyncIterator[bytes]:
    """``content`` (bytes, or a streamed body's chunks) in chunks, each of which must be
    taken within the write timeout of the last; then the response's clock starts.

    aiohttp asks for the next chunk once the previous one is written, so a server that
    stops reading the body stops the asking, and the attempt's clock runs out.
    """
    chunks = _slices(content) if isinstance(content, bytes) else content
    attempt.wrote()
    async for chunk in chunks:
        yield chunk
        attempt.wrote()
    attempt.sent()


def _body_error(exc: BaseException) -> BodyError | None:
    """The streamed body's own error behind an aiohttp failure, if that is what it was:
    aiohttp reports whatever the body raised as a failure to write to the connection."""
    seen: BaseException | None = exc
    for _ in range(8):  # a cause chain is short; never loop on a cycle
        if seen is None or isinstance(seen, BodyError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class AiohttpSender:
    """Sends over one aiohttp session, made on first use inside the running event loop.

    aiohttp costs about a third of httpx's async stack per request (BENCHMARKS.md). The
    session keeps no cookies, follows no redirects, reads no ``.netrc``, and takes its proxy
    (:func:`env_proxy`) and CA bundle from the environment as httpx does.
    """

    def __init__(
        self, base_url: str, limit: int, timeout: TimeoutTypes, max_size: int | None
    ) -> None:
        self._max_size = max_size
        self._proxy = env_proxy(base_url)
        self._tls = uses_tls(base_url, self._proxy)
        self._limit = limit
        self._timeout = timeout
        self._default_timeout = client_timeout(timeout)
        self._default_phases = httpx.Timeout(timeout)
        self._targets: dict[str, yarl.URL] = {}
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError(CLOSED_MESSAGE)
        loop = asyncio.get_running_loop()
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit, ssl=self._ssl_context()),
                cookie_jar=aiohttp.DummyCookieJar(),
                proxy=self._proxy,
                request_class=_Request,  # tells each attempt when its request is written
            )
            # aiohttp resends GET, PUT and DELETE once by itself when a kept-alive
            # connection breaks; a PUT /task sent twice starts two tasks. Retries are the
            # base client's decision alone (test_faults fails if this stops working).
            self._session._retry_connection = False
            self._loop = loop
        elif loop is not self._loop:
            raise RuntimeError(
                "this AsyncAparaviDTC is bound to the event loop it first sent from; "
                "make one client per event loop"
            )
        return self._session

    def _target(self, url: str) -> yarl.URL:
        """``url`` parsed, kept for the URLs used last: a task polled again is not parsed
        again."""
        parsed = self._targets.get(url)
        if parsed is None:
            if len(self._targets) >= CACHED_TASKS:
                self._targets.clear()  # one call, so concurrent tasks cannot trip on it
            # The base client has already encoded the query; yarl need not check it again.
            parsed = yarl.URL(url, encoded=True) if url.isascii() else yarl.URL(url)
            self._targets[url] = parsed
        return parsed

    def _ssl_context(self) -> ssl.SSLContext | bool:
        # httpx's context: certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR. Loading it
        # takes tens of milliseconds, so a client of a plain-http loopback URL skips it.
        return httpx.create_ssl_context() if self._tls else True

    async def send(self, call: Call[Any]) -> Reply:
        session = self._open()
        if call.timeout is self._timeout:
            timeout, attempt = self._default_timeout, _Attempt(self._default_phases)
        else:
            timeout, attempt = client_timeout(call.timeout), _Attempt(httpx.Timeout(call.timeout))
        content, length = async_content(call)
        # Each request's own headers, never the session's: aiohttp would send those to a
        # proxy too, in its CONNECT, API key and all.
        headers, body = call.headers, None
        if content is not None:
            # A known length, so that the paced body is not sent chunked.
            headers = {**call.headers, "Content-Length": str(length)}
            body = paced_body(content, attempt)
        current = _ATTEMPT.set(attempt)
        # One coroutine from here to aiohttp: a poll is resumed three times, and each
        # frame between costs on every resumption.
        try:
            async with (
                attempt.timer,
                session.request(
                    call.method,
                    self._target(call.url),
                    headers=headers,
                    data=body,
                    allow_redirects=False,
                    timeout=timeout,
                ) as response,
            ):
                limit = self._max_size
                if response.content.is_eof():  # the whole body came with the headers
                    content = await response.read()
                    if limit is not None and len(content) > limit:
                        raise too_large(call, response.status, limit)
                else:
                    chunks = response.content.iter_chunked(CHUNK)
                    # No timer of its own: the attempt's clock bounds the whole response.
                    content = await read_capped(chunks, call, response.status, limit, None)
                return Reply(response.status, response.headers, content)
        except (TimeoutError, aiohttp.ClientError) as exc:
            if attempt.timer.expired():  # the attempt's clock ran out
                raise attempt.error() from None
            failure = _body_error(exc)
            if failure is not None:
                raise failure from None
            raise as_httpx_error(exc) from None
        finally:
            attempt.done()
            _ATTEMPT.reset(current)

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
