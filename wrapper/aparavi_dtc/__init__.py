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
    NoActiveTaskError,
    PipelineValidationError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TaskNotFoundError,
    TaskTimeoutError,
)
from ._sentinel import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from aparavi_dtc_api.models import Envelope, StartTaskResponse, TaskStatus, TaskStatusResponse

    from ._async_client import AsyncAparaviDTC, AsyncTask
    from ._base import FileInput, RunResult, TimeoutTypes
    from ._client import AparaviDTC, Task
    from ._pipeline import PipelineInput
    from ._polling import Progress

# The clients and models load on first use, so that `import aparavi_dtc` (and the
# command line's --help) do not pay for httpx, attrs and the generated models up front.
_LAZY = {
    "AparaviDTC": "._client",
    "Task": "._client",
    "AsyncAparaviDTC": "._async_client",
    "AsyncTask": "._async_client",
    "FileInput": "._base",
    "RunResult": "._base",
    "TimeoutTypes": "._base",
    "PipelineInput": "._pipeline",
    "Progress": "._polling",
    "Envelope": "aparavi_dtc_api.models",
    "StartTaskResponse": "aparavi_dtc_api.models",
    "TaskStatus": "aparavi_dtc_api.models",
    "TaskStatusResponse": "aparavi_dtc_api.models",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
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
    "AsyncTask",
    "AuthenticationError",
    "Envelope",
    "FileInput",
    "NoActiveTaskError",
    "NotGiven",
    "PipelineInput",
    "PipelineValidationError",
    "Progress",
    "RateLimitError",
    "RunResult",
    "ServerError",
    "StartTaskResponse",
    "Task",
    "TaskFailedError",
    "TaskNotFoundError",
    "TaskStatus",
    "TaskStatusResponse",
    "TaskTimeoutError",
    "TimeoutTypes",
    "__version__",
]
