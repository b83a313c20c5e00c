from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import model_repr

T = TypeVar("T", bound="TaskStatusMetrics")


@_attrs_define(eq=False)
class TaskStatusMetrics(MutableMapping[str, "Any"]):
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    _absent: bool = _attrs_field(init=False, default=False, eq=False)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        task_status_metrics = cls()

        task_status_metrics.additional_properties = d
        return task_status_metrics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: object) -> bool:
        return key in self.additional_properties

    def __iter__(self) -> Iterator[str]:
        return iter(self.additional_properties)

    def __len__(self) -> int:
        return len(self.additional_properties)

    def __repr__(self) -> str:
        return model_repr(self, None, self.additional_properties)

    @classmethod
    def absent(cls) -> Self:
        """An empty map standing for one the server did not send: a model's ``to_dict()``
        leaves it out for as long as it stays empty."""
        made = cls()
        made._absent = True
        return made
