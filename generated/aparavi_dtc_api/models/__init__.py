"""Contains all the data models used in inputs/outputs"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

#: Each model's name, to the module that defines it.
_MODULES = {
    "Component": ".component",
    "ComponentConfig": ".component_config",
    "ComponentInput": ".component_input",
    "Envelope": ".envelope",
    "ErrorDetail": ".error_detail",
    "ErrorEnvelope": ".error_envelope",
    "ErrorResponse": ".error_response",
    "Metrics": ".metrics",
    "PipeCreatedResponse": ".pipe_created_response",
    "PipeHandle": ".pipe_handle",
    "Pipeline": ".pipeline",
    "PipelineRequest": ".pipeline_request",
    "ProcessedObject": ".processed_object",
    "ProcessedObjectMetadata": ".processed_object_metadata",
    "ProcessedObjectTypes": ".processed_object_types",
    "SendToWebhookJsonBody": ".send_to_webhook_json_body",
    "ServicesResponse": ".services_response",
    "ServicesResponseData": ".services_response_data",
    "StartTaskResponse": ".start_task_response",
    "TaskHandle": ".task_handle",
    "TaskStatus": ".task_status",
    "TaskStatusErrorType1": ".task_status_error_type_1",
    "TaskStatusMetadata": ".task_status_metadata",
    "TaskStatusMetrics": ".task_status_metrics",
    "TaskStatusResponse": ".task_status_response",
    "ValidationErrorResponse": ".validation_error_response",
    "ValidationIssue": ".validation_issue",
    "VersionInfo": ".version_info",
    "VersionResponse": ".version_response",
    "WebhookFiles": ".webhook_files",
    "WebhookResponse": ".webhook_response",
    "WebhookResult": ".webhook_result",
    "WebhookResultObjects": ".webhook_result_objects",
    "WebhookResultTypes": ".webhook_result_types",
}

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


def __getattr__(name: str) -> type:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    model: type = getattr(import_module(module, __name__), name)
    globals()[name] = model  # found directly from now on
    return model


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
