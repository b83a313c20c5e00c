"""The one place where a response becomes a model or an exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    RateLimitError,
    ServerError,
    TaskNotFoundError,
    request_error,
)
from ._models import Misfit, parse
from ._types import Call

M = TypeVar("M")

_PREVIEW = 300


def handle(call: Call[M], status: int, headers: Mapping[str, str], raw: bytes, strict: bool) -> M:
    """Return the operation's model for a response, or raise the matching error.

    ``strict`` makes any field that does not fit the spec an error; otherwise only a
    required one is (see ``_models``).
    """
    redactor = call.redactor
    deep = False
    try:
        # UTF-8 only, as JSON between systems must be (RFC 8259): json.loads would also
        # read UTF-16 and UTF-32, whose bytes needed() below does not look through.
        body: Any = json.loads(raw.decode("utf-8-sig")) if raw else None
        parsed = raw != b""
        # The key and the task's token are masked in everything handed out, wherever the
        # server echoes them.
        body = redactor.data(body) if parsed and redactor.needed(raw) else body
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        body, parsed = None, False
    except RecursionError:  # [[[[...]]]]: no answer of this API nests like that
        body, parsed, deep = None, False, True
    action = call.operation.action
    if not 200 <= status < 300:
        raise status_error(call, status, body if parsed else _text(call, raw), headers)
    if not parsed or not isinstance(body, dict):
        what = "not JSON" if not parsed else f"a JSON {type(body).__name__}"
        what = "nested too deeply to read" if deep else what
        shown = _text(call, raw)
        raise request_error(
            APIResponseValidationError,
            action,
            f"the response is {what}, not a JSON object: {shown!r:.120}",
            status_code=status,
            body=body if parsed else shown,
        )
    if is_error_envelope(body):
        raise status_error(call, status, body, headers)
    try:
        return parse(call.operation.model, body, strict=strict)
    except RecursionError:
        raise request_error(
            APIResponseValidationError,
            action,
            "the response nests too deeply to read",
            status_code=status,
            body=None,
        ) from None
    except Misfit as exc:
        raise request_error(
            APIResponseValidationError,
            action,
            f"unexpected response: {redactor.text(str(exc))}",
            status_code=status,
            body=body,
        ) from None


def is_error_envelope(body: Mapping[str, Any]) -> bool:
    """``status: "Error"`` (the spec's ErrorEnvelope), or the documented ``{error, message}``."""
    status = body.get("status")
    if isinstance(status, str):
        return status == "Error"  # the spec's ErrorEnvelope; "OK" and others are success
    return body.get("error") not in (None, "", {}, []) and body.get("data") is None


def status_error(
    call: Call[Any], status: int, body: Any, headers: Mapping[str, str]
) -> APIStatusError:
    """The exception for a failure the service reported, of the class its status says."""
    reason = call.redactor.text(_reason(body, status))
    if len(reason) > _PREVIEW:
        reason = reason[:_PREVIEW] + "…"
    if 300 <= status < 400:
        reason = f"redirect (HTTP {status}) not followed"
    cls: type[APIStatusError]
    if status == 401:
        cls = AuthenticationError
    elif call.operation.about_task and (status == 404 or "not found" in reason.lower()):
        cls = TaskNotFoundError
    elif status == 429:
        cls = RateLimitError
    elif status >= 500:
        cls = ServerError
    else:
        cls = APIStatusError
    request_id = headers.get("x-request-id")
    if request_id is not None:
        request_id = call.redactor.text(request_id)[:_PREVIEW]
    return request_error(
        cls, call.operation.action, reason, status_code=status, body=body, request_id=request_id
    )


def _reason(body: Any, status_code: int) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, str) and error.strip():
            return error.strip()
        message = error.get("message") if isinstance(error, dict) else None
        if isinstance(message, str) and message.strip():
            return message.strip()
        detail = body.get("detail")
        if isinstance(detail, list) and detail:
            return "; ".join(_validation_issue(item) for item in detail[:5])
        if isinstance(detail, str) and detail.strip():
            return detail.strip()
        message = body.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return f"HTTP {status_code}"


