from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, is_given, model_repr

T = TypeVar("T", bound="PipeHandle")


@_attrs_define
class PipeHandle:
    """What identifies a pipe.

    Attributes:
        token (str):
    """

    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

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
                "token": self.token,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "token": "token",
}
