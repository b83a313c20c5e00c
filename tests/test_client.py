"""Unit tests of both clients against respx: every behaviour of the public methods."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

import aparavi_dtc
from aparavi_dtc import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NoActiveTaskError,
    ServerError,
    TaskNotFoundError,
)
from aparavi_dtc._operations import GET_STATUS
from aparavi_dtc._sentinel import NOT_GIVEN
from aparavi_dtc_api.types import UNSET

from .conftest import API_KEY, BASE_URL, PIPELINE, TOKEN, MakeClient, started, status_body

SEED_STATUS = {
    "data": {
        "id": "task_1234567890abcdef",
        "status": "Running",
        "created_at": "2024-01-15T10:30:00Z",
        "updated_at": "2024-01-15T10:35:00Z",
        "progress": 45,
        "files_processed": 150,
        "total_files": 300,
        "error": None,
        "metadata": {
            "source_path": "/data/source",
            "destination_url": "https://webhook.com/upload",
        },
    },
    "message": "Task status retrieved successfully",
}


def start(client: Any, router: Any, token: str = TOKEN, type_: str = "cpu") -> Any:
    router.put("/task").respond(200, json=started(token, type_))
    return client.start_task(PIPELINE)


# -- construction ---------------------------------------------------------------------


def test_key_falls_back_to_environment(
    make_client: MakeClient, router: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APARAVI_API_KEY", "env-key-0123456789abcdef")
    route = router.get("/version").respond(200, json={"status": "OK", "data": {"version": "1"}})
    make_client(None).version()
    assert route.calls.last.request.headers["Authorization"] == "env-key-0123456789abcdef"


def test_key_whitespace_is_stripped(make_client: MakeClient, router: Any) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    make_client(f"  {API_KEY}\n").status()
    assert route.calls.last.request.headers["Authorization"] == API_KEY


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_or_empty_key_is_an_error_at_construction(
    make_client: MakeClient, key: str | None
) -> None:
    with pytest.raises(ValueError, match="APARAVI_API_KEY"):
        make_client(key)


def test_base_url_falls_back_to_environment_then_production(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert make_client(base_url=None).base_url == "https://eaas.aparavi.com"
    monkeypatch.setenv("APARAVI_BASE_URL", "https://eaas-dev.aparavi.com/")
    assert make_client(base_url=None).base_url == "https://eaas-dev.aparavi.com"


@pytest.mark.parametrize(
    "url", ["http://eaas.aparavi.com", "http://10.0.0.5:8080", "ftp://x", "eaas.aparavi.com"]
)
def test_plain_http_is_refused_except_for_loopback(make_client: MakeClient, url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        make_client(base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:4010", "http://localhost:1", "http://[::1]:2"])
def test_plain_http_to_loopback_is_allowed(make_client: MakeClient, url: str) -> None:
    assert make_client(base_url=url).base_url == url


def test_key_is_sent_raw_by_default_and_bearer_on_request(
    make_client: MakeClient, router: Any
) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    make_client().status()
    assert route.calls.last.request.headers["Authorization"] == API_KEY
    make_client(auth_scheme="bearer").status()
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {API_KEY}"


def test_user_agent_names_sdk_and_python(client: Any, router: Any) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    client.status()
    agent = route.calls.last.request.headers["User-Agent"]
    assert agent.startswith(f"aparavi-dtc/{aparavi_dtc.__version__} python/3.")


def test_extra_headers_are_sent_once_each_whatever_their_case(
    make_client: MakeClient, router: Any
) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    make_client(headers={"accept": "application/vnd.test+json", "X-Trace": "t-1"}).status()
    sent = route.calls.last.request.headers
    assert sent.get_list("Accept") == ["application/vnd.test+json"]
    assert sent["X-Trace"] == "t-1"
    assert sent["Authorization"] == API_KEY


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({"X-Trace": "a\r\nX-Evil: 1"}, ValueError),
        ({"X-Bad\n": "1"}, ValueError),
        ({"": "1"}, ValueError),
        ({"X-Count": 1}, TypeError),
        ([("X-Trace", "t")], TypeError),
    ],
)
def test_bad_extra_headers_are_refused_before_anything_is_sent(
    make_client: MakeClient, router: Any, headers: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="header"):
        make_client(headers=headers)
    assert not router.calls


@pytest.mark.parametrize(
    "timeout", ["30", -1, 0, True, float("nan"), float("inf"), httpx.Timeout(5.0, read=0)]
)
def test_bad_timeouts_are_refused_before_anything_is_sent(
    make_client: MakeClient, router: Any, timeout: Any
) -> None:
    with pytest.raises(ValueError, match="timeout must be seconds above 0"):
        make_client(timeout=timeout)
    client = make_client()
    with pytest.raises(ValueError, match="timeout must be seconds above 0"):
        client.status(timeout=timeout)
    assert not router.calls


@pytest.mark.parametrize("retries", [-1, 11, 1.0, True, "2"])
def test_bad_retry_counts_are_refused_with_the_range(
    make_client: MakeClient, router: Any, retries: Any
) -> None:
    with pytest.raises(ValueError, match="max_retries must be a whole number from 0 to 10"):
        make_client(max_retries=retries)
    with pytest.raises(ValueError, match="max_retries must be a whole number from 0 to 10"):
        make_client().status(max_retries=retries)
    assert not router.calls


def test_timeout_and_retries_come_from_the_environment_unless_given(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = make_client()
    assert (default.timeout, default.max_retries) == (httpx.Timeout(30.0, connect=5.0), 2)
    monkeypatch.setenv("APARAVI_TIMEOUT", " 12.5 ")
    monkeypatch.setenv("APARAVI_MAX_RETRIES", "4")
    from_env = make_client()
    assert (from_env.timeout, from_env.max_retries) == (12.5, 4)
    assert from_env.upload_timeout == 12.5  # the environment bounds uploads too
    given = make_client(timeout=3, max_retries=0)
    assert (given.timeout, given.max_retries, given.upload_timeout) == (3, 0, 3)
    assert make_client(timeout=None).timeout is None  # None still means no timeout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("APARAVI_TIMEOUT", "abc"),
        ("APARAVI_TIMEOUT", "0"),
        ("APARAVI_TIMEOUT", "-5"),
        ("APARAVI_TIMEOUT", "nan"),
        ("APARAVI_TIMEOUT", "inf"),
        ("APARAVI_TIMEOUT", ""),
        ("APARAVI_MAX_RETRIES", "x"),
        ("APARAVI_MAX_RETRIES", "-1"),
        ("APARAVI_MAX_RETRIES", "11"),
        ("APARAVI_MAX_RETRIES", "1.5"),
        ("APARAVI_MAX_RETRIES", " "),
    ],
)
def test_a_malformed_environment_value_is_an_error_naming_the_variable(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=f"^{name} must be ") as info:
        make_client()
    assert "None" not in str(info.value)
    make_client(timeout=5, max_retries=1)  # an explicit argument does not read it


def test_uploads_wait_longer_for_their_answer_than_other_calls(
    make_client: MakeClient, router: Any
) -> None:
    # The service processes a document before it answers its upload (OCR, transcription).
    client = make_client()
    start(client, router)
    assert client.upload_timeout == httpx.Timeout(30.0, connect=5.0, read=600.0)
    calls = [
        client._webhook_call(TOKEN, "cpu", ("a.txt", b"x"), None, NOT_GIVEN, NOT_GIVEN),
        client._streamed_upload_call(TOKEN, "cpu"),
        client._process_pipe_call("pipe", ("a.txt", b"x"), NOT_GIVEN, NOT_GIVEN),
    ]
    assert [call.timeout for call in calls] == [client.upload_timeout] * 3
    status = client._call(GET_STATUS, {"method": "get", "url": "/status"}, NOT_GIVEN, NOT_GIVEN)
    assert status.timeout == httpx.Timeout(30.0, connect=5.0)
    one_call = client._webhook_call(TOKEN, "cpu", ("a.txt", b"x"), None, 9.0, NOT_GIVEN)
    assert one_call.timeout == 9.0


def test_a_closed_client_refuses_to_send(make_client: MakeClient, router: Any) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    client = make_client()
    client.status()
    close = getattr(client, "close", None) or client.aclose
    close()
    with pytest.raises(RuntimeError, match="closed"):
        client.status()
    assert route.call_count == 1


def test_sync_client_is_a_context_manager_that_closes(router: Any) -> None:
    route = router.get("/status").respond(200, json={"status": "OK", "data": {}})
    with aparavi_dtc.AparaviDTC(API_KEY, base_url=BASE_URL) as client:
        client.status()
    with pytest.raises(RuntimeError, match="closed"):
        client.status()
    assert route.call_count == 1


# -- start_task -----------------------------------------------------------------------


def test_start_task_wraps_a_dict_and_stores_token_and_type(client: Any, router: Any) -> None:
    route = router.put("/task").respond(200, json=started(TOKEN, "gpu"))
    task = client.start_task(PIPELINE, name="nightly", threads=4)
    sent = route.calls.last.request
    assert json.loads(sent.content) == {"pipeline": PIPELINE, "errors": [], "warnings": []}
    assert sent.url.params["name"] == "nightly"
    assert sent.url.params["threads"] == "4"
    assert (client.token, client.type) == (TOKEN, "gpu")
    assert (task.token, task.type) == (TOKEN, "gpu")


def test_start_task_omits_name_and_threads_when_not_given(client: Any, router: Any) -> None:
    route = router.put("/task").respond(200, json=started())
    client.start_task(PIPELINE)
    assert dict(route.calls.last.request.url.params) == {}


def test_start_task_accepts_json_string_and_file(client: Any, router: Any, tmp_path: Path) -> None:
    route = router.put("/task").respond(200, json=started())
    client.start_task(json.dumps(PIPELINE))
    assert json.loads(route.calls.last.request.content)["pipeline"] == PIPELINE
    path = tmp_path / "pipeline.json"
    path.write_text(json.dumps(PIPELINE))
    client.start_task(path)
    assert json.loads(route.calls.last.request.content)["pipeline"] == PIPELINE
    client.start_task(str(path))
    assert json.loads(route.calls.last.request.content)["pipeline"] == PIPELINE


def test_start_task_keeps_a_wrapped_pipeline_and_adds_missing_lists(
    client: Any, router: Any
) -> None:
    route = router.put("/task").respond(200, json=started())
    client.start_task({"pipeline": PIPELINE, "warnings": ["keep me"]})
    body = json.loads(route.calls.last.request.content)
    assert body == {"pipeline": PIPELINE, "warnings": ["keep me"], "errors": []}


@pytest.mark.parametrize(
    ("pipeline", "error", "match"),
    [
        ({"source": "x"}, ValueError, "components"),
        ("{not json", ValueError, "not valid JSON"),
        ("[1, 2]", ValueError, "JSON object"),
        ("/no/such/pipeline.json", ValueError, "neither JSON nor a readable file"),
        (42, TypeError, "mapping, a JSON string or a path"),
        ({"components": [{"id": "no-provider"}]}, ValueError, "pipeline is not usable"),
        ({"components": [{"provider": 7}]}, ValueError, "pipeline is not usable"),
    ],
)
def test_bad_pipeline_is_rejected_before_any_request(
    client: Any, router: Any, pipeline: Any, error: type[Exception], match: str
) -> None:
    route = router.put("/task").respond(200, json=started())
    with pytest.raises(error, match=match):
        client.start_task(pipeline)
    assert not route.called
    assert client.token is None


@pytest.mark.parametrize(
    ("threads", "error"), [(0, ValueError), (17, ValueError), (-1, ValueError), (True, TypeError)]
)
def test_threads_outside_1_to_16_is_rejected_before_any_request(
    client: Any, router: Any, threads: Any, error: type[Exception]
) -> None:
    route = router.put("/task").respond(200, json=started())
    with pytest.raises(error, match="threads"):
        client.start_task(PIPELINE, threads=threads)
    assert not route.called


@pytest.mark.parametrize("threads", [1, 16])
def test_threads_bounds_are_accepted(client: Any, router: Any, threads: int) -> None:
    route = router.put("/task").respond(200, json=started())
    client.start_task(PIPELINE, threads=threads)
    assert route.calls.last.request.url.params["threads"] == str(threads)


def test_start_task_answer_without_token_is_a_validation_error(client: Any, router: Any) -> None:
    router.put("/task").respond(200, json={"status": "OK", "data": {"type": "cpu"}})
    with pytest.raises(APIResponseValidationError, match="Error starting task"):
        client.start_task(PIPELINE)
    assert client.token is None


# -- get_task -------------------------------------------------------------------------


def test_get_task_without_a_task_raises_and_sends_nothing(client: Any, router: Any) -> None:
    route = router.get("/task")
    with pytest.raises(NoActiveTaskError) as info:
        client.get_task()
    assert str(info.value) == "Token and type are not available. Please run start_task() first."
    assert not route.called


@pytest.mark.parametrize("method", ["delete_task", "send_to_webhook"])
def test_other_task_methods_without_a_task_raise_too(
    client: Any, router: Any, method: str
) -> None:
    with pytest.raises(NoActiveTaskError, match="run start_task"):
        getattr(client, method)(text="x") if method == "send_to_webhook" else client.delete_task()
    assert not router.calls


def test_get_task_sends_stored_token_and_type(client: Any, router: Any) -> None:
    start(client, router, type_="gpu")
    route = router.get("/task").respond(200, json=status_body())
    client.get_task()
    assert dict(route.calls.last.request.url.params) == {"token": TOKEN, "type": "gpu"}


def test_get_task_parses_the_documented_envelope(client: Any, router: Any) -> None:
    start(client, router)
    router.get("/task").respond(200, json=SEED_STATUS)
    result = client.get_task()
    assert result.data.status == "Running"
    assert result.data.progress == 45
    assert result.data.total_files == 300
    assert result.data.metadata["source_path"] == "/data/source"
    assert result.message == "Task status retrieved successfully"


def test_get_task_parses_the_deployed_envelope(client: Any, router: Any) -> None:
    start(client, router)
    body = status_body(
        "Running",
        startTime=1736937000.5,
        endTime=0,
        totalCount=10,
        completedCount=4,
        errors=[],
        warnings=["slow"],
        serviceUp=1,
        rateSize=12.5,
    )
    body["metrics"] = {"cpu": 1.5, "total_time": 9}
    router.get("/task").respond(200, json=body)
    data = client.get_task().data
    assert data.status == "Running"
    assert (data.total_count, data.completed_count, data.start_time) == (10, 4, 1736937000.5)
    assert data.warnings == ["slow"]
    assert data.service_up == 1


@pytest.mark.parametrize(
    "status", ["Created", "Running", "Completed", "Failed", "Cancelled", "Paused", "Done", "Error"]
)
def test_status_compares_equal_to_its_string(client: Any, router: Any, status: str) -> None:
    start(client, router)
    router.get("/task").respond(200, json=status_body(status))
    assert client.get_task().data.status == status


def test_unknown_status_and_unknown_fields_are_kept(client: Any, router: Any) -> None:
    start(client, router)
    router.get("/task").respond(
        200, json=status_body("Quiescing", shinyNewField={"a": [1]}, other=3)
    )
    result = client.get_task()
    assert result.data.status == "Quiescing"
    assert result.data["shinyNewField"] == {"a": [1]}
    assert result.data["other"] == 3


# -- error mapping --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "body"),
    [
        (404, {"error": "Task not found", "message": "The specified task does not exist"}),
        (200, {"status": "Error", "error": {"message": "Task not found", "line": 44}}),
        (500, {"status": "Error", "error": {"message": "Task not found", "file": "t.py"}}),
        (200, {"error": "Task not found", "message": "deleted or expired"}),
    ],
)
def test_task_not_found_in_any_envelope(
    client: Any, router: Any, code: int, body: dict[str, Any]
) -> None:
    start(client, router)
    router.get("/task").respond(code, json=body)
    with pytest.raises(TaskNotFoundError) as info:
        client.get_task()
    assert str(info.value) == "Error getting task status: Task not found"
    assert info.value.status_code == code
    assert info.value.body == body


@pytest.mark.parametrize("body", [{"error": "Unauthorized", "message": "Invalid API key"}, None])
def test_401_is_authentication_error_with_node_message(
    client: Any, router: Any, body: Any
) -> None:
    start(client, router)
    router.get("/task").respond(401, json=body) if body else router.get("/task").respond(401)
    with pytest.raises(AuthenticationError) as info:
        client.get_task()
    assert str(info.value) == "Error getting task status: Unauthorized"
    assert info.value.status_code == 401


def test_error_envelope_under_200_is_an_error(client: Any, router: Any) -> None:
    start(client, router)
    router.get("/task").respond(
        200, json={"status": "Error", "error": {"message": "Engine busy"}, "data": None}
    )
    with pytest.raises(APIStatusError) as info:
        client.get_task()
    assert type(info.value) is APIStatusError
    assert str(info.value) == "Error getting task status: Engine busy"
    assert info.value.status_code == 200


@pytest.mark.parametrize(
    ("method", "route", "prefix"),
    [
        ("start_task", ("put", "/task"), "Error starting task"),
        ("validate", ("post", "/pipe/validate"), "Error validating pipeline"),
        ("delete_task", ("delete", "/task"), "Error deleting task"),
        ("get_task", ("get", "/task"), "Error getting task status"),
    ],
)
def test_messages_follow_the_node_pattern(
    client: Any, router: Any, method: str, route: tuple[str, str], prefix: str
) -> None:
    if method in ("delete_task", "get_task"):
        start(client, router)
    getattr(router, route[0])(route[1]).respond(
        500, json={"status": "Error", "error": {"message": "boom", "file": "x.py", "line": 1}}
    )
    call = getattr(client, method)
    with pytest.raises(ServerError) as info:
        call(PIPELINE) if method in ("start_task", "validate") else call()
    assert str(info.value) == f"{prefix}: boom"


def test_422_detail_is_summarised(client: Any, router: Any) -> None:
    router.post("/pipe/validate").respond(
        422, json={"detail": [{"loc": ["body", "pipeline"], "msg": "Field required", "type": "x"}]}
    )
    with pytest.raises(APIStatusError) as info:
        client.validate(PIPELINE)
    assert str(info.value) == "Error validating pipeline: body.pipeline: Field required"
    assert info.value.status_code == 422


def test_404_on_a_service_call_is_not_a_task_error(client: Any, router: Any) -> None:
    router.get("/version").respond(404, text="<html>Not Found</html>")
    with pytest.raises(APIStatusError) as info:
        client.version()
    assert not isinstance(info.value, TaskNotFoundError)
    assert str(info.value) == "Error getting version: Not Found"


def test_redirects_are_not_followed(client: Any, router: Any) -> None:
    route = router.get("/status").respond(307, headers={"Location": "https://evil.test/steal"})
    with pytest.raises(APIStatusError, match="redirect") as info:
        client.status()
    assert info.value.status_code == 307
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html><body>Bad gateway</body></html>", "not JSON"),
        (b'{"status": "OK", "data": {"status": "Runn', "not JSON"),
        (b"", "not JSON"),
        (b"[1, 2, 3]", "JSON list"),
        (b'"just a string"', "JSON str"),
        (b'{"status": "OK"}', "data: missing"),
        (b'{"status": "OK", "data": []}', "data: expected an object, got an array"),
        (
            b'{"status": "OK", "data": {"status": 5}}',
            "data.status: expected a string, got a number",
        ),
        (b'{"status": "OK", "data": {"progress": 4}}', "data.status: missing"),
        (b"\xff\xfe\x00garbage", "not JSON"),
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_bad_success_bodies_are_validation_errors(
    make_client: Any, router: Any, body: bytes, match: str, strict: bool
) -> None:
    client = make_client(strict=strict)
    start(client, router)
    router.get("/task").respond(200, content=body)
    with pytest.raises(APIResponseValidationError, match=match) as info:
        client.get_task()
    assert str(info.value).startswith("Error getting task status: ")
    assert info.value.status_code == 200


ODD_FIELDS = [
    # (wire name, attribute, odd value, what strict mode says)
    ("progress", "progress", "45%", "expected a number, got a string"),
    ("totalCount", "total_count", None, "expected a number, got null"),
    ("totalCount", "total_count", True, "expected a number, got true or false"),
    ("errors", "errors", "oops", "expected an array, got a string"),
    ("metadata", "metadata", 3, "expected an object, got a number"),
    ("error", "error", 7, "a number is not allowed here"),
    ("serviceUp", "service_up", "yes", "a string is not allowed here"),
    ("metrics", "metrics", [1], "expected an object, got an array"),
    # from_dict alone would make empty or paired lists into objects without a word
    ("metadata", "metadata", [], "expected an object, got an array"),
    ("metrics", "metrics", [["cpu", 1]], "expected an object, got an array"),
]


@pytest.mark.parametrize(("wire", "attr", "value", "said"), ODD_FIELDS)
def test_strict_mode_names_the_wire_field_that_does_not_fit(
    make_client: Any, router: Any, wire: str, attr: str, value: Any, said: str
) -> None:
    client = make_client(strict=True)
    start(client, router)
    router.get("/task").respond(200, json=status_body(**{wire: value}))
    with pytest.raises(APIResponseValidationError) as info:
        client.get_task()
    expected = f"Error getting task status: unexpected response: data.{wire}: {said}"
    assert str(info.value) == expected


@pytest.mark.parametrize(("wire", "attr", "value", "said"), ODD_FIELDS)
def test_lenient_mode_keeps_an_odd_optional_field_raw_and_logs_its_wire_name(
    client: Any,
    router: Any,
    caplog: pytest.LogCaptureFixture,
    wire: str,
    attr: str,
    value: Any,
    said: str,
) -> None:
    start(client, router)
    router.get("/task").respond(
        200, json=status_body(**{wire: value, "completedCount": 3, "newField": [1]})
    )
    with caplog.at_level(logging.DEBUG, logger="aparavi_dtc"):
        status = client.get_task().data
    typed = getattr(status, attr)  # the typed attribute reads as absent: a map field as empty
    assert typed is UNSET or (isinstance(typed, Mapping) and len(typed) == 0)
    assert status[wire] == value  # the raw value stays readable under its wire name
    assert status.completed_count == 3  # the rest of the payload is untouched
    assert status["newField"] == [1]
    assert status.status == "Running"
    lines = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    assert lines == [f"ignored the response field data.{wire} ({said})"]
    assert status.to_dict()[wire] == value  # and goes back out as it came


def test_lenient_mode_repairs_nested_objects_and_lists(client: Any, router: Any) -> None:
    start(client, router)
    router.put("/webhook").respond(
        200,
        json={
            "status": "OK",
            "data": {
                "objectsRequested": "one",
                "objects": {
                    "id-1": {"name": "a.txt", "text": ["hello", 5], "path": "a.txt"},
                    "id-2": "not an object",
                    "id-3": {"name": "b.txt", "text": ["bye"]},
                },
            },
            "metrics": {"cpu": "fast"},
        },
    )
    answer = client.send_to_webhook(text="hi")
    result = answer.data
    assert result.objects_requested is UNSET
    assert result["objectsRequested"] == "one"
    objects = result.objects
    assert list(objects) == ["id-1", "id-3"]  # an entry that is no object at all is dropped
    assert objects["id-1"].text is UNSET
    assert objects["id-1"]["text"] == ["hello", 5]
    assert objects["id-1"].name == "a.txt"
    assert objects["id-3"].text == ["bye"]
    assert answer.metrics.cpu is UNSET
    assert answer.metrics["cpu"] == "fast"


def test_strict_mode_refuses_a_bad_entry_of_a_typed_map(make_client: Any, router: Any) -> None:
    client = make_client(strict=True)
    start(client, router)
    body = {"status": "OK", "data": {"objects": {"id-2": "not an object"}}}
    router.put("/webhook").respond(200, json=body)
    with pytest.raises(
        APIResponseValidationError, match=r"data\.objects\.id-2: expected an object"
    ):
        client.send_to_webhook(text="hi")


def test_html_error_page_is_a_status_error_with_its_text(client: Any, router: Any) -> None:
    router.get("/status").respond(502, text="<html>Bad gateway</html>")
    with pytest.raises(ServerError) as info:
        client.status()
    assert str(info.value) == "Error getting service status: Bad Gateway"
    assert info.value.body == "<html>Bad gateway</html>"


def test_connection_failure_is_a_connection_error(client: Any, router: Any) -> None:
    route = router.get("/status").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError, match="Error getting service status: refused"):
        client.status()
    assert route.call_count == 3  # the first try and two retries


def test_read_timeout_is_a_timeout_error(client: Any, router: Any) -> None:
    router.get("/status").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError, match="timed out"):
        client.status(max_retries=0)


# -- delete_task, validate, version, status ----------------------------------------------


def test_delete_task_sends_token_and_clears_it(client: Any, router: Any) -> None:
    start(client, router)
    route = router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    client.delete_task()
    assert dict(route.calls.last.request.url.params) == {"token": TOKEN, "type": "cpu"}
    assert (client.token, client.type) == (None, None)
    with pytest.raises(NoActiveTaskError):
        client.get_task()


def test_failed_delete_keeps_the_task(client: Any, router: Any) -> None:
    start(client, router)
    router.delete("/task").respond(500, json={"status": "Error", "error": "busy"})
    with pytest.raises(ServerError):
        client.delete_task()
    assert client.token == TOKEN


def test_validate_posts_the_wrapped_pipeline(client: Any, router: Any) -> None:
    route = router.post("/pipe/validate").respond(
        200, json={"status": "OK", "data": {"errors": [], "warnings": []}}
    )
    result = client.validate(PIPELINE)
    assert json.loads(route.calls.last.request.content)["pipeline"] == PIPELINE
    assert result.data == {"errors": [], "warnings": []}
    assert client.token is None


def test_version_and_status(client: Any, router: Any) -> None:
    version = {"version": "3.0.0.9999", "hash": "1a2b3c4", "stamp": "2025-06-30"}
    router.get("/version").respond(200, json={"status": "OK", "data": version})
    router.get("/status").respond(200, json={"status": "OK", "data": {"serviceUp": True}})
    answer = client.version().data
    assert (answer.version, answer.hash_, answer.stamp) == ("3.0.0.9999", "1a2b3c4", "2025-06-30")
    assert client.status().data == {"serviceUp": True}


# -- webhook --------------------------------------------------------------------------


def test_webhook_text_is_sent_as_text_plain(client: Any, router: Any) -> None:
    start(client, router)
    route = router.put("/webhook").respond(200, json={"status": "OK", "data": {}})
    client.send_to_webhook(text="héllo")
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert request.content == "héllo".encode()
    assert dict(request.url.params) == {"token": TOKEN, "type": "cpu"}


def test_webhook_one_file_is_a_raw_body(client: Any, router: Any, tmp_path: Path) -> None:
    start(client, router)
    route = router.put("/webhook").respond(200, json={"status": "OK", "data": {"ok": 1}})
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7 data")
    result = client.send_to_webhook(path)
    request = route.calls.last.request
    assert request.content == b"%PDF-1.7 data"
    assert request.headers["Content-Type"] == "application/pdf"
    assert request.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert result.data.to_dict() == {"ok": 1}


def test_webhook_non_ascii_filename_is_encoded(client: Any, router: Any) -> None:
    start(client, router)
    route = router.put("/webhook").respond(200, json={"status": "OK", "data": {}})
    client.send_to_webhook(('résumé "v2".txt', b"cv", "text/plain"))
    disposition = route.calls.last.request.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="r?sum? _v2_.txt"')
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.txt" in disposition


def test_webhook_several_files_are_multipart(client: Any, router: Any, tmp_path: Path) -> None:
    start(client, router)
    route = router.put("/webhook").respond(200, json={"status": "OK", "data": {}})
    first = tmp_path / "a.txt"
    first.write_text("alpha")
    client.send_to_webhook([first, ("b.csv", b"x,y\n1,2\n")])
    request = route.calls.last.request
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert body.count(b'name="files"') == 2
    assert b'filename="a.txt"' in body
    assert b"alpha" in body
    assert b'filename="b.csv"' in body
    assert b"Content-Type: text/csv" in body


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, ValueError, "exactly one"),
        ({"files": ["a"], "text": "b"}, ValueError, "exactly one"),
        ({"files": []}, ValueError, "empty"),
        ({"files": "/no/such/file.bin"}, ValueError, "cannot read file"),
        ({"files": [("a.txt", "not bytes")]}, TypeError, "file tuple"),
        ({"files": [3]}, TypeError, "a file must be"),
        ({"text": b"bytes"}, TypeError, "text must be a string"),
        ({"text": ""}, ValueError, "text is empty"),
        ({"files": [("a.txt", b"a"), ("empty.txt", b"")]}, ValueError, "'empty.txt' is empty"),
    ],
)
def test_bad_webhook_input_sends_nothing(
    client: Any, router: Any, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    start(client, router)
    route = router.put("/webhook").respond(200, json={"status": "OK", "data": {}})
    with pytest.raises(error, match=match):
        client.send_to_webhook(**kwargs)
    assert not route.called


# -- task handles ---------------------------------------------------------------------


def test_task_handle_for_an_existing_task_sends_nothing_until_used(
    client: Any, router: Any
) -> None:
    route = router.get("/task").respond(200, json=status_body("Completed"))
    task = client.task("other-token-0000000000", "gpu")
    assert not route.called
    assert client.token is None
    assert task.get().data.status == "Completed"
    assert dict(route.calls.last.request.url.params) == {
        "token": "other-token-0000000000",
        "type": "gpu",
    }


@pytest.mark.parametrize(("token", "type_"), [("", "cpu"), ("t", ""), ("t", "  ")])
def test_task_handle_needs_token_and_type(client: Any, token: str, type_: str) -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        client.task(token, type_)


def test_one_client_runs_many_tasks(client: Any, router: Any) -> None:
    router.put("/task").mock(
        side_effect=[httpx.Response(200, json=started(f"token-{i:020d}", "cpu")) for i in range(3)]
    )
    tasks = [client.start_task(PIPELINE) for _ in range(3)]
    assert client.token == "token-00000000000000000002"
    route = router.get("/task").respond(200, json=status_body())
    tasks[0].get()
    assert route.calls.last.request.url.params["token"] == "token-00000000000000000000"
    router.delete("/task").respond(200, json={"status": "OK", "data": {}})
    tasks[0].delete()
    assert client.token == "token-00000000000000000002"  # another task's delete keeps it
    tasks[2].delete()
    assert client.token is None


# -- secrets --------------------------------------------------------------------------


def test_repr_and_str_hide_key_and_token(client: Any, router: Any) -> None:
    task = start(client, router)
    for text in (repr(client), str(client), repr(task), str(task)):
        assert API_KEY not in text
        assert TOKEN not in text
    assert TOKEN[-4:] in repr(task)


def test_echoed_secrets_are_masked_in_errors_and_payloads(client: Any, router: Any) -> None:
    start(client, router)
    echo = f"https://hook.test/?apikey={API_KEY}&token={TOKEN}"
    router.get("/task").respond(
        200, json=status_body("Running", notes=[echo], trace=[f"auth {API_KEY}"])
    )
    result = client.get_task()
    shown = repr(result) + json.dumps(result.to_dict())
    assert API_KEY not in shown
    assert TOKEN not in shown
    router.get("/task").respond(
        500, json={"status": "Error", "error": {"message": f"bad key {API_KEY} for {TOKEN}"}}
    )
    with pytest.raises(ServerError) as info:
        client.get_task()
    everything = str(info.value) + repr(info.value) + repr(info.value.body)
    assert API_KEY not in everything
    assert TOKEN not in everything
    assert "bad key ***" in str(info.value)


def test_key_echoed_without_assignment_is_masked_for_a_short_token(
    client: Any, router: Any
) -> None:
    # A token too short to mask on its own must not cost the key its masking.
    router.get("/task").respond(200, json=status_body("Running", notes=[f"called with {API_KEY}"]))
    result = client.task("t1", "cpu").get()
    assert API_KEY not in repr(result)
    assert "called with ***" in result.data.notes[0]


def test_url_encoded_key_is_masked(make_client: MakeClient, router: Any) -> None:
    key = "k/ey+with=odd&chars-0123456789"
    client = make_client(key)
    router.get("/status").respond(400, json={"error": f"rejected {httpx.QueryParams({'k': key})}"})
    with pytest.raises(APIStatusError) as info:
        client.status()
    assert "ey%2Bwith" not in str(info.value)
    assert key not in str(info.value)


def test_start_task_returns_its_token_even_when_the_client_knows_it(
    client: Any, router: Any
) -> None:
    client.task(TOKEN, "cpu")  # the token is now a secret the client masks elsewhere
    router.put("/task").respond(200, json=started(TOKEN, "cpu"))
    assert client.start_task(PIPELINE).token == TOKEN
    assert client.token == TOKEN


def test_sync_client_keeps_a_bounded_number_of_parsed_urls(router: Any) -> None:
    route = router.get("/task").respond(200, json=status_body())
    from aparavi_dtc._config import CACHED_TASKS

    with aparavi_dtc.AparaviDTC(API_KEY, base_url=BASE_URL) as client:
        for index in range(CACHED_TASKS + 44):
            client.task(f"token-{index:04d}-abcdefgh", "cpu").get()
        client.task("token-0299-abcdefgh", "gpu").get()
    sent = [call.request.url.params["token"] for call in route.calls]
    assert sent[:3] == ["token-0000-abcdefgh", "token-0001-abcdefgh", "token-0002-abcdefgh"]
    assert route.calls.last.request.url.params["type"] == "gpu"
    assert len(client._sender._urls) <= CACHED_TASKS
