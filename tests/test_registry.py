"""One declaration per operation: the spec's operationIds, the registry
(``_operations.REGISTRY``), both clients and their handles, every raw view and the fake
all name the same operations; a raw view's ``parse()`` is what the plain method returns."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import methods
import pytest
import yaml

import aparavi_dtc._async_client as async_client
import aparavi_dtc._client as sync_client
from aparavi_dtc import AparaviDTC, AsyncAparaviDTC, Pipe, Task, pipelines
from aparavi_dtc._operations import PAGES, REGISTRY
from aparavi_dtc.testing import FakeAparavi, spec_path
from aparavi_dtc.testing._fake import OPERATIONS
from aparavi_dtc_api import models

KEY = "registry-key-0123456789"
SPEC_IDS = {
    operation["operationId"]
    for item in yaml.safe_load(spec_path().read_text(encoding="utf-8"))["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "operationId" in operation
}
#: Where each kind of method lives, sync and async, and its raw views.
OWNERS = {
    "AparaviDTC": (sync_client.AparaviDTC, async_client.AsyncAparaviDTC),
    "Task": (sync_client.Task, async_client.AsyncTask),
    "Pipe": (sync_client.Pipe, async_client.AsyncPipe),
}
MODELS = {name: getattr(models, name) for name in models.__all__}
RAW_VIEWS = {
    "AparaviDTC": (sync_client.RawResponses, async_client.AsyncRawResponses),
    "Task": (sync_client.TaskRawResponses, async_client.AsyncTaskRawResponses),
    "Pipe": (sync_client.PipeRawResponses, async_client.AsyncPipeRawResponses),
}


def test_the_registry_holds_every_operation_of_the_spec_once() -> None:
    ids = [operation.operation_id for operation in REGISTRY]
    assert len(ids) == len(set(ids))
    assert set(ids) | set(PAGES) == SPEC_IDS
    assert not set(ids) & set(PAGES)


@pytest.mark.parametrize("operation", REGISTRY, ids=lambda op: op.operation_id)
def test_each_operation_is_a_method_of_both_clients_with_a_raw_view(operation: Any) -> None:
    assert operation.offered, f"{operation.operation_id} is offered by no method"
    for path in operation.offered:
        owner, name = path.split(".")
        for cls in OWNERS[owner]:
            assert callable(getattr(cls, name, None)), f"{cls.__name__}.{name} is missing"
        for views in RAW_VIEWS[owner]:
            assert name in views.__slots__, f"{views.__name__} has no {name}"


def test_every_raw_view_is_a_method_that_sends_an_operation() -> None:
    offered = {path for operation in REGISTRY for path in operation.offered}
    for owner, pair in RAW_VIEWS.items():
        for views in pair:
            assert {f"{owner}.{name}" for name in views.__slots__} <= offered, views.__name__


def test_the_fake_answers_every_operation_of_the_spec() -> None:
    assert set(OPERATIONS.values()) == SPEC_IDS
    for operation_id in SPEC_IDS:
        assert callable(getattr(FakeAparavi, f"_{operation_id}", None)), operation_id


def test_raw_views_parse_to_what_the_plain_methods_return() -> None:
    fake = FakeAparavi(api_key=KEY)
    with AparaviDTC(KEY, transport=fake.transport()) as client:
        raw = client.with_raw_response.start_task(pipelines.simple_parser())
        task = raw.parse()
        assert isinstance(task, Task)
        assert client.token == task.token  # as start_task() makes it current
        assert raw.status_code == 200
        got = task.with_raw_response.get()
        assert got.parse().data.status in ("Created", "Running")
        sent = task.with_raw_response.send_to_webhook(text="hello")
        assert sent.parse().data.objects_completed == 1
        assert task.with_raw_response.delete().status_code == 200
        assert fake.tasks == {}

        pipe = client.with_raw_response.create_pipe(pipelines.simple_parser()).parse()
        assert isinstance(pipe, Pipe)
        processed = pipe.with_raw_response.process([("a.txt", b"alpha")])
        assert processed.status_code == 200
        assert processed.parse().objects_completed == 1
        assert pipe.with_raw_response.delete().status_code == 200
        assert fake.pipes == []


async def test_async_raw_views_of_the_handles() -> None:
    fake = FakeAparavi(api_key=KEY)
    async with AsyncAparaviDTC(KEY, transport=fake.transport()) as client:
        task = (await client.with_raw_response.start_task(pipelines.simple_parser())).parse()
        assert (await task.with_raw_response.get()).status_code == 200
        await task.with_raw_response.delete()
        pipe = (await client.with_raw_response.create_pipe(pipelines.simple_parser())).parse()
        processed = await pipe.with_raw_response.process([("a.txt", b"alpha")])
        assert processed.parse().objects_completed == 1
        await pipe.with_raw_response.delete()
    assert fake.tasks == {}
    assert fake.pipes == []


def test_a_raw_view_that_sends_nothing_raises_as_the_method_does() -> None:
    fake = FakeAparavi(api_key=KEY)
    with (
        AparaviDTC(KEY, transport=fake.transport()) as client,
        pytest.raises(ValueError, match="pipeline"),
    ):
        client.with_raw_response.start_task({"not": "a pipeline"})
    assert fake.requests == []


def _error_models() -> set[str]:
    """The schemas of the spec's error answers: those of its 4xx and 5xx responses, and
    the envelope the service sends errors in under 200 (``status: "Error"``)."""
    spec = yaml.safe_load(spec_path().read_text(encoding="utf-8"))
    found = {"ErrorEnvelope"}

    def refs(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[1])
            for value in node.values():
                refs(value)
        elif isinstance(node, list):
            for value in node:
                refs(value)

    refs(spec["components"]["responses"])
    return found


ERROR_MODELS = _error_models()


@pytest.mark.parametrize("operation", REGISTRY, ids=lambda op: op.operation_id)
def test_each_operations_model_is_an_answer_the_spec_names(operation: Any) -> None:
    endpoint = methods.endpoint_of(operation.operation_id)
    answers = typing.get_type_hints(endpoint, localns=MODELS)["ANSWER"]
    name = operation.model.__name__
    assert operation.model in typing.get_args(answers), (
        f"{operation.operation_id} parses into {name}, which the spec does not answer ({answers})"
    )
    assert name not in ERROR_MODELS, (
        f"{operation.operation_id} parses into {name}, which the spec answers errors with"
    )


@pytest.mark.parametrize("operation", REGISTRY, ids=lambda op: op.operation_id)
def test_a_method_is_written_by_the_tool_or_by_hand_never_both(operation: Any) -> None:
    for path, doc in operation.offered.items():
        owner, name = path.split(".")
        for cls in OWNERS[owner]:
            written = next(c for c in cls.__mro__ if name in vars(c))
            if doc is None:
                assert written is cls, f"{cls.__name__}.{name} is declared by hand but missing"
            else:
                assert written.__name__.endswith("Methods"), (
                    f"{cls.__name__}.{name} is generated from the registry, but {cls.__name__} "
                    "defines it again by hand"
                )
                if cls.__name__.startswith("Async"):  # the sync docstring says AparaviDTC
                    assert inspect.getdoc(written.__dict__[name]) == doc


def test_the_registrys_methods_are_what_the_tool_writes_now() -> None:
    wanted = methods.generate(methods.CLIENT.read_text(encoding="utf-8"))
    for path, text in wanted.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: make generate"
