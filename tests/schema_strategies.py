"""Hypothesis strategies drawn from the schemas in ``openapi.yaml``.

Covers the subset of JSON Schema the spec uses (objects, arrays, scalars, ``anyOf``,
``const``, ``$ref``, open schemas), so that tests generate what the contract allows
rather than what the code under test expects.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.cache
def spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec()["components"]["schemas"][name]
    return schema


_key = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
_scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
_scalar = _scalar | st.floats(allow_nan=False, allow_infinity=False, width=32)
JSON = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_key, inner, max_size=3),
    max_leaves=8,
)


def from_schema(schema: dict[str, Any], *, extra: bool = True) -> st.SearchStrategy[Any]:
    """A strategy for JSON values valid against ``schema`` (a spec schema or a $ref)."""
    schema = _resolve(schema)
    if "const" in schema:
        return st.just(schema["const"])
    if "anyOf" in schema:
        return st.one_of([from_schema(option, extra=extra) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind is None:
        return JSON
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        ints = st.integers(-(2**31) if low is None else low, 2**31 if high is None else high)
        floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
        return ints | floats
    if kind == "string":
        return st.text(min_size=schema.get("minLength", 0), max_size=30)
    if kind == "array":
        items = from_schema(schema.get("items", {}), extra=extra)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=3)
    if kind == "object":
        return _object(schema, extra=extra)
    raise NotImplementedError(f"schema type {kind!r}")


def _object(schema: dict[str, Any], *, extra: bool) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    named = st.fixed_dictionaries(
        {name: from_schema(properties[name], extra=extra) for name in sorted(required)},
        optional={
            name: from_schema(sub, extra=extra)
            for name, sub in properties.items()
            if name not in required
        },
    )
    if not extra or schema.get("additionalProperties") is not True:
        return named
    unnamed = st.dictionaries(_key.filter(lambda k: k not in properties), JSON, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, named, unnamed)


def component(name: str, *, extra: bool = True) -> st.SearchStrategy[Any]:
    """A strategy for the schema ``#/components/schemas/<name>``."""
    return from_schema({"$ref": f"#/components/schemas/{name}"}, extra=extra)
