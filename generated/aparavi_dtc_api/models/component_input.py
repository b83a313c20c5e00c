from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

T = TypeVar("T", bound="ComponentInput")


@_attrs_define(repr=False)
class ComponentInput(Fields):
    """A link from another component's output lane.

    Attributes:
        lane (str | Unset):
        from_ (str | Unset):
    """

    lane: str | Unset = UNSET
    from_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "lane": "lane",
        "from": "from_",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("lane", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("from", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        lane = self.lane

        from_ = self.from_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if lane is not UNSET:
            field_dict["lane"] = lane
        if from_ is not UNSET:
            field_dict["from"] = from_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        lane = d.pop("lane", UNSET)

        from_ = d.pop("from", UNSET)

        component_input = cls(
            lane=lane,
            from_=from_,
        )

        component_input.additional_properties = d
        return component_input
