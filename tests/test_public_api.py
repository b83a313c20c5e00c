"""The public surface: names, hierarchy, docstrings."""

from __future__ import annotations

import inspect
import re

import pytest

import aparavi_dtc
from aparavi_dtc import _exceptions

from .conftest import fresh_process_loads

PUBLIC = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AparaviDTC",
    "AparaviError",
    "AsyncAparaviDTC",
    "AsyncBatch",
    "AsyncPipe",
    "AsyncTask",
    "AuthenticationError",
    "Batch",
    "BatchProgress",
    "Envelope",
    "FileChangedError",
    "FileInput",
    "FileResult",
    "NoActiveTaskError",
    "NoTLSError",
    "NotAResultsFileError",
    "NotGiven",
    "Pipe",
    "PipelineInput",
    "PipelineValidationError",
    "ProcessInput",
    "ProcessedObject",
    "Progress",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResultsFileInUseError",
    "RunResult",
    "ServerError",
    "ServicesResponse",
    "StartTaskResponse",
    "Task",
    "TaskEvent",
    "TaskFailedError",
    "TaskNotFoundError",
    "TaskStatus",
    "TaskStatusResponse",
    "TaskTimeoutError",
    "TimeoutTypes",
    "VersionResponse",
    "WebhookResponse",
    "WebhookResult",
    "__version__",
    "pipelines",
]


def test_public_names_are_pinned() -> None:
    assert aparavi_dtc.__all__ == PUBLIC
    for name in PUBLIC:
        assert hasattr(aparavi_dtc, name), name


def test_every_exception_is_an_aparavi_error() -> None:
    for name in _exceptions.__all__:
        cls = getattr(aparavi_dtc, name)
        assert issubclass(cls, aparavi_dtc.AparaviError), name
        assert cls.__doc__, name


def test_a_file_that_changed_is_an_sdk_error_and_an_os_error() -> None:
    assert issubclass(aparavi_dtc.FileChangedError, aparavi_dtc.AparaviError)
    assert issubclass(aparavi_dtc.FileChangedError, OSError)  # as every unreadable file


def test_uploads_and_process_take_one_input_type() -> None:
    assert aparavi_dtc.ProcessInput is aparavi_dtc.FileInput


def test_status_errors_share_a_base() -> None:
    for cls in (
        aparavi_dtc.AuthenticationError,
        aparavi_dtc.TaskNotFoundError,
        aparavi_dtc.RateLimitError,
        aparavi_dtc.ServerError,
    ):
        assert issubclass(cls, aparavi_dtc.APIStatusError)
    assert issubclass(aparavi_dtc.APITimeoutError, aparavi_dtc.APIConnectionError)
    assert not issubclass(aparavi_dtc.APIConnectionError, aparavi_dtc.APIStatusError)


