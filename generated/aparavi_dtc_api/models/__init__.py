"""Contains all the data models used in inputs/outputs"""

from .component import Component
from .component_config import ComponentConfig
from .component_input import ComponentInput
from .envelope import Envelope
from .error_detail import ErrorDetail
from .error_envelope import ErrorEnvelope
from .error_response import ErrorResponse
from .metrics import Metrics
from .pipe_created_response import PipeCreatedResponse
from .pipe_handle import PipeHandle
from .pipeline import Pipeline
from .pipeline_request import PipelineRequest
from .processed_object import ProcessedObject
from .processed_object_metadata import ProcessedObjectMetadata
from .processed_object_types import ProcessedObjectTypes
from .send_to_webhook_json_body import SendToWebhookJsonBody
from .services_response import ServicesResponse
from .services_response_data import ServicesResponseData
from .start_task_response import StartTaskResponse
from .task_handle import TaskHandle
from .task_status import TaskStatus
from .task_status_error_type_1 import TaskStatusErrorType1
from .task_status_metadata import TaskStatusMetadata
from .task_status_metrics import TaskStatusMetrics
from .task_status_response import TaskStatusResponse
from .validation_error_response import ValidationErrorResponse
from .validation_issue import ValidationIssue
from .version_info import VersionInfo
from .version_response import VersionResponse
from .webhook_files import WebhookFiles
from .webhook_response import WebhookResponse
from .webhook_result import WebhookResult
from .webhook_result_objects import WebhookResultObjects
from .webhook_result_types import WebhookResultTypes

__all__ = (
    "Component",
    "ComponentConfig",
    "ComponentInput",
    "Envelope",
    "ErrorDetail",
    "ErrorEnvelope",
    "ErrorResponse",
    "Metrics",
    "PipeCreatedResponse",
    "PipeHandle",
    "Pipeline",
    "PipelineRequest",
    "ProcessedObject",
    "ProcessedObjectMetadata",
    "ProcessedObjectTypes",
    "SendToWebhookJsonBody",
    "ServicesResponse",
    "ServicesResponseData",
    "StartTaskResponse",
    "TaskHandle",
    "TaskStatus",
    "TaskStatusErrorType1",
    "TaskStatusMetadata",
    "TaskStatusMetrics",
    "TaskStatusResponse",
    "ValidationErrorResponse",
    "ValidationIssue",
    "VersionInfo",
    "VersionResponse",
    "WebhookFiles",
    "WebhookResponse",
    "WebhookResult",
    "WebhookResultObjects",
    "WebhookResultTypes",
)
