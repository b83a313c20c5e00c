"""Retry policy as a table: which failures are retried and how long to wait."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from aparavi_dtc import (
    _retry,
)
from aparavi_dtc._config import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

REQUEST = httpx.Request("GET", "https://api.test/task")
NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("idempotent", "status", "error", "expected"),
    [
        (True, 408, None, True),
        (True, 429, None, True),
        (True, 502, None, True),
        (True, 503, None, True),
        (True, 504, None, True),
        (True, 500, None, False),
        (True, 401, None, False),
        (True, 404, None, False),
        (True, 200, None, False),
        (False, 503, None, False),
        (False, 429, None, False),
        (True, None, httpx.ConnectError("refused", request=REQUEST), True),
        (True, None, httpx.ReadTimeout("slow", request=REQUEST), True),
        (True, None, httpx.RemoteProtocolError("reset", request=REQUEST), True),
        (False, None, httpx.ConnectError("refused", request=REQUEST), True),
        (False, None, httpx.ConnectTimeout("slow", request=REQUEST), True),
        (False, None, httpx.ReadTimeout("slow", request=REQUEST), False),
        (False, None, httpx.ReadError("reset", request=REQUEST), False),
        (False, None, httpx.RemoteProtocolError("reset", request=REQUEST), False),
        # No connection was had from the pool: the request never left, so even a PUT goes again.
        (False, None, httpx.PoolTimeout("no free connection", request=REQUEST), True),
        (True, None, httpx.PoolTimeout("no free connection", request=REQUEST), True),
        (False, None, httpx.WriteTimeout("slow", request=REQUEST), False),
        (True, None, httpx.WriteTimeout("slow", request=REQUEST), True),
        # Not a transport error: a bug, never retried.
        (True, None, ValueError("bug"), False),
        (False, None, ValueError("bug"), False),
    ],
)
def test_should_retry(
    idempotent: bool, status: int | None, error: Exception | None, expected: bool
) -> None:
    decision = _retry.should_retry(
        idempotent=idempotent, attempt=0, max_retries=2, status_code=status, error=error
    )
    assert decision is expected


def test_no_retry_once_attempts_are_used_up() -> None:
    assert _retry.should_retry(idempotent=True, attempt=1, max_retries=2, status_code=503)
    assert not _retry.should_retry(idempotent=True, attempt=2, max_retries=2, status_code=503)
    assert not _retry.should_retry(idempotent=True, attempt=0, max_retries=0, status_code=503)


@pytest.mark.real_delays
@pytest.mark.parametrize(
    ("header", "asked", "delay"),
    [
        ("3", 3.0, 3.0),
        ("0.5", 0.5, 0.5),
        ("0", 0.0, 0.0),
        ("-4", 0.0, 0.0),
        (email.utils.formatdate(NOW + 7, usegmt=True), 7.0, 7.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0, 0.0),
        ("100000", 100000.0, MAX_RETRY_AFTER),
        ("inf", None, None),
        ("nan", None, None),
        ("soon", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_retry_after(header: str | None, asked: float | None, delay: float | None) -> None:
    """Retry-After as seconds or HTTP date is honoured up to a cap; junk falls back."""
    headers = {} if header is None else {"retry-after": header}
    assert _retry.parse_retry_after(headers, now=NOW) == (
        None if asked is None else pytest.approx(asked)
    )
    backoff = INITIAL_RETRY_DELAY * 0.75  # attempt 0 with the most jitter
    wanted = backoff if delay is None else delay
    assert _retry.retry_delay(0, headers, now=NOW, jitter=1.0) == pytest.approx(wanted)


@pytest.mark.real_delays
def test_backoff_grows_and_is_capped() -> None:
    delays = [_retry.retry_delay(n, jitter=0.0) for n in range(10)]
    assert delays[:3] == [INITIAL_RETRY_DELAY, 2 * INITIAL_RETRY_DELAY, 4 * INITIAL_RETRY_DELAY]
    assert max(delays) == MAX_RETRY_DELAY
    assert delays == sorted(delays)
    assert _retry.retry_delay(1, jitter=1.0) == pytest.approx(0.75 * 2 * INITIAL_RETRY_DELAY)


# -- retry timing (pure) ------------------------------------------------------------------


@pytest.mark.real_delays
def test_retry_after_is_read_trimmed_and_against_the_clock() -> None:
    assert _retry.parse_retry_after({"retry-after": " 3 "}) == 3.0
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert _retry.parse_retry_after({"retry-after": soon}) == pytest.approx(30, abs=2)
    assert _retry.retry_delay(0, {"retry-after": soon}) == pytest.approx(30, abs=2)
    assert _retry.retry_delay(0, {"retry-after": "61"}) == MAX_RETRY_AFTER
    assert _retry.retry_delay(0, {"retry-after": "59"}) == 59.0


@pytest.mark.real_delays
def test_backoff_jitter_takes_off_at_most_a_quarter() -> None:
    for attempt in range(6):
        base = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        delays = {_retry.retry_delay(attempt) for _ in range(50)}
        assert all(0.75 * base <= d <= base for d in delays)
        assert len(delays) > 1  # random, so that clients do not retry in step
    assert _retry.retry_delay(2, {}, jitter=0.5) == pytest.approx(4 * INITIAL_RETRY_DELAY * 0.875)
    assert _retry.retry_delay(10, None, jitter=0.0) == MAX_RETRY_DELAY


def test_retries_stop_after_max_retries_for_errors_too() -> None:
    refused = httpx.ConnectError("refused", request=httpx.Request("GET", "https://api.test"))
    assert _retry.should_retry(idempotent=False, attempt=2, max_retries=3, error=refused)
    assert not _retry.should_retry(idempotent=False, attempt=3, max_retries=3, error=refused)
    assert not _retry.should_retry(idempotent=True, attempt=0, max_retries=2)
