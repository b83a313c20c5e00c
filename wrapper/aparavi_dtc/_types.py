"""What every layer of the SDK shares and nothing it builds on: an operation
(:class:`Operation`), a request ready to send (:class:`Call`) and its streamed body
(:class:`Body`), the files a user gives (:data:`FileInput`, :data:`Loaded`), an object of
a remote store (:class:`RemoteObject`), and the few rules both HTTP stacks apply to a call.

A leaf: it imports nothing of the SDK but the checks, the masking and the errors, so that
request building (``_operations``, ``_uploads``), answers (``_response``) and the HTTP
stacks (``_transports``) all stand on it and none on another's back.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, Generic, NamedTuple, Protocol, TypeAlias, TypeVar

import httpx

from ._checks import TimeoutTypes
from ._exceptions import ResponseTooLargeError, request_error
from ._redact import Redactor

__all__ = [
    "Body",
    "BodyError",
    "Call",
    "FileInput",
    "Loaded",
    "Operation",
    "RemoteObject",
    "async_content",
    "response_budget",
    "sync_content",
    "too_large",
]

M = TypeVar("M")

#: A file to upload: a path, or ``(name, bytes)`` or ``(name, bytes, content_type)``.
FileInput: TypeAlias = str | os.PathLike[str] | tuple[str, bytes] | tuple[str, bytes, str]
#: A file read for a request: its name, bytes and content type.
Loaded: TypeAlias = tuple[str, bytes, str]


class Operation(NamedTuple, Generic[M]):
    """What the SDK knows about one API operation.

    Named tuples, this and :class:`Call`: immutable, and a tenth of a frozen dataclass's
    cost to define when the SDK is imported (BENCHMARKS.md, the first answer)."""

    operation_id: str  # as the spec names it: "getTask"
    action: str  # completes "Error <action>: <reason>"
    answer: Callable[[], type[M]]  # the generated model a successful answer parses into
    idempotent: bool  # may be sent again after a failure that may have reached the server
    about_task: bool  # a "not found" means the task is gone
    #: The methods that send it ("AparaviDTC.get_task", "Task.get"), each with the docstring
    #: of the method ``tools/methods.py`` writes from this entry, or None for one written
    #: by hand (in ``_async_client.py``).
    offered: Mapping[str, str | None] = {}

    @property
    def model(self) -> type[M]:
        """The model a successful answer parses into, loaded on first use."""
        return self.answer()


class Body(Protocol):
    """A request body sent in chunks, of a length known in advance (``Content-Length``).

    Each call of :meth:`chunks` or :meth:`achunks` starts the body again from its first
    byte, so that a retry sends all of it.
    """

    @property
    def size(self) -> int:
        """The body's length in bytes."""
        ...

    def chunks(self) -> Iterator[bytes]:
        """The body for one attempt of the sync client."""
        ...

    def achunks(self) -> AsyncIterator[bytes]:
        """The body for one attempt of the async client."""
        ...


class Call(NamedTuple, Generic[M]):
    """One operation ready to send, body encoded once, and its per-call options.

    Both clients send exactly these bytes and headers, on every attempt.
    """

    operation: Operation[M]
    method: str
    url: str  # absolute, query encoded
    headers: Mapping[str, str]  # the client's headers and the operation's own
    content: bytes | Body | None  # a Body is streamed, afresh on every attempt
    timeout: TimeoutTypes
    max_retries: int
    redactor: Redactor  # the API key and the task token this call carries
    path: str  # for logs: the path alone, never the query with its token

    def __repr__(self) -> str:
        # Never the URL (its query has the task token) nor the headers (the API key).
        body = "no body" if self.content is None else f"{type(self.content).__name__} body"
        return f"Call({self.method} {self.path}, {self.operation.action}, {body})"

    def with_body(self, headers: Mapping[str, str], content: bytes | Body) -> Call[M]:
        """This call with other headers and body (``process()`` makes one per file)."""
        return self._replace(headers=headers, content=content)


def sync_content(call: Call[M]) -> tuple[bytes | Iterator[bytes] | None, Mapping[str, str]]:
    """The body and headers of one attempt of ``call`` by the sync client.

    A streamed body starts again from its first byte, with its length declared so that it
    is not sent chunked.
    """
    content = call.content
    if content is None or isinstance(content, bytes):
        return content, call.headers
    return content.chunks(), {**call.headers, "Content-Length": str(content.size)}


def async_content(call: Call[M]) -> tuple[bytes | AsyncIterator[bytes] | None, int]:
    """The body of one attempt of ``call`` by the async client, and its length."""
    content = call.content
    if content is None:
        return None, 0
    if isinstance(content, bytes):
        return content, len(content)
    return content.achunks(), content.size


class RemoteObject(Protocol):
    """An object of a remote store as a streamed body reads it (``_inputs.Remote``)."""

    @property
    def fs(self) -> Any:
        """The fsspec filesystem that holds it."""
        ...

    @property
    def path(self) -> str:
        """Its path as the filesystem names it (``bucket/key``)."""
        ...

    @property
    def url(self) -> str:
        """Its URL, with its protocol (``s3://bucket/key``)."""
        ...

    @property
    def version(self) -> str:
        """Its version as listed: its ETag, or its size and modification time."""
        ...

    def version_now(self) -> str:
        """The object's version as the store has it now; ``FileNotFoundError`` if gone."""
        ...


class BodyError(Exception):
    """Carries an error raised while producing a streamed body (reading its file, or the
    batch being stopped) out through an HTTP stack, which would otherwise report it as a
    network failure. ``error`` is the original."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def too_large(call: Call[Any], status: int, limit: int) -> ResponseTooLargeError:
    """The error for a body that grew past ``limit`` bytes; reading has stopped."""
    return request_error(
        ResponseTooLargeError,
        call.operation.action,
        f"the response is larger than {limit:,} bytes (the client's max_response_size)",
        status_code=status,
        body=None,
    )


def response_budget(call: Call[Any]) -> float | None:
    """Seconds a whole response may take to arrive once the request is sent: the read
    timeout, so that a server dripping bytes cannot hold a call for longer."""
    return httpx.Timeout(call.timeout).read
