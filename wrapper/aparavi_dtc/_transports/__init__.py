"""How the clients move bytes: one interface, a sender per HTTP stack.

A sender takes a :class:`~aparavi_dtc._operations.Call`, sends it once and returns a
:class:`Reply` (status, headers, the whole decoded body, read within the client's size
limit and read timeout), raising transport failures as httpx's exception types, so that
one function (``BaseClient._retry_after_error``) decides retries and errors whichever
stack carried the request.

* ``base``: :class:`Reply`, the :class:`Sender` and :class:`SyncSender` protocols, the
  capped read;
* ``httpx_senders``: the sync client's sender and the async one through an httpx
  transport;
* ``deadline``: the httpx transports the SDK makes, whose responses are bounded as a whole;
* ``aiohttp_sender``: the async client's default stack when the aiohttp extra is
  installed, loaded only then.
"""

from __future__ import annotations

import httpx

from .._checks import TimeoutTypes
from .._limits import MAX_CONNECTIONS
from .base import CHUNK, CLOSED_MESSAGE, Reply, Sender, SyncSender, read_capped, read_capped_sync
from .httpx_senders import HttpxSender, SyncHttpxSender

__all__ = [
    "CHUNK",
    "CLOSED_MESSAGE",
    "HttpxSender",
    "Reply",
    "Sender",
    "SyncHttpxSender",
    "SyncSender",
    "default_sender",
    "default_sync_sender",
    "read_capped",
    "read_capped_sync",
]


def default_sender(base_url: str, timeout: TimeoutTypes, max_size: int | None) -> Sender:
    """aiohttp when it is installed (``aparavi-dtc[aiohttp]``), else httpx's async stack,
    set up as the sync client's: the same pool size, proxy and CA bundle, no ``.netrc``."""
    try:
        from .aiohttp_sender import AiohttpSender
    except ImportError:  # the extra is not installed
        from .deadline import make_transport  # it loads httpcore, which aiohttp never needs

        return HttpxSender(make_transport(httpx.AsyncHTTPTransport, base_url), max_size)
    return AiohttpSender(base_url, MAX_CONNECTIONS, timeout, max_size)


def default_sync_sender(
    base_url: str,
    headers: dict[str, str],
    timeout: TimeoutTypes,
    max_size: int | None,
    transport: httpx.BaseTransport | None = None,
) -> SyncSender:
    """The sync client's sender: over ``transport``, or the SDK's own httpx transport (the
    pool size, proxy and CA bundle of the environment, whole responses bounded)."""
    if transport is None:
        from .deadline import make_transport

        transport = make_transport(httpx.HTTPTransport, base_url)
    return SyncHttpxSender(transport, headers, timeout, max_size)
