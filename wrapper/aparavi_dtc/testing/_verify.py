"""Whether a deployed service still keeps the contract: :func:`verify`.

It calls the operations that cost nothing (``getVersion``, ``getStatus``, ``getServices``,
and ``getTask`` of a task the user names), and, only when asked, starts the smallest task,
reads it, sends it one line of text and deletes it. Each answer is checked against the
shipped ``openapi.yaml``: the status code must be one the operation lists, the body JSON,
and the JSON what the response schema describes. What differs is reported as
:class:`Drift`, by wire path (``data.totalCount``):

* ``new field``: a field the schema does not name, although it names others (the SDK's
  models keep it, but the spec should learn it); allowed with ``allow_new_fields=True``;
* ``missing field``: a required field is absent;
* ``type mismatch``: a value of another type than the spec's;
* ``unknown enum value``: a value the spec's ``enum`` (or ``const``) does not hold;
* ``undocumented status``: a status code the operation does not list;
* ``not json``: a body that is not JSON.

``record=DIR`` saves every answer, the key and task tokens replaced, as fixtures that
:meth:`FakeAparavi.from_recording` answers with.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .._redact import Redactor

if TYPE_CHECKING:
    from aparavi_dtc import AparaviDTC

__all__ = ["Drift", "OperationReport", "VerifyReport", "check_answer", "recordings", "verify"]

DriftKind = Literal[
    "new field",
    "missing field",
    "type mismatch",
    "unknown enum value",
    "undocumented status",
    "not json",
]

#: What a recorded token reads as: a value of the right shape that is no secret.
RECORDED_TOKEN = "recorded-task-token-0000"


@attrs.frozen
class Drift:
    """One way an answer differs from the spec."""

    kind: DriftKind
    where: str
    """The wire path of the value (``data.totalCount``; ``[]`` for any item of a list), or
    empty for the whole answer."""
    detail: str
    """What was seen, and what the spec says."""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "detail": self.detail}


@attrs.frozen
class OperationReport:
    """One operation's answer, checked."""

    operation: str
    """The operationId (``getVersion``)."""
    status_code: int | None
    """The answer's HTTP status; None when no answer came (``error`` says why)."""
    drift: tuple[Drift, ...]
    error: str | None = None
    """Why there is no answer to check (the service could not be reached, ...)."""
    allow_new_fields: bool = False

    @property
    def conforms(self) -> bool:
        """No drift (new fields aside when they are allowed) and an answer."""
        counted = [d for d in self.drift if not (self.allow_new_fields and d.kind == "new field")]
        return self.error is None and not counted

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "status_code": self.status_code,
            "conforms": self.conforms,
            "drift": [d.to_dict() for d in self.drift],
            "error": self.error,
        }


@attrs.frozen
class VerifyReport:
    """What :func:`verify` found: one report per operation called."""

    base_url: str
    operations: tuple[OperationReport, ...]

    @property
    def conforms(self) -> bool:
        """Every operation answered as the spec says."""
        return all(each.conforms for each in self.operations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "conforms": self.conforms,
            "operations": [each.to_dict() for each in self.operations],
        }


# -- checking an answer against the spec ----------------------------------------------


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The shipped spec (or ``path``) as a dict (needs PyYAML: ``aparavi-dtc[testing]``)."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - the testing extra brings it
        raise ImportError("verifying needs PyYAML: pip install 'aparavi-dtc[testing]'") from None
    from ._spec import spec_path

    loaded: dict[str, Any] = yaml.safe_load((path or spec_path()).read_text(encoding="utf-8"))
    return loaded


