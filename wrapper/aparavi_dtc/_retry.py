"""When to try a request again, and how long to wait first. Pure functions, no I/O."""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping

import httpx

from ._config import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

#: Statuses worth another try of a request that may safely be repeated.
RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})


def should_retry(
    *,
    idempotent: bool,
    attempt: int,
    max_retries: int,
    status_code: int | None = None,
    error: Exception | None = None,
) -> bool:
    """Decide whether attempt number ``attempt`` (0 is the first) is followed by another.

    A request that may not be repeated (starting a task, uploading) is retried only when
    it cannot have reached the server: the connection was refused or could not be made
    in time. Others are retried on any transport error and on 408, 429, 502, 503, 504.
    """
    if attempt >= max_retries:
        return False
    if error is not None:
        if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return True
        return idempotent and isinstance(error, httpx.TransportError)
    return idempotent and status_code in RETRY_STATUSES


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or HTTP date), if usable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        try:
            when = email.utils.mktime_tz(parsed)
        except (ValueError, OverflowError):  # a date beyond what the calendar holds
            return None
        seconds = when - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    now: float | None = None,
    jitter: float | None = None,
) -> float:
    """Seconds to wait before attempt ``attempt + 1``.

    ``Retry-After`` wins when present (capped at :data:`MAX_RETRY_AFTER`); otherwise
    exponential backoff from :data:`INITIAL_RETRY_DELAY`, capped at :data:`MAX_RETRY_DELAY`,
    with up to 25 % taken off at random so that many clients do not retry in step.
    """
    if headers is not None:
        asked = parse_retry_after(headers, now=now)
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
    base = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    fraction = random.random() if jitter is None else jitter
    return base * (1.0 - 0.25 * fraction)
