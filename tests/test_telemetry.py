"""OpenTelemetry (the `otel` extra): a client span per operation on both clients and both
HTTP stacks, retries as events, the trace context sent, and never a secret in a span."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from aparavi_dtc import AparaviDTC, AsyncAparaviDTC, TaskNotFoundError, pipelines
from aparavi_dtc.testing import FakeAparavi

KEY = "otel-key-0123456789abcdef"


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """A tracer provider of the SDK's own, exporting to memory, as the global one."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)
    yield exporter
    provider.shutdown()


URL = (
    "https://otel.test"  # a host of these tests alone: spans of other tests' threads are left out
)


def finished(exporter: InMemorySpanExporter, url: str = URL) -> list[ReadableSpan]:
    """The spans of the traces that reached ``url``: a thread another test left running
    may still send through a client while this test's provider is set."""
    where = urllib.parse.urlsplit(url)
    port = where.port or 443
    spans = list(exporter.get_finished_spans())
    ours = {
        span.context.trace_id
        for span in spans
        if (span.attributes or {}).get("server.address") == where.hostname
        and (span.attributes or {}).get("server.port") == port
    }
    return [span for span in spans if span.context.trace_id in ours]


def no_secret_in(spans: list[ReadableSpan], *secrets: str) -> None:
    for span in spans:
        texts = [span.name, str(span.status.description)]
        texts += [str(value) for value in (span.attributes or {}).values()]
        for event in span.events:
            texts += [event.name, *(str(v) for v in (event.attributes or {}).values())]
        for secret in secrets:
            assert not any(secret in text for text in texts), (span.name, texts)


def test_each_operation_is_a_client_span_with_the_http_attributes(
    spans: InMemorySpanExporter,
) -> None:
    fake = FakeAparavi(api_key=KEY)
    with AparaviDTC(KEY, base_url=URL, transport=fake.transport()) as client:
        task = client.start_task(pipelines.simple_parser())
        task.get()
        task.delete()
    shown = finished(spans)
    assert [span.name for span in shown] == [
        "aparavi_dtc.startTask",
        "aparavi_dtc.getTask",
        "aparavi_dtc.deleteTask",
    ]
    get = shown[1]
    assert get.kind is trace.SpanKind.CLIENT
    attributes = dict(get.attributes or {})
    assert attributes["http.request.method"] == "GET"
    assert attributes["http.response.status_code"] == 200
    assert attributes["aparavi.operation"] == "getTask"
    assert attributes["aparavi.task.type"] == "cpu"
    assert attributes["aparavi.attempts"] == 1
    assert attributes["url.full"].endswith("/task")  # no query: it holds the token
    assert get.status.status_code is trace.StatusCode.UNSET
    no_secret_in(shown, KEY, task.token)


def test_retries_are_events_and_the_resend_count(spans: InMemorySpanExporter) -> None:
    fake = FakeAparavi(api_key=KEY)
    fake.fail_next("getVersion", status=503, times=2)
    with AparaviDTC(KEY, base_url=URL, transport=fake.transport(), max_retries=2) as client:
        client.version()
    (span,) = finished(spans)
    assert (span.attributes or {})["http.request.resend_count"] == 2
    assert (span.attributes or {})["aparavi.attempts"] == 3
    reasons = [(e.name, (e.attributes or {})["aparavi.retry.reason"]) for e in span.events]
    assert reasons == [("retry", "HTTP 503"), ("retry", "HTTP 503")]
    assert span.status.status_code is trace.StatusCode.UNSET  # the last answer was fine


def test_a_failed_operation_is_an_error_span_named_by_its_status_only(
    spans: InMemorySpanExporter,
) -> None:
    fake = FakeAparavi(api_key=KEY)
    token = "gone-task-token-0123456789"
    with (
        AparaviDTC(KEY, base_url=URL, transport=fake.transport()) as client,
        pytest.raises(TaskNotFoundError),
    ):
        client.task(token, "cpu").get()
    (span,) = finished(spans)
    assert span.status.status_code is trace.StatusCode.ERROR
    assert (span.attributes or {})["error.type"] in ("404", "TaskNotFoundError")
    no_secret_in([span], KEY, token)


