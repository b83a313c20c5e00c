"""Checks of what callers pass: each returns the value once checked, or raises
``ValueError``/``TypeError`` before anything is sent."""

from __future__ import annotations

import functools
import ipaddress
import math
import mimetypes
import os
import re
import urllib.parse
from collections.abc import Mapping
from typing import Final, TypeAlias

import httpx

from ._limits import MAX_CONNECTIONS, MAX_RETRIES, MAX_SECONDS, MAX_THREADS

#: A timeout as httpx takes it: seconds for every phase, an ``httpx.Timeout``, or None.
TimeoutTypes: TypeAlias = float | httpx.Timeout | None

#: Keys shorter than this cannot be masked safely (see ``_redact``), so they are refused.
MIN_KEY_LENGTH = 8
#: A task or pipe name travels in the query string; longer ones break URLs on the way.
MAX_NAME_LENGTH = 1000

_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
_TOKEN_CHARS = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a header name (RFC 9110)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_api_key(key: object, source: str) -> str:
    """The API key, stripped, once checked; errors never show it.

    It must be at least 8 visible ASCII characters: anything else cannot go in a header,
    or could not be masked in what the SDK shows.
    """
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f"an API key is needed: {source}")
    key = key.strip()  # a key pasted or read from a file often ends in a newline
    if not _VISIBLE_ASCII.fullmatch(key):
        raise ValueError(
            "the API key contains a character that cannot go in an HTTP header (a space, "
            "a line break, a control or a non-ASCII character): check how it was copied"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(
            f"the API key is shorter than {MIN_KEY_LENGTH} characters: it cannot be real, "
            "and could not be masked safely"
        )
    return key


def check_base_url(url: str, name: str = "base_url", *, if_empty: str = "") -> str:
    """``url`` without a trailing slash: http(s), a host, no credentials, TLS off loopback.

    Messages call it ``name`` (an argument, an option, an environment variable); an
    empty or blank ``url`` is an error that says ``if_empty``: what to do instead.
    """
    if not isinstance(url, str):
        raise TypeError(f"{name} must be a string, not {type(url).__name__}")
    if not url.strip():
        raise ValueError(f"{name} is empty: {if_empty or 'give the service URL'}")
    if _CONTROL.search(url) or " " in url:
        raise ValueError(f"{name} must not contain spaces or control characters: {url!r}")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{name} must be an http(s) URL with a host, not {url!r}")
    try:
        parsed.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        raise ValueError(f"{name} has a bad port (0 to 65535): {url!r}") from None
    if parsed.query or parsed.fragment:
        raise ValueError(f"{name} must not have a query or a fragment: {url!r}")
    if parsed.username or parsed.password:
        raise ValueError(f"{name} must not contain credentials: the API key goes apart")
    if parsed.scheme == "http" and not is_loopback(parsed.hostname):
        raise ValueError(
            f"{name} {url!r} uses plain http to a host that is not loopback: the API key "
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
    """``timeout`` as given, once checked: seconds above 0, an ``httpx.Timeout`` of such
    phases (None for a phase without a bound), or None for no timeout.

    Zero is refused: every request would fail at once, which no one means.
    """
    if timeout is None:
        return timeout
    if isinstance(timeout, httpx.Timeout):
        phases = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        if all(phase is None or is_timeout(phase) for phase in phases):
            return timeout
    elif is_timeout(timeout):
        return timeout
    raise ValueError(
        f"timeout must be seconds above 0 (at most 1e9), an httpx.Timeout of "
        f"such seconds, or None for no timeout; not {timeout!r}"
    )


def is_timeout(value: object) -> bool:
    """Whether ``value`` can bound a request: seconds (:func:`is_seconds`) above 0."""
    return is_seconds(value) and value > 0  # type: ignore[operator]


def env_timeout(name: str) -> float | None:
    """Seconds above 0 from the environment variable ``name``; None when it is not set."""
    text = os.environ.get(name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not is_timeout(value):
        raise ValueError(
            f"{name} must be seconds above 0 (at most 1e9), not {text!r}; unset it for the default"
        )
    return value


def env_max_retries(name: str) -> int | None:
    """A retry count (:func:`check_max_retries`) from the environment variable ``name``;
    None when it is not set."""
    text = os.environ.get(name)
    if text is None:
        return None
    try:
        return check_max_retries(int(text))
    except ValueError:
        raise ValueError(
            f"{name} must be a whole number from 0 to {MAX_RETRIES}, not {text!r}; "
            "unset it for the default"
        ) from None


def is_seconds(value: object) -> bool:
    """Whether ``value`` is a number of seconds from 0 to :data:`MAX_SECONDS` (not a bool)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_SECONDS
    )


def check_seconds(value: object, name: str, *, none_allowed: bool) -> None:
    """Raise ``ValueError`` naming ``name`` unless ``value`` is seconds (:func:`is_seconds`),
    or None where that is allowed (no limit)."""
    if (value is None and none_allowed) or is_seconds(value):
        return
    either = " or None" if none_allowed else ""
    raise ValueError(f"{name} must be finite seconds >= 0 (at most 1e9){either}, not {value!r}")


def check_max_retries(value: object) -> int:
    """``value`` as given, once checked: a whole number from 0 to :data:`MAX_RETRIES`."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_RETRIES:
        raise ValueError(
            f"max_retries must be a whole number from 0 to {MAX_RETRIES}, not {value!r}"
        )
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
        if not _TOKEN_CHARS.fullmatch(name):
            raise ValueError(
                f"header name {name!r} is not a valid HTTP header name (no spaces, colons or "
                "control characters)"
            )
        if _CONTROL.search(value.replace("\t", "")):
            raise ValueError(f"header {name!r} has a line break or a control character")
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
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string or None, not {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"name is {len(name)} characters long; at most {MAX_NAME_LENGTH}")
    if _CONTROL.search(name):
        raise ValueError(f"name must not contain control characters: {name!r:.80}")
    return name


def check_threads(threads: object) -> int | None:
    """An optional thread count: None or an int from 1 to :data:`MAX_THREADS`."""
    if threads is None:
        return None
    if not isinstance(threads, int) or isinstance(threads, bool):
        raise TypeError(f"threads must be an int from 1 to {MAX_THREADS}, not {threads!r}")
    if not 1 <= threads <= MAX_THREADS:
        raise ValueError(f"threads must be from 1 to {MAX_THREADS}, not {threads}")
    return threads


def check_wait_args(timeout: object, poll_interval: object) -> None:
    """Raise ``ValueError`` for a timeout or poll interval that is not finite seconds >= 0."""
    check_seconds(timeout, "timeout", none_allowed=True)
    check_seconds(poll_interval, "poll_interval", none_allowed=False)


#: The most uploads ``process()`` keeps in flight: a client's connections.
MAX_CONCURRENCY: Final = MAX_CONNECTIONS


def check_concurrency(concurrency: object) -> int:
    """``concurrency`` once checked: an int from 1 to :data:`MAX_CONCURRENCY`."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int):
        raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(
            f"concurrency must be from 1 to {MAX_CONCURRENCY} (a client's connections), "
            f"not {concurrency}"
        )
    return concurrency


def check_file_name(name: object) -> str:
    """A file's name as the service is told it: a string, not empty, no control character
    (it travels in a header)."""
    if not isinstance(name, str):
        raise TypeError(f"a file's name must be a string, not {type(name).__name__}")
    if not name or _CONTROL.search(name):
        raise ValueError(f"file name {name!r} is empty or has a line break or control character")
    return name


def guess_content_type(name: str) -> str:
    """The content type a file's name suggests (``application/octet-stream`` for none)."""
    return _content_type(name[name.find(".") :] if "." in name else "")


@functools.lru_cache(maxsize=256)
def _content_type(suffixes: str) -> str:
    # The same for every file of a kind (``.pdf``, ``.tar.gz``), so guessed once per kind.
    return mimetypes.guess_type("file" + suffixes)[0] or "application/octet-stream"
