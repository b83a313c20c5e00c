"""tools/methods.py writes each method the registry gives a docstring: its arguments from
the generated endpoint, a task's token and type from the handle or the current task, its
answer the registry's model; and a raw view for every method. Entries it cannot write are
refused with the reason, and ``--check`` finds a stale file."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import methods
import pytest

from aparavi_dtc import _operations as ops
from aparavi_dtc._types import Operation
from aparavi_dtc_api import models


def registry(*entries: tuple[str, Operation[Any]]) -> types.ModuleType:
    module = types.ModuleType("registry")
    for name, operation in entries:
        setattr(module, name, operation)
    module.REGISTRY = tuple(operation for _, operation in entries)  # type: ignore[attr-defined]
    return module


def written(*entries: tuple[str, Operation[Any]]) -> tuple[str, str]:
    text = methods.generate(methods.CLIENT.read_text(encoding="utf-8"), registry(*entries))
    return text[methods.METHODS], text[methods.CLIENT]


def test_an_optional_query_string_takes_none_and_is_checked_before_sending() -> None:
    services = ops.GET_SERVICES._replace(offered={"AparaviDTC.catalog": "The catalog."})
    mixins, _ = written(("GET_SERVICES", services))
    assert "    async def catalog(\n        self,\n        service: str | None = None,\n" in mixins
    assert 'if service is not None:\n            check_token(service, "service")' in mixins
    assert "service=UNSET if service is None else service" in mixins
    assert "-> ServicesResponse:" in mixins
    assert "self._call(ops.GET_SERVICES, kwargs, timeout, max_retries)" in mixins


def test_a_task_operation_uses_the_current_task_or_the_handles() -> None:
    get = ops.GET_TASK._replace(offered={"AparaviDTC.poll": "Poll.", "Task.poll": "Poll it."})
    mixins, client = written(("GET_TASK", get))
    assert "token, type_ = self._active_task()" in mixins
    assert "_get_kwargs(token=token, type_=type_)" in mixins
    assert "_get_kwargs(token=self.token, type_=self.type)" in mixins
    assert "ops.GET_TASK, kwargs, timeout, max_retries, self.token)" in mixins
    # both are raw views of their owners, and nothing else is
    assert '__slots__ = ("poll",)' in client
    assert "self.poll = async_raw_view(client.poll)" in client
    assert "self.poll = async_raw_view(task.poll)" in client


def test_a_method_written_by_hand_gets_only_its_raw_view() -> None:
    mixins, client = written(("START_TASK", ops.START_TASK))
    assert "start_task" not in mixins
    assert "self.start_task = async_raw_view(client.start_task)" in client
    assert methods.CLIENT.read_text(encoding="utf-8").split(methods.RAW_VIEWS)[0] in client


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        (ops.START_TASK._replace(offered={"AparaviDTC.start": "Start."}), "body"),
        (ops.DELETE_PIPE._replace(offered={"AparaviDTC.drop": "Drop."}), "offered by Pipe only"),
        (ops.GET_STATUS._replace(offered={"Client.status": "Status."}), "no such method"),
        (ops.GET_STATUS._replace(operation_id="getNothing"), "0 generated endpoint modules"),
    ],
)
def test_what_it_cannot_write_is_refused_with_the_reason(operation: Any, reason: str) -> None:
    with pytest.raises(methods.GenerateError, match=reason):
        written(("OPERATION", operation))


def test_a_client_without_the_raw_views_line_is_refused() -> None:
    source = methods.CLIENT.read_text(encoding="utf-8").replace(methods.RAW_VIEWS, "")
    with pytest.raises(methods.GenerateError, match="raw views"):
        methods.generate(source)


def test_check_fails_on_a_stale_file_and_writing_mends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "_async_methods.py"
    stale.write_text(methods.METHODS.read_text(encoding="utf-8") + "\n# edited by hand\n")
    client = tmp_path / "_async_client.py"
    client.write_text(methods.CLIENT.read_text(encoding="utf-8"))
    monkeypatch.setattr(methods, "METHODS", stale)
    monkeypatch.setattr(methods, "CLIENT", client)
    assert methods.main(["--check"]) == 1
    assert methods.main([]) == 0
    assert methods.main(["--check"]) == 0
    assert "edited by hand" not in stale.read_text(encoding="utf-8")


def test_a_model_the_spec_answers_only_for_errors_is_caught() -> None:
    from . import test_registry

    wrong = ops.GET_VERSION._replace(answer=lambda: models.ErrorResponse)
    with pytest.raises(AssertionError, match="answers errors with"):
        test_registry.test_each_operations_model_is_an_answer_the_spec_names(wrong)
    envelope = ops.GET_VERSION._replace(answer=lambda: models.ErrorEnvelope)
    with pytest.raises(AssertionError, match="answers errors with"):
        test_registry.test_each_operations_model_is_an_answer_the_spec_names(envelope)


def test_a_method_name_two_entries_offer_is_refused() -> None:
    version = ops.GET_VERSION._replace(offered={"AparaviDTC.status": "Version."})
    with pytest.raises(methods.GenerateError, match=r"AparaviDTC\.status is offered by getStatus"):
        written(("GET_STATUS", ops.GET_STATUS), ("GET_VERSION", version))


@pytest.mark.parametrize("name", ["on_task", "_active_task", "_call", "timeout"])
def test_a_method_name_that_hides_a_member_of_the_client_is_refused(name: str) -> None:
    hiding = ops.GET_STATUS._replace(offered={f"AparaviDTC.{name}": "Status."})
    with pytest.raises(methods.GenerateError, match=f"hide the client's own {name}"):
        written(("GET_STATUS", hiding))


@pytest.mark.parametrize(
    ("operation", "path", "reason"),
    [
        (ops.GET_TASK, "Pipe.status", "a task's operation is offered by AparaviDTC or Task"),
        (ops.GET_STATUS, "Task.status", "an operation of the service is offered by AparaviDTC"),
    ],
)
def test_an_operation_offered_by_a_handle_it_does_not_concern_is_refused(
    operation: Any, path: str, reason: str
) -> None:
    with pytest.raises(methods.GenerateError, match=reason):
        written(("OPERATION", operation._replace(offered={path: "Status."})))


@pytest.mark.parametrize("name", ["class", "async", "None"])
def test_a_keyword_as_a_method_name_is_refused_with_the_reason(name: str) -> None:
    keyword: Any = ops.GET_STATUS._replace(offered={f"AparaviDTC.{name}": "Status."})
    with pytest.raises(methods.GenerateError, match=f"getStatus: no such method.*{name}"):
        written(("GET_STATUS", keyword))


@pytest.mark.parametrize(
    "doc", ['Say """hi""".', "Ends in a backslash \\", r"A pattern: \d+, a line: \n."]
)
def test_a_docstring_python_would_not_read_as_written_is_refused_naming_the_entry(
    doc: str,
) -> None:
    status = ops.GET_STATUS._replace(offered={"AparaviDTC.status": doc})
    with pytest.raises(methods.GenerateError, match="getStatus: the docstring of AparaviDTC"):
        written(("GET_STATUS", status))
