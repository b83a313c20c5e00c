"""URL pieces both clients share: query encoding and the environment's proxy."""

from __future__ import annotations

import re
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
