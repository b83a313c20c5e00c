"""What every sender shares: the :class:`Reply` it returns, the protocols the two clients
need of one, and the capped read of a response body."""

from __future__ import annotations

import ssl
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, NamedTuple, Protocol

import httpx

from .._types import Call, too_large

__all__ = [
    "CHUNK",
    "CLOSED_MESSAGE",
    "NoTLS",
    "Reply",
    "Sender",
    "SyncSender",
    "read_capped",
    "read_capped_sync",
    "speaks_no_tls",
]

CLOSED_MESSAGE = "Cannot send a request, as the client has been closed."


class Reply(NamedTuple):
    """A response as the base client reads it."""

    status: int
    headers: Mapping[str, str]  # case-insensitive
    content: bytes  # already decoded from any Content-Encoding


class SyncSender(Protocol):
    """What the sync client needs of an HTTP stack."""

    def send(self, call: Call[Any]) -> Reply:
        """Send ``call`` once; raise httpx's exception types for transport failures."""

    def close(self) -> None:
        """Release the stack's connections."""


class Sender(Protocol):
    """What the async client needs of an HTTP stack."""

    async def send(self, call: Call[Any]) -> Reply:
        """Send ``call`` once; raise httpx's exception types for transport failures."""

    async def aclose(self) -> None:
        """Release the stack's connections; ``send`` raises RuntimeError afterwards."""


class NoTLS(httpx.ConnectError):
    """The server answered the TLS handshake with bytes that are not TLS: it speaks plain
    HTTP (or something else) on that port. The base client makes it a ``NoTLSError``."""


#: What OpenSSL calls a first answer that is not a TLS record (OpenSSL 3.2 and later say
#: the record layer failed).
_NOT_TLS_REASONS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE"})


def speaks_no_tls(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, is OpenSSL finding that the
    server's answer to a handshake is not TLS (told by its ``reason``, not its words)."""
    for _ in range(8):  # a cause chain is short; never loop on a cycle
        if error is None:
            return False
        if isinstance(error, ssl.SSLError) and error.reason in _NOT_TLS_REASONS:
            return True
        error = error.__cause__ or error.__context__
    return False


def no_tls_or(error: httpx.ConnectError) -> httpx.ConnectError:
    """``error`` as :class:`NoTLS` when that is what it was; else ``error`` itself."""
    return NoTLS(str(error)) if speaks_no_tls(error) else error


#: Bytes of a body handed to, or read from, an HTTP stack at a time.
CHUNK = 64 * 1024


def read_capped_sync(
    chunks: Iterator[bytes],
    call: Call[Any],
    status: int,
    limit: int | None,
    budget: float | None,
) -> bytes:
    """:func:`read_capped` for the sync client: a thread has no timer to cancel a read, so
    the budget is checked as each chunk arrives (each wait for one is bounded by the
    transport's read timeout)."""
    deadline = None if budget is None else time.monotonic() + budget
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            raise too_large(call, status, limit)
        if deadline is not None and time.monotonic() > deadline:
            raise httpx.ReadTimeout("timed out reading the response")
    return b"".join(parts)


async def read_capped(
    chunks: AsyncIterator[bytes],
    call: Call[Any],
    status: int,
    limit: int | None,
    budget: float | None,
) -> bytes:
    """A decoded body, read up to ``limit`` bytes and within ``budget`` seconds as a whole
    (None where the caller bounds it already): bounded in memory and in time, however the
    server sends it."""
    import asyncio  # here, so that the sync client never loads an event loop

    parts: list[bytes] = []
    size = 0
    async with asyncio.timeout(budget):
        async for chunk in chunks:
            parts.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                raise too_large(call, status, limit)
    return b"".join(parts)
