"""Exit codes of ``aparavi-dtc`` and the one line it prints for an error."""

from __future__ import annotations

import enum
import urllib.parse

from aparavi_dtc import (
    AparaviError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NoActiveTaskError,
    ResultsFileInUseError,
    TaskFailedError,
    TaskNotFoundError,
    TaskTimeoutError,
)

from .session import SessionError

__all__ = ["CLIError", "ExitCode", "error_message", "exit_code_for", "file_error"]


class ExitCode(enum.IntEnum):
    """What ``aparavi-dtc`` exits with."""

    OK = 0
    TASK_FAILED = 1  # the task failed, was cancelled, or finished with errors
    USAGE = 2  # bad arguments, a missing key, an unusable session file or pipeline
    AUTHENTICATION = 3  # the API key was refused
    NOT_FOUND = 4  # the task does not exist any more
    NETWORK = 5  # the service could not be reached, or did not answer in time
    API_ERROR = 6  # any other error reported by the service, or a malformed answer
    FILES_FAILED = 7  # process: some files failed; the others were processed
    DRIFT = 8  # verify: the service does not answer as the spec says
    HANGUP = 129  # SIGHUP: the terminal or SSH session went away
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    TERMINATED = 143  # SIGTERM: kill, docker stop, Kubernetes


class CLIError(Exception):
    """A problem the command reports in one line before exiting with ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code


def exit_code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, CLIError):
        return exc.code
    if isinstance(exc, SessionError):
        return ExitCode.USAGE
    if isinstance(exc, TaskFailedError):
        return ExitCode.TASK_FAILED
    if isinstance(exc, AuthenticationError):
        return ExitCode.AUTHENTICATION
    if isinstance(exc, TaskNotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, APIConnectionError | TaskTimeoutError):
        return ExitCode.NETWORK
    if isinstance(
        exc, NoActiveTaskError | ResultsFileInUseError | ValueError | TypeError | OSError
    ):
        return ExitCode.USAGE
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.API_ERROR


def _host_of(base_url: str) -> str:
    """``host:port`` of a URL, for messages (never its path, query or user info)."""
    parsed = urllib.parse.urlsplit(base_url)
    host = parsed.hostname or base_url
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parsed.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def error_message(exc: BaseException, base_url: str | None) -> str:
    """The one line the CLI prints for ``exc``: the status code of an HTTP failure, the host
    of a network failure, an interruption's own words. Built from the exception's fields
    (``action``, ``reason``, ``status_code``, ``left_running``), never from its message."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, TaskTimeoutError) and exc.left_running and exc.reason:
        # The SDK's advice is for Python; this is a shell.
        return (
            f"{exc.reason} It is still running: follow it with `aparavi-dtc status --watch`,"
            " or delete it with `aparavi-dtc delete`."
        )
    if isinstance(exc, AparaviError) and exc.action is not None and exc.reason is not None:
        return _request_message(exc, exc.action, exc.reason, base_url)
    if isinstance(exc, CLIError | SessionError | AparaviError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    if isinstance(exc, ValueError | TypeError):
        return str(exc)
    # An error the SDK did not expect; --debug shows where it came from.
    return f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"


def _request_message(exc: AparaviError, action: str, reason: str, base_url: str | None) -> str:
    """``Error <action>: <reason>``, with the HTTP status of a refusal or the host that
    could not be reached."""
    status = getattr(exc, "status_code", None)
    if (
        isinstance(exc, APIStatusError | APIResponseValidationError)
        and isinstance(status, int)
        and not 200 <= status < 300
        and f"HTTP {status}" not in reason
    ):
        return f"Error {action} (HTTP {status}): {reason}"
    if isinstance(exc, APIConnectionError) and base_url:
        host = _host_of(base_url)
        if host not in reason:
            verb = "no answer in time from" if isinstance(exc, APITimeoutError) else "cannot reach"
            return f"Error {action}: {verb} {host}: {reason}"
    return f"Error {action}: {reason}"


def file_error(exc: BaseException, base_url: str | None) -> str:
    """One line for a file's error: an OSError of our own words has no ``strerror``."""
    if isinstance(exc, OSError) and not exc.strerror:
        return str(exc)
    return error_message(exc, base_url)
