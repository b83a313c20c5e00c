"""Type checks of parsed models against the annotations the generator wrote.

The generated ``from_dict`` methods copy primitive values without looking at their types;
this module checks them, so that a wrong type from the server is caught where it arrives
and the shapes stay defined in ``openapi.yaml`` alone.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

import aparavi_dtc_api.models
import aparavi_dtc_api.types

UNSET = aparavi_dtc_api.types.UNSET

_NAMESPACE: dict[str, Any] = {
    **vars(aparavi_dtc_api.models),
    "Unset": aparavi_dtc_api.types.Unset,
    "File": aparavi_dtc_api.types.File,
}


@functools.cache
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls, localns=_NAMESPACE)
    return tuple((f.name, hints[f.name]) for f in attrs.fields(cls))


Check = Callable[[Any], bool]


@functools.cache
def _check(hint: Any) -> Check:
    """A fast yes/no test of ``hint``, built once per type; :func:`problem` explains a no."""
    if hint is Any:
        return lambda value: True
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(hint)
        unset = aparavi_dtc_api.types.Unset in options
        checks = [_check(o) for o in options if o is not aparavi_dtc_api.types.Unset]
        if unset and len(checks) == 1:
            (only,) = checks
            return lambda value: value is UNSET or only(value)
        return lambda value: (unset and value is UNSET) or any(c(value) for c in checks)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        if item is Any:
            return lambda value: type(value) is list
        each = _check(item)
        return lambda value: type(value) is list and all(map(each, value))
    if origin is dict:
        return lambda value: type(value) is dict
    if hint is type(None):
        return lambda value: value is None
    if attrs.has(hint):
        fields = [(name, _check(h)) for name, h in _hints(hint) if name != "additional_properties"]

        def check_model(value: Any) -> bool:
            return isinstance(value, hint) and all(c(getattr(value, n)) for n, c in fields)

        return check_model
    if hint is float:
        return lambda value: type(value) is float or type(value) is int
    if hint is int:
        return lambda value: type(value) is int
    if hint is bool:
        return lambda value: type(value) is bool
    if isinstance(hint, type):
        return lambda value: isinstance(value, hint)
    return lambda value: True  # a construct the generator does not use for these models


def problem(value: Any, hint: Any = None, path: str = "") -> str | None:
    """Describe the first place where ``value`` does not fit ``hint``; None if it fits.

    With ``hint`` None, ``value`` must be a generated model instance and is checked whole.
    """
    if hint is None:
        hint = type(value)
    if _check(hint)(value):
        return None
    return _explain(value, hint, path)


def _explain(value: Any, hint: Any, path: str) -> str | None:
    """Find where ``value`` fails :func:`_check` of ``hint``, and say so."""
    if _check(hint)(value):
        return None
    where = path or "value"
    origin = typing.get_origin(hint)
    if origin is list and type(value) is list:
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            found = _explain(element, item, f"{path}[{index}]")
            if found:
                return found
    if attrs.has(hint) and isinstance(value, hint):
        for name, field_hint in _hints(hint):
            if name != "additional_properties":
                found = _explain(
                    getattr(value, name), field_hint, f"{path}.{name}" if path else name
                )
                if found:
                    return found
    if origin is typing.Union or origin is types.UnionType:
        return f"{where}: {type(value).__name__} is not allowed here"
    return f"{where}: expected {_name(hint)}, got {type(value).__name__}"


def _name(hint: Any) -> str:
    if typing.get_origin(hint) is list:
        return "a list"
    if typing.get_origin(hint) is dict or attrs.has(hint):
        return "an object"
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}.get(
        hint, getattr(hint, "__name__", str(hint))
    )
