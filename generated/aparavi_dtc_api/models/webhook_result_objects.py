from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import model_repr

if TYPE_CHECKING:
    from ..models.processed_object import ProcessedObject


T = TypeVar("T", bound="WebhookResultObjects")


@_attrs_define(eq=False)
class WebhookResultObjects(MutableMapping[str, "ProcessedObject"]):
    additional_properties: dict[str, ProcessedObject] = _attrs_field(
        init=False, factory=dict
    )
    _absent: bool = _attrs_field(init=False, default=False, eq=False)

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

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ProcessedObject:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: ProcessedObject) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: object) -> bool:
        return key in self.additional_properties

    def __iter__(self) -> Iterator[str]:
        return iter(self.additional_properties)

    def __len__(self) -> int:
        return len(self.additional_properties)

    def __repr__(self) -> str:
        return model_repr(self, None, self.additional_properties)

    @classmethod
    def absent(cls) -> Self:
        """An empty map standing for one the server did not send: a model's ``to_dict()``
        leaves it out for as long as it stays empty."""
        made = cls()
        made._absent = True
        return made
