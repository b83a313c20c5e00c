from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, is_given, model_repr

if TYPE_CHECKING:
    from ..models.processed_object_metadata import ProcessedObjectMetadata
    from ..models.processed_object_types import ProcessedObjectTypes


T = TypeVar("T", bound="ProcessedObject")


def _no_metadata() -> ProcessedObjectMetadata:
    from ..models.processed_object_metadata import ProcessedObjectMetadata

    return ProcessedObjectMetadata.absent()


def _no_field_types() -> ProcessedObjectTypes:
    from ..models.processed_object_types import ProcessedObjectTypes

    return ProcessedObjectTypes.absent()


@_attrs_define
class ProcessedObject:
    """One processed object (a document, an image, a recording) and its text.

    Attributes:
        name (str | Unset):
        path (str | Unset):
        metadata (ProcessedObjectMetadata): empty when the server sent none.
        text (list[str] | Unset): The extracted text, in pieces.
        field_types (ProcessedObjectTypes): empty when the server sent none.
    """

    name: str | Unset = UNSET
    path: str | Unset = UNSET
    metadata: ProcessedObjectMetadata = _attrs_field(factory=_no_metadata)
    text: list[str] | Unset = UNSET
    field_types: ProcessedObjectTypes = _attrs_field(factory=_no_field_types)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        path = self.path

        metadata: dict[str, Any] | Unset = UNSET
        if is_given(self.metadata):
            metadata = self.metadata.to_dict()

        text: list[str] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text

        field_types: dict[str, Any] | Unset = UNSET
        if is_given(self.field_types):
            field_types = self.field_types.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if path is not UNSET:
            field_dict["path"] = path
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if text is not UNSET:
            field_dict["text"] = text
        if field_types is not UNSET:
            field_dict["__types"] = field_types

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.processed_object_metadata import ProcessedObjectMetadata
        from ..models.processed_object_types import ProcessedObjectTypes

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        path = d.pop("path", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata = (
            _no_metadata()
            if isinstance(_metadata, Unset)
            else ProcessedObjectMetadata.from_dict(_metadata)
        )

        text = cast(list[str], d.pop("text", UNSET))

        _field_types = d.pop("__types", UNSET)
        field_types = (
            _no_field_types()
            if isinstance(_field_types, Unset)
            else ProcessedObjectTypes.from_dict(_field_types)
        )

        processed_object = cls(
            name=name,
            path=path,
            metadata=metadata,
            text=text,
            field_types=field_types,
        )

        processed_object.additional_properties = d
        return processed_object

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        attribute = _WIRE_NAMES.get(key)
        if attribute is not None:
            value = getattr(self, attribute)
            if is_given(value):
                return value
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        attribute = _WIRE_NAMES.get(key)
        if attribute is not None:
            self.additional_properties.pop(key, None)
            setattr(self, attribute, value)
        else:
            self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        attribute = _WIRE_NAMES.get(key)
        if attribute is not None and is_given(getattr(self, attribute)):
            setattr(self, attribute, UNSET)
        else:
            del self.additional_properties[key]

    def __contains__(self, key: object) -> bool:
        attribute = _WIRE_NAMES.get(key) if isinstance(key, str) else None
        if attribute is not None and is_given(getattr(self, attribute)):
            return True
        return key in self.additional_properties

    def get(self, key: str, default: Any = None) -> Any:
        """The field named ``key`` on the wire, named or not, else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def __repr__(self) -> str:
        return model_repr(
            self,
            {
                "name": self.name,
                "path": self.path,
                "metadata": self.metadata,
                "text": self.text,
                "field_types": self.field_types,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "name": "name",
    "path": "path",
    "metadata": "metadata",
    "text": "text",
    "__types": "field_types",
}
