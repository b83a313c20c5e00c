from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Fields, Unset

if TYPE_CHECKING:
    from ..models.pipeline import Pipeline


T = TypeVar("T", bound="PipelineRequest")


@_attrs_define(repr=False)
class PipelineRequest(Fields):
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
    _WIRE_NAMES = {
        "pipeline": "pipeline",
        "errors": "errors",
        "warnings": "warnings",
    }

    @staticmethod
    def _fits(value: Any) -> bool:
        """Whether the JSON ``value`` fits this model: an object whose fields are of the
        kinds the spec names (a number may be an integer or not)."""
        if type(value) is not dict:
            return False
        v = value.get("pipeline", UNSET)
        if v is UNSET or not Pipeline._fits(v):
            return False
        v = value.get("errors", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        v = value.get("warnings", UNSET)
        if v is not UNSET and type(v) is not list:
            return False
        return True

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


# The models that _fits calls, loaded with this one (after it, for models naming each other).
from ..models.pipeline import Pipeline
