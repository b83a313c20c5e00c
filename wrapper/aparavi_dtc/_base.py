"""What the sync and async clients share and that does no I/O: configuration, building
each operation's request, waiting rules, retry decisions and logging.

The pieces live in their own modules (``_checks``, ``_operations``, ``_uploads``,
``_response``, ``_run``, ``_polling``); ``BaseClient`` composes them. ``AparaviDTC`` and
``AsyncAparaviDTC`` add only sending, sleeping and closing.
"""

from __future__ import annotations

import logging
import os
import platform
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from aparavi_dtc_api.api import pipelines, pipes, tasks
from aparavi_dtc_api.types import UNSET

from . import _operations as ops
from . import _retry, _telemetry
from ._checks import (
    TimeoutTypes,
    check_api_key,
    check_base_url,
    check_headers,
    check_max_retries,
    check_name,
    check_threads,
    check_timeout,
    check_token,
    env_max_retries,
    env_timeout,
    is_loopback,
)
from ._config import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CACHED_TASKS,
    DEFAULT_AUTH_SCHEME,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_UPLOAD_TIMEOUT,
    MAX_RETRIES_ENV,
    TIMEOUT_ENV,
    AuthScheme,
)
from ._events import TaskEvent, TaskListener
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    NoActiveTaskError,
    NoTLSError,
    request_error,
)
from ._logging import SECRETS, configure, logger
from ._operations import UPLOADS
from ._pipeline import PipelineInput, wrap_pipeline
from ._polling import Progress, Target, Waiter
from ._redact import Redactor, mask
from ._response import handle
from ._run import RunPlan
from ._sentinel import NOT_GIVEN, NotGiven
from ._transports.base import NoTLS
from ._types import Call, FileInput, Operation
from ._uploads import read_files, read_upload
from ._url import query
from ._version import __version__

if TYPE_CHECKING:
    from aparavi_dtc_api.models import (
        Envelope,
        PipeCreatedResponse,
        StartTaskResponse,
        WebhookResponse,
    )

M = TypeVar("M")

