from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_result_objects import WebhookResultObjects
    from ..models.webhook_result_types import WebhookResultTypes


T = TypeVar("T", bound="WebhookResult")


@_attrs_define
class WebhookResult:
    """What the pipeline produced for one upload. `objects` maps an id the service gives
    each processed object (a UUID, not the file name) to what was extracted from it.

        Attributes:
            objects_requested (int | Unset):
            objects_completed (int | Unset):
            types (WebhookResultTypes | Unset):
            objects (WebhookResultObjects | Unset):
    """

    objects_requested: int | Unset = UNSET
    objects_completed: int | Unset = UNSET
    types: WebhookResultTypes | Unset = UNSET
    objects: WebhookResultObjects | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        objects_requested = self.objects_requested

        objects_completed = self.objects_completed

        types: dict[str, Any] | Unset = UNSET
        if not isinstance(self.types, Unset):
            types = self.types.to_dict()

        objects: dict[str, Any] | Unset = UNSET
        if not isinstance(self.objects, Unset):
            objects = self.objects.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if objects_requested is not UNSET:
            field_dict["objectsRequested"] = objects_requested
        if objects_completed is not UNSET:
            field_dict["objectsCompleted"] = objects_completed
        if types is not UNSET:
            field_dict["types"] = types
        if objects is not UNSET:
            field_dict["objects"] = objects

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_result_objects import WebhookResultObjects
        from ..models.webhook_result_types import WebhookResultTypes

        d = dict(src_dict)
        objects_requested = d.pop("objectsRequested", UNSET)

        objects_completed = d.pop("objectsCompleted", UNSET)

        _types = d.pop("types", UNSET)
        types: WebhookResultTypes | Unset
        if isinstance(_types, Unset):
            types = UNSET
        else:
            types = WebhookResultTypes.from_dict(_types)

        _objects = d.pop("objects", UNSET)
        objects: WebhookResultObjects | Unset
        if isinstance(_objects, Unset):
            objects = UNSET
        else:
            objects = WebhookResultObjects.from_dict(_objects)

        webhook_result = cls(
            objects_requested=objects_requested,
            objects_completed=objects_completed,
            types=types,
            objects=objects,
        )

        webhook_result.additional_properties = d
        return webhook_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
