"""The API's operations as the SDK sends them: what each is called in messages, the model
it answers, whether it may be sent twice; and the one place a request is built (:func:`build`),
encoded, ready for either client, uploads included.

A request's body is bytes, or a :class:`Body` streamed a chunk at a time (a file read from
disk as it is sent), produced afresh for every attempt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from aparavi_dtc_api import models
from aparavi_dtc_api.api import pipes, webhook

from ._checks import TimeoutTypes
from ._redact import Redactor
from ._types import Call, Loaded, Operation
from ._uploads import content_disposition, multipart
from ._url import query

M = TypeVar("M")

# Each entry: operationId, what a message says it was doing, the model of its answer (a
# function, so that a model loads only when a first answer needs it), whether it may be
# sent twice, whether a "not found" means the task is gone, and the methods that send it.
# A method given a docstring here is written by ``tools/methods.py`` (``make generate``)
# into ``_async_methods.py`` and ``_methods.py``: its arguments are those of the generated
# endpoint's ``_get_kwargs``, a task's ``token`` and ``type`` taken from the handle or the
# client's current task. A method given None is written by hand in ``_async_client.py``.

GET_TASK: Operation[models.TaskStatusResponse] = Operation(
    "getTask",
    "getting task status",
    lambda: models.TaskStatusResponse,
    idempotent=True,
    about_task=True,
    offered={
        "AparaviDTC.get_task": """Return the status of the current task (GET /task).

``result.data.status`` is the task's state, such as ``"Running"``.

Raises:
    NoActiveTaskError: No task was started; nothing is sent.
    TaskNotFoundError: The task does not exist any more.""",
        "Task.get": "Return the task's current status (GET /task).",
    },
)
START_TASK: Operation[models.StartTaskResponse] = Operation(
    "startTask",
    "starting task",
    lambda: models.StartTaskResponse,
    idempotent=False,
    about_task=False,
    offered={"AparaviDTC.start_task": None},
)
DELETE_TASK: Operation[models.Envelope] = Operation(
    "deleteTask",
    "deleting task",
    lambda: models.Envelope,
    idempotent=True,
    about_task=True,
    offered={"AparaviDTC.delete_task": None, "Task.delete": None},
)
VALIDATE: Operation[models.Envelope] = Operation(
    "validatePipeline",
    "validating pipeline",
    lambda: models.Envelope,
    idempotent=True,
    about_task=False,
    offered={"AparaviDTC.validate": None},
)
SEND_TO_WEBHOOK: Operation[models.WebhookResponse] = Operation(
    "sendToWebhook",
    "sending to webhook",
    lambda: models.WebhookResponse,
    idempotent=False,
    about_task=True,
    offered={"AparaviDTC.send_to_webhook": None, "Task.send_to_webhook": None},
)
GET_VERSION: Operation[models.VersionResponse] = Operation(
    "getVersion",
    "getting version",
    lambda: models.VersionResponse,
    idempotent=True,
    about_task=False,
    offered={
        "AparaviDTC.version": (
            "Return the service's version (GET /version): ``data.version``, ``hash``, ``stamp``."
        )
    },
)
GET_STATUS: Operation[models.Envelope] = Operation(
    "getStatus",
    "getting service status",
    lambda: models.Envelope,
    idempotent=True,
    about_task=False,
    offered={"AparaviDTC.status": "Return the service's status (GET /status)."},
)
GET_SERVICES: Operation[models.ServicesResponse] = Operation(
    "getServices",
    "getting services",
    lambda: models.ServicesResponse,
    idempotent=True,
    about_task=False,
    offered={
        "AparaviDTC.services": (
            "Return the catalog of the service's components, or one of them (GET /services)."
        )
    },
)
CREATE_PIPE: Operation[models.PipeCreatedResponse] = Operation(
    "createPipe",
    "creating pipe",
    lambda: models.PipeCreatedResponse,
    idempotent=False,
    about_task=False,
    offered={"AparaviDTC.create_pipe": None},
)
DELETE_PIPE: Operation[models.Envelope] = Operation(
    "deletePipe",
    "deleting pipe",
    lambda: models.Envelope,
    idempotent=True,
    about_task=False,
    offered={"Pipe.delete": None},
)
PROCESS_PIPE: Operation[models.WebhookResponse] = Operation(
    "processPipe",
    "processing files through pipe",
    lambda: models.WebhookResponse,
    idempotent=False,
    about_task=False,
    offered={"Pipe.process": None},
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
        kwargs = webhook.send_to_webhook._get_kwargs(token=token, type_=type_)
        kwargs["content"] = text.encode("utf-8")
        kwargs["headers"]["Content-Type"] = "text/plain; charset=utf-8"
        return kwargs
    if len(loaded) == 1:
        ((name, content, kind),) = loaded
        kwargs = webhook.send_to_webhook._get_kwargs(
            token=token, type_=type_, content_disposition=content_disposition(name)
        )
        kwargs["headers"]["Content-Type"] = kind
        kwargs["content"] = content  # bytes, so that a retry can send it again
        return kwargs
    return webhook.send_to_webhook._get_kwargs(body=multipart(loaded), token=token, type_=type_)


def streamed_upload_request(token: str, type_: str) -> dict[str, Any]:
    """The request kwargs of PUT /webhook for one file sent raw and streamed (``process()``):
    each file then changes only its name, its type and its body (:meth:`Call.with_body`)."""
    kwargs = webhook.send_to_webhook._get_kwargs(
        token=token, type_=type_, content_disposition="attachment"
    )
    kwargs["headers"]["Content-Type"] = "application/octet-stream"
    return kwargs


def pipe_request(token: str, loaded: list[Loaded]) -> dict[str, Any]:
    """The request kwargs of PUT /pipe/process: every file a part named ``files``."""

    return pipes.process_pipe._get_kwargs(body=multipart(loaded), token=token)
