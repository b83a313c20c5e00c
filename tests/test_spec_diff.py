"""`make spec-diff` (tools/spec_diff.py): each kind of change to the spec, as a small variant
of openapi.yaml, classed breaking or not for a user of the typed SDK and named as the spec
names it. The variants are compared in one go (each spec generated once) to keep this fast.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import spec_diff
import yaml
from spec_diff import Finding

# Each spec is generated with the pinned generator (about a second of CPU each); the cases'
# fixture generates 18 of them once for every worker, which may wait on it.
pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parent.parent
BASE: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
STATUSES = ["Created", "Running", "Completed", "Failed"]

Spec = dict[str, Any]


def schema(spec: Spec, name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def operation(spec: Spec, path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][path][method]
    return found


def with_enums(spec: Spec) -> Spec:
    """The spec with enums to change: the task type (sent), a status (read, required)
    and an exit message (read, optional)."""
    spec["components"]["parameters"]["TaskType"]["schema"]["enum"] = ["cpu", "gpu"]
    schema(spec, "TaskStatus")["properties"]["status"]["enum"] = list(STATUSES)
    schema(spec, "TaskStatus")["properties"]["exitMsg"]["enum"] = ["", "done"]
    return spec


def remove_operation(spec: Spec) -> None:
    del spec["paths"]["/version"]


def add_optional_response_field(spec: Spec) -> None:
    schema(spec, "TaskStatus")["properties"]["queuedAt"] = {"type": "string"}


def remove_response_field(spec: Spec) -> None:
    del schema(spec, "TaskStatus")["properties"]["totalCount"]


def retype_response_field(spec: Spec) -> None:
    schema(spec, "TaskStatus")["properties"]["exitMsg"] = {"type": "integer"}


def add_query_parameter(required: bool) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        parameter = {"name": "region", "in": "query", "required": required}
        operation(spec, "/task", "get")["parameters"].append(
            parameter | {"schema": {"type": "string"}}
        )

    return change


def remove_request_enum_value(spec: Spec) -> None:
    spec["components"]["parameters"]["TaskType"]["schema"]["enum"] = ["cpu"]


def add_response_enum_value(field: str, value: str) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        schema(spec, "TaskStatus")["properties"][field]["enum"].append(value)

    return change


def round_trip(spec: Spec) -> None:
    pass  # written out again by yaml.safe_dump, keys in their order


def require_request_field(spec: Spec) -> None:
    schema(spec, "Pipeline")["required"].append("source")


def require_optional_parameter(spec: Spec) -> None:
    for parameter in operation(spec, "/task", "put")["parameters"]:
        if parameter.get("name") == "name":
            parameter["required"] = True


def remove_request_field(spec: Spec) -> None:
    del schema(spec, "Pipeline")["properties"]["project_id"]


def retype_query_parameter(spec: Spec) -> None:
    for parameter in operation(spec, "/task", "put")["parameters"]:
        if parameter.get("name") == "name":
            parameter["schema"] = {"type": "integer"}


def remove_error_status(spec: Spec) -> None:
    del operation(spec, "/task", "get")["responses"]["404"]


def remove_request_media_type(spec: Spec) -> None:
    del operation(spec, "/webhook", "put")["requestBody"]["content"]["text/plain"]


def replace_answer(spec: Spec) -> None:
    answer = operation(spec, "/version", "get")["responses"]["200"]["content"]
    answer["application/json"]["schema"] = {"$ref": "#/components/schemas/ServicesResponse"}


def add_operation(spec: Spec) -> None:
    spec["paths"]["/widgets"] = {
        "get": {
            "operationId": "listWidgets",
            "summary": "List widgets",
            "responses": {
                "200": {
                    "description": "The widgets",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }


# (change, on a spec with enums, expected: breaking, change, kind, where, name)
CASES: dict[str, tuple[Callable[[Spec], None], bool, tuple[bool, str, str, str, str]]] = {
    "operation removed": (
        remove_operation,
        False,
        (True, "removed", "operation", "getVersion", ""),
    ),
    "optional response field added": (
        add_optional_response_field,
        False,
        (False, "added", "property", "TaskStatus", "queuedAt"),
    ),
    "response field removed": (
        remove_response_field,
        False,
        (True, "removed", "property", "TaskStatus", "totalCount"),
    ),
    "response field string to integer": (
        retype_response_field,
        False,
        (True, "changed", "property", "TaskStatus", "exitMsg"),
    ),
    "new required query parameter": (
        add_query_parameter(True),
        False,
        (True, "added", "parameter", "getTask", "region"),
    ),
    "new optional query parameter": (
        add_query_parameter(False),
        False,
        (False, "added", "parameter", "getTask", "region"),
    ),
    "request enum value removed": (
        remove_request_enum_value,
        True,
        (True, "removed", "enum value", "getTask.type", "gpu"),
    ),
    "response enum value added, required field": (
        add_response_enum_value("status", "Queued"),
        True,
        (True, "added", "enum value", "TaskStatus.status", "Queued"),
    ),
    "response enum value added, lenient optional field": (
        add_response_enum_value("exitMsg", "killed"),
        True,
        (False, "added", "enum value", "TaskStatus.exitMsg", "killed"),
    ),
    "request field made required": (
        require_request_field,
        False,
        (True, "changed", "property", "Pipeline", "source"),
    ),
    "optional parameter made required": (
        require_optional_parameter,
        False,
        (True, "changed", "parameter", "startTask", "name"),
    ),
    "request model field removed": (
        remove_request_field,
        False,
        (True, "removed", "property", "Pipeline", "project_id"),
    ),
    "query parameter string to integer": (
        retype_query_parameter,
        False,
        (True, "changed", "parameter", "startTask", "name"),
    ),
    "documented error status removed": (
        remove_error_status,
        False,
        (False, "removed", "status code", "getTask", "404"),
    ),
    "request media type removed": (
        remove_request_media_type,
        False,
        (True, "removed", "media type", "sendToWebhook", "text/plain"),
    ),
    "an answer's schema replaced": (
        replace_answer,
        False,
        (True, "removed", "answer", "getVersion", "VersionResponse"),
    ),
    "new operation": (add_operation, False, (False, "added", "operation", "listWidgets", "")),
}


def compare_cases(folder: Path) -> dict[str, list[Finding]]:
    """Every case's findings, each spec generated once."""
    plain, enums = folder / "plain.yaml", folder / "enums.yaml"
    plain.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    enums.write_text(yaml.safe_dump(with_enums(copy.deepcopy(BASE)), sort_keys=False))
    pairs = {}
    for name, (change, on_enums, _) in [*CASES.items(), ("round trip", (round_trip, False, None))]:
        spec = copy.deepcopy(BASE)
        if on_enums:
            with_enums(spec)
        change(spec)
        variant = folder / f"{name.replace(' ', '-')}.yaml"
        variant.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        pairs[name] = (enums if on_enums else ROOT / "openapi.yaml", variant)
    return spec_diff.compare_all(pairs)


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    """:func:`compare_cases`, once per test run: the first of pytest-xdist's workers
    compares, the others read its answer."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:
        return compare_cases(tmp_path_factory.mktemp("specs"))
    shared = tmp_path_factory.getbasetemp().parent / f"spec-diff-{run}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        answer = shared / "findings.json"
        if not answer.exists():
            found = compare_cases(shared)
            data = {case: [asdict(f) for f in each] for case, each in found.items()}
            answer.write_text(json.dumps(data), encoding="utf-8")
        data = json.loads(answer.read_text(encoding="utf-8"))
    return {case: [Finding(**f) for f in each] for case, each in data.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_each_change_is_classed_and_named_as_the_spec_names_it(
    compared: dict[str, list[Finding]], case: str
) -> None:
    breaking, change, kind, where, name = CASES[case][2]
    findings = compared[case]
    matching = [
        f for f in findings if (f.change, f.kind, f.where, f.name) == (change, kind, where, name)
    ]
    assert matching, spec_diff.table(findings)
    assert [f.breaking for f in matching] == [breaking] * len(matching), spec_diff.table(findings)
    # Nothing else is called breaking when the change is not.
    if not breaking:
        assert not any(f.breaking for f in findings), spec_diff.table(findings)


def test_the_same_spec_written_out_again_is_no_change(
    compared: dict[str, list[Finding]],
) -> None:
    assert compared["round trip"] == []


def test_a_lenient_field_says_why_it_does_not_break(compared: dict[str, list[Finding]]) -> None:
    (finding,) = [
        f for f in compared["response enum value added, lenient optional field"] if f.name
    ]
    assert "optional" in finding.detail
    assert "strict=True" in finding.detail


def write(tmp_path: Path, name: str, spec: Any) -> Path:
    path = tmp_path / name
    path.write_text(spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False))
    return path


def test_the_command_exits_1_on_a_breaking_change_with_a_table_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy.deepcopy(BASE)
    remove_response_field(spec)
    add_optional_response_field(spec)
    new = write(tmp_path, "new.yaml", spec)

    assert spec_diff.main([str(new)]) == 1
    shown = capsys.readouterr().out
    assert "BREAKING  removed  property" in shown
    assert "totalCount" in shown
    assert "queuedAt" in shown
    assert "2 changes, 1 breaking" in shown

    assert spec_diff.main([str(new), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["breaking"] == 1
    assert {(c["breaking"], c["kind"], c["where"], c["name"]) for c in report["changes"]} == {
        (True, "property", "TaskStatus", "totalCount"),
        (False, "property", "TaskStatus", "queuedAt"),
    }


def test_a_change_that_breaks_nothing_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy.deepcopy(BASE)
    add_operation(spec)
    assert spec_diff.main([str(write(tmp_path, "new.yaml", spec))]) == 0
    assert "listWidgets" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("paths: [unclosed", "not valid YAML"),
        ("just: a mapping\n", "not an OpenAPI 3 document"),
        ("openapi: 3.0.3\ninfo: {title: x, version: '1'}\n", "has no `paths`"),
        ("openapi: 3.0.3\npaths: {}\n", "does not generate"),  # no info
        (None, "WARNING parsing GET /task"),  # which the generator leaves out, with a warning
    ],
)
def test_a_spec_that_cannot_be_compared_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, says: str
) -> None:
    if content is None:
        spec = copy.deepcopy(BASE)
        answer = operation(spec, "/task", "get")["responses"]["200"]["content"]
        answer["application/json"]["schema"] = {"$ref": "#/components/schemas/Missing"}
        content = yaml.safe_dump(spec, sort_keys=False)
    new = write(tmp_path, "new.yaml", content)
    assert spec_diff.main([str(new)]) == 2
    assert says in capsys.readouterr().err
