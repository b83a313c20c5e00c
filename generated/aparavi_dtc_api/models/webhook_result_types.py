from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import MapModel

T = TypeVar("T", bound="WebhookResultTypes")


@_attrs_define(eq=False, repr=False)
class WebhookResultTypes(MapModel["Any"]):
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _absent: bool = _attrs_field(init=False, default=False, eq=False)

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose values are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        webhook_result_types = cls()

        webhook_result_types.additional_properties = d
        return webhook_result_types
