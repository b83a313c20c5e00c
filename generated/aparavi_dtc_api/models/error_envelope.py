from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

if TYPE_CHECKING:
    from ..models.error_detail import ErrorDetail
    from ..models.metrics import Metrics


T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define(repr=False)
class ErrorEnvelope(Fields):
    """A failure reported by the deployed service, under HTTP 200 or 500.

    Attributes:
        status (Literal['Error']):
        error (ErrorDetail | None | str | Unset):
        data (Any | Unset):
        message (str | Unset):
        metrics (Metrics | Unset): Timings in milliseconds and counters of the request.
    """

    status: Literal["Error"]
    error: ErrorDetail | None | str | Unset = UNSET
    data: Any | Unset = UNSET
    message: str | Unset = UNSET
    metrics: Metrics | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "status": "status",
        "error": "error",
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
        if v is UNSET or v != "Error":
            return False
        v = value.get("error", UNSET)
        if v is not UNSET and not (ErrorDetail._fits(v) or type(v) is str or v is None):
            return False
        v = value.get("message", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("metrics", UNSET)
        if v is not UNSET and not Metrics._fits(v):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_detail import ErrorDetail

        status = self.status

        error: dict[str, Any] | None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ErrorDetail):
            error = self.error.to_dict()
        else:
            error = self.error

        data = self.data

        message = self.message

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if data is not UNSET:
            field_dict["data"] = data
        if message is not UNSET:
            field_dict["message"] = message
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_detail import ErrorDetail
        from ..models.metrics import Metrics

        d = dict(src_dict)
        status = cast(Literal["Error"], d.pop("status"))
        if status != "Error":
            raise ValueError(f"status must match const 'Error', got '{status}'")

        def _parse_error(data: object) -> ErrorDetail | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ErrorDetail.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorDetail | None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        data = d.pop("data", UNSET)

        message = d.pop("message", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: Metrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = Metrics.from_dict(_metrics)

        error_envelope = cls(
            status=status,
            error=error,
            data=data,
            message=message,
            metrics=metrics,
        )

        error_envelope.additional_properties = d
        return error_envelope


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.error_detail import ErrorDetail
from ..models.metrics import Metrics
