"""The read timeout bounds a whole response, for the sync client's own httpx transport.

httpx applies its read timeout to each wait for data, so a server that sends a byte just
within it, again and again, holds a call for as long as it likes: while it sends the body
(which the client also bounds as it reads it) and while it sends the status line and
headers, before the client sees the response at all. Here, the connections of the client's
transport give a response, from its first byte to its last, the read timeout in all: the
clock starts at the first read after the request was written, and every later wait for data
gets only what is left of it. (The async client does the same over aiohttp; see
``_aiohttp_sender.py``.)
"""

from __future__ import annotations

import time
import typing
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["bound_responses"]


def bound_responses(transport: httpx.HTTPTransport) -> httpx.HTTPTransport:
    """Make every connection of ``transport`` bound each response as a whole.

    httpx offers no setting for a connection's network layer, so this wraps the one its
    connection pool holds (``_pool._network_backend``, httpcore's own hook). The tests of
    dripping servers fail should a later httpx or httpcore move it.
    """
    pool = typing.cast(typing.Any, transport)._pool
    pool._network_backend = _Backend(pool._network_backend)
    return transport


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
        self._writing = True  # a request is being written; the next read starts the clock
        self._deadline: float | None = None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._writing = True
        self._inner.write(buffer, timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        now = time.monotonic()
        if self._writing:  # the first read of a response: timeout is the read timeout
            self._writing = False
            self._deadline = None if timeout is None else now + timeout
        if self._deadline is not None:
            left = self._deadline - now
            if left <= 0:
                raise httpcore.ReadTimeout("timed out reading the response")
            timeout = left if timeout is None else min(timeout, left)
        return self._inner.read(max_bytes, timeout)

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
