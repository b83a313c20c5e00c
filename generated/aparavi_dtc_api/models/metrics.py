from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

T = TypeVar("T", bound="Metrics")


@_attrs_define(repr=False)
class Metrics(Fields):
    """Timings in milliseconds and counters of the request.

    Attributes:
        cpu (float | Unset):
        total_time (float | Unset):
        output (Any | Unset):
        requests (Any | Unset):
    """

    cpu: float | Unset = UNSET
    total_time: float | Unset = UNSET
    output: Any | Unset = UNSET
    requests: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "cpu": "cpu",
        "total_time": "total_time",
        "output": "output",
        "requests": "requests",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("cpu", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        v = value.get("total_time", UNSET)
        if v is not UNSET and not (type(v) is float or type(v) is int):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        cpu = self.cpu

        total_time = self.total_time

        output = self.output

        requests = self.requests

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if total_time is not UNSET:
            field_dict["total_time"] = total_time
        if output is not UNSET:
            field_dict["output"] = output
        if requests is not UNSET:
            field_dict["requests"] = requests

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        cpu = d.pop("cpu", UNSET)

        total_time = d.pop("total_time", UNSET)

        output = d.pop("output", UNSET)

        requests = d.pop("requests", UNSET)

        metrics = cls(
            cpu=cpu,
            total_time=total_time,
            output=output,
            requests=requests,
        )

        metrics.additional_properties = d
        return metrics
