"""Typed Python SDK for the Aparavi Data Toolchain (DTC) task API.

>>> from aparavi_dtc import AparaviDTC
>>> with AparaviDTC() as client:               # key from $APARAVI_API_KEY
...     client.start_task({"components": [...]})
...     print(client.get_task().data.status)   # "Running"
...     client.delete_task()
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    AparaviError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    FileChangedError,
    NoActiveTaskError,
    NoTLSError,
    PipelineValidationError,
    RateLimitError,
    ResponseTooLargeError,
    ResultsFileInUseError,
    ServerError,
    TaskFailedError,
    TaskNotFoundError,
    TaskTimeoutError,
)
from ._sentinel import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from aparavi_dtc_api.models import (
        Envelope,
        ProcessedObject,
        ServicesResponse,
        StartTaskResponse,
        TaskStatus,
        TaskStatusResponse,
        VersionResponse,
        WebhookResponse,
        WebhookResult,
    )

    from . import pipelines
    from ._async_client import AsyncAparaviDTC, AsyncPipe, AsyncTask
    from ._batch import AsyncBatch, Batch, BatchProgress, FileResult
    from ._checks import TimeoutTypes
    from ._client import AparaviDTC, Pipe, Task
    from ._events import TaskEvent
    from ._inputs import ProcessInput
    from ._pipeline import PipelineInput
    from ._polling import Progress
    from ._resume import NotAResultsFileError
    from ._run import RunResult
    from ._types import FileInput

# The clients and models load on first use, so that `import aparavi_dtc` (and the
# command line's --help) do not pay for httpx, attrs and the generated models up front.
_LAZY = {
    "AparaviDTC": "._client",
    "Pipe": "._client",
    "Task": "._client",
    "TaskEvent": "._events",
    "AsyncAparaviDTC": "._async_client",
    "AsyncPipe": "._async_client",
    "AsyncTask": "._async_client",
    "FileInput": "._uploads",
    "Batch": "._batch",
    "AsyncBatch": "._batch",
    "BatchProgress": "._batch",
    "FileResult": "._batch",
    "ProcessInput": "._inputs",
    "RunResult": "._run",
    "NotAResultsFileError": "._resume",
    "TimeoutTypes": "._checks",
    "PipelineInput": "._pipeline",
    "Progress": "._polling",
    "pipelines": ".pipelines",
    # The generated models, each loaded when first reached.
    **dict.fromkeys(
        [
            "Envelope",
            "ProcessedObject",
            "ServicesResponse",
            "StartTaskResponse",
            "TaskStatus",
            "TaskStatusResponse",
            "VersionResponse",
            "WebhookResponse",
            "WebhookResult",
        ],
        "aparavi_dtc_api.models",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    imported = importlib.import_module(module, __name__)
    value = imported if name == "pipelines" else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AparaviDTC",
    "AparaviError",
    "AsyncAparaviDTC",
    "AsyncBatch",
    "AsyncPipe",
    "AsyncTask",
    "AuthenticationError",
    "Batch",
    "BatchProgress",
    "Envelope",
    "FileChangedError",
    "FileInput",
    "FileResult",
    "NoActiveTaskError",
    "NoTLSError",
    "NotAResultsFileError",
    "NotGiven",
    "Pipe",
    "PipelineInput",
    "PipelineValidationError",
    "ProcessInput",
    "ProcessedObject",
    "Progress",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResultsFileInUseError",
    "RunResult",
    "ServerError",
    "ServicesResponse",
    "StartTaskResponse",
    "Task",
    "TaskEvent",
    "TaskFailedError",
    "TaskNotFoundError",
    "TaskStatus",
    "TaskStatusResponse",
    "TaskTimeoutError",
    "TimeoutTypes",
    "VersionResponse",
    "WebhookResponse",
    "WebhookResult",
    "__version__",
    "pipelines",
]
