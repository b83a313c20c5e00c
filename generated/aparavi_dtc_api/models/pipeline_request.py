from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, is_given, model_repr

if TYPE_CHECKING:
    from ..models.pipeline import Pipeline


T = TypeVar("T", bound="PipelineRequest")


@_attrs_define
class PipelineRequest:
    """A pipeline wrapped as the service expects it.

    Attributes:
        pipeline (Pipeline): A pipeline definition. Fields not named here are passed through.
        errors (list[Any] | Unset): Left empty by clients.
        warnings (list[Any] | Unset): Left empty by clients.
    """

    pipeline: Pipeline
    errors: list[Any] | Unset = UNSET
    warnings: list[Any] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pipeline = self.pipeline.to_dict()

        errors: list[Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors

        warnings: list[Any] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pipeline": pipeline,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pipeline import Pipeline

        d = dict(src_dict)
        pipeline = Pipeline.from_dict(d.pop("pipeline"))

        errors = cast(list[Any], d.pop("errors", UNSET))

        warnings = cast(list[Any], d.pop("warnings", UNSET))

        pipeline_request = cls(
            pipeline=pipeline,
            errors=errors,
            warnings=warnings,
        )

        pipeline_request.additional_properties = d
        return pipeline_request

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
                "pipeline": self.pipeline,
                "errors": self.errors,
                "warnings": self.warnings,
            },
            self.additional_properties,
        )


#: Each named field's name on the wire, to its attribute.
_WIRE_NAMES: dict[str, str] = {
    "pipeline": "pipeline",
    "errors": "errors",
    "warnings": "warnings",
}
