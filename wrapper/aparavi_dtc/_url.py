"""URL pieces both clients share: query encoding, the environment's proxy, and whether
TLS is needed at all."""

from __future__ import annotations

import re
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from ._checks import is_loopback

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def unreserved(text: str) -> bool:
    """Whether URL encoding leaves ``text`` as it is."""
    return _UNRESERVED.fullmatch(text) is not None


def query(params: Mapping[str, Any]) -> str:
    """``params`` encoded as ``urlencode(params, quote_via=quote)`` does, faster for the
    plain tokens and types that most requests carry."""
    return "&".join(f"{_quote(str(key))}={_quote(str(value))}" for key, value in params.items())


def _quote(text: str) -> str:
    return text if unreserved(text) else urllib.parse.quote(text, safe="")


def env_proxy(base_url: str) -> str | None:
    """The proxy that ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` name for ``base_url``,
    unless ``NO_PROXY`` exempts its host: read once, when the client is made, as httpx does.
    A loopback host never goes through a proxy: its plain ``http://`` would carry the key
    in clear to the proxy.
    """
    parts = urllib.parse.urlsplit(base_url)
    if parts.hostname and is_loopback(parts.hostname):
        return None
    proxies = urllib.request.getproxies_environment()
    if parts.hostname and urllib.request.proxy_bypass(parts.hostname):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def uses_tls(base_url: str, proxy: str | None) -> bool:
    """Whether a client of ``base_url`` can ever make a TLS connection.

    Every request goes to ``base_url`` (redirects are never followed), so only an https URL
    or a proxy can: a plain-http base URL (loopback only) sends in clear, proxy-free.
    """
    return urllib.parse.urlsplit(base_url).scheme == "https" or proxy is not None


def trust_nothing() -> ssl.SSLContext:
    """A TLS context for a client that never makes a TLS connection (:func:`uses_tls`).

    Loading the CA bundle takes tens of milliseconds of a first answer; this context loads
    none and verifies as strictly as the default one, so were it ever used, every
    certificate would be refused rather than any accepted.
    """
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
