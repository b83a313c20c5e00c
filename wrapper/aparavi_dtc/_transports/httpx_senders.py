"""The senders over httpx: the sync client's (:class:`SyncHttpxSender`, over the SDK's
own transport or one the user gave) and the async client's through an httpx transport
(:class:`HttpxSender`: one the user gave, or httpx's async stack when the aiohttp extra is
not installed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from .._checks import TimeoutTypes
from .._config import CACHED_TASKS
from .._types import Call, async_content, response_budget, sync_content
from .base import CLOSED_MESSAGE, Reply, no_tls_or, read_capped, read_capped_sync

__all__ = ["HttpxSender", "SyncHttpxSender", "httpx_request"]


class SyncHttpxSender:
    """Sends over one ``httpx.Client``, which holds the client's own headers: a call's
    headers are passed only when they are its own."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        headers: Mapping[str, str],
        timeout: TimeoutTypes,
        max_size: int | None,
    ) -> None:
        self._headers = headers
        self._max_size = max_size
        self._http = httpx.Client(
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
            # Proxies come from env_proxy(), as for the async client; the transport still
            # reads SSL_CERT_FILE / SSL_CERT_DIR. No .netrc, and a given transport is used
            # for every URL.
            trust_env=False,
            transport=transport,
        )
        self._urls: dict[str, httpx.URL] = {}

    def _url(self, url: str) -> httpx.URL:
        # httpx parses a URL given as a string on every request, a tenth of a poll's cost
        # (BENCHMARKS.md); a task's status URL is the same every time it is polled.
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= CACHED_TASKS:
                self._urls.clear()  # one call, so threads sharing the client cannot trip on it
            parsed = self._urls[url] = httpx.URL(url)
        return parsed

    def send(self, call: Call[Any]) -> Reply:
        body, own_headers = sync_content(call)  # a streamed body afresh on each attempt
        request = self._http.build_request(
            call.method,
            self._url(call.url),
            headers=None if own_headers is self._headers else own_headers,
            content=body,
            timeout=call.timeout,
        )
        try:
            response = self._http.send(request, stream=True)
        except httpx.ConnectError as exc:
            raise no_tls_or(exc) from exc
        try:
            chunks = response.iter_bytes()  # decoded as its Content-Encoding says
            status = response.status_code
            budget = response_budget(call)
            content = read_capped_sync(chunks, call, status, self._max_size, budget)
        finally:
            response.close()
        return Reply(status, response.headers, content)

    def close(self) -> None:
        self._http.close()


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
        try:
            response = await self._transport.handle_async_request(httpx_request(call))
        except httpx.ConnectError as exc:
            raise no_tls_or(exc) from exc
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
