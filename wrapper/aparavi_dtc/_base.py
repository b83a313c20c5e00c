"""Everything the sync and async clients share and that does no I/O.

Configuration, request building (through the generated ``_get_kwargs`` functions), the one
place where a response becomes a model or an exception, retry decisions and redaction.
``AparaviDTC`` and ``AsyncAparaviDTC`` add only sending, sleeping and closing.
"""

from __future__ import annotations

import dataclasses
import io
import ipaddress
import json
import logging
import mimetypes
import os
import platform
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any, Generic, TypeAlias, TypeVar

import httpx

from aparavi_dtc_api.api.pipelines import validate_pipeline
from aparavi_dtc_api.api.service import get_status, get_version
from aparavi_dtc_api.api.tasks import delete_task, get_task, start_task
from aparavi_dtc_api.api.webhook import send_to_webhook
from aparavi_dtc_api.models import (
    Envelope,
    PipelineRequest,
    StartTaskResponse,
    TaskStatus,
    TaskStatusResponse,
    WebhookFiles,
)
from aparavi_dtc_api.types import UNSET, File

from . import _retry
from ._config import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_AUTH_SCHEME,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AuthScheme,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NoActiveTaskError,
    PipelineValidationError,
    RateLimitError,
    ServerError,
    TaskNotFoundError,
)
from ._logging import SECRETS, configure, logger
from ._pipeline import PipelineInput, wrap_pipeline
from ._polling import Progress, Target, Waiter, check_wait_args
from ._redact import Redactor, mask
from ._sentinel import NotGiven
from ._url import query
from ._validate import problem
from ._version import __version__

M = TypeVar("M")

#: A timeout as httpx takes it: seconds for every phase, an ``httpx.Timeout``, or None.
TimeoutTypes: TypeAlias = float | httpx.Timeout | None
#: A file to upload: a path, or ``(filename, content)``, or ``(filename, content, type)``.
FileInput: TypeAlias = str | os.PathLike[str] | tuple[str, bytes] | tuple[str, bytes, str]

NO_TASK_MESSAGE = "Token and type are not available. Please run start_task() first."
_PREVIEW = 300


@dataclasses.dataclass(frozen=True, slots=True)
class Operation(Generic[M]):
    """What the SDK knows about one API operation."""

    action: str  # completes "Error <action>: <reason>"
    parse: Callable[[Mapping[str, Any]], M]
    idempotent: bool  # may be sent again after a failure that may have reached the server
    about_task: bool  # a "not found" means the task is gone


GET_TASK = Operation("getting task status", TaskStatusResponse.from_dict, True, True)
START_TASK = Operation("starting task", StartTaskResponse.from_dict, False, False)
DELETE_TASK = Operation("deleting task", Envelope.from_dict, True, True)
VALIDATE = Operation("validating pipeline", Envelope.from_dict, True, False)
SEND_TO_WEBHOOK = Operation("sending to webhook", Envelope.from_dict, False, True)
GET_VERSION = Operation("getting version", Envelope.from_dict, True, False)
GET_STATUS = Operation("getting service status", Envelope.from_dict, True, False)


@dataclasses.dataclass(frozen=True, slots=True)
class Call(Generic[M]):
    """One operation ready to send, body encoded once, and its per-call options.

    Both clients send exactly these bytes and headers, on every attempt.
    """

    operation: Operation[M]
    method: str
    url: str  # absolute, query encoded
    headers: Mapping[str, str]  # the client's headers and the operation's own
    content: bytes | None
    timeout: TimeoutTypes
    max_retries: int
    redactor: Redactor  # the API key and the task token this call carries
    path: str  # for logs: the path alone, never the query with its token


@dataclasses.dataclass(frozen=True, slots=True)
class RunResult:
    """What :meth:`AparaviDTC.run` returns."""

    status: TaskStatus
    """The task's final status."""
    webhook: Envelope | None
    """The webhook's answer to the upload, or None when nothing was uploaded."""


@dataclasses.dataclass(frozen=True, slots=True)
class RunPlan:
    """A checked ``run()``: the body to send and the upload, read before anything is sent,
    and the waiting options with the run's one deadline."""

    body: dict[str, Any]
    upload: dict[str, Any] | None
    deadline: float | None
    poll_interval: float
    on_progress: Callable[[Progress], object] | None


