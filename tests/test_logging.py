"""Logging is off unless APARAVI_LOG asks for it, and never shows a secret."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_service import serving

import aparavi_dtc
from aparavi_dtc import _logging

from .conftest import API_KEY, TOKEN, status_body
from .loopback import loopback_server, respond

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = f"""
import sys
from aparavi_dtc import AparaviDTC
with AparaviDTC({API_KEY!r}, base_url=sys.argv[1]) as client:
    client.task({TOKEN!r}, "cpu").get()
    client.start_task({{"components": [{{"provider": "webhook"}}]}})
"""


# One GET answered 503 then 200: a retry, which INFO shows. A second client is made
# first: the logger is configured once per process, so every line still comes once.
RETRY_SCRIPT = f"""
import sys
from aparavi_dtc import AparaviDTC
AparaviDTC({API_KEY!r}, base_url=sys.argv[1]).close()
with AparaviDTC({API_KEY!r}, base_url=sys.argv[1]) as client:
    client.task({TOKEN!r}, "cpu").get()
"""
RETRY_LINE = "aparavi_dtc INFO GET /task: HTTP 503 on attempt 1, retrying in 0.00s"
DEBUG_LINE = "aparavi_dtc DEBUG GET /task -> 200 (attempt 2, "


def run(url: str, script: str = SCRIPT, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "APARAVI_LOG"} | env
    return subprocess.run(
        [sys.executable, "-c", script, url],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        check=True,
    )


def test_silent_by_default() -> None:
    with serving() as url:
        done = run(url)
    assert done.stdout == ""
    assert done.stderr == ""


def test_debug_logs_requests_without_secrets() -> None:
    with serving() as url:
        done = run(url, APARAVI_LOG="debug")
    assert done.stdout == ""
    assert "aparavi_dtc DEBUG GET /task -> 200 (attempt 1, " in done.stderr
    assert "aparavi_dtc DEBUG PUT /task -> 200 (attempt 1, " in done.stderr
    assert API_KEY not in done.stderr
    assert TOKEN not in done.stderr


def run_retrying(**env: str) -> subprocess.CompletedProcess[str]:
    with loopback_server() as server:
        server.script(
            respond(503, "", headers={"Retry-After": "0"}), respond(200, status_body("Running"))
        )
        done = run(server.url, RETRY_SCRIPT, **env)
        assert len(server.requests) == 2
    assert done.stdout == ""
    assert API_KEY not in done.stderr
    assert TOKEN not in done.stderr
    return done


@pytest.mark.parametrize("value", ["info", " INFO\n"])
def test_info_level_logs_retries_and_leaves_out_debug_lines(value: str) -> None:
    done = run_retrying(APARAVI_LOG=value)
    assert done.stderr.count(RETRY_LINE) == 1, done.stderr
    assert "DEBUG" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr


def test_debug_level_logs_retries_and_requests_once_each() -> None:
    done = run_retrying(APARAVI_LOG="Debug")
    assert done.stderr.count(RETRY_LINE) == 1, done.stderr
    assert done.stderr.count(DEBUG_LINE) == 1, done.stderr
    assert done.stderr.count("aparavi_dtc DEBUG GET /task -> 503 (attempt 1, ") == 1


@pytest.mark.parametrize("value", [None, "", "warning", "verbose", "0"])
def test_retries_are_silent_unless_asked_for(value: str | None) -> None:
    done = run_retrying() if value is None else run_retrying(APARAVI_LOG=value)
    assert done.stderr == ""


@pytest.fixture
def fresh_logger(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    """The package logger as a new process has it: not configured, no handler, no level."""
    logger = logging.getLogger("aparavi_dtc")
    handlers, filters, level = logger.handlers[:], logger.filters[:], logger.level
    monkeypatch.setattr(_logging, "_configured", False)
    logger.handlers, logger.filters = [], []
    logger.setLevel(logging.NOTSET)
    yield logger
    logger.handlers, logger.filters = handlers, filters
    logger.setLevel(level)


@pytest.mark.parametrize(
    ("value", "level"),
    [("debug", logging.DEBUG), ("info", logging.INFO), (" Info ", logging.INFO)],
)
def test_aparavi_log_attaches_one_stderr_handler(
    fresh_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv("APARAVI_LOG", value)
    for _ in range(2):  # the second client changes nothing
        aparavi_dtc.AparaviDTC(API_KEY, base_url="https://api.test").close()
    assert fresh_logger.level == level
    (handler,) = fresh_logger.handlers
    assert isinstance(handler, logging.StreamHandler)
    assert fresh_logger.filters == [_logging._FILTER]
    record = logging.LogRecord("aparavi_dtc", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    assert handler.format(record).endswith(" aparavi_dtc INFO hello x")


@pytest.mark.parametrize("value", [None, "", "warning", "nonsense"])
def test_without_aparavi_log_only_the_filter_is_attached(
    fresh_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("APARAVI_LOG", value)
    aparavi_dtc.AparaviDTC(API_KEY, base_url="https://api.test").close()
    assert fresh_logger.handlers == []
    assert fresh_logger.level == logging.NOTSET
    assert fresh_logger.filters == [_logging._FILTER]


def test_filter_masks_secrets_in_any_record() -> None:
    import logging

    from aparavi_dtc import AparaviDTC
    from aparavi_dtc._logging import RedactingFilter

    with AparaviDTC(API_KEY, base_url="https://api.test"):
        record = logging.LogRecord(
            "aparavi_dtc",
            logging.INFO,
            __file__,
            1,
            "key %s url %s",
            (API_KEY, f"?token={TOKEN}"),
            None,
        )
        RedactingFilter().filter(record)
    message = record.getMessage()
    assert message == f"key ***{API_KEY[-4:]} url ?token=***{TOKEN[-4:]}"
    assert record.args is None


def test_filter_masks_a_record_without_arguments_and_leaves_others_alone() -> None:
    from aparavi_dtc._logging import RedactingFilter

    aparavi_dtc.AparaviDTC(API_KEY, base_url="https://api.test").close()
    leaky = logging.LogRecord("aparavi_dtc", logging.INFO, __file__, 1, API_KEY, None, None)
    assert RedactingFilter().filter(leaky) is True
    assert leaky.getMessage() == f"***{API_KEY[-4:]}"
    plain = logging.LogRecord("aparavi_dtc", logging.INFO, __file__, 1, "%d done", (3,), None)
    assert RedactingFilter().filter(plain) is True
    assert plain.getMessage() == "3 done"


def test_the_http_stacks_loggers_are_guarded_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx, httpcore and aiohttp log URLs and headers at DEBUG: the filter guards them too,
    their children made before a client is, and nothing else."""
    late = logging.getLogger("httpcore.test_child_made_early")
    lookalike = logging.getLogger("httpcorelike")
    names = ("httpx", "httpcore", "httpcore.http11", "aiohttp.client", late.name)
    # As in a new process: no filter yet (an earlier client in this one attached them).
    for name in names:
        monkeypatch.setattr(logging.getLogger(name), "filters", [])
    for _ in range(2):
        aparavi_dtc.AparaviDTC(API_KEY, base_url="https://api.test").close()
    for name in names:
        assert logging.getLogger(name).filters == [_logging._FILTER], name
    assert logging.getLogger("aparavi_dtc").filters.count(_logging._FILTER) == 1
    assert _logging._FILTER not in lookalike.filters
    assert _logging._FILTER not in logging.getLogger().filters
