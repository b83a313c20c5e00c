"""Responses (``_response``): how an error's reason is found, cut and masked, which class a status
maps to, and the preview of a body that is not JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from aparavi_dtc import _operations as ops
from aparavi_dtc._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    RateLimitError,
    ServerError,
    TaskNotFoundError,
)
from aparavi_dtc._redact import Redactor
from aparavi_dtc._response import (
    _text,
    handle,
    is_error_envelope,
    status_error,
)
from aparavi_dtc._types import response_budget, too_large

from .conftest import API_KEY


def raises(error: type[Exception], message: str) -> Any:
    return pytest.raises(error, match=f"^{re.escape(message)}$")


# -- responses ----------------------------------------------------------------------------


def call(operation: ops.Operation[Any] = ops.GET_TASK) -> ops.Call[Any]:
    return ops.Call(
        operation, "GET", "https://api.test/task", {}, None, 5.0, 0, Redactor(API_KEY), "/task"
    )


def error(status: int, body: Any, headers: dict[str, str] | None = None) -> APIStatusError:
    return status_error(call(), status, body, headers or {})


def test_too_large_names_the_limit_and_the_option() -> None:
    exc = too_large(call(), 200, 1_000_000)
    assert str(exc) == (
        "Error getting task status: the response is larger than 1,000,000 bytes "
        "(the client's max_response_size)"
    )
    assert (exc.status_code, exc.body) == (200, None)


def test_a_long_reason_is_cut_at_300_characters() -> None:
    assert str(error(400, {"error": "e" * 300})) == "Error getting task status: " + "e" * 300
    assert str(error(400, {"error": "e" * 301})) == "Error getting task status: " + "e" * 300 + "…"


@pytest.mark.parametrize(
    ("status", "redirect"), [(299, False), (300, True), (302, True), (399, True), (400, False)]
)
def test_redirects_are_said_to_be_not_followed(status: int, redirect: bool) -> None:
    message = str(error(status, {"error": "moved"}))
    if redirect:
        assert message == f"Error getting task status: redirect (HTTP {status}) not followed"
    else:
        assert message == "Error getting task status: moved"


@pytest.mark.parametrize(
    ("operation", "status", "reason", "cls"),
    [
        (ops.GET_TASK, 401, "no", AuthenticationError),
        (ops.GET_TASK, 404, "gone", TaskNotFoundError),
        (ops.GET_TASK, 400, "Task Not Found here", TaskNotFoundError),
        (ops.GET_TASK, 403, "forbidden", APIStatusError),
        (ops.GET_TASK, 405, "no", APIStatusError),
        (ops.GET_VERSION, 404, "not found", APIStatusError),
        (ops.GET_TASK, 429, "slow down", RateLimitError),
        (ops.GET_TASK, 499, "x", APIStatusError),
        (ops.GET_TASK, 500, "x", ServerError),
        (ops.GET_TASK, 599, "x", ServerError),
    ],
)
def test_the_class_of_an_error(
    operation: ops.Operation[Any], status: int, reason: str, cls: type[APIStatusError]
) -> None:
    exc = status_error(call(operation), status, {"error": reason}, {})
    assert type(exc) is cls
    assert exc.status_code == status


def test_the_request_id_is_kept_masked_and_cut() -> None:
    assert error(500, None).request_id is None
    assert error(500, None, {"x-request-id": "req-1"}).request_id == "req-1"
    masked = error(500, None, {"x-request-id": f"id-{API_KEY}-" + "r" * 400}).request_id
    assert masked == ("id-***6f70-" + "r" * 400)[:300]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"error": "  plain  "}, "plain"),
        ({"error": {"message": " nested "}}, "nested"),
        ({"error": {"message": " "}, "message": "fallback"}, "fallback"),
        ({"detail": "  a detail "}, "a detail"),
        ({"detail": "  ", "message": "m"}, "m"),
        ({"detail": [], "message": "m"}, "m"),
        ({"message": " only a message "}, "only a message"),
        ({"message": "   "}, "Bad Request"),
        ({}, "Bad Request"),
        (
            {"detail": [{"loc": ["body", "pipeline", 0], "msg": "field required"}]},
            "body.pipeline.0: field required",
        ),
        ({"detail": [{"loc": "body", "msg": "bad"}]}, "bad"),
        ({"detail": [{"msg": "bad"}]}, "bad"),
        ({"detail": [{"loc": ["q"]}]}, "q: invalid"),
        ({"detail": [{}]}, "invalid"),
        ({"detail": ["text", 7]}, "text; 7"),
        ({"detail": [{"msg": str(i)} for i in range(7)]}, "0; 1; 2; 3; 4"),
        ("not a mapping", "Bad Request"),
    ],
)
def test_the_reason_of_an_error(body: Any, reason: str) -> None:
    assert str(error(400, body)) == f"Error getting task status: {reason}"


@pytest.mark.parametrize(
    ("body", "envelope"),
    [
        ({"status": "Error"}, True),
        ({"status": "Error", "error": "", "data": {"a": 1}}, True),
        ({"status": "OK", "error": "boom"}, False),  # a status string decides
        ({"status": "Running", "error": "boom", "data": None}, False),
        ({"status": 3, "error": "boom"}, True),  # not a string: as if absent
        ({"error": "boom"}, True),
        ({"error": {"message": "boom"}, "data": None}, True),
        ({"error": "boom", "data": {}}, False),
        ({"error": ""}, False),
        ({"error": {}}, False),
        ({"error": []}, False),
        ({"error": None}, False),
        ({}, False),
    ],
)
def test_what_an_error_envelope_is(body: dict[str, Any], envelope: bool) -> None:
    assert is_error_envelope(body) is envelope


def test_a_body_nested_too_deeply_is_shown_as_text() -> None:
    raw = b"[" * 100_000
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, raw, False)
    shown = "[" * 300 + "…"
    assert str(caught.value) == (
        "Error getting task status: the response is nested too deeply to read, "
        f"not a JSON object: {shown!r:.120}"
    )
    assert caught.value.body == shown
    with pytest.raises(ServerError) as failed:
        handle(call(), 500, {}, raw, False)
    assert failed.value.body == shown


@pytest.mark.parametrize(
    ("raw", "what", "body"),
    [
        (b"<html>oops</html>", "not JSON", "<html>oops</html>"),
        (b"[1, 2]", "a JSON list", [1, 2]),
        (b'"text"', "a JSON str", "text"),
        (b"", "not JSON", ""),
    ],
)
def test_an_answer_that_is_not_an_object_is_refused(raw: bytes, what: str, body: Any) -> None:
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, raw, False)
    shown = raw.decode()
    assert str(caught.value) == (
        f"Error getting task status: the response is {what}, not a JSON object: {shown!r}"
    )
    assert caught.value.body == body
    assert caught.value.status_code == 200


@pytest.mark.parametrize("status", [300, 304, 399])
def test_a_redirect_with_a_json_body_is_not_an_answer(status: int) -> None:
    raw = b'{"status": "OK", "data": {"status": "Completed"}}'
    with pytest.raises(APIStatusError) as caught:
        handle(call(), status, {}, raw, False)
    assert str(caught.value) == f"Error getting task status: redirect (HTTP {status}) not followed"


def test_a_status_without_a_phrase_is_named_by_number() -> None:
    assert str(error(499, {})) == "Error getting task status: HTTP 499"


def _response_text(raw: bytes) -> str:
    """What an error says of a body that is not JSON."""
    return _text(call(), raw)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"x" * 300, "x" * 300),
        (b"x" * 301, "x" * 300 + "…"),
        ("é".encode() * 200, "é" * 200 + "…"),  # 400 bytes, 200 characters: still cut
        (b"\xff" * 3, "\ufffd" * 3),
        (f"key {API_KEY}".encode(), "key ***6f70"),
    ],
)
def test_the_preview_of_a_body_that_is_not_json(raw: bytes, shown: str) -> None:
    assert _response_text(raw) == shown


def test_the_preview_is_masked_before_it_is_cut() -> None:
    # A secret assigned over 4 KB shrinks to "token=***aaaa": what follows it up to the end of
    # the window (300 + 4096 bytes) is shown, and nothing after.
    raw = b"token=" + b"a" * 4300 + b"&" + b"b" * 89 + b"c" * 10
    assert _response_text(raw) == "token=***aaaa&" + "b" * 89 + "…"


def test_a_response_that_does_not_fit_keeps_its_body() -> None:
    body = {"status": "OK", "data": {"status": 7}}
    with pytest.raises(APIResponseValidationError) as caught:
        handle(call(), 200, {}, json.dumps(body).encode(), True)
    assert caught.value.body == body
    assert str(caught.value).startswith("Error getting task status: unexpected response: ")


def test_the_response_budget_is_the_read_timeout() -> None:
    import httpx

    assert response_budget(call()) == 5.0
    timed = ops.Call(
        ops.GET_TASK,
        "GET",
        "https://api.test/task",
        {},
        None,
        httpx.Timeout(1.0, read=7.0),
        0,
        Redactor(API_KEY),
        "/task",
    )
    assert response_budget(timed) == 7.0
