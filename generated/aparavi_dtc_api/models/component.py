from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset, is_given

if TYPE_CHECKING:
    from ..models.component_config import ComponentConfig
    from ..models.component_input import ComponentInput


T = TypeVar("T", bound="Component")


def _no_config() -> ComponentConfig:
    from ..models.component_config import ComponentConfig

    return ComponentConfig.absent()


@_attrs_define(repr=False)
class Component(Fields):
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
    _WIRE_NAMES = {
        "provider": "provider",
        "id": "id",
        "name": "name",
        "config": "config",
        "input": "input_",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("provider", UNSET)
        if v is UNSET or type(v) is not str:
            return False
        v = value.get("id", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("name", UNSET)
        if v is not UNSET and type(v) is not str:
            return False
        v = value.get("config", UNSET)
        if v is not UNSET and not ComponentConfig._fits(v):
            return False
        v = value.get("input", UNSET)
        if v is not UNSET and not (
            type(v) is list and all(map(ComponentInput._fits, v))
        ):
            return False
        return True

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


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.component_config import ComponentConfig
from ..models.component_input import ComponentInput
