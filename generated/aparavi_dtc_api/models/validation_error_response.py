from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields

if TYPE_CHECKING:
    from ..models.validation_issue import ValidationIssue


T = TypeVar("T", bound="ValidationErrorResponse")


@_attrs_define(repr=False)
class ValidationErrorResponse(Fields):
    """FastAPI's request validation failure.

    Attributes:
        detail (list[ValidationIssue]):
    """

    detail: list[ValidationIssue]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "detail": "detail",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("detail", UNSET)
        if v is UNSET or not (type(v) is list and all(map(ValidationIssue._fits, v))):
            return False
        return True

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


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.validation_issue import ValidationIssue
