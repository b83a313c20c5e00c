"""The API's operations as the SDK sends them: what each is called in messages, the model
it answers, whether it may be sent twice; and the one place a request is built (:func:`build`),
encoded, ready for either client, uploads included.

A request's body is bytes, or a :class:`Body` streamed a chunk at a time (a file read from
disk as it is sent), produced afresh for every attempt."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeAlias, TypeVar

import httpx

from aparavi_dtc_api import models

from ._checks import TimeoutTypes
from ._redact import Redactor
from ._url import query

if TYPE_CHECKING:
    from aparavi_dtc_api.api.pipes import process_pipe
    from aparavi_dtc_api.api.webhook import send_to_webhook
    from aparavi_dtc_api.models import (
        Envelope,
        PipeCreatedResponse,
        ServicesResponse,
        StartTaskResponse,
        TaskStatusResponse,
        VersionResponse,
        WebhookResponse,
    )

M = TypeVar("M")


class Operation(NamedTuple, Generic[M]):
    """What the SDK knows about one API operation.

    Named tuples, this and :class:`Call`: immutable, and a tenth of a frozen dataclass's
    cost to define when the SDK is imported (BENCHMARKS.md, the first answer)."""

    operation_id: str  # as the spec names it: "getTask"
    action: str  # completes "Error <action>: <reason>"
    answer: str  # the name of the generated model a successful answer parses into
    idempotent: bool  # may be sent again after a failure that may have reached the server
    about_task: bool  # a "not found" means the task is gone

    @property
    def model(self) -> type[M]:
        """The model a successful answer parses into, loaded on first use."""
        model: type[M] = getattr(models, self.answer)
        return model


GET_TASK: Operation[TaskStatusResponse] = Operation(
    "getTask", "getting task status", "TaskStatusResponse", True, True
)
START_TASK: Operation[StartTaskResponse] = Operation(
    "startTask", "starting task", "StartTaskResponse", False, False
)
DELETE_TASK: Operation[Envelope] = Operation("deleteTask", "deleting task", "Envelope", True, True)
VALIDATE: Operation[Envelope] = Operation(
    "validatePipeline", "validating pipeline", "Envelope", True, False
)
SEND_TO_WEBHOOK: Operation[WebhookResponse] = Operation(
    "sendToWebhook", "sending to webhook", "WebhookResponse", False, True
)
GET_VERSION: Operation[VersionResponse] = Operation(
    "getVersion", "getting version", "VersionResponse", True, False
)
GET_STATUS: Operation[Envelope] = Operation(
    "getStatus", "getting service status", "Envelope", True, False
)
GET_SERVICES: Operation[ServicesResponse] = Operation(
    "getServices", "getting services", "ServicesResponse", True, False
)
CREATE_PIPE: Operation[PipeCreatedResponse] = Operation(
    "createPipe", "creating pipe", "PipeCreatedResponse", False, False
)
DELETE_PIPE: Operation[Envelope] = Operation(
    "deletePipe", "deleting pipe", "Envelope", True, False
)
PROCESS_PIPE: Operation[WebhookResponse] = Operation(
    "processPipe", "processing files through pipe", "WebhookResponse", False, False
)


class Endpoint:
    """Stands for a generated endpoint module until its first use, then imports it and puts
    it in its place in ``namespace``: a first answer loads only the endpoints (and their
    models) it sends, not all thirteen."""

    def __init__(self, namespace: dict[str, Any], name: str, module: str) -> None:
        self._namespace, self._name, self._module = namespace, name, module

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._module)
        self._namespace[self._name] = module  # found directly from now on
        return getattr(module, attribute)


def endpoints(namespace: dict[str, Any], package: str, *names: str) -> None:
    """Bind each of ``names`` in ``namespace`` to an :class:`Endpoint` of ``package``'s
    module of that name."""
    for name in names:
        namespace[name] = Endpoint(namespace, name, f"aparavi_dtc_api.api.{package}.{name}")


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


def plain_headers(headers: httpx.Headers) -> dict[str, str]:
    """``headers`` as a plain dict, names as given: one entry per name, last value wins."""
    return {
        name.decode(headers.encoding): value.decode(headers.encoding)
        for name, value in headers.raw
    }


def build(
    operation: Operation[M],
    kwargs: dict[str, Any],
    *,
    base_url: str,
    headers: Mapping[str, str],
    timeout: TimeoutTypes,
    max_retries: int,
    redactor: Redactor,
) -> Call[M]:
    """The request of ``operation`` from the generated endpoint's ``_get_kwargs``: one
    absolute URL, the client's ``headers`` with the operation's own, the body encoded once.

    One absolute URL string: httpx parses it once, where base_url + params costs it three
    parses per request (measured in BENCHMARKS.md).
    """
    method = kwargs.pop("method").upper()
    path = kwargs.pop("url")
    params = kwargs.pop("params", None)
    own_headers = kwargs.pop("headers", None)
    url = base_url + path
    if params:
        url = f"{url}?{query(params)}"
    content = None
    if kwargs or own_headers:  # a body (json, files or content) and its headers
        encoded = httpx.Request(method, url, headers=own_headers, **kwargs)
        content = encoded.read()
        merged = httpx.Headers(headers)
        merged.update(encoded.headers)
        for computed in ("host", "content-length"):  # each HTTP stack sets these
            merged.pop(computed, None)
        headers = plain_headers(merged)
    return Call(operation, method, url, headers, content, timeout, max_retries, redactor, path)


# -- the uploads' requests ----------------------------------------------------------------

#: A file once read: name, content, content type.
Loaded: TypeAlias = tuple[str, bytes, str]


def webhook_request(
    token: str, type_: str, loaded: list[Loaded], text: str | None
) -> dict[str, Any]:
    """The request kwargs of PUT /webhook for text, one raw file, or several files."""
    from ._uploads import content_disposition, multipart

    if text is not None:
        kwargs = send_to_webhook._get_kwargs(token=token, type_=type_)
        kwargs["content"] = text.encode("utf-8")
        kwargs["headers"]["Content-Type"] = "text/plain; charset=utf-8"
        return kwargs
    if len(loaded) == 1:
        ((name, content, kind),) = loaded
        kwargs = send_to_webhook._get_kwargs(
            token=token, type_=type_, content_disposition=content_disposition(name)
        )
        kwargs["headers"]["Content-Type"] = kind
        kwargs["content"] = content  # bytes, so that a retry can send it again
        return kwargs
    return send_to_webhook._get_kwargs(body=multipart(loaded), token=token, type_=type_)


def streamed_upload_request(token: str, type_: str) -> dict[str, Any]:
    """The request kwargs of PUT /webhook for one file sent raw and streamed (``process()``):
    each file then changes only its name, its type and its body (:meth:`Call.with_body`)."""
    kwargs = send_to_webhook._get_kwargs(
        token=token, type_=type_, content_disposition="attachment"
    )
    kwargs["headers"]["Content-Type"] = "application/octet-stream"
    return kwargs


def pipe_request(token: str, loaded: list[Loaded]) -> dict[str, Any]:
    """The request kwargs of PUT /pipe/process: every file a part named ``files``."""
    from ._uploads import multipart

    return process_pipe._get_kwargs(body=multipart(loaded), token=token)


if not TYPE_CHECKING:  # each generated endpoint module loads when first used
    endpoints(globals(), "pipes", "process_pipe")
    endpoints(globals(), "webhook", "send_to_webhook")