def test_status_error_context_is_keyword_only() -> None:
    params = inspect.signature(aparavi_dtc.APIStatusError).parameters
    for name in ("status_code", "body", "request_id"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_public_methods_have_docstrings() -> None:
    for cls in (aparavi_dtc.AparaviDTC, aparavi_dtc.AsyncAparaviDTC):
        assert cls.__doc__
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{name}"
    for cls in (aparavi_dtc.Task, aparavi_dtc.AsyncTask, aparavi_dtc.Pipe, aparavi_dtc.AsyncPipe):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{name}"


SYNC_AND_ASYNC = [
    (aparavi_dtc.AparaviDTC, aparavi_dtc.AsyncAparaviDTC),
    (aparavi_dtc.Task, aparavi_dtc.AsyncTask),
    (aparavi_dtc.Pipe, aparavi_dtc.AsyncPipe),
]


def test_sync_and_async_clients_have_the_same_surface() -> None:
    def surface(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")} - {"close", "aclose"}

    for sync, async_ in SYNC_AND_ASYNC:
        assert surface(sync) == surface(async_)


def _sync(annotation: object) -> object:
    """An async annotation (a string, the package's annotations being postponed) as the
    sync client spells it: ``AsyncTask`` is ``Task``."""
    return annotation.replace("Async", "") if isinstance(annotation, str) else annotation


def _documented(doc: str | None) -> tuple[list[str], list[str]]:
    """A docstring's sections (``Args:``, ``Raises:``...) and the names they document."""
    lines = inspect.cleandoc(doc or "").splitlines()
    sections = [line for line in lines if re.fullmatch(r"[A-Z]\w+:", line)]
    names = [m[1] for line in lines if (m := re.match(r" {4}(\w+):", line))]
    return sections, names


@pytest.mark.parametrize(("sync", "async_"), SYNC_AND_ASYNC, ids=lambda c: c.__name__)
def test_sync_and_async_methods_take_the_same_arguments_and_say_as_much(
    sync: type, async_: type
) -> None:
    # Each flavour's docstrings are whole: none sends the reader to the other flavour's.
    for name in sorted(n for n in dir(sync) if not n.startswith("_") and n != "close"):
        one, other = getattr(sync, name), getattr(async_, name)
        if callable(one):
            assert inspect.signature(one).parameters.keys() == (
                inspect.signature(other).parameters.keys()
            ), name
            for a, b in zip(
                inspect.signature(one).parameters.values(),
                inspect.signature(other).parameters.values(),
                strict=True,
            ):
                assert (a.kind, a.default) == (b.kind, b.default), f"{name}({a.name})"
                assert a.annotation == _sync(b.annotation), f"{name}({a.name})"
            assert inspect.signature(one).return_annotation == _sync(
                inspect.signature(other).return_annotation
            ), name
        assert _documented(one.__doc__) == _documented(other.__doc__), name
        assert not re.search(r"\basync\b|\bAsync|\bawait\b|coroutine", one.__doc__ or ""), name
        assert not re.search(r"(?<!\w)(AparaviDTC|Task|Pipe)\b", other.__doc__ or ""), name
    assert _documented(sync.__doc__) == _documented(async_.__doc__)
    assert not re.search(r"(?<!\w)(AparaviDTC|Task|Pipe)\b", async_.__doc__ or "")


def test_every_predefined_pipeline_is_named_summarised_and_fresh() -> None:
    from aparavi_dtc import pipelines

    assert pipelines.names() == [
        "simple-parser",
        "advanced-parser",
        "simple-ocr",
        "audio-transcription",
        "audio-summary",
    ]
    for name in pipelines.names():
        first, second = pipelines.get(name), pipelines.get(name)
        assert first == second
        assert first is not second
        first["components"].append({"provider": "x"})
        assert pipelines.get(name) == second  # a change to one copy never reaches the next
        assert second["project_id"] == "default"
        assert second["source"] == "webhook_1"
        assert second["components"][0]["provider"] == "webhook"
        assert pipelines.summary(name)
        assert "\n" not in pipelines.summary(name)
    with pytest.raises(ValueError, match="choose one of: simple-parser, advanced-parser"):
        pipelines.get("simple parser")
    with pytest.raises(ValueError, match="project_id"):
        pipelines.simple_parser(project_id="")


def test_every_public_name_has_a_docstring() -> None:
    aliases = {"FileInput", "PipelineInput", "TimeoutTypes", "NOT_GIVEN", "__version__"}
    for name in set(PUBLIC) - aliases:
        assert getattr(aparavi_dtc, name).__doc__, name
    assert aparavi_dtc.__doc__


def test_importing_the_package_stays_light() -> None:
    done = fresh_process_loads(
        "import aparavi_dtc", "rich", "aparavi_dtc._cli", "aparavi_dtc.testing"
    )
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""


def test_a_sync_call_loads_neither_threads_nor_an_event_loop() -> None:
    done = fresh_process_loads(
        "import aparavi_dtc; aparavi_dtc.AparaviDTC('k' * 32, base_url='http://127.0.0.1:9')"
        ".task('tok-0123456789abcdef', 'cpu')",
        "asyncio",
        "concurrent.futures",
    )
    assert done.stdout.strip() == "[]"


def test_a_first_answer_loads_only_the_models_and_endpoints_it_reaches() -> None:
    # A first get_task(): the task status models and the one endpoint,
    # not the other endpoints nor the models of uploads, pipes and pipelines.
    setup = (
        "import httpx; from aparavi_dtc import AparaviDTC; "
        "body = {'status': 'OK', 'data': {'status': 'Running', 'metrics': {'cpu': 1}}}; "
        "answer = httpx.MockTransport(lambda request: httpx.Response(200, json=body)); "
        "client = AparaviDTC('k' * 32, transport=answer); "
        "assert client.task('tok-0123456789abcdef', 'cpu').get().data.status == 'Running'"
    )
    reached = "aparavi_dtc_api.models.task_status_response", "aparavi_dtc_api.api.tasks.get_task"
    unreached = (
        "aparavi_dtc_api.models.webhook_result",
        "aparavi_dtc_api.models.processed_object",
        "aparavi_dtc_api.models.pipe_created_response",
        "aparavi_dtc_api.models.component",
        "aparavi_dtc_api.models.pipeline_request",
        "aparavi_dtc_api.api.pipes.create_pipe",
        "aparavi_dtc_api.api.webhook.send_to_webhook",
        "aparavi_dtc_api.api.tasks.start_task",
    )
    done = fresh_process_loads(setup, *reached, *unreached)
    assert done.stdout.strip() == repr(sorted(reached))


def test_every_model_gets_the_short_masked_repr_however_it_is_reached() -> None:
    # Before the SDK loads, after it, and for models nested in one built by from_dict.
    import subprocess
    import sys

    code = (
        "import aparavi_dtc_api.models as m\n"
        "early = m.TaskHandle(token='tok-0123456789abcdef01', type_='cpu')\n"
        "import aparavi_dtc\n"
        "aparavi_dtc.AparaviDTC('k' * 32)\n"
        "late = m.PipeHandle(token='pipe-0123456789abcdef02')\n"
        "nested = m.TaskStatusResponse.from_dict({'data': {'status': 'Running', "
        "'metadata': {'token': 'tok-0123456789abcdef03'}}})\n"
        "print(repr(early)); print(repr(late)); print(repr(nested.data.metadata))\n"
        "import inspect\n"  # each model's repr is the template's, none attrs' generated one
        "print(all(inspect.getfile(getattr(m, n).__repr__).endswith('types.py')"
        " for n in m.__all__))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "TaskHandle(token='***ef01', type_='cpu')",
        "PipeHandle(token='***ef02')",
        "TaskStatusMetadata({'token': '***ef03'})",
        "True",
    ]
