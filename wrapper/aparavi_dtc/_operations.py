"""The API's operations as the SDK sends them: what each is called in messages, the model
it answers, whether it may be sent twice; and the one place a request is built (:func:`build`),
encoded, ready for either client, uploads included.

A request's body is bytes, or a :class:`Body` streamed a chunk at a time (a file read from
disk as it is sent), produced afresh for every attempt."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._checks import TimeoutTypes
from ._redact import Redactor
from ._types import Call, Loaded, Operation
from ._uploads import content_disposition, multipart
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


GET_TASK: Operation[TaskStatusResponse] = Operation(
    "getTask",
    "getting task status",
    "TaskStatusResponse",
    True,
    True,
    ("AparaviDTC.get_task", "Task.get"),
)
START_TASK: Operation[StartTaskResponse] = Operation(
    "startTask", "starting task", "StartTaskResponse", False, False, ("AparaviDTC.start_task",)
)
DELETE_TASK: Operation[Envelope] = Operation(
    "deleteTask",
    "deleting task",
    "Envelope",
    True,
    True,
    ("AparaviDTC.delete_task", "Task.delete"),
)
VALIDATE: Operation[Envelope] = Operation(
    "validatePipeline", "validating pipeline", "Envelope", True, False, ("AparaviDTC.validate",)
)
SEND_TO_WEBHOOK: Operation[WebhookResponse] = Operation(
    "sendToWebhook",
    "sending to webhook",
    "WebhookResponse",
    False,
    True,
    ("AparaviDTC.send_to_webhook", "Task.send_to_webhook"),
)
GET_VERSION: Operation[VersionResponse] = Operation(
    "getVersion", "getting version", "VersionResponse", True, False, ("AparaviDTC.version",)
)
GET_STATUS: Operation[Envelope] = Operation(
    "getStatus", "getting service status", "Envelope", True, False, ("AparaviDTC.status",)
)
GET_SERVICES: Operation[ServicesResponse] = Operation(
    "getServices", "getting services", "ServicesResponse", True, False, ("AparaviDTC.services",)
)
CREATE_PIPE: Operation[PipeCreatedResponse] = Operation(
    "createPipe", "creating pipe", "PipeCreatedResponse", False, False, ("AparaviDTC.create_pipe",)
)
DELETE_PIPE: Operation[Envelope] = Operation(
    "deletePipe", "deleting pipe", "Envelope", True, False, ("Pipe.delete",)
)
PROCESS_PIPE: Operation[WebhookResponse] = Operation(
    "processPipe",
    "processing files through pipe",
    "WebhookResponse",
    False,
    False,
    ("Pipe.process",),
)

#: The operations that send documents, which the service processes before it answers: a
#: longer read timeout (``BaseClient.upload_timeout``).
UPLOADS: tuple[Operation[Any], ...] = (SEND_TO_WEBHOOK, PROCESS_PIPE)

#: Every operation the clients send, one entry each (tests check it against the spec, the
#: clients, their raw views and the fake).
REGISTRY: tuple[Operation[Any], ...] = (
    GET_TASK,
    START_TASK,
    DELETE_TASK,
    VALIDATE,
    SEND_TO_WEBHOOK,
    GET_VERSION,
    GET_STATUS,
    GET_SERVICES,
    CREATE_PIPE,
    DELETE_PIPE,
    PROCESS_PIPE,
)
#: Operations of the spec that the SDK builds a URL for and never sends: browser pages.
PAGES: dict[str, str] = {"openChat": "Task.chat_url", "openDropper": "Task.dropper_url"}


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


def webhook_request(
    token: str, type_: str, loaded: list[Loaded], text: str | None
) -> dict[str, Any]:
    """The request kwargs of PUT /webhook for text, one raw file, or several files."""

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

    return process_pipe._get_kwargs(body=multipart(loaded), token=token)


if not TYPE_CHECKING:  # each generated endpoint module loads when first used
    endpoints(globals(), "pipes", "process_pipe")
    endpoints(globals(), "webhook", "send_to_webhook")
