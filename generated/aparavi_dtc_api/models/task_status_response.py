from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.task_status import TaskStatus


T = TypeVar("T", bound="TaskStatusResponse")


@_attrs_define(repr=False)
class TaskStatusResponse(Fields):
    """
    Attributes:
        data (TaskStatus): The status of a task. Names both the documented fields and those of the deployed
            service; only `status` is always present, and fields not named here are kept.
            Known `status` values: Created, Running, Completed, Failed, Cancelled, Paused, and
            from the deployed service also Done and Error. Other values may appear.
        status (str | Unset): `OK` from the deployed service; absent in the documented shape.
        message (str | Unset):
        metrics (Metrics | Unset): Timings in milliseconds and counters of the request.
    """

    data: TaskStatus
    status: str | Unset = UNSET
    message: str | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "data": "data",
        "status": "status",
        "message": "message",
        "metrics": "metrics",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("data", UNSET)
        if v is UNSET or not TaskStatus._fits(v):
            return False
        v = value.get("status", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("message", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("metrics", UNSET)
        if v is not UNSET and not Metrics._fits(v):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        status = self.status

        message = self.message

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if message is not UNSET:
            field_dict["message"] = message
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metrics import Metrics
        from ..models.task_status import TaskStatus

        d = dict(src_dict)
        data = TaskStatus.from_dict(d.pop("data"))

        status = d.pop("status", UNSET)

        message = d.pop("message", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: Metrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = Metrics.from_dict(_metrics)

        task_status_response = cls(
            data=data,
            status=status,
            message=message,
            metrics=metrics,
        )

        task_status_response.additional_properties = d
        return task_status_response


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.metrics import Metrics
from ..models.task_status import TaskStatus
