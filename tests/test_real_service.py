"""Both clients against a loopback server that behaves as the deployed service does.

A webhook task stays Running forever and answers its results to the upload; pipes,
services and page URLs; status payloads with odd fields in the middle of a wait. Every
test has a time bound: a ``run()`` of a webhook pipeline ends in seconds.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from aparavi_dtc import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    Progress,
    TaskNotFoundError,
    pipelines,
)
from aparavi_dtc.testing import FakeAparavi
from aparavi_dtc_api.types import UNSET

from .conftest import API_KEY, MakeClient

BOUND = 5.0  # seconds: generous; each of these runs takes a fraction of a second


@pytest.fixture
def fake() -> FakeAparavi:
    return FakeAparavi(api_key=API_KEY)


@pytest.fixture
def url(fake: FakeAparavi) -> Iterator[str]:
    with fake.serve() as base_url:
        yield base_url


@pytest.fixture
def client(make_client: MakeClient, url: str) -> Any:
    return make_client(base_url=url)


def operations(fake: FakeAparavi) -> list[str]:
    return [r.operation for r in fake.requests]


def test_run_of_a_webhook_pipeline_returns_the_uploads_results_and_deletes_the_task(
    client: Any, fake: FakeAparavi
) -> None:
    began = time.monotonic()
    result = client.run(
        pipelines.simple_parser(),
        [("notes.txt", b"first line\nsecond"), ("scan.pdf", b"%PDF-1.7 binary")],
        poll_interval=0.01,
        timeout=60,
    )
    assert time.monotonic() - began < BOUND
    assert result.texts == {
        "notes.txt": "first line\nsecond",
        "scan.pdf": "[binary content of scan.pdf: 15 bytes]",
    }
    assert result.results is not None
    assert result.results.objects_requested == 2
    assert result.status.status == "Running"  # the service stays Running; nobody waits on
    assert operations(fake) == [
        "validatePipeline",
        "startTask",
        "getTask",
        "sendToWebhook",
        "deleteTask",
    ]
    assert fake.tasks == {}
    assert client.token is None


def test_run_of_text_through_every_predefined_pipeline(client: Any, fake: FakeAparavi) -> None:
    for name in pipelines.names():
        result = client.run(pipelines.get(name), text=f"hello {name}", poll_interval=0.01)
        assert result.texts == {"text": f"hello {name}"}
    assert fake.tasks == {}


def test_run_of_a_batch_pipeline_waits_until_it_completes(client: Any, fake: FakeAparavi) -> None:
    seen: list[str] = []
    pipeline = {"components": [{"id": "files", "provider": "filesystem", "config": {}}]}
    result = client.run(pipeline, poll_interval=0.01, on_progress=lambda p: seen.append(p.status))
    assert result.status.status == "Completed"
    assert result.results is None
    assert seen == ["Created", "Running", "Completed"]
    assert fake.tasks == {}


def test_a_wait_survives_odd_fields_in_the_middle(client: Any, fake: FakeAparavi) -> None:
    task = client.start_task({"components": [{"provider": "filesystem"}]})
    fake.script_status(
        task.token,
        [
            {"status": "Running", "totalCount": 4, "completedCount": 1},
            {"status": "Running", "totalCount": None, "completedCount": "two", "serviceUp": []},
            {"status": "Running", "totalCount": 4, "completedCount": 3, "brandNew": {"x": 1}},
            {"status": "Completed", "completed": 1, "totalCount": 4, "completedCount": 4},
        ],
    )
    seen: list[Progress] = []
    began = time.monotonic()
    final = task.wait(poll_interval=0.01, timeout=30, on_progress=seen.append)
    assert time.monotonic() - began < BOUND
    assert final.status == "Completed"
    assert [p.percent for p in seen] == [25.0, None, 75.0, 100.0]
    odd = seen[1].task_status
    assert odd.total_count is UNSET
    assert odd["totalCount"] is None
    assert odd["completedCount"] == "two"
    assert seen[2].task_status["brandNew"] == {"x": 1}


def test_strict_mode_refuses_what_lenient_mode_reads(
    make_client: MakeClient, url: str, fake: FakeAparavi
) -> None:
    lenient, strict = make_client(base_url=url), make_client(base_url=url, strict=True)
    task = lenient.start_task({"components": [{"provider": "filesystem"}]})
    fake.script_status(task.token, [{"status": "Running", "totalCount": None}])
    assert lenient.get_task().data["totalCount"] is None
    with pytest.raises(APIResponseValidationError, match=r"data\.totalCount: expected a number"):
        strict.task(task.token, task.type).get()


def test_pipe_processes_many_uploads_and_is_deleted_on_exit(
    client: Any, fake: FakeAparavi
) -> None:
    pipe = client.create_pipe(pipelines.simple_parser(), name="inbox")
    assert fake.pipes == [pipe.token]
    assert pipe.token[-4:] in repr(pipe)
    assert pipe.token not in repr(pipe)
    with pipe:
        first = pipe.process(("a.txt", b"alpha"))
        second = pipe.process([("b.txt", b"beta"), ("c.csv", b"x,y")])
    assert [o.text for o in first.objects.values()] == [["alpha"]]
    assert sorted(o.name for o in second.objects.values()) == [
        "b.txt",
        "c.csv",
    ]
    assert fake.pipes == []
    assert fake.requests[0].query == {"name": "inbox"}


def test_pipe_is_deleted_when_the_block_raises_and_the_error_is_kept(
    client: Any, fake: FakeAparavi
) -> None:
    pipe = client.create_pipe(pipelines.simple_parser())
    with pytest.raises(ZeroDivisionError), pipe:
        1 / 0  # noqa: B018
    assert fake.pipes == []


def test_a_pipe_by_token_and_a_gone_pipe(client: Any, fake: FakeAparavi) -> None:
    token = client.create_pipe(pipelines.simple_parser()).token
    again = client.pipe(token)
    assert again.process(("a.txt", b"alpha")).objects_completed == 1
    again.delete()
    with pytest.raises(
        APIStatusError, match="Error processing files through pipe: Pipe not found"
    ):
        again.process(("a.txt", b"alpha"))
    with pytest.raises(ValueError, match="pipe token must not be empty"):
        client.pipe(" ")


def test_services_catalog_and_one_service(client: Any) -> None:
    catalog = client.services().data
    assert {"webhook", "parse", "ocr"} <= set(catalog)
    assert set(client.services("ocr").data) == {"ocr"}
    with pytest.raises(APIStatusError, match="Error getting services: Service 'nope' not found"):
        client.services("nope")


def test_version_is_typed(client: Any) -> None:
    version = client.version().data
    assert (version.version, version.hash_) == ("3.0.0.9999", "fake000")


def test_page_urls_send_nothing_and_open_the_page(client: Any, fake: FakeAparavi) -> None:
    task = client.start_task(pipelines.simple_parser())
    before = len(fake.requests)
    chat, dropper = task.chat_url(), task.dropper_url()
    assert len(fake.requests) == before  # building a URL sends nothing
    assert chat.startswith(f"{client.base_url}/chat?type=cpu&token={task.token}&apikey=")
    assert dropper.startswith(f"{client.base_url}/dropper?")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for page_url, page in ((chat, "chat"), (dropper, "dropper")):
        with pytest.raises(urllib.error.HTTPError) as info:  # the 302, not followed
            opener.open(page_url, timeout=5)
        assert info.value.code == 302
        assert info.value.headers["Location"] == f"/{page}/pages/index.html"
    assert fake.requests[-1].query["apikey"] == "***"  # the key was in the URL


def test_a_deleted_task_is_not_found_and_a_wrong_key_is_refused(
    make_client: MakeClient, url: str
) -> None:
    client = make_client(base_url=url)
    task = client.start_task(pipelines.simple_parser())
    task.delete()
    with pytest.raises(TaskNotFoundError, match="Error getting task status: Task not found"):
        task.get()
    stranger = make_client("another-key-0000000000", base_url=url)
    with pytest.raises(AuthenticationError):
        stranger.start_task(pipelines.simple_parser())
    assert stranger.version().data.version  # /version needs no key
