from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, is_given, model_repr

if TYPE_CHECKING:
    from ..models.validation_issue import ValidationIssue


T = TypeVar("T", bound="ValidationErrorResponse")


@_attrs_define
class ValidationErrorResponse:
    """FastAPI's request validation failure.

    Attributes:
        detail (list[ValidationIssue]):
    """

    detail: list[ValidationIssue]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = []
        for detail_item_data in self.detail:
            detail_item = detail_item_data.to_dict()
            detail.append(detail_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.validation_issue import ValidationIssue

        d = dict(src_dict)
        detail = []
        _detail = d.pop("detail")
        for detail_item_data in _detail:
            detail_item = ValidationIssue.from_dict(detail_item_data)

            detail.append(detail_item)

        validation_error_response = cls(
            detail=detail,
        )

        validation_error_response.additional_properties = d
        return validation_error_response

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
                "detail": self.detail,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "detail": "detail",
}
