from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Fields

T = TypeVar("T", bound="TaskHandle")


@_attrs_define(repr=False)
class TaskHandle(Fields):
    """What identifies a task. Both values are sent back as given.

    Attributes:
        token (str):
        type_ (str):
    """

    token: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _WIRE_NAMES = {
        "token": "token",
        "type": "type_",
    }

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        token = d.pop("token")

        type_ = d.pop("type")

        task_handle = cls(
            token=token,
            type_=type_,
        )

        task_handle.additional_properties = d
        return task_handle
