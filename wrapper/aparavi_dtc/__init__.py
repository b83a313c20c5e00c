"""Typed Python SDK for the Aparavi Data Toolchain (DTC) task API.

>>> from aparavi_dtc import AparaviDTC
>>> with AparaviDTC() as client:               # key from $APARAVI_API_KEY
...     client.start_task({"components": [...]})
...     print(client.get_task().data.status)   # "Running"
...     client.delete_task()
"""

from aparavi_dtc_api.models import Envelope, StartTaskResponse, TaskStatus, TaskStatusResponse

from ._async_client import AsyncAparaviDTC, AsyncTask
from ._base import FileInput, RunResult, TimeoutTypes
from ._client import AparaviDTC, Task
from ._config import NOT_GIVEN, NotGiven
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
from ._pipeline import PipelineInput
from ._polling import Progress
from ._version import __version__

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
