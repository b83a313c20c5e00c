from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

if TYPE_CHECKING:
    from ..models.metrics import Metrics
    from ..models.version_info import VersionInfo


T = TypeVar("T", bound="VersionResponse")


@_attrs_define(repr=False)
class VersionResponse(Fields):
    """
    Attributes:
        status (str | Unset):
        data (VersionInfo | Unset): The service's version (`3.0.0.9999`), commit hash and build date.
        message (str | Unset):
        metrics (Metrics | Unset): Timings in milliseconds and counters of the request.
    """

    status: str | Unset = UNSET
    data: VersionInfo | Unset = UNSET
    message: str | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "status": "status",
        "data": "data",
        "message": "message",
        "metrics": "metrics",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("status", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("data", UNSET)
        if v is not UNSET and not VersionInfo._fits(v):
            return False
        v = value.get("message", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("metrics", UNSET)
        if v is not UNSET and not Metrics._fits(v):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        message = self.message

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if data is not UNSET:
            field_dict["data"] = data
        if message is not UNSET:
            field_dict["message"] = message
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metrics import Metrics
        from ..models.version_info import VersionInfo

        d = dict(src_dict)
        status = d.pop("status", UNSET)

        _data = d.pop("data", UNSET)
        data: VersionInfo | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = VersionInfo.from_dict(_data)

        message = d.pop("message", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: Metrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = Metrics.from_dict(_metrics)

        version_response = cls(
            status=status,
            data=data,
            message=message,
            metrics=metrics,
        )

        version_response.additional_properties = d
        return version_response


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.metrics import Metrics
from ..models.version_info import VersionInfo
