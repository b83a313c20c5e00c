"""Type checks of parsed models against the annotations the generator wrote.

The generated ``from_dict`` methods copy primitive values without looking at their types;
this module checks them, so that a wrong type from the server is caught where it arrives
and the shapes stay defined in ``openapi.yaml`` alone.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

import attrs

import aparavi_dtc_api.models
import aparavi_dtc_api.types

_NAMESPACE: dict[str, Any] = {
    **vars(aparavi_dtc_api.models),
    "Unset": aparavi_dtc_api.types.Unset,
    "File": aparavi_dtc_api.types.File,
}


@functools.cache
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls, localns=_NAMESPACE)
    return tuple((f.name, hints[f.name]) for f in attrs.fields(cls))


def problem(value: Any, hint: Any = None, path: str = "") -> str | None:
    """Describe the first place where ``value`` does not fit ``hint``; None if it fits.

    With ``hint`` None, ``value`` must be a generated model instance and is checked whole.
    """
    if hint is None:
        hint = type(value)
    if hint is Any:
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(hint)
        if any(problem(value, option, path) is None for option in options):
            return None
        return f"{path or 'value'}: {type(value).__name__} is not allowed here"
    if origin is list:
        if not isinstance(value, list):
            return f"{path or 'value'}: expected a list, got {type(value).__name__}"
        (item,) = typing.get_args(hint) or (Any,)
        for index, element in enumerate(value):
            found = problem(element, item, f"{path}[{index}]")
            if found:
                return found
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return f"{path or 'value'}: expected an object, got {type(value).__name__}"
        return None
    if hint is type(None):
        return None if value is None else f"{path}: expected null, got {type(value).__name__}"
    if attrs.has(hint):
        if not isinstance(value, hint):
            return f"{path or 'value'}: expected an object, got {type(value).__name__}"
        for name, field_hint in _hints(hint):
            if name == "additional_properties":
                continue
            found = problem(getattr(value, name), field_hint, f"{path}.{name}" if path else name)
            if found:
                return found
        return None
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(hint, type):
        ok = isinstance(value, hint)
    else:  # a Literal or another construct the generator did not use here
        ok = value in typing.get_args(hint) if typing.get_origin(hint) is typing.Literal else True
    return None if ok else f"{path or 'value'}: expected {_name(hint)}, got {type(value).__name__}"


def _name(hint: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}.get(
        hint, getattr(hint, "__name__", str(hint))
    )