def _operation(spec: Mapping[str, Any], operation_id: str) -> Mapping[str, Any]:
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise KeyError(f"the spec has no operation {operation_id}")


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def check_answer(
    spec: Mapping[str, Any], operation_id: str, status_code: int, body: bytes
) -> list[Drift]:
    """How the answer ``status_code``/``body`` of ``operation_id`` differs from ``spec``."""
    responses = _operation(spec, operation_id).get("responses") or {}
    response = responses.get(str(status_code)) or responses.get(f"{str(status_code)[0]}XX")
    response = response or responses.get("default")
    if response is None:
        listed = ", ".join(sorted(str(code) for code in responses))
        return [Drift("undocumented status", "", f"HTTP {status_code}; the spec lists {listed}")]
    content = (_resolve(spec, response).get("content") or {}).get("application/json")
    if content is None:
        return []  # an answer the spec does not describe as JSON
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        start = body[:40].decode("utf-8", "replace")
        return [Drift("not json", "", f"the body is not JSON: {start!r}")]
    return _check(spec, value, content.get("schema") or {}, "")


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _kind(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def _check(spec: Mapping[str, Any], value: Any, schema: Any, where: str) -> list[Drift]:
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or not schema:
        return []
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:  # the branch that fits best: its constants match, then fewest drifts
        tries = [
            (_constants_missed(spec, value, option), _check(spec, value, option, where))
            for option in options
        ]
        return min(
            tries,
            key=lambda tried: (
                tried[0],
                sum(d.kind != "new field" for d in tried[1]),
                len(tried[1]),
            ),
        )[1]
    found: list[Drift] = []
    for part in schema.get("allOf") or []:
        found += _check(spec, value, part, where)
    if "const" in schema and value != schema["const"]:
        found.append(
            Drift("unknown enum value", where, f"{value!r}; the spec says {schema['const']!r}")
        )
    if "enum" in schema and value not in schema["enum"]:
        known = ", ".join(repr(each) for each in schema["enum"])
        found.append(Drift("unknown enum value", where, f"{value!r}; the spec knows {known}"))
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if schema.get("nullable"):
        types.append("null")
    if types and not any(_TYPES.get(t, lambda _: True)(value) for t in types):
        expected = " or ".join(types)
        return [*found, Drift("type mismatch", where, f"{_kind(value)}; the spec says {expected}")]
    if isinstance(value, dict):
        found += _check_object(spec, value, schema, where)
    elif isinstance(value, list) and "items" in schema:
        seen: set[Drift] = set()
        for item in value:
            for drift in _check(spec, item, schema["items"], f"{where}[]"):
                if drift not in seen:
                    seen.add(drift)
                    found.append(drift)
    return found


def _constants_missed(spec: Mapping[str, Any], value: Any, schema: Any) -> int:
    """How many of the fields ``schema`` fixes (``const``, as an envelope's ``status:
    Error``) ``value`` holds otherwise: a branch of ``anyOf`` whose constants do not match is
    not the one the answer is."""
    schema = _resolve(spec, schema)
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return 0
    properties = schema.get("properties") or {}
    return sum(
        1
        for name, field in properties.items()
        if "const" in (_resolve(spec, field) or {})
        and value.get(name) != _resolve(spec, field)["const"]
    )


def _check_object(
    spec: Mapping[str, Any], value: Mapping[str, Any], schema: Mapping[str, Any], where: str
) -> list[Drift]:
    found = []
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in value:
            found.append(Drift("missing field", _join(where, name), "required by the spec"))
    extra = schema.get("additionalProperties")
    for name, item in value.items():
        if name in properties:
            found += _check(spec, item, properties[name], _join(where, name))
        elif isinstance(extra, dict) and extra:  # a map: its values have a schema
            found += _check(spec, item, extra, _join(where, "*"))
        elif properties:  # the spec names this object's fields, and not this one
            found.append(Drift("new field", _join(where, name), f"{_kind(item)}, not in the spec"))
    return found


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


# -- calling the service ----------------------------------------------------------------


class _Recorder:
    """Saves each answer in ``folder`` as ``NN-operationId.json``, secrets replaced."""

    def __init__(self, folder: Path | None, redactor: Redactor) -> None:
        self._folder = folder
        self._redactor = redactor
        self._count = 0
        self._tokens: list[str] = []
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def secret(self, token: str) -> None:
        self._tokens.append(token)
        self._redactor.add(token)

    def save(self, operation: str, status: int, body: bytes) -> None:
        if self._folder is None:
            return
        self._count += 1
        text = body.decode("utf-8", "replace")
        for token in self._tokens:  # a fixture's token is a placeholder, not a mask
            text = text.replace(token, RECORDED_TOKEN)
        text = self._redactor.text(text)
        try:
            answer: Any = json.loads(text)
            kind = "json"
        except ValueError:
            answer, kind = text, "text"
        record = {"operation": operation, "status_code": status, kind: answer}
        path = self._folder / f"{self._count:02d}-{operation}.json"
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def verify(
    client: AparaviDTC | None = None,
    *,
    task: tuple[str, str] | None = None,
    with_task: bool = False,
    with_upload: bool = False,
    allow_new_fields: bool = False,
    record: str | Path | None = None,
    ready_timeout: float = 120.0,
    spec: Path | None = None,
) -> VerifyReport:
    """Check what the service answers against the shipped spec.

    Args:
        client: The client to call the service with (its base URL, key, timeouts and
            retries); default: ``AparaviDTC()``, from ``APARAVI_API_KEY`` and
            ``APARAVI_BASE_URL``, closed at the end.
        task: ``(token, type)`` of a task to read (``getTask``); nothing else is done to it.
        with_task: Also start the smallest task (the simple parser), read it and delete it.
        with_upload: Also send the started task one line of text (implies ``with_task``).
        allow_new_fields: Fields the spec does not name are reported but do not fail.
        record: A folder to save every answer in, secrets replaced.
        ready_timeout: Seconds to wait for the started task to take uploads.
        spec: Another spec to check against (default: the shipped one).

    Returns:
        A :class:`VerifyReport`; ``report.conforms`` is True when everything conforms.

    A task it starts is deleted before it returns, also when it is interrupted.
    """
    from aparavi_dtc import AparaviDTC

    if client is None:
        with AparaviDTC() as made:
            return _verify(
                made, task, with_task, with_upload, allow_new_fields, record, ready_timeout, spec
            )
    return _verify(
        client, task, with_task, with_upload, allow_new_fields, record, ready_timeout, spec
    )


def _verify(
    client: AparaviDTC,
    task: tuple[str, str] | None,
    with_task: bool,
    with_upload: bool,
    allow_new_fields: bool,
    record: str | Path | None,
    ready_timeout: float,
    spec: Path | None,
) -> VerifyReport:
    from aparavi_dtc import AparaviError, pipelines
    from aparavi_dtc._shield import uninterrupted

    contract = load_spec(spec)
    reports: list[OperationReport] = []
    folder = Path(record) if record is not None else None
    recorder = _Recorder(folder, Redactor(client._api_key))

    def check(operation: str, send: Callable[[], Any]) -> Any:
        try:
            raw = send()
        except AparaviError as exc:
            reports.append(OperationReport(operation, None, (), _reason(exc)))
            return None
        started = _started(raw) if operation == "startTask" else None
        if started is not None:  # replaced in this answer already
            recorder.secret(started[0])
        recorder.save(operation, raw.status_code, raw.content)
        drift = check_answer(contract, operation, raw.status_code, raw.content)
        reports.append(
            OperationReport(operation, raw.status_code, tuple(drift), None, allow_new_fields)
        )
        return raw

    def get_task(token: str, type_: str) -> Any:
        return client.task(token, type_).with_raw_response.get()

    check("getVersion", client.with_raw_response.version)
    check("getStatus", client.with_raw_response.status)
    check("getServices", client.with_raw_response.services)
    if task is not None:
        recorder.secret(task[0])
        check("getTask", lambda: get_task(*task))
    if with_task or with_upload:
        raw = check(
            "startTask", lambda: client.with_raw_response.start_task(pipelines.simple_parser())
        )
        started = _started(raw)
        if started is not None:
            token, type_ = started

            def delete() -> None:
                check("deleteTask", client.task(token, type_).with_raw_response.delete)

            try:
                check("getTask", lambda: get_task(token, type_))
                if with_upload and _ready(lambda: get_task(token, type_), ready_timeout):
                    send = client.task(token, type_).with_raw_response.send_to_webhook
                    check("sendToWebhook", lambda: send(text="aparavi-dtc verify\n"))
            finally:
                uninterrupted(delete)
    return VerifyReport(client.base_url, tuple(reports))


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return reason if isinstance(reason, str) and reason else type(exc).__name__


def _started(raw: Any) -> tuple[str, str] | None:
    """The token and type a start answered, read from the JSON however it drifted."""
    if raw is None:
        return None
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        data = json.loads(raw.content).get("data") or {}
        token, type_ = data.get("token"), data.get("type")
        if isinstance(token, str) and token and isinstance(type_, str) and type_:
            return token, type_
    return None


def _ready(read: Callable[[], Any], timeout: float) -> bool:
    """Whether the task takes uploads (Running, or ``serviceUp``) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            data = json.loads(read().content).get("data") or {}
            if data.get("status") == "Running" or data.get("serviceUp"):
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


def recordings(folder: str | os.PathLike[str]) -> Iterator[tuple[str, int, Any]]:
    """The answers :func:`verify` recorded in ``folder``: ``(operationId, status, body)``,
    the body JSON (or text), in the order they were seen."""
    for path in sorted(Path(folder).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        body = record["json"] if "json" in record else record.get("text", "")
        yield str(record["operation"]), int(record["status_code"]), body
