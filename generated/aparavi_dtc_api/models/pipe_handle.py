from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields

T = TypeVar("T", bound="PipeHandle")


@_attrs_define(repr=False)
class PipeHandle(Fields):
    """What identifies a pipe.

    Attributes:
        token (str):
    """

    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "token": "token",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("token", UNSET)
        if v is UNSET or type(v) is not str:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        token = d.pop("token")

        pipe_handle = cls(
            token=token,
        )

        pipe_handle.additional_properties = d
        return pipe_handle
