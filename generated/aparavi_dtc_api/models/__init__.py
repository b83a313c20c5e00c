"""Contains all the data models used in inputs/outputs"""

from .component import Component
from .component_config import ComponentConfig
from .component_input import ComponentInput
from .envelope import Envelope
from .error_detail import ErrorDetail
from .error_envelope import ErrorEnvelope
from .error_response import ErrorResponse
from .metrics import Metrics
from .pipeline import Pipeline
from .pipeline_request import PipelineRequest
from .start_task_response import StartTaskResponse
from .task_handle import TaskHandle
from .task_status import TaskStatus
from .task_status_error_type_1 import TaskStatusErrorType1
from .task_status_metadata import TaskStatusMetadata
from .task_status_metrics import TaskStatusMetrics
from .task_status_response import TaskStatusResponse
from .validation_error_response import ValidationErrorResponse
from .validation_issue import ValidationIssue
from .webhook_files import WebhookFiles

__all__ = (
    "Component",
    "ComponentConfig",
    "ComponentInput",
    "Envelope",
    "ErrorDetail",
    "ErrorEnvelope",
    "ErrorResponse",
    "Metrics",
    "Pipeline",
    "PipelineRequest",
    "StartTaskResponse",
    "TaskHandle",
    "TaskStatus",
    "TaskStatusErrorType1",
    "TaskStatusMetadata",
    "TaskStatusMetrics",
    "TaskStatusResponse",
    "ValidationErrorResponse",
    "ValidationIssue",
    "WebhookFiles",
)
