from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

T = TypeVar("T", bound="VersionInfo")


@_attrs_define(repr=False)
class VersionInfo(Fields):
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
    _WIRE_NAMES = {
        "version": "version",
        "hash": "hash_",
        "stamp": "stamp",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("version", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("hash", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("stamp", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        return True

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
