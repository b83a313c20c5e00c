from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, is_given, model_repr

if TYPE_CHECKING:
    from ..models.component_config import ComponentConfig
    from ..models.component_input import ComponentInput


T = TypeVar("T", bound="Component")


def _no_config() -> ComponentConfig:
    from ..models.component_config import ComponentConfig

    return ComponentConfig.absent()


@_attrs_define
class Component:
    """One step of a pipeline.

    Attributes:
        provider (str): What the component does, for example `webhook`, `file` or `parse`.
        id (str | Unset):
        name (str | Unset):
        config (ComponentConfig): empty when the server sent none.
        input_ (list[ComponentInput] | Unset):
    """

    provider: str
    id: str | Unset = UNSET
    name: str | Unset = UNSET
    config: ComponentConfig = _attrs_field(factory=_no_config)
    input_: list[ComponentInput] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        id = self.id

        name = self.name

        config: dict[str, Any] | Unset = UNSET
        if is_given(self.config):
            config = self.config.to_dict()

        input_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = []
            for input_item_data in self.input_:
                input_item = input_item_data.to_dict()
                input_.append(input_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if config is not UNSET:
            field_dict["config"] = config
        if input_ is not UNSET:
            field_dict["input"] = input_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.component_config import ComponentConfig
        from ..models.component_input import ComponentInput

        d = dict(src_dict)
        provider = d.pop("provider")

        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        _config = d.pop("config", UNSET)
        config = (
            _no_config()
            if isinstance(_config, Unset)
            else ComponentConfig.from_dict(_config)
        )

        _input_ = d.pop("input", UNSET)
        input_: list[ComponentInput] | Unset = UNSET
        if _input_ is not UNSET:
            input_ = []
            for input_item_data in _input_:
                input_item = ComponentInput.from_dict(input_item_data)

                input_.append(input_item)

        component = cls(
            provider=provider,
            id=id,
            name=name,
            config=config,
            input_=input_,
        )

        component.additional_properties = d
        return component

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
                "provider": self.provider,
                "id": self.id,
                "name": self.name,
                "config": self.config,
                "input_": self.input_,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "provider": "provider",
    "id": "id",
    "name": "name",
    "config": "config",
    "input": "input_",
}
