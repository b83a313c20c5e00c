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
        (ops.DELETE_PIPE._replace(offered={"AparaviDTC.drop": "Drop."}), "the Pipe's"),
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
