"""The exceptions of the SDK.

::

    AparaviError
    ├── NoActiveTaskError            the client has no task to act on
    ├── TaskFailedError              a waited-for task failed, was cancelled or had errors
    ├── TaskTimeoutError             a waited-for task did not finish before the deadline
    ├── FileChangedError             process(): a file changed between listing and sending
    ├── ResultsFileInUseError        process(): another run is writing the results file
    ├── APIConnectionError           the service could not be reached
    │   ├── APITimeoutError          ... or did not answer in time
    │   └── NoTLSError               ... or answered https:// without TLS (plain HTTP)
    ├── APIResponseValidationError   the service answered something the spec does not allow
    │   └── ResponseTooLargeError    ... or more than max_response_size bytes
    └── APIStatusError               the service said no (HTTP status or error envelope)
        ├── AuthenticationError      401: bad API key, or out of processing tokens
        ├── TaskNotFoundError        the task does not exist or has been deleted
        ├── PipelineValidationError  the service found errors in a pipeline
        ├── RateLimitError           429
        └── ServerError              5xx

Misuse of the client (a bad argument) raises the built-in ``ValueError`` or ``TypeError``
before anything is sent. Messages never contain the API key or a task token.

An error of a request says ``Error <action>: <reason>`` and carries both parts as fields
(``action``, ``reason``), with ``status_code`` where the service answered: code that
reports errors builds its words from the fields, never from the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from aparavi_dtc_api.models import TaskStatus

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AparaviError",
    "AuthenticationError",
    "FileChangedError",
    "NoActiveTaskError",
    "NoTLSError",
    "PipelineValidationError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResultsFileInUseError",
    "ServerError",
    "TaskFailedError",
    "TaskNotFoundError",
    "TaskTimeoutError",
]


class AparaviError(Exception):
    """Base class of every error the SDK raises on purpose.

    ``action`` is what the SDK was doing (``"getting task status"``) and ``reason`` what
    went wrong, masked, when the error is about a request; both are None otherwise.
    """

    message: str
    action: str | None
    reason: str | None

    def __init__(
        self, message: str, *, action: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.reason = reason


class NoActiveTaskError(AparaviError):
    """Raised when a task method is called before ``start_task()`` gave the client a task."""


class TaskFailedError(AparaviError):
    """Raised by waiting when the task ends Failed, Cancelled or Error, or ends with errors.

    ``errors`` holds the server's error messages (masked); ``status`` the last status.
    """

    def __init__(self, message: str, *, status: TaskStatus, errors: list[str]) -> None:
        super().__init__(message, reason=message)
        self.status = status
        self.errors = errors


class TaskTimeoutError(AparaviError):
    """Raised by waiting at its deadline.

    ``left_running`` tells whether the task is still running (``wait()`` leaves it so) or
    has been deleted (``run()`` and ``process()`` delete it). ``task`` is a handle on it
    (resume with ``task.wait()``, cancel with ``task.delete()``); ``status`` is the last
    status seen, or None if none was; ``reason`` says what did not happen in time, without
    the advice on how to go on that the message adds.
    """

    def __init__(
        self,
        message: str,
        *,
        task: Any,
        status: TaskStatus | None,
        left_running: bool = True,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, reason=message if reason is None else reason)
        self.task = task
        self.status = status
        self.left_running = left_running


class FileChangedError(AparaviError, OSError):
    """Raised as one file's error by ``process()`` when the file changed size (an object:
    or its ETag) between being listed and being sent: what the service got would not be
    the file that was listed.
    Also an ``OSError``, as every other failure to read a file is."""


class ResultsFileInUseError(AparaviError):
    """Raised by ``process(results=...)`` when another run holds the results file (each run
    locks it while it writes). ``path`` is the file."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message, reason=message)
        self.path = path


class APIConnectionError(AparaviError):
    """Raised when the request could not be sent or no response came back."""


class APITimeoutError(APIConnectionError):
    """Raised when the service did not answer within the timeout."""


class NoTLSError(APIConnectionError):
    """Raised when an ``https://`` URL reaches a server that does not speak TLS, such as a
    plain-HTTP server on loopback: its URL wants ``http://``. ``host`` and ``port`` are
    the server's. Never retried: trying again cannot help."""

    def __init__(
        self,
        message: str,
        *,
        host: str,
        port: int,
        action: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, action=action, reason=reason)
        self.host = host
        self.port = port


class APIResponseValidationError(AparaviError):
    """Raised when a successful response is not what the spec allows.

    HTML instead of JSON, truncated JSON, missing fields or wrong types.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        action: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, action=action, reason=reason)
        self.status_code = status_code
        self.body = body


class ResponseTooLargeError(APIResponseValidationError):
    """Raised when a response's body, decoded, is larger than the client's
    ``max_response_size``; reading stops there, so memory stays bounded."""


class APIStatusError(AparaviError):
    """Raised when the service reports a failure.

    Either by its HTTP status or by an error envelope (``"status": "Error"``), which the
    service also sends under HTTP 200. ``body`` is the parsed response (secrets masked).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        request_id: str | None = None,
        action: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message, action=action, reason=reason)
        self.status_code = status_code
        self.body = body
        self.request_id = request_id


class AuthenticationError(APIStatusError):
    """Raised on HTTP 401: the API key is wrong or the account is out of processing tokens."""


class TaskNotFoundError(APIStatusError):
    """Raised when the task does not exist or has been deleted, whichever envelope says so."""


class PipelineValidationError(APIStatusError):
    """Raised by ``run()`` when validating the pipeline reports errors."""


class RateLimitError(APIStatusError):
    """Raised on HTTP 429 once retries are used up."""


class ServerError(APIStatusError):
    """Raised on HTTP 5xx once retries are used up."""


E = TypeVar("E", bound=AparaviError)


def request_error(cls: type[E], action: str, reason: str, **fields: Any) -> E:
    """``cls`` for a request that failed: ``Error <action>: <reason>``, both kept as fields."""
    return cls(f"Error {action}: {reason}", action=action, reason=reason, **fields)
