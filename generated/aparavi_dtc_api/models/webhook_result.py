from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset, is_given

if TYPE_CHECKING:
    from ..models.webhook_result_objects import WebhookResultObjects
    from ..models.webhook_result_types import WebhookResultTypes


T = TypeVar("T", bound="WebhookResult")


def _no_types() -> WebhookResultTypes:
    from ..models.webhook_result_types import WebhookResultTypes

    return WebhookResultTypes.absent()


def _no_objects() -> WebhookResultObjects:
    from ..models.webhook_result_objects import WebhookResultObjects

    return WebhookResultObjects.absent()


@_attrs_define(repr=False)
class WebhookResult(Fields):
    """What the pipeline produced for one upload. `objects` maps an id the service gives
    each processed object (a UUID, not the file name) to what was extracted from it.

        Attributes:
            objects_requested (int | Unset):
            objects_completed (int | Unset):
            types (WebhookResultTypes): empty when the server sent none.
            objects (WebhookResultObjects): empty when the server sent none.
    """

    objects_requested: int | Unset = UNSET
    objects_completed: int | Unset = UNSET
    types: WebhookResultTypes = _attrs_field(factory=_no_types)
    objects: WebhookResultObjects = _attrs_field(factory=_no_objects)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "objectsRequested": "objects_requested",
        "objectsCompleted": "objects_completed",
        "types": "types",
        "objects": "objects",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("objectsRequested", UNSET)
        if v is not UNSET and type(v) is not int:
            return False
        v = value.get("objectsCompleted", UNSET)
        if v is not UNSET and type(v) is not int:
            return False
        v = value.get("types", UNSET)
        if v is not UNSET and not WebhookResultTypes._fits(v):
            return False
        v = value.get("objects", UNSET)
        if v is not UNSET and not WebhookResultObjects._fits(v):
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        objects_requested = self.objects_requested

        objects_completed = self.objects_completed

        types: dict[str, Any] | Unset = UNSET
        if is_given(self.types):
            types = self.types.to_dict()

        objects: dict[str, Any] | Unset = UNSET
        if is_given(self.objects):
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
        types = (
            _no_types()
            if isinstance(_types, Unset)
            else WebhookResultTypes.from_dict(_types)
        )

        _objects = d.pop("objects", UNSET)
        objects = (
            _no_objects()
            if isinstance(_objects, Unset)
            else WebhookResultObjects.from_dict(_objects)
        )

        webhook_result = cls(
            objects_requested=objects_requested,
            objects_completed=objects_completed,
            types=types,
            objects=objects,
        )

        webhook_result.additional_properties = d
        return webhook_result


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.webhook_result_objects import WebhookResultObjects
from ..models.webhook_result_types import WebhookResultTypes
