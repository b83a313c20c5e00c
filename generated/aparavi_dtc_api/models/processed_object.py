from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset, is_given

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


@_attrs_define(repr=False)
class ProcessedObject(Fields):
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
    _WIRE_NAMES = {
        "name": "name",
        "path": "path",
        "metadata": "metadata",
        "text": "text",
        "__types": "field_types",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("name", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("path", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("metadata", UNSET)
        if v is not UNSET and not ProcessedObjectMetadata._fits(v):
            return False
        v = value.get("text", UNSET)
        if v is not UNSET and not (
            type(v) is list and all(type(item) is str for item in v)
        ):
            return False
        v = value.get("__types", UNSET)
        if v is not UNSET and not ProcessedObjectTypes._fits(v):
            return False
        return True

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


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.processed_object_metadata import ProcessedObjectMetadata
from ..models.processed_object_types import ProcessedObjectTypes