NO_TASK_MESSAGE = "Token and type are not available. Please run start_task() first."


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
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        auth_scheme: AuthScheme = DEFAULT_AUTH_SCHEME,
        headers: Mapping[str, str] | None = None,
        strict: bool = False,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        key = check_api_key(
            api_key if api_key is not None else os.environ.get(API_KEY_ENV),
            f"pass api_key=... or set {API_KEY_ENV} in the environment",
        )
        if auth_scheme not in ("raw", "bearer"):
            raise ValueError(f"auth_scheme must be 'raw' or 'bearer', not {auth_scheme!r}")
        if not isinstance(strict, bool):
            raise TypeError(f"strict must be True or False, not {strict!r}")
        if max_response_size is not None and (
            not isinstance(max_response_size, int)
            or isinstance(max_response_size, bool)
            or max_response_size < 1
        ):
            raise ValueError(
                f"max_response_size must be bytes >= 1 or None, not {max_response_size!r}"
            )
        self.max_response_size = max_response_size
        """The largest response body (decoded) the client reads; None for no limit."""
        if isinstance(max_retries, NotGiven):
            from_env = env_max_retries(MAX_RETRIES_ENV)
            max_retries = DEFAULT_MAX_RETRIES if from_env is None else from_env
        self.max_retries = check_max_retries(max_retries)
        """How many times a failed request may be retried (0 to 10)."""
        self.base_url = self._base_url(base_url)
        upload_timeout: TimeoutTypes
        if isinstance(timeout, NotGiven):
            seconds = env_timeout(TIMEOUT_ENV)
            timeout = DEFAULT_TIMEOUT if seconds is None else seconds
            upload_timeout = DEFAULT_UPLOAD_TIMEOUT if seconds is None else seconds
        else:
            timeout = upload_timeout = check_timeout(timeout)
        self.timeout = timeout
        """The timeout of each request but uploads (None for none)."""
        self.upload_timeout = upload_timeout
        """The timeout of each upload: :attr:`timeout` when one was given (or set in
        ``APARAVI_TIMEOUT``); by default 10 minutes for the answer, as the service answers
        an upload only once it has processed the document."""
        self.auth_scheme: AuthScheme = auth_scheme
        self.strict = strict
        """Whether any response field that does not fit the spec is an error."""
        configure()
        self._api_key = key
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
        merged.update(check_headers(headers))
        merged["Authorization"] = key if auth_scheme == "raw" else f"Bearer {key}"
        self._headers = ops.plain_headers(merged)
        self.token = None
        self.type = None
        self._task_listeners: list[TaskListener] = []

    @staticmethod
    def _base_url(given: str | None) -> str:
        """``given``, else ``$APARAVI_BASE_URL``, else production, once checked. An empty
        one is refused: a script whose variable is unset must not send its key to
        production."""
        if given is not None:
            return check_base_url(
                given,
                if_empty=f"pass None for ${BASE_URL_ENV} or {DEFAULT_BASE_URL}, or the "
                "service URL",
            )
        url = os.environ.get(BASE_URL_ENV)
        if url is None:
            return DEFAULT_BASE_URL
        return check_base_url(
            url,
            BASE_URL_ENV,
            if_empty=f"unset it for {DEFAULT_BASE_URL}, or set it to the service URL",
        )

    def __repr__(self) -> str:
        task = f"task=({mask(self.token)!r}, {self.type!r})" if self.token else "task=None"
        return f"{type(self).__name__}(base_url={self.base_url!r}, {task})"

    # -- the current task ---------------------------------------------------------------

    def _active_task(self) -> tuple[str, str]:
        if not self.token or not self.type:
            raise NoActiveTaskError(NO_TASK_MESSAGE)
        return self.token, self.type

    def on_task(self, listener: TaskListener) -> Callable[[], None]:
        """Call ``listener`` with a :class:`TaskEvent` for each task this client starts
        (``start_task``, ``run``, ``process``: as soon as the service answers) and deletes
        (or finds gone when deleting it); returns a function that removes it.

        Listeners run on the thread that started or deleted the task (a clean-up may run
        on a thread of its own, through a Ctrl-C), one after another. An exception a
        listener raises comes out of that call; a task whose start a listener refused is
        deleted first, so that no task is left that nobody knows of.

        The service has no call that lists tasks: this is how a program keeps a record of
        its own, to delete later what a crash or a kill left running.
        """
        if not callable(listener):
            raise TypeError(f"listener must be callable, not {type(listener).__name__}")
        self._task_listeners.append(listener)

        def remove() -> None:
            if listener in self._task_listeners:
                self._task_listeners.remove(listener)

        return remove

    def _tell(self, event: TaskEvent) -> None:
        for listener in list(self._task_listeners):
            listener(event)

    def _remember(self, token: str, type_: str, name: str | None = None) -> None:
        """Make the task just started current, and tell the listeners."""
        self.token, self.type = token, type_
        self._tell(TaskEvent("started", token, type_, self.base_url, name))

    def _forget(self, token: str, type_: str) -> None:
        """The task was deleted (or found gone): forget it if current, tell the listeners."""
        if self.token == token:
            self.token = self.type = None
        self._tell(TaskEvent("deleted", token, type_, self.base_url))

    # -- request building ---------------------------------------------------------------

    def _call(
        self,
        operation: Operation[M],
        kwargs: dict[str, Any],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        token: str | None = None,
    ) -> Call[M]:
        if not isinstance(max_retries, NotGiven):
            check_max_retries(max_retries)
        if isinstance(timeout, NotGiven):
            timeout = self.upload_timeout if operation in UPLOADS else self.timeout
        else:
            check_timeout(timeout)
        return ops.build(
            operation,
            kwargs,
            base_url=self.base_url,
            headers=self._headers,
            timeout=timeout,
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            redactor=self._redactor if token is None else self._redactor_for(token),
        )

    def _redactor_for(self, token: str) -> Redactor:
        """The key's redactor plus ``token``; kept for the tokens polled last."""
        cache = self._redactors
        redactor = cache.get(token)
        if redactor is None:
            if len(cache) >= CACHED_TASKS:
                cache.clear()  # one call, so threads sharing the client cannot trip on it
            redactor = cache[token] = self._redactor.plus(token)
        return redactor

    def _delete_task_call(
        self, token: str, type_: str, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        kwargs = tasks.delete_task._get_kwargs(token=token, type_=type_)
        return self._call(ops.DELETE_TASK, kwargs, timeout, retries, token)

    def _start_task_call(
        self,
        pipeline: PipelineInput,
        name: str | None,
        threads: int | None,
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[StartTaskResponse]:
        name, threads = check_name(name), check_threads(threads)
        kwargs = tasks.start_task._get_kwargs(
            body=wrap_pipeline(pipeline),
            name=UNSET if name is None else name,
            threads=UNSET if threads is None else threads,
        )
        return self._call(ops.START_TASK, kwargs, timeout, retries)

    def _validate_call(
        self, pipeline: PipelineInput, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        kwargs = pipelines.validate_pipeline._get_kwargs(body=wrap_pipeline(pipeline))
        return self._call(ops.VALIDATE, kwargs, timeout, retries)

    def _webhook_call(
        self,
        token: str,
        type_: str,
        files: FileInput | Sequence[FileInput] | None,
        text: str | None,
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[WebhookResponse]:
        loaded, text = read_upload(files, text)
        kwargs = ops.webhook_request(token, type_, loaded, text)
        return self._call(ops.SEND_TO_WEBHOOK, kwargs, timeout, retries, token)

    def _streamed_upload_call(self, token: str, type_: str) -> Call[WebhookResponse]:
        """PUT /webhook of one file, raw and streamed: what ``process()`` sends for each
        file, its name, type and body put in by the batch (:meth:`BatchPlan.next_upload`)."""
        kwargs = ops.streamed_upload_request(token, type_)
        return self._call(ops.SEND_TO_WEBHOOK, kwargs, NOT_GIVEN, NOT_GIVEN, token)

    def _create_pipe_call(
        self,
        pipeline: PipelineInput,
        name: str | None,
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[PipeCreatedResponse]:
        name = check_name(name)
        kwargs = pipes.create_pipe._get_kwargs(
            body=wrap_pipeline(pipeline), name=UNSET if name is None else name
        )
        return self._call(ops.CREATE_PIPE, kwargs, timeout, retries)

    def _delete_pipe_call(
        self, token: str, timeout: TimeoutTypes | NotGiven, retries: int | NotGiven
    ) -> Call[Envelope]:
        kwargs = pipes.delete_pipe._get_kwargs(token=token)
        return self._call(ops.DELETE_PIPE, kwargs, timeout, retries, token)

    def _process_pipe_call(
        self,
        token: str,
        files: FileInput | Sequence[FileInput],
        timeout: TimeoutTypes | NotGiven,
        retries: int | NotGiven,
    ) -> Call[WebhookResponse]:
        kwargs = ops.pipe_request(token, read_files(files))
        return self._call(ops.PROCESS_PIPE, kwargs, timeout, retries, token)

    @staticmethod
    def _pipe_token(answer: PipeCreatedResponse) -> str:
        data = answer.data
        token = data if isinstance(data, str) else data.token
        return check_token(token, "pipe token")

    def _page_url(self, page: str, token: str, type_: str) -> str:
        """The URL of a task's browser page. It carries the API key: never log it."""
        params = {"type": type_, "token": token, "apikey": self._api_key}
        return f"{self.base_url}/{page}?{query(params)}"

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

    def _run_waiter(self, plan: RunPlan, task: Any, target: Target) -> Waiter:
        """A waiter for one phase of ``run()``, with what is left of the run's deadline."""
        return self._waiter(
            task,
            plan.time_left(),
            plan.poll_interval,
            plan.on_progress,
            target=target,
            left_running=False,
        )

    def _cleanup_failed(self, exc: BaseException, what: str = "task") -> None:
        logger.warning("could not delete the %s after %s: %s", what, type(exc).__name__, exc)

    # -- sending: decisions shared by both clients ---------------------------------------

    def _retry_after_error(self, call: Call[Any], attempt: int, exc: httpx.HTTPError) -> float:
        """Seconds to wait before retrying after ``exc``; raise the SDK's error if not."""
        if isinstance(exc, NoTLS):  # trying again cannot help
            raise self._no_tls(call) from None
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
            raise request_error(APITimeoutError, action, f"timed out ({detail})") from None
        raise request_error(APIConnectionError, action, detail) from None

    @staticmethod
    def _no_tls(call: Call[Any]) -> NoTLSError:
        """What to do when an ``https://`` URL reached a server without TLS."""
        url = httpx.URL(call.url)
        host, port = url.host, url.port or 443
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if is_loopback(host):
            advice = f"use http://{address} if it is a plain-HTTP server"
        else:  # plain http goes to loopback hosts only
            advice = "check the URL's port, or what answers in the service's place"
        reason = f"the server at {address} does not speak TLS: {advice}"
        return request_error(NoTLSError, call.operation.action, reason, host=host, port=port)

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
        _telemetry.retried(attempt, why, delay)
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
        _telemetry.answered(attempt, status)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (attempt %d, %.3fs)",
                call.method,
                call.path,
                status,
                attempt + 1,
                elapsed,
            )

    def _handle(self, call: Call[M], status: int, headers: Mapping[str, str], raw: bytes) -> M:
        """Return the operation's model for a response, or raise the matching error."""
        return handle(call, status, headers, raw, self.strict)
