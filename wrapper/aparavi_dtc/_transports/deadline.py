"""The read timeout bounds a whole response, for the httpx transports the SDK makes.

httpx applies its read timeout to each wait for data, so a server that sends a byte just
within it, again and again, holds a call for as long as it likes: while it sends the body
(which the client also bounds as it reads it) and while it sends the status line and
headers, before the client sees the response at all. Here, the connections of the client's
transport give a response, from its first byte to its last, the read timeout in all: the
clock starts at the first read after the request was written, and every later wait for data
gets only what is left of it. This serves the sync client, and the async client without
the aiohttp extra; over aiohttp, ``aiohttp_sender.py`` does the same.
"""

from __future__ import annotations

import time
import typing
from collections.abc import Iterable

import httpcore
import httpx

from .._config import DEFAULT_LIMITS
from .._url import env_proxy, trust_nothing, uses_tls

__all__ = ["bound_responses", "make_transport"]


Transport = typing.TypeVar("Transport", httpx.HTTPTransport, httpx.AsyncHTTPTransport)


def make_transport(kind: type[Transport], base_url: str) -> Transport:
    """The httpx transport the SDK sends through when the user gives none: its pool size,
    the environment's proxy, the CA bundle only where TLS can be used, whole responses
    bounded."""
    proxy = env_proxy(base_url)
    verify = True if uses_tls(base_url, proxy) else trust_nothing()
    return bound_responses(kind(limits=DEFAULT_LIMITS, proxy=proxy, verify=verify))


def bound_responses(transport: Transport) -> Transport:
    """Make every connection of ``transport`` bound each response as a whole.

    httpx offers no setting for a connection's network layer, so this wraps the one its
    connection pool holds (``_pool._network_backend``, httpcore's own hook). The tests of
    dripping servers fail should a later httpx or httpcore move it.
    """
    pool = typing.cast(typing.Any, transport)._pool
    backend = pool._network_backend
    if isinstance(transport, httpx.AsyncHTTPTransport):
        pool._network_backend = _AsyncBackend(backend)
    else:
        pool._network_backend = _Backend(backend)
    return transport


class _Clock:
    """One connection's response clock: started by the first read after a write."""

    __slots__ = ("_deadline", "_writing")

    def __init__(self) -> None:
        self._writing = True  # a request is being written; the next read starts the clock
        self._deadline: float | None = None

    def wrote(self) -> None:
        self._writing = True

    def left(self, timeout: float | None) -> float | None:
        """The timeout for the next wait for data, at most what is left of the response's."""
        now = time.monotonic()
        if self._writing:  # the first read of a response: timeout is the read timeout
            self._writing = False
            self._deadline = None if timeout is None else now + timeout
        if self._deadline is None:
            return timeout
        left = self._deadline - now
        if left <= 0:
            raise httpcore.ReadTimeout("timed out reading the response")
        return left if timeout is None else min(timeout, left)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _Stream(httpcore.NetworkStream):
    """A connection on which a response must arrive within one read timeout in all."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self._clock = _Clock()

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._clock.wrote()
        self._inner.write(buffer, timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clock.left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AsyncStream(inner)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return _AsyncStream(inner)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    """:class:`_Stream` for an event loop."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._clock = _Clock()

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._clock.wrote()
        await self._inner.write(buffer, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, self._clock.left(timeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)
