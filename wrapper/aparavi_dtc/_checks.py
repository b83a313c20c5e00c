"""Checks of what callers pass: each returns the value once checked, or raises
``ValueError``/``TypeError`` before anything is sent."""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping
from typing import TypeAlias

import httpx

#: A timeout as httpx takes it: seconds for every phase, an ``httpx.Timeout``, or None.
TimeoutTypes: TypeAlias = float | httpx.Timeout | None


def check_base_url(url: str) -> str:
    """``url`` without a trailing slash: http(s), a host, no credentials, TLS off loopback."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"base_url must be an http(s) URL with a host, not {url!r}")
    if parsed.username or parsed.password:
        raise ValueError("base_url must not contain credentials; pass api_key instead")
    if parsed.scheme == "http" and not is_loopback(parsed.hostname):
        raise ValueError(
            f"base_url {url!r} uses plain http to a host that is not loopback: the API key "
            "would travel in clear. Use https."
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address; never a name that merely starts like one."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_timeout(timeout: TimeoutTypes) -> TimeoutTypes:
    """``timeout`` as given, once checked: seconds >= 0, an ``httpx.Timeout``, or None."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout >= 0:
        return timeout
    raise ValueError(f"timeout must be seconds >= 0, an httpx.Timeout or None, not {timeout!r}")


def check_max_retries(value: object) -> int:
    """``value`` as given, once checked: a whole number >= 0."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, not {value!r}")
    return value


def check_headers(headers: object) -> Mapping[str, str]:
    """Extra headers as given, once checked: a mapping of str to str without line breaks."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping of str to str, not {type(headers).__name__}")
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"headers must map str to str, not {name!r}: {type(value).__name__}")
        if not name.strip() or any(c in name + value for c in "\r\n\0"):
            raise ValueError(f"header {name!r} has an empty name or a line break")
    return headers


def check_token(token: object, what: str = "task token") -> str:
    """A token (of a task or a pipe) as given, once checked: a non-empty string."""
    if not isinstance(token, str):
        raise TypeError(f"{what} must be a string, not {type(token).__name__}")
    if not token.strip():
        raise ValueError(f"{what} must not be empty")
    return token


def check_task_id(token: object, type_: object) -> tuple[str, str]:
    """A task's token and type, once checked: non-empty strings."""
    return check_token(token, "task token"), check_token(type_, "task type")


def check_name(name: object) -> str | None:
    """An optional task or pipe name: None or a non-empty string."""
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"name must be a non-empty string or None, not {name!r}")
    return name


def check_threads(threads: object) -> int | None:
    """An optional thread count: None or an int from 1 to 16."""
    if threads is None:
        return None
    if not isinstance(threads, int) or isinstance(threads, bool):
        raise TypeError(f"threads must be an int from 1 to 16, not {threads!r}")
    if not 1 <= threads <= 16:
        raise ValueError(f"threads must be from 1 to 16, not {threads}")
    return threads
