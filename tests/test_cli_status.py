"""The command line's exit codes and error lines (``aparavi_dtc._cli.status``), built from
the fields of the SDK's exceptions, never from their messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    AparaviDTC,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    TaskTimeoutError,
)
from aparavi_dtc._cli.status import ExitCode, error_message, exit_code_for

from .conftest import API_KEY, TOKEN

BASE = "https://dtc.example.test:8443"


def _failure(handler: Any) -> BaseException:
    transport = httpx.MockTransport(handler)
    with AparaviDTC(API_KEY, base_url=BASE, transport=transport, max_retries=0) as client:
        try:
            client.task(TOKEN, "cpu").get()
        except Exception as exc:
            return exc
    raise AssertionError("no error")


def test_a_refusal_carries_its_action_reason_and_status() -> None:
    exc = _failure(lambda request: httpx.Response(500, json={"error": "disk full: try later"}))
    assert isinstance(exc, APIStatusError)
    assert (exc.action, exc.reason, exc.status_code) == (
        "getting task status",
        "disk full: try later",
        500,
    )
    assert str(exc) == "Error getting task status: disk full: try later"
    assert error_message(exc, BASE) == (
        "Error getting task status (HTTP 500): disk full: try later"
    )
    assert exit_code_for(exc) is ExitCode.API_ERROR


def test_an_unreachable_service_is_named_by_its_host() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    exc = _failure(refuse)
    assert isinstance(exc, APIConnectionError)
    assert (exc.action, exc.reason) == ("getting task status", "connection refused")
    assert error_message(exc, BASE) == (
        "Error getting task status: cannot reach dtc.example.test:8443: connection refused"
    )
    assert exit_code_for(exc) is ExitCode.NETWORK


def test_a_slow_service_is_named_by_its_host() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out reading the response")

    exc = _failure(slow)
    assert isinstance(exc, APITimeoutError)
    assert exc.reason == "timed out (timed out reading the response)"
    assert error_message(exc, BASE).startswith(
        "Error getting task status: no answer in time from dtc.example.test:8443: timed out"
    )


@pytest.mark.parametrize("left_running", [True, False])
def test_a_wait_that_timed_out_says_how_to_go_on_in_a_shell(left_running: bool) -> None:
    exc = TaskTimeoutError(
        "Task did not finish within 5s (last status: Running). Python advice.",
        task=None,
        status=None,
        left_running=left_running,
        reason="Task did not finish within 5s (last status: Running).",
    )
    line = error_message(exc, BASE)
    if left_running:
        assert line == (
            "Task did not finish within 5s (last status: Running). It is still running: "
            "follow it with `aparavi-dtc status --watch`, or delete it with "
            "`aparavi-dtc delete`."
        )
    else:
        assert line == str(exc)
    assert exit_code_for(exc) is ExitCode.NETWORK


def test_an_error_of_the_users_own_making_is_shown_as_it_is() -> None:
    # No action, no reason: nothing to build a line from but the message itself.
    exc = APIStatusError("something odd: here", status_code=418, body=None)
    assert error_message(exc, BASE) == "something odd: here"
