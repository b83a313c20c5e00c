from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, is_given, model_repr

T = TypeVar("T", bound="VersionInfo")


@_attrs_define
class VersionInfo:
    """The service's version (`3.0.0.9999`), commit hash and build date.

    Attributes:
        version (str | Unset):
        hash_ (str | Unset):
        stamp (str | Unset):
    """

    version: str | Unset = UNSET
    hash_: str | Unset = UNSET
    stamp: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        hash_ = self.hash_

        stamp = self.stamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if stamp is not UNSET:
            field_dict["stamp"] = stamp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version", UNSET)

        hash_ = d.pop("hash", UNSET)

        stamp = d.pop("stamp", UNSET)

        version_info = cls(
            version=version,
            hash_=hash_,
            stamp=stamp,
        )

        version_info.additional_properties = d
        return version_info

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
                "version": self.version,
                "hash_": self.hash_,
                "stamp": self.stamp,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "version": "version",
    "hash": "hash_",
    "stamp": "stamp",
}
