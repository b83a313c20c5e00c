from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import MapModel

if TYPE_CHECKING:
    from ..models.processed_object import ProcessedObject


T = TypeVar("T", bound="WebhookResultObjects")


@_attrs_define(eq=False, repr=False)
class WebhookResultObjects(MapModel["ProcessedObject"]):
    additional_properties: dict[str, ProcessedObject] = _attrs_field(
        init=False, factory=dict
    )
    _absent: bool = _attrs_field(init=False, default=False, eq=False)

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose values are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        return all(ProcessedObject._fits(v) for v in value.values())

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.processed_object import ProcessedObject

        d = dict(src_dict)
        webhook_result_objects = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = ProcessedObject.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        webhook_result_objects.additional_properties = additional_properties
        return webhook_result_objects


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.processed_object import ProcessedObject