def _check_base_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"base_url must be an http(s) URL with a host, not {url!r}")
    if parsed.username or parsed.password:
        raise ValueError("base_url must not contain credentials; pass api_key instead")
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname):
        raise ValueError(
            f"base_url {url!r} uses plain http to a host that is not loopback: the API key "
            "would travel in clear. Use https."
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_timeout(timeout: TimeoutTypes) -> TimeoutTypes:
    """``timeout`` as given, once checked: seconds >= 0, an ``httpx.Timeout``, or None."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout >= 0:
        return timeout
    raise ValueError(f"timeout must be seconds >= 0, an httpx.Timeout or None, not {timeout!r}")


def _check_headers(headers: object) -> Mapping[str, str]:
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


def _plain(headers: httpx.Headers) -> dict[str, str]:
    """``headers`` as a plain dict, names as given: one entry per name, last value wins."""
    return {
        name.decode(headers.encoding): value.decode(headers.encoding)
        for name, value in headers.raw
    }


def _check_task_id(token: object, type_: object) -> tuple[str, str]:
    for name, value in (("token", token), ("type", type_)):
        if not isinstance(value, str):
            raise TypeError(f"task {name} must be a string, not {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"task {name} must not be empty")
    return token, type_  # type: ignore[return-value]


def _read_file(item: FileInput) -> tuple[str, bytes, str]:
    """Read one upload into memory now, so a bad path fails before anything is sent."""
    if isinstance(item, tuple):
        kinds = (str, bytes, str)[: len(item)]
        if len(item) not in (2, 3) or not all(map(isinstance, item, kinds)):
            raise TypeError("a file tuple must be (filename, bytes) or (filename, bytes, type)")
        name, content = item[0], item[1]
        kind = item[2] if len(item) == 3 else None
    elif isinstance(item, str | os.PathLike):
        path = Path(item)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read file {path}: {exc.strerror or exc}") from None
        name, kind = path.name, None
    else:
        raise TypeError(f"a file must be a path or a (filename, bytes) tuple, not {item!r:.80}")
    if not content:
        raise ValueError(f"file {name!r} is empty: the webhook needs something to process")
    return name, content, kind or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _is_webhook(body: PipelineRequest) -> bool:
    """Whether the pipeline's source component (or, with no source, any) is a webhook."""
    pipeline = body.pipeline
    source = pipeline.source if isinstance(pipeline.source, str) else None
    for component in pipeline.components:
        names = {component.id, component.name}
        if (source is None or source in names) and component.provider == "webhook":
            return True
    return False


def _read_upload(
    files: FileInput | Sequence[FileInput] | None, text: str | None
) -> tuple[list[tuple[str, bytes, str]], str | None]:
    """Check a webhook upload and read its files: ``(files read, text)``."""
    if (files is None) == (text is None):
        raise ValueError("send_to_webhook() takes files=... or text=..., exactly one of them")
    if text is not None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, not {type(text).__name__}")
        if not text:
            raise ValueError("text is empty: the webhook needs something to process")
        return [], text
    single = isinstance(files, str | os.PathLike | tuple)
    items: list[FileInput] = [files] if single else list(files)  # type: ignore[list-item,arg-type]
    if not items:
        raise ValueError("files is empty: pass at least one file")
    return [_read_file(item) for item in items], None


def _content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("\\", "_").replace('"', "_")
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"
    return value


def _is_error_envelope(body: Mapping[str, Any]) -> bool:
    status = body.get("status")
    if isinstance(status, str):
        return status == "Error"  # the spec's ErrorEnvelope; "OK" and others are success
    return body.get("error") not in (None, "", {}, []) and body.get("data") is None


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


def _preview(raw: bytes) -> str:
    text = raw[:_PREVIEW].decode("utf-8", "replace")
    return text + ("…" if len(raw) > _PREVIEW else "")


class BaseClient:
    """Configuration and behaviour shared by :class:`AparaviDTC` and :class:`AsyncAparaviDTC`."""

    token: str | None
    """The token of the task started last, or None; sent back by ``get_task()``."""
    type: str | None
    """The type of the task started last (``cpu``, ``gpu``, ...), or None."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        auth_scheme: AuthScheme = DEFAULT_AUTH_SCHEME,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        if not isinstance(key, str) or not key.strip():
            raise ValueError(
                f"an API key is needed: pass api_key=... or set {API_KEY_ENV} in the environment"
            )
        key = key.strip()  # a key pasted or read from a file often ends in a newline
        if auth_scheme not in ("raw", "bearer"):
            raise ValueError(f"auth_scheme must be 'raw' or 'bearer', not {auth_scheme!r}")
        self._check_max_retries(max_retries)
        self.base_url = _check_base_url(
            base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        )
        self.timeout = _check_timeout(timeout)
        self.max_retries = max_retries
        self.auth_scheme: AuthScheme = auth_scheme
        configure()
        self._redactor = Redactor(key)
        self._redactors: dict[str, Redactor] = {}
        SECRETS.add(key)
        merged = httpx.Headers(
            {
                "User-Agent": f"aparavi-dtc/{__version__} python/{platform.python_version()}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",  # what both HTTP stacks can decode
            }
        )
        merged.update(_check_headers(headers))
        merged["Authorization"] = key if auth_scheme == "raw" else f"Bearer {key}"
        self._headers = _plain(merged)
        self.token = None
        self.type = None

    def __repr__(self) -> str:
        task = f"task=({mask(self.token)!r}, {self.type!r})" if self.token else "task=None"
        return f"{type(self).__name__}(base_url={self.base_url!r}, {task})"

    # -- the current task ---------------------------------------------------------------

    def _active_task(self) -> tuple[str, str]:
        if not self.token or not self.type:
            raise NoActiveTaskError(NO_TASK_MESSAGE)
        return self.token, self.type

    def _remember(self, token: str, type_: str) -> None:
        self.token, self.type = token, type_

    def _forget(self, token: str) -> None:
        if self.token == token:
            self.token = self.type = None

    # -- request building ---------------------------------------------------------------

    @staticmethod
    def _check_max_retries(value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"max_retries must be a whole number >= 0, not {value!r}")

    def _call(
        self,
        operation: Operation[M],
        kwargs: dict[str, Any],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        token: str | None = None,
    ) -> Call[M]:
        if not isinstance(max_retries, NotGiven):
            self._check_max_retries(max_retries)
        if not isinstance(timeout, NotGiven):
            _check_timeout(timeout)
        method = kwargs.pop("method").upper()
        path = kwargs.pop("url")
        params = kwargs.pop("params", None)
        own_headers = kwargs.pop("headers", None)
        # One absolute URL string: httpx parses it once, where base_url + params costs it
        # three parses per request (measured in BENCHMARKS.md).
        url = self.base_url + path
        if params:
            url = f"{url}?{query(params)}"
        headers: Mapping[str, str] = self._headers
        content = None
        if kwargs or own_headers:  # a body (json, files or content) and its headers
            encoded = httpx.Request(method, url, headers=own_headers, **kwargs)
            content = encoded.read()
            merged = httpx.Headers(self._headers)
            merged.update(encoded.headers)
            for computed in ("host", "content-length"):  # each HTTP stack sets these
                merged.pop(computed, None)
            headers = _plain(merged)
        return Call(
            operation,
            method,
            url,
            headers,
            content,
            self.timeout if isinstance(timeout, NotGiven) else timeout,
            self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            self._redactor if token is None else self._redactor_for(token),
            path,
        )

    def _redactor_for(self, token: str) -> Redactor:
        """The key's redactor plus ``token``; kept for up to 256 tokens polled."""
        cache = self._redactors
        redactor = cache.get(token)
        if redactor is None:
            if len(cache) >= 256:
                cache.clear()  # one call, so threads sharing the client cannot trip on it
            redactor = cache[token] = self._redactor.plus(token)
        return redactor

    def _get_task_call(
        self, token: str, type_: str, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[TaskStatusResponse]:
        kwargs = get_task._get_kwargs(token=token, type_=type_)
        return self._call(GET_TASK, kwargs, timeout, retries, token)

    def _delete_task_call(
        self, token: str, type_: str, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        kwargs = delete_task._get_kwargs(token=token, type_=type_)
        return self._call(DELETE_TASK, kwargs, timeout, retries, token)

    def _start_task_call(
        self,
        pipeline: PipelineInput,
        name: str | None,
        threads: int | None,
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[StartTaskResponse]:
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ValueError(f"name must be a non-empty string or None, not {name!r}")
        if threads is not None:
            if not isinstance(threads, int) or isinstance(threads, bool):
                raise TypeError(f"threads must be an int from 1 to 16, not {threads!r}")
            if not 1 <= threads <= 16:
                raise ValueError(f"threads must be from 1 to 16, not {threads}")
        body = wrap_pipeline(pipeline)
        kwargs = start_task._get_kwargs(
            body=body,
            name=name if name is not None else UNSET,
            threads=threads if threads is not None else UNSET,
        )
        return self._call(START_TASK, kwargs, timeout, retries)

    def _validate_call(
        self, pipeline: PipelineInput, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        kwargs = validate_pipeline._get_kwargs(body=wrap_pipeline(pipeline))
        return self._call(VALIDATE, kwargs, timeout, retries)

    def _webhook_call(
        self,
        token: str,
        type_: str,
        files: FileInput | Sequence[FileInput] | None,
        text: str | None,
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[Envelope]:
        loaded, text = _read_upload(files, text)
        if text is not None:
            kwargs = send_to_webhook._get_kwargs(token=token, type_=type_)
            kwargs["content"] = text.encode("utf-8")
            kwargs["headers"]["Content-Type"] = "text/plain; charset=utf-8"
            return self._call(SEND_TO_WEBHOOK, kwargs, timeout, retries, token)
        if len(loaded) == 1:
            ((name, content, kind),) = loaded
            kwargs = send_to_webhook._get_kwargs(
                body=File(payload=io.BytesIO(content), file_name=name, mime_type=kind),
                token=token,
                type_=type_,
                content_disposition=_content_disposition(name),
            )
            kwargs["headers"]["Content-Type"] = kind
            kwargs["content"] = content  # bytes, so that a retry can send it again
        else:
            parts = [File(payload=io.BytesIO(c), file_name=n, mime_type=k) for n, c, k in loaded]
            kwargs = send_to_webhook._get_kwargs(
                body=WebhookFiles(files=parts), token=token, type_=type_
            )
        return self._call(SEND_TO_WEBHOOK, kwargs, timeout, retries, token)

    def _version_call(
        self, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        return self._call(GET_VERSION, get_version._get_kwargs(), timeout, retries)

    def _status_call(
        self, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        return self._call(GET_STATUS, get_status._get_kwargs(), timeout, retries)

    # -- waiting and running ------------------------------------------------------------

    def _waiter(
        self,
        task: Any,
        timeout: float | None,
        poll_interval: float,
        on_progress: Callable[[Progress], object] | None,
        *,
        target: Target = "finished",
        left_running: bool = True,
    ) -> Waiter:
        return Waiter(
            task=task,
            token=task.token,
            type_=task.type,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            redactor=self._redactor_for(task.token),
            target=target,
            left_running=left_running,
        )

    def _plan_run(
        self,
        pipeline: PipelineInput,
        files: FileInput | Sequence[FileInput] | None,
        text: str | None,
        timeout: float | None,
        poll_interval: float,
        on_progress: Callable[[Progress], object] | None,
    ) -> RunPlan:
        body = wrap_pipeline(pipeline)
        webhook = _is_webhook(body)
        upload: dict[str, Any] | None = None
        if files is None and text is None:
            if webhook:
                raise ValueError("a webhook pipeline needs files=... or text=... to process")
        elif not webhook:
            raise ValueError("files and text need a pipeline whose source is a webhook")
        else:
            loaded, text = _read_upload(files, text)  # before anything is sent
            upload = {"text": text} if text is not None else {"files": loaded}
        check_wait_args(timeout, poll_interval)  # before anything is sent
        deadline = None if timeout is None else time.monotonic() + timeout
        return RunPlan(body.to_dict(), upload, deadline, poll_interval, on_progress)

    def _run_waiter(self, plan: RunPlan, task: Any, target: Target) -> Waiter:
        """A waiter for one phase of ``run()``, with what is left of the run's deadline."""
        left = None if plan.deadline is None else max(0.0, plan.deadline - time.monotonic())
        return self._waiter(
            task, left, plan.poll_interval, plan.on_progress, target=target, left_running=False
        )

    @staticmethod
    def _check_validation(result: Envelope) -> None:
        data = result.data
        errors = data.get("errors") if isinstance(data, dict) else None
        if isinstance(errors, list) and errors:
            raise PipelineValidationError(
                f"Error validating pipeline: {'; '.join(map(str, errors))[:500]}",
                status_code=200,
                body=result.to_dict(),
            )

    def _cleanup_failed(self, exc: BaseException) -> None:
        logger.warning("could not delete the task after %s: %s", type(exc).__name__, exc)

    # -- sending: decisions shared by both clients ---------------------------------------

    def _retry_after_error(self, call: Call[Any], attempt: int, exc: httpx.HTTPError) -> float:
        """Seconds to wait before retrying after ``exc``; raise the SDK's error if not."""
        if isinstance(exc, httpx.TransportError) and _retry.should_retry(
            idempotent=call.operation.idempotent,
            attempt=attempt,
            max_retries=call.max_retries,
            error=exc,
        ):
            delay = _retry.retry_delay(attempt)
            self._log_retry(call, attempt, type(exc).__name__, delay)
            return delay
        action = call.operation.action
        detail = call.redactor.text(str(exc) or type(exc).__name__)
        if isinstance(exc, httpx.TimeoutException):
            raise APITimeoutError(f"Error {action}: timed out ({detail})") from None
        raise APIConnectionError(f"Error {action}: {detail}") from None

    def _retry_after_response(
        self, call: Call[Any], attempt: int, status: int, headers: Mapping[str, str]
    ) -> float | None:
        """Seconds to wait before retrying after a response, or None to keep it."""
        if not _retry.should_retry(
            idempotent=call.operation.idempotent,
            attempt=attempt,
            max_retries=call.max_retries,
            status_code=status,
        ):
            return None
        delay = _retry.retry_delay(attempt, headers)
        self._log_retry(call, attempt, f"HTTP {status}", delay)
        return delay

    def _log_retry(self, call: Call[Any], attempt: int, why: str, delay: float) -> None:
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s %s: %s on attempt %d, retrying in %.2fs",
                call.method,
                call.path,
                why,
                attempt + 1,
                delay,
            )

    def _log_response(self, call: Call[Any], attempt: int, status: int, elapsed: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (attempt %d, %.3fs)",
                call.method,
                call.path,
                status,
                attempt + 1,
                elapsed,
            )

    # -- the one place where a response becomes a model or an exception -------------------

    def _handle(self, call: Call[M], status: int, headers: Mapping[str, str], raw: bytes) -> M:
        """Return the operation's model for a response, or raise the matching error."""
        try:
            body: Any = json.loads(raw) if raw else None
            parsed = raw != b""
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            body, parsed = None, False
        # The key and the task's token are masked in everything handed out, wherever the
        # server echoes them.
        redactor = call.redactor
        body = redactor.data(body) if parsed and redactor.needed(raw) else body
        action = call.operation.action
        if not 200 <= status < 300:
            raise self._status_error(
                call, status, body if parsed else self._text(call, raw), headers
            )
        if not parsed or not isinstance(body, dict):
            what = "not JSON" if not parsed else f"a JSON {type(body).__name__}"
            shown = self._text(call, raw)
            raise APIResponseValidationError(
                f"Error {action}: the response is {what}, not a JSON object: {shown!r:.120}",
                status_code=status,
                body=body if parsed else shown,
            )
        if _is_error_envelope(body):
            raise self._status_error(call, status, body, headers)
        try:
            model = call.operation.parse(body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            found = f"missing or malformed field {exc}"
        else:
            invalid = problem(model)
            if invalid is None:
                return model
            found = invalid
        raise APIResponseValidationError(
            f"Error {action}: unexpected response: {redactor.text(found)}",
            status_code=status,
            body=body,
        )

    @staticmethod
    def _text(call: Call[Any], raw: bytes) -> str:
        return call.redactor.text(_preview(raw))

    def _status_error(
        self, call: Call[Any], status: int, body: Any, headers: Mapping[str, str]
    ) -> APIStatusError:
        reason = call.redactor.text(_reason(body, status))
        if len(reason) > _PREVIEW:
            reason = reason[:_PREVIEW] + "…"
        if 300 <= status < 400:
            reason = f"redirect (HTTP {status}) not followed"
        message = f"Error {call.operation.action}: {reason}"
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
        return cls(message, status_code=status, body=body, request_id=request_id)
