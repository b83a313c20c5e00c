"""Generated models against the spec: round trips, and the SDK parses every valid body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import aparavi_dtc_api.models as models
from aparavi_dtc import AparaviDTC
from aparavi_dtc._operations import PAGES, REGISTRY
from aparavi_dtc_api.types import UNSET

from .conftest import API_KEY, BASE_URL, TOKEN
from .schema_strategies import component

SCHEMAS = [
    "TaskStatusResponse",
    "TaskStatus",
    "StartTaskResponse",
    "Envelope",
    "ErrorEnvelope",
    "ErrorResponse",
    "ValidationErrorResponse",
    "PipelineRequest",
    "Metrics",
]


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_models_round_trip(name: str, data: st.DataObject) -> None:
    model = getattr(models, name)
    body = data.draw(component(name))
    parsed = model.from_dict(body)
    assert parsed.to_dict() == body
    assert model.from_dict(parsed.to_dict()) == parsed


#: Fields of a task status on the wire and the attribute each is parsed into.
WIRE_NAMES = {
    "progress": "progress",
    "files_processed": "files_processed",
    "total_files": "total_files",
    "completed": "completed",
    "totalCount": "total_count",
    "completedCount": "completed_count",
    "failedCount": "failed_count",
    "totalSize": "total_size",
    "completedSize": "completed_size",
    "startTime": "start_time",
    "currentObject": "current_object",
    "exitCode": "exit_code",
    "exitMsg": "exit_msg",
    "errors": "errors",
    "warnings": "warnings",
}


@pytest.fixture(scope="module")
def shared_client() -> Iterator[AparaviDTC]:
    with AparaviDTC(API_KEY, base_url=BASE_URL) as client:
        yield client


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(body=component("TaskStatusResponse"))
@example(body={"data": {"status": "\\/", "exitMsg": "C:\\u0041"}})
def test_every_valid_status_body_parses(shared_client: AparaviDTC, body: dict[str, Any]) -> None:
    assume(body.get("status") != "Error" and "=" not in json.dumps(body))
    with respx.mock(base_url=BASE_URL) as router:
        router.get("/task").mock(return_value=httpx.Response(200, json=body))
        result = shared_client.task(TOKEN, "cpu").get()
    # Every field of the body reaches the result unchanged, and the named ones land in
    # their typed attributes (comparing with from_dict(body) would repeat the parser's bugs).
    assert result.to_dict() == body
    data = body["data"]
    assert result.data.status == data["status"]
    for wire, attribute in WIRE_NAMES.items():
        expected = data.get(wire, UNSET)
        value = getattr(result.data, attribute)
        assert (value.to_dict() if hasattr(value, "to_dict") else value) == expected, wire


def test_no_code_is_compiled_at_run_time() -> None:
    """The checks of the models are written by the generator, where they can be read and
    are compared by `make drift`; the SDK writes and compiles no code of its own."""
    import ast
    from pathlib import Path

    wrapper = Path(__file__).resolve().parents[1] / "wrapper"
    found = [
        f"{path.relative_to(wrapper)}:{node.lineno} {node.func.id}()"
        for path in sorted(wrapper.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"exec", "eval", "compile"}
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(models.__all__))
def test_every_generated_model_has_its_check(name: str) -> None:
    import attrs

    cls = getattr(models, name)
    assert isinstance(vars(cls).get("_fits"), staticmethod), f"{name} has no check of its own"
    required = [f for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING]
    assert cls._fits([]) is False
    assert cls._fits({}) is (not required)


def test_the_generated_package_holds_only_what_the_sdk_uses() -> None:
    """Of each endpoint, the request builder the SDK calls and the answer's type that
    tools/spec_diff.py reads; no generated client, nor its errors, beside the SDK's own."""
    import ast
    from pathlib import Path

    package = Path(models.__file__).resolve().parents[1]
    assert not (package / "client.py").exists()
    assert not (package / "errors.py").exists()
    endpoints = sorted(p for p in (package / "api").glob("*/*.py") if p.name != "__init__.py")
    assert len(endpoints) == len(REGISTRY) + len(PAGES)  # one module per operation
    for path in endpoints:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [
            node.name if isinstance(node, ast.FunctionDef) else ast.unparse(node.target)
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.AnnAssign))
        ]
        assert defined == ["_get_kwargs", "ANSWER"], path.name
