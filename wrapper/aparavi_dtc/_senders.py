"""How the async client moves bytes, and what its two HTTP stacks share.

A sender takes a :class:`~._operations.Call` and returns a :class:`Reply`, raising failures
as httpx's exception types, so that one function (``BaseClient._retry_after_error``)
decides retries and errors whichever stack carried the request. :class:`HttpxSender` sends
through an httpx transport: the one a user gave, or httpx's own async stack when aiohttp
(an extra) is not installed; ``_aiohttp_sender.AiohttpSender`` sends over aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any, NamedTuple, Protocol

import httpx

from ._checks import TimeoutTypes
from ._config import MAX_CONNECTIONS
from ._operations import Call, async_content
from ._response import response_budget, too_large

CLOSED_MESSAGE = "Cannot send a request, as the client has been closed."


class Reply(NamedTuple):
    """A response as the base client reads it."""

    status: int
    headers: Mapping[str, str]  # case-insensitive
    content: bytes  # already decoded from any Content-Encoding


class Sender(Protocol):
    """What the async client needs of an HTTP stack."""

    async def send(self, call: Call[Any]) -> Reply:
        """Send ``call`` once; raise httpx's exception types for transport failures."""

    async def aclose(self) -> None:
        """Release the stack's connections; ``send`` raises RuntimeError afterwards."""


#: Bytes of a body handed to, or read from, an HTTP stack at a time.
CHUNK = 64 * 1024


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
    parts: list[bytes] = []
    size = 0
    async with asyncio.timeout(budget):
        async for chunk in chunks:
            parts.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                raise too_large(call, status, limit)
    return b"".join(parts)


def httpx_request(call: Call[Any]) -> httpx.Request:
    """``call`` as an httpx request, for a transport the user gave."""
    content, length = async_content(call)
    headers = call.headers
    if content is not None and not isinstance(content, bytes):
        headers = {**headers, "Content-Length": str(length)}  # streamed, yet not chunked
    return httpx.Request(
        call.method,
        call.url,
        headers=headers,
        content=content,
        extensions={"timeout": httpx.Timeout(call.timeout).as_dict()},
    )


class HttpxSender:
    """Sends through an httpx transport the user gave, such as ``httpx.MockTransport``."""

    def __init__(self, transport: httpx.AsyncBaseTransport, max_size: int | None) -> None:
        self._transport = transport
        self._max_size = max_size
        self._closed = False

    async def send(self, call: Call[Any]) -> Reply:
        if self._closed:
            raise RuntimeError(CLOSED_MESSAGE)
        response = await self._transport.handle_async_request(httpx_request(call))
        try:
            chunks = response.aiter_bytes()  # decoded as its Content-Encoding says
            budget = response_budget(call)  # a transport the user gave may bound only each read
            content = await read_capped(chunks, call, response.status_code, self._max_size, budget)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out reading the response") from None
        finally:
            await response.aclose()
        return Reply(response.status_code, response.headers, content)

    async def aclose(self) -> None:
        self._closed = True
        await self._transport.aclose()


def default_sender(base_url: str, timeout: TimeoutTypes, max_size: int | None) -> Sender:
    """aiohttp when it is installed (``aparavi-dtc[aiohttp]``), else httpx's async stack,
    set up as the sync client's: the same pool size, proxy and CA bundle, no ``.netrc``."""
    try:
        from ._aiohttp_sender import AiohttpSender
    except ImportError:  # the extra is not installed
        from ._deadline import make_transport  # it loads httpcore, which aiohttp never needs

        return HttpxSender(make_transport(httpx.AsyncHTTPTransport, base_url), max_size)
    return AiohttpSender(base_url, MAX_CONNECTIONS, timeout, max_size)