def test_the_trace_context_goes_with_each_request(spans: InMemorySpanExporter) -> None:
    fake = FakeAparavi(api_key=KEY)
    with AparaviDTC(KEY, base_url=URL, transport=fake.transport()) as client:
        client.version()
    (span,) = finished(spans)
    (request,) = fake.requests
    trace_id = format(span.context.trace_id, "032x")
    assert request.headers["traceparent"].split("-")[1] == trace_id


def test_without_a_tracer_provider_nothing_is_traced_or_sent() -> None:
    fake = FakeAparavi(api_key=KEY)
    with AparaviDTC(KEY, base_url=URL, transport=fake.transport()) as client:
        client.version()
    assert "traceparent" not in fake.requests[0].headers


@pytest.mark.parametrize("stack", ["httpx", "aiohttp"])
async def test_the_async_client_traces_on_both_stacks(
    spans: InMemorySpanExporter, stack: str
) -> None:
    fake = FakeAparavi(api_key=KEY)
    options: dict[str, Any] = (
        {} if stack == "aiohttp" else {"transport": httpx.AsyncHTTPTransport()}
    )
    with fake.serve() as url:
        async with AsyncAparaviDTC(KEY, base_url=url, **options) as client:
            await client.version()
    (span,) = finished(spans, url)
    assert span.name == "aparavi_dtc.getVersion"
    assert (span.attributes or {})["http.response.status_code"] == 200
    assert fake.requests[0].headers["traceparent"].split("-")[1] == format(
        span.context.trace_id, "032x"
    )


def test_a_process_run_is_a_span_with_one_child_per_file(
    spans: InMemorySpanExporter, tmp_path: Any
) -> None:
    fake = FakeAparavi(api_key=KEY)
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "b.txt").write_text("beta")
    with AparaviDTC(KEY, base_url=URL, transport=fake.transport()) as client:
        results = list(client.process([tmp_path / "a.txt", tmp_path / "b.txt"]))
    assert all(result.ok for result in results)
    shown = finished(spans)
    (run,) = [s for s in shown if s.name == "aparavi_dtc.process"]
    files = [s for s in shown if s.name == "aparavi_dtc.process.file"]
    assert sorted((f.attributes or {})["aparavi.file.name"] for f in files) == ["a.txt", "b.txt"]
    assert all(f.parent is not None and f.parent.span_id == run.context.span_id for f in files)
    uploads = [s for s in shown if s.name == "aparavi_dtc.sendToWebhook"]
    assert {u.parent.span_id for u in uploads if u.parent} == {f.context.span_id for f in files}
    started = [s for s in shown if s.name == "aparavi_dtc.startTask"]
    assert started[0].parent is not None
    assert started[0].parent.span_id == run.context.span_id
    assert (run.attributes or {})["aparavi.files.succeeded"] == 2
    assert run.status.status_code is trace.StatusCode.UNSET
    no_secret_in(shown, KEY, *fake_tokens(fake))


async def test_an_async_process_run_traces_each_file(
    spans: InMemorySpanExporter, tmp_path: Any
) -> None:
    fake = FakeAparavi(api_key=KEY)
    (tmp_path / "a.txt").write_text("alpha")
    fake.fail_next("sendToWebhook", status=400)
    client = AsyncAparaviDTC(KEY, base_url=URL, transport=fake.transport())
    async with client, client.process([tmp_path / "a.txt"]) as batch:
        results = [result async for result in batch]
    assert not results[0].ok
    shown = finished(spans)
    (file,) = [s for s in shown if s.name == "aparavi_dtc.process.file"]
    assert file.status.status_code is trace.StatusCode.ERROR
    (run,) = [s for s in shown if s.name == "aparavi_dtc.process"]
    assert (run.attributes or {})["aparavi.files.failed"] == 1


def fake_tokens(fake: FakeAparavi) -> set[str]:
    return {r.query["token"] for r in fake.requests if r.query.get("token")}