def _validation_issue(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = item.get("loc")
    where = ".".join(str(part) for part in loc) if isinstance(loc, list) else ""
    msg = str(item.get("msg", "invalid"))
    return f"{where}: {msg}" if where else msg


def _text(call: Call[Any], raw: bytes) -> str:
    """The start of a body that is not JSON, masked before it is cut, so that no secret
    is cut in two with its first half shown."""
    window = raw[: _PREVIEW + 4096].decode("utf-8", "replace")
    # UTF-16 and UTF-32 text reads as its characters with NULs between: without the NULs,
    # a secret in it is found (and the preview is readable).
    text = call.redactor.text(window.replace("\x00", ""))
    cut = len(raw) > _PREVIEW or len(text) > _PREVIEW
    return text[:_PREVIEW] + ("…" if cut else "")


_NOT_YET: Any = object()


class RawResponse(Generic[M]):
    """An operation's HTTP response as it came, read once (``client.with_raw_response``).

    ``status_code``, ``headers`` (the API key and the task token masked in every value),
    ``elapsed`` (seconds of the last attempt), ``attempts`` (1 unless retried) and
    ``metrics`` (the envelope's timings and counters, or None) are there without parsing;
    :meth:`parse` makes the model the operation returns, or raises the error it would
    raise, from the bytes already read.
    """

    __slots__ = (
        "_call",
        "_content",
        "_error",
        "_headers",
        "_metrics",
        "_model",
        "_strict",
        "attempts",
        "elapsed",
        "headers",
        "status_code",
    )

    def __init__(
        self,
        call: Call[M],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        elapsed: float,
        attempts: int,
        strict: bool,
    ) -> None:
        self._call, self._content, self._strict = call, content, strict
        self._headers = headers  # as the stack gave them: case-insensitive
        self.status_code = status
        """The HTTP status of the last attempt."""
        self.headers: dict[str, str] = {
            name: call.redactor.text(value) for name, value in headers.items()
        }
        """The response's headers, secrets masked; the last value of a repeated one."""
        self.elapsed = elapsed
        """Seconds from sending the last attempt to its whole answer."""
        self.attempts = attempts
        """How many times the request was sent (retries included)."""
        self._metrics: Any = _NOT_YET
        self._model: Any = _NOT_YET
        self._error: Exception | None = None

    def __repr__(self) -> str:
        call = self._call
        return (
            f"RawResponse({self.status_code}, {call.method} {call.path}, "
            f"{len(self._content)} bytes, {self.elapsed:.3f}s)"
        )

    @property
    def content(self) -> bytes:
        """The body as it came (decoded from any Content-Encoding); secrets not masked."""
        return self._content

    @property
    def metrics(self) -> dict[str, Any] | None:
        """The envelope's ``metrics`` (timings in milliseconds, counters), or None."""
        if self._metrics is _NOT_YET:
            try:
                body = json.loads(self._content.decode("utf-8-sig")) if self._content else None
            except (ValueError, RecursionError):
                body = None
            found = body.get("metrics") if isinstance(body, dict) else None
            self._metrics = self._call.redactor.data(found) if isinstance(found, dict) else None
        return self._metrics  # type: ignore[no-any-return]

    def answered(self, result: Any, error: Exception | None) -> RawResponse[Any]:
        """This response, :meth:`parse` giving ``result`` or raising ``error``: what the
        method that sent it returned or raised (``_raw``)."""
        self._model, self._error = result, error
        return self

    def parse(self) -> M:
        """What the method that sent the request returns (a model, or a task or pipe
        handle); raises what it raises."""
        if self._error is not None:
            raise self._error
        if self._model is _NOT_YET:
            self._model = handle(
                self._call, self.status_code, self._headers, self._content, self._strict
            )
        return self._model  # type: ignore[no-any-return]
