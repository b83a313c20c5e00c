from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define(repr=False)
class ErrorDetail(Fields):
    """The error object of the deployed service.

    Attributes:
        message (str | Unset):
        file (str | Unset):
        line (int | Unset):
    """

    message: str | Unset = UNSET
    file: str | Unset = UNSET
    line: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "message": "message",
        "file": "file",
        "line": "line",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("message", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("file", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("line", UNSET)
        if v is not UNSET and type(v) is not int:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        file = self.file

        line = self.line

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if file is not UNSET:
            field_dict["file"] = file
        if line is not UNSET:
            field_dict["line"] = line

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        message = d.pop("message", UNSET)

        file = d.pop("file", UNSET)

        line = d.pop("line", UNSET)

        error_detail = cls(
            message=message,
            file=file,
            line=line,
        )

        error_detail.additional_properties = d
        return error_detail
