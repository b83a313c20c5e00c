"""OpenTelemetry spans for what the SDK sends (the ``otel`` extra).

Each operation is a client span named ``aparavi_dtc.<operationId>`` around all its
attempts, with the HTTP semantic-convention attributes (``http.request.method``,
``server.address``, ``server.port``, ``url.full`` without its query,
``http.response.status_code``, ``http.request.resend_count``, ``error.type``) and the
SDK's own (``aparavi.operation``, ``aparavi.task.type``, ``aparavi.attempts``), an event per
retry, and the trace context sent with each attempt through the configured propagator.

Nothing here ever holds the key, a task token or a URL's query: the URL is rebuilt from
its scheme, host, port and path, errors are named by their class or status code, never
by their message.

While opentelemetry is not installed, or no tracer provider is set, an operation costs
one check of the global provider and nothing else.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from ._version import __version__

if TYPE_CHECKING:
    from ._types import Call

__all__ = ["answered", "operation_span", "retried", "tracer"]

M = TypeVar("M")
_NOT_LOADED: Any = object()
_trace: Any = _NOT_LOADED  # the opentelemetry.trace module, None when not installed
_cached: tuple[Any, Any] | None = None  # the provider last seen, and its tracer for the SDK
_SPAN: ContextVar[_Span | None] = ContextVar("aparavi_dtc_span", default=None)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def tracer() -> Any | None:
    """The SDK's tracer, or None while opentelemetry is missing or no provider is set."""
    global _trace
    if _trace is _NOT_LOADED:
        try:
            import opentelemetry.trace

            _trace = opentelemetry.trace
        except ImportError:
            _trace = None
    if _trace is None:
        return None
    provider = _trace.get_tracer_provider()
    if isinstance(provider, _trace.ProxyTracerProvider):
        return None  # nobody set one: spans would go nowhere
    global _cached
    if _cached is None or _cached[0] is not provider:  # the provider itself, held: no id reuse
        _cached = (provider, provider.get_tracer("aparavi_dtc", __version__))
    return _cached[1]


def _attributes(call: Call[Any]) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(call.url)
    host = parts.hostname or ""
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    shown_host = f"[{host}]" if ":" in host else host
    attributes: dict[str, Any] = {
        "http.request.method": call.method,
        "server.address": host,
        "server.port": port,
        "url.full": f"{parts.scheme}://{shown_host}:{port}{call.path}",
        "aparavi.operation": call.operation.operation_id,
    }
    task_type = urllib.parse.parse_qs(parts.query).get("type")
    if task_type:
        attributes["aparavi.task.type"] = task_type[0]
    return attributes


@contextlib.contextmanager
def operation_span(call: Call[M]) -> Iterator[Call[M]]:
    """The span of ``call``'s exchange, current while the block runs; yields ``call``
    with the trace context in its headers (``call`` itself when nothing is traced)."""
    found = tracer()
    if found is None:
        yield call
        return
    from opentelemetry import propagate, trace

    span = found.start_span(
        f"aparavi_dtc.{call.operation.operation_id}",
        kind=trace.SpanKind.CLIENT,
        attributes=_attributes(call),
    )
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=trace.set_span_in_context(span))
    if carrier:
        call = call._replace(headers={**call.headers, **carrier})
    state = _Span(span)
    token = _SPAN.set(state)
    try:
        with trace.use_span(span, end_on_exit=False, record_exception=False):
            yield call
    except BaseException as exc:
        span.set_attribute("error.type", type(exc).__name__)
        span.set_status(trace.StatusCode.ERROR, type(exc).__name__)
        raise
    else:
        if state.status is not None and state.status >= 400:
            span.set_attribute("error.type", str(state.status))
            span.set_status(trace.StatusCode.ERROR, f"HTTP {state.status}")
    finally:
        _SPAN.reset(token)
        span.end()


class _Span:
    """An operation's span and the status of its last answer."""

    __slots__ = ("span", "status")

    def __init__(self, span: Any) -> None:
        self.span = span
        self.status: int | None = None


def retried(attempt: int, why: str, delay: float) -> None:
    """An event on the current operation's span: attempt ``attempt`` is retried."""
    state = _SPAN.get()
    if state is not None:
        state.span.add_event(
            "retry",
            {"aparavi.attempt": attempt + 1, "aparavi.retry.reason": why, "aparavi.delay": delay},
        )


def answered(attempt: int, status: int) -> None:
    """The current operation's span learns the status of attempt ``attempt``."""
    state = _SPAN.get()
    if state is None:
        return
    state.status = status
    state.span.set_attribute("http.response.status_code", status)
    state.span.set_attribute("http.request.resend_count", attempt)
    state.span.set_attribute("aparavi.attempts", attempt + 1)


# -- process() --------------------------------------------------------------------------


def start_run(files: int, concurrency: int) -> Any | None:
    """The span of a ``process()`` run (``aparavi_dtc.process``), or None; not made
    current, since the run is a generator: see :func:`within` and :func:`file_span`."""
    found = tracer()
    if found is None:
        return None
    attributes = {"aparavi.files": files, "aparavi.concurrency": concurrency}
    return found.start_span("aparavi_dtc.process", attributes=attributes)


def end_run(span: Any | None, succeeded: int, failed: int, stopped: bool) -> None:
    """End a run's span with its counts; a run that stopped early is an error."""
    if span is None:
        return
    from opentelemetry import trace

    span.set_attribute("aparavi.files.succeeded", succeeded)
    span.set_attribute("aparavi.files.failed", failed)
    if stopped:
        span.set_attribute("error.type", "stopped")
        span.set_status(trace.StatusCode.ERROR, "the run stopped before its end")
    span.end()


@contextlib.contextmanager
def within(span: Any | None) -> Iterator[None]:
    """Make ``span`` current for a block that does not yield (a run's first requests)."""
    if span is None:
        yield
        return
    from opentelemetry import trace

    with trace.use_span(span, end_on_exit=False, record_exception=False):
        yield


@contextlib.contextmanager
def file_span(run: Any, name: str, index: int, size: int) -> Iterator[None]:
    """The span of one file of a run (``aparavi_dtc.process.file``), current meanwhile, so
    that its upload's span is its child."""
    found = tracer() if run is not None else None
    if found is None:
        yield
        return
    from opentelemetry import trace

    attributes = {
        "aparavi.file.name": name,
        "aparavi.file.index": index,
        "aparavi.file.size": size,
    }
    parent = trace.set_span_in_context(run)
    with found.start_as_current_span(
        "aparavi_dtc.process.file",
        context=parent,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ):
        yield


def file_failed(exc: BaseException) -> None:
    """The current file's span failed with ``exc`` (named by its class alone)."""
    if _trace is None or _trace is _NOT_LOADED:
        return
    span = _trace.get_current_span()
    if span.is_recording():
        span.set_attribute("error.type", type(exc).__name__)
        span.set_status(_trace.StatusCode.ERROR, type(exc).__name__)
