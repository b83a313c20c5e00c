"""Logging is off unless APARAVI_LOG asks for it, and never shows a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fake_service import serving

from .conftest import API_KEY, TOKEN

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = f"""
import sys
from aparavi_dtc import AparaviDTC
with AparaviDTC({API_KEY!r}, base_url=sys.argv[1]) as client:
    client.task({TOKEN!r}, "cpu").get()
    client.start_task({{"components": [{{"provider": "webhook"}}]}})
"""


def run(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "APARAVI_LOG"} | env
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, url],
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


def test_info_level_leaves_out_debug_lines() -> None:
    with serving() as url:
        done = run(url, APARAVI_LOG="info")
    assert "DEBUG" not in done.stderr


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
    assert API_KEY not in message
    assert TOKEN not in message
    assert "token=***" in message
