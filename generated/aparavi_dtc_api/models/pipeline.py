from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

if TYPE_CHECKING:
    from ..models.component import Component


T = TypeVar("T", bound="Pipeline")


@_attrs_define(repr=False)
class Pipeline(Fields):
    """A pipeline definition. Fields not named here are passed through.

    Attributes:
        components (list[Component]):
        source (str | Unset): The id of the source component.
        project_id (str | Unset): The project the pipeline belongs to; some accounts need it.
    """

    components: list[Component]
    source: str | Unset = UNSET
    project_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "components": "components",
        "source": "source",
        "project_id": "project_id",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("components", UNSET)
        if v is UNSET or not (type(v) is list and all(map(Component._fits, v))):
            return False
        v = value.get("source", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("project_id", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        source = self.source

        project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.component import Component

        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = Component.from_dict(components_item_data)

            components.append(components_item)

        source = d.pop("source", UNSET)

        project_id = d.pop("project_id", UNSET)

        pipeline = cls(
            components=components,
            source=source,
            project_id=project_id,
        )

        pipeline.additional_properties = d
        return pipeline


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.component import Component
