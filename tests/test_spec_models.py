"""The spec's bookkeeping, and what the SDK adds to the generated models.

Every operation and schema says where it comes from (``x-source``); every published
operation is there; wire names, strict and lenient parsing, and the short masked repr
hold for every model the spec defines.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import aparavi_dtc_api.models as models
from aparavi_dtc._models import Misfit, parse, wire_names
from aparavi_dtc_api.types import is_given

from .schema_strategies import JSON, component, spec

SOURCES = {"published", "observed", "documented"}
METHODS = {"get", "put", "post", "delete", "patch"}

#: The service's own OpenAPI document publishes these 13 operations.
PUBLISHED = {
    ("get", "/version"),
    ("get", "/status"),
    ("post", "/pipe/validate"),
    ("put", "/task"),
    ("get", "/task"),
    ("delete", "/task"),
    ("put", "/webhook"),
    ("post", "/pipe"),
    ("delete", "/pipe"),
    ("put", "/pipe/process"),
    ("get", "/services"),
    ("get", "/chat"),
    ("get", "/dropper"),
}

SCHEMAS = sorted(
    name for name in spec()["components"]["schemas"] if attrs.has(getattr(models, name, None))
)


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_published_operation_is_in_the_spec() -> None:
    """The service's own are there and marked ``published``; any other operation the spec
    adds says it is ``documented`` or ``observed``, not published."""
    published = {
        (method, path)
        for method, path, operation in operations()
        if operation.get("x-source") == "published"
    }
    assert published == PUBLISHED


def test_every_operation_and_schema_says_where_it_comes_from() -> None:
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in operations()
        if operation.get("x-source") not in SOURCES
    ]
    missing += [
        f"schema {name}"
        for name, schema in spec()["components"]["schemas"].items()
        if schema.get("x-source") not in SOURCES
    ]
    for name, schema in spec()["components"]["schemas"].items():
        for field, sub in schema.get("properties", {}).items():
            if "x-source" in sub and sub["x-source"] not in SOURCES:
                missing.append(f"schema {name}.{field}")
    assert missing == []


def test_the_seeds_fields_are_marked_documented() -> None:
    fields = spec()["components"]["schemas"]["TaskStatus"]["properties"]
    documented = {name for name, sub in fields.items() if sub.get("x-source") == "documented"}
    assert documented == {
        "id",
        "created_at",
        "updated_at",
        "progress",
        "files_processed",
        "total_files",
        "error",
        "metadata",
    }


def test_no_operation_puts_the_key_in_a_url_but_the_browser_pages() -> None:
    with_key = {
        f"{method.upper()} {path}"
        for method, path, operation in operations()
        for parameter in operation.get("parameters", [])
        if parameter.get("$ref", "").endswith("/ApiKeyQueryRequired")
    }
    assert with_key == {"GET /chat", "GET /dropper"}


@pytest.mark.parametrize("name", SCHEMAS)
def test_wire_names_are_the_specs_property_names(name: str) -> None:
    schema = spec()["components"]["schemas"][name]
    assert set(wire_names(getattr(models, name)).values()) == set(schema.get("properties", {}))


def test_wire_names_of_renamed_fields() -> None:
    assert wire_names(models.TaskStatus)["total_count"] == "totalCount"
    assert wire_names(models.ProcessedObject)["field_types"] == "__types"
    assert wire_names(models.VersionInfo)["hash_"] == "hash"


@pytest.mark.parametrize("name", [n for n in SCHEMAS if n != "WebhookFiles"])  # sent only
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_every_valid_body_parses_strictly_and_shows_a_short_repr(
    name: str, data: st.DataObject
) -> None:
    body = data.draw(component(name))
    model = parse(getattr(models, name), body, strict=True)
    assert model.to_dict() == body
    shown = repr(model)
    assert shown.startswith(f"{name}(")
    assert "Unset object" not in shown
    assert " at 0x" not in shown


def test_repr_masks_tokens_and_shows_only_fields_present() -> None:
    token = "6f1c0d9e2b7a4c3f8e5d1a0b9c8d7e6f"
    started = parse(
        models.StartTaskResponse, {"data": {"token": token, "type": "cpu"}}, strict=True
    )
    assert repr(started) == "StartTaskResponse(data=TaskHandle(token='***7e6f', type_='cpu'))"
    pipe = parse(
        models.PipeCreatedResponse, {"status": "OK", "data": {"token": token}}, strict=True
    )
    assert token not in repr(pipe)
    assert str(pipe) == repr(pipe)
    status = parse(models.TaskStatus, {"status": "Running", "newField": 1}, strict=True)
    assert repr(status) == "TaskStatus(status='Running', newField=1)"


OPTIONAL_STATUS_FIELDS = sorted(
    set(spec()["components"]["schemas"]["TaskStatus"]["properties"]) - {"status"}
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    body=component("TaskStatusResponse"),
    odd=st.dictionaries(st.sampled_from(OPTIONAL_STATUS_FIELDS), JSON, min_size=1, max_size=4),
)
def test_lenient_parsing_never_fails_on_optional_fields_and_strict_names_each_misfit(
    body: dict[str, Any], odd: dict[str, Any]
) -> None:
    body["data"].update(odd)
    lenient = parse(models.TaskStatusResponse, body, strict=False)
    assert lenient.data.status == body["data"]["status"]
    for field in odd:  # every value is readable as sent, typed or raw
        attr = {w: a for a, w in wire_names(models.TaskStatus).items()}[field]
        typed = getattr(lenient.data, attr)
        if not is_given(typed):  # UNSET, or a map field's empty stand-in
            assert lenient.data[field] == odd[field]
        else:
            assert json.dumps(lenient.data.to_dict()[field]) == json.dumps(odd[field])
    fits = all(is_given(getattr(lenient.data, a)) for a in _attrs_of(odd))
    if fits:
        parse(models.TaskStatusResponse, body, strict=True)
    else:
        with pytest.raises(Misfit) as info:
            parse(models.TaskStatusResponse, body, strict=True)
        assert info.value.path.startswith("data.")
        assert info.value.path.split(".")[1].split("[")[0] in odd


def _attrs_of(wire: dict[str, Any]) -> list[str]:
    by_wire = {w: a for a, w in wire_names(models.TaskStatus).items()}
    return [by_wire[field] for field in wire]


@given(status=JSON)
def test_a_status_that_is_not_a_string_fails_in_both_modes(status: Any) -> None:
    assume(not isinstance(status, str))
    for strict in (False, True):
        with pytest.raises(Misfit, match=r"^data\.status: "):
            parse(models.TaskStatusResponse, {"data": {"status": status}}, strict=strict)
