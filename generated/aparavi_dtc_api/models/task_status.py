from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset, is_given

if TYPE_CHECKING:
    from ..models.task_status_error_type_1 import TaskStatusErrorType1
    from ..models.task_status_metadata import TaskStatusMetadata
    from ..models.task_status_metrics import TaskStatusMetrics


T = TypeVar("T", bound="TaskStatus")


def _no_metadata() -> TaskStatusMetadata:
    from ..models.task_status_metadata import TaskStatusMetadata

    return TaskStatusMetadata.absent()


def _no_metrics() -> TaskStatusMetrics:
    from ..models.task_status_metrics import TaskStatusMetrics

    return TaskStatusMetrics.absent()


@_attrs_define(repr=False)
class TaskStatus(Fields):
    """The status of a task. Names both the documented fields and those of the deployed
    service; only `status` is always present, and fields not named here are kept.
    Known `status` values: Created, Running, Completed, Failed, Cancelled, Paused, and
    from the deployed service also Done and Error. Other values may appear.

        Attributes:
            status (str):
            id (str | Unset):
            created_at (str | Unset):
            updated_at (str | Unset):
            progress (float | Unset):
            files_processed (float | Unset):
            total_files (float | Unset):
            error (None | str | TaskStatusErrorType1 | Unset):
            metadata (TaskStatusMetadata): empty when the server sent none.
            completed (bool | int | Unset):
            start_time (float | Unset):
            end_time (float | Unset):
            warnings (list[Any] | Unset):
            errors (list[Any] | Unset):
            current_object (str | Unset):
            notes (list[Any] | Unset):
            total_count (float | Unset):
            completed_count (float | Unset):
            failed_count (float | Unset):
            total_size (float | Unset):
            completed_size (float | Unset):
            failed_size (float | Unset):
            words_count (float | Unset):
            words_size (float | Unset):
            rate_count (float | Unset):
            rate_size (float | Unset):
            service_up (bool | int | Unset):
            current_size (float | Unset):
            first_run_download_status (list[Any] | Unset):
            exit_code (float | Unset):
            exit_msg (str | Unset):
            trace (list[Any] | Unset):
            metrics (TaskStatusMetrics): empty when the server sent none.
    """

    status: str
    id: str | Unset = UNSET
    created_at: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    progress: float | Unset = UNSET
    files_processed: float | Unset = UNSET
    total_files: float | Unset = UNSET
    error: None | str | TaskStatusErrorType1 | Unset = UNSET
    metadata: TaskStatusMetadata = _attrs_field(factory=_no_metadata)
    completed: bool | int | Unset = UNSET
    start_time: float | Unset = UNSET
    end_time: float | Unset = UNSET
    warnings: list[Any] | Unset = UNSET
    errors: list[Any] | Unset = UNSET
    current_object: str | Unset = UNSET
    notes: list[Any] | Unset = UNSET
    total_count: float | Unset = UNSET
    completed_count: float | Unset = UNSET
    failed_count: float | Unset = UNSET
    total_size: float | Unset = UNSET
    completed_size: float | Unset = UNSET
    failed_size: float | Unset = UNSET
    words_count: float | Unset = UNSET
    words_size: float | Unset = UNSET
    rate_count: float | Unset = UNSET
    rate_size: float | Unset = UNSET
    service_up: bool | int | Unset = UNSET
    current_size: float | Unset = UNSET
    first_run_download_status: list[Any] | Unset = UNSET
    exit_code: float | Unset = UNSET
    exit_msg: str | Unset = UNSET
    trace: list[Any] | Unset = UNSET
    metrics: TaskStatusMetrics = _attrs_field(factory=_no_metrics)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "status": "status",
        "id": "id",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "progress": "progress",
        "files_processed": "files_processed",
        "total_files": "total_files",
        "error": "error",
        "metadata": "metadata",
        "completed": "completed",
        "startTime": "start_time",
        "endTime": "end_time",
        "warnings": "warnings",
        "errors": "errors",
        "currentObject": "current_object",
        "notes": "notes",
        "totalCount": "total_count",
        "completedCount": "completed_count",
        "failedCount": "failed_count",
        "totalSize": "total_size",
        "completedSize": "completed_size",
        "failedSize": "failed_size",
        "wordsCount": "words_count",
        "wordsSize": "words_size",
        "rateCount": "rate_count",
        "rateSize": "rate_size",
        "serviceUp": "service_up",
        "currentSize": "current_size",
        "firstRunDownloadStatus": "first_run_download_status",
        "exitCode": "exit_code",
        "exitMsg": "exit_msg",
        "trace": "trace",
        "metrics": "metrics",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("status", UNSET)
        if v is UNSET or type(v) is not str:
            return False
        v = value.get("id", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("created_at", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("updated_at", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("progress", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("files_processed", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("total_files", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("error", UNSET)
        if v is not UNSET and not (
            type(v) is str or TaskStatusErrorType1._fits(v) or v is None
        ):
            return False
        v = value.get("metadata", UNSET)
        if v is not UNSET and not TaskStatusMetadata._fits(v):
            return False
        v = value.get("completed", UNSET)
        if v is not UNSET and not (type(v) is bool or type(v) is int):
            return False
        v = value.get("startTime", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("endTime", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("warnings", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("errors", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("currentObject", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("notes", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("totalCount", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("completedCount", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("failedCount", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("totalSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("completedSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("failedSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("wordsCount", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("wordsSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("rateCount", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("rateSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("serviceUp", UNSET)
        if v is not UNSET and not (type(v) is bool or type(v) is int):
            return False
        v = value.get("currentSize", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("firstRunDownloadStatus", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("exitCode", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("exitMsg", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("trace", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("metrics", UNSET)
        if v is not UNSET and not TaskStatusMetrics._fits(v):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_status_error_type_1 import TaskStatusErrorType1

        status = self.status

        id = self.id

        created_at = self.created_at

        updated_at = self.updated_at

        progress = self.progress

        files_processed = self.files_processed

        total_files = self.total_files

        error: dict[str, Any] | None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, TaskStatusErrorType1):
            error = self.error.to_dict()
        else:
            error = self.error

        metadata: dict[str, Any] | Unset = UNSET
        if is_given(self.metadata):
            metadata = self.metadata.to_dict()

        completed: bool | int | Unset
        if isinstance(self.completed, Unset):
            completed = UNSET
        else:
            completed = self.completed

        start_time = self.start_time

        end_time = self.end_time

        warnings: list[Any] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        errors: list[Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors

        current_object = self.current_object

        notes: list[Any] | Unset = UNSET
        if not isinstance(self.notes, Unset):
            notes = self.notes

        total_count = self.total_count

        completed_count = self.completed_count

        failed_count = self.failed_count

        total_size = self.total_size

        completed_size = self.completed_size

        failed_size = self.failed_size

        words_count = self.words_count

        words_size = self.words_size

        rate_count = self.rate_count

        rate_size = self.rate_size

        service_up: bool | int | Unset
        if isinstance(self.service_up, Unset):
            service_up = UNSET
        else:
            service_up = self.service_up

        current_size = self.current_size

        first_run_download_status: list[Any] | Unset = UNSET
        if not isinstance(self.first_run_download_status, Unset):
            first_run_download_status = self.first_run_download_status

        exit_code = self.exit_code

        exit_msg = self.exit_msg

        trace: list[Any] | Unset = UNSET
        if not isinstance(self.trace, Unset):
            trace = self.trace

        metrics: dict[str, Any] | Unset = UNSET
        if is_given(self.metrics):
            metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if progress is not UNSET:
            field_dict["progress"] = progress
        if files_processed is not UNSET:
            field_dict["files_processed"] = files_processed
        if total_files is not UNSET:
            field_dict["total_files"] = total_files
        if error is not UNSET:
            field_dict["error"] = error
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if completed is not UNSET:
            field_dict["completed"] = completed
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if end_time is not UNSET:
            field_dict["endTime"] = end_time
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if errors is not UNSET:
            field_dict["errors"] = errors
        if current_object is not UNSET:
            field_dict["currentObject"] = current_object
        if notes is not UNSET:
            field_dict["notes"] = notes
        if total_count is not UNSET:
            field_dict["totalCount"] = total_count
        if completed_count is not UNSET:
            field_dict["completedCount"] = completed_count
        if failed_count is not UNSET:
            field_dict["failedCount"] = failed_count
        if total_size is not UNSET:
            field_dict["totalSize"] = total_size
        if completed_size is not UNSET:
            field_dict["completedSize"] = completed_size
        if failed_size is not UNSET:
            field_dict["failedSize"] = failed_size
        if words_count is not UNSET:
            field_dict["wordsCount"] = words_count
        if words_size is not UNSET:
            field_dict["wordsSize"] = words_size
        if rate_count is not UNSET:
            field_dict["rateCount"] = rate_count
        if rate_size is not UNSET:
            field_dict["rateSize"] = rate_size
        if service_up is not UNSET:
            field_dict["serviceUp"] = service_up
        if current_size is not UNSET:
            field_dict["currentSize"] = current_size
        if first_run_download_status is not UNSET:
            field_dict["firstRunDownloadStatus"] = first_run_download_status
        if exit_code is not UNSET:
            field_dict["exitCode"] = exit_code
        if exit_msg is not UNSET:
            field_dict["exitMsg"] = exit_msg
        if trace is not UNSET:
            field_dict["trace"] = trace
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_status_error_type_1 import TaskStatusErrorType1
        from ..models.task_status_metadata import TaskStatusMetadata
        from ..models.task_status_metrics import TaskStatusMetrics

        d = dict(src_dict)
        status = d.pop("status")

        id = d.pop("id", UNSET)

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        progress = d.pop("progress", UNSET)

        files_processed = d.pop("files_processed", UNSET)

        total_files = d.pop("total_files", UNSET)

        def _parse_error(data: object) -> None | str | TaskStatusErrorType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = TaskStatusErrorType1.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | str | TaskStatusErrorType1 | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata = (
            _no_metadata()
            if isinstance(_metadata, Unset)
            else TaskStatusMetadata.from_dict(_metadata)
        )

        def _parse_completed(data: object) -> bool | int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(bool | int | Unset, data)

        completed = _parse_completed(d.pop("completed", UNSET))

        start_time = d.pop("startTime", UNSET)

        end_time = d.pop("endTime", UNSET)

        warnings = cast(list[Any], d.pop("warnings", UNSET))

        errors = cast(list[Any], d.pop("errors", UNSET))

        current_object = d.pop("currentObject", UNSET)

        notes = cast(list[Any], d.pop("notes", UNSET))

        total_count = d.pop("totalCount", UNSET)

        completed_count = d.pop("completedCount", UNSET)

        failed_count = d.pop("failedCount", UNSET)

        total_size = d.pop("totalSize", UNSET)

        completed_size = d.pop("completedSize", UNSET)

        failed_size = d.pop("failedSize", UNSET)

        words_count = d.pop("wordsCount", UNSET)

        words_size = d.pop("wordsSize", UNSET)

        rate_count = d.pop("rateCount", UNSET)

        rate_size = d.pop("rateSize", UNSET)

        def _parse_service_up(data: object) -> bool | int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(bool | int | Unset, data)

        service_up = _parse_service_up(d.pop("serviceUp", UNSET))

        current_size = d.pop("currentSize", UNSET)

        first_run_download_status = cast(
            list[Any], d.pop("firstRunDownloadStatus", UNSET)
        )

        exit_code = d.pop("exitCode", UNSET)

        exit_msg = d.pop("exitMsg", UNSET)

        trace = cast(list[Any], d.pop("trace", UNSET))

        _metrics = d.pop("metrics", UNSET)
        metrics = (
            _no_metrics()
            if isinstance(_metrics, Unset)
            else TaskStatusMetrics.from_dict(_metrics)
        )

        task_status = cls(
            status=status,
            id=id,
            created_at=created_at,
            updated_at=updated_at,
            progress=progress,
            files_processed=files_processed,
            total_files=total_files,
            error=error,
            metadata=metadata,
            completed=completed,
            start_time=start_time,
            end_time=end_time,
            warnings=warnings,
            errors=errors,
            current_object=current_object,
            notes=notes,
            total_count=total_count,
            completed_count=completed_count,
            failed_count=failed_count,
            total_size=total_size,
            completed_size=completed_size,
            failed_size=failed_size,
            words_count=words_count,
            words_size=words_size,
            rate_count=rate_count,
            rate_size=rate_size,
            service_up=service_up,
            current_size=current_size,
            first_run_download_status=first_run_download_status,
            exit_code=exit_code,
            exit_msg=exit_msg,
            trace=trace,
            metrics=metrics,
        )

        task_status.additional_properties = d
        return task_status


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.task_status_error_type_1 import TaskStatusErrorType1
from ..models.task_status_metadata import TaskStatusMetadata
from ..models.task_status_metrics import TaskStatusMetrics
