"""``process()`` planned without I/O: its checks, one upload per file, each file's result,
the progress, and when the batch ends.

One webhook task serves the whole batch. ``AparaviDTC`` sequences the uploads with a thread
pool and ``AsyncAparaviDTC`` with tasks; both only start what :meth:`BatchPlan.next_upload`
gives them, hand every outcome to :meth:`BatchPlan.finish`, and call :meth:`BatchPlan.tick`
while they wait, so that they differ in how they wait, never in what they decide.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, Self, TypeAlias

from aparavi_dtc_api import models

from . import _telemetry
from ._checks import check_concurrency, check_seconds
from ._exceptions import AuthenticationError, TaskNotFoundError, TaskTimeoutError
from ._inputs import Choice, Patterns, ProcessInput, Source, resolve_inputs
from ._pipeline import PipelineInput, wrap_pipeline
from ._polling import duration
from ._resume import ResultsLog, open_results
from ._run import is_webhook, results_of, texts_of
from ._types import BodyError, Call
from ._uploads import StreamedBody, content_disposition

if TYPE_CHECKING:
    from aparavi_dtc_api.models import (
        ProcessedObject,
        WebhookResponse,
        WebhookResult,
    )


#: Uploads in flight at once by default, and at most: a client has this many connections.
DEFAULT_CONCURRENCY: Final = 4
#: Seconds between progress reports while bytes are being sent.
PROGRESS_INTERVAL: Final = 0.25
#: Why ``process()`` left a file out without sending it (``FileResult.skipped``).
Skipped: TypeAlias = Literal["empty"]
#: Errors that concern the batch, not one file: every later upload would meet them too.
BATCH_ERRORS: Final = (AuthenticationError, TaskNotFoundError)


@dataclasses.dataclass(frozen=True, slots=True, repr=False)
class FileResult:
    """What ``process()`` yields for one input file."""

    name: str
    """The file's name, as the service was told it."""
    path: Path | None
    """Where the file was found (as listed, relative or absolute); None for ``(name, bytes)``."""
    index: int
    """The file's place among the inputs once resolved, from 0."""
    size: int
    """Its size in bytes when listed."""
    results: WebhookResult | None
    """What the pipeline produced for this file (the upload's answer); None if it failed."""
    error: Exception | None
    """Why this file failed, or None: an :class:`AparaviError` (``ServerError`` for an
    answer of HTTP 500, ...) or an ``OSError`` from reading it (``FileNotFoundError``,
    :class:`FileChangedError`)."""
    elapsed: float
    """Seconds from the start of its upload to the answer (0 for a file never sent)."""
    input: str = ""
    """The file as the inputs listed it: its path, or the name of a file given as bytes."""
    version: str = ""
    """What identifies this state of the file for a resumed run: its size and modification
    time, or a digest of a file given as bytes."""
    relative_path: str = ""
    """Its path below the folder that listed it (the directory given, a glob's folder
    before its first wildcard, a URL's prefix), parts joined by ``/``: ``sub/deeper/
    s2.csv`` for ``data/sub/deeper/s2.csv`` of ``process("data/")``. A file named
    directly, or given as bytes, has its name. What ``include`` and ``exclude`` match."""
    skipped: Skipped | None = None
    """Why the file was not sent, or None: ``"empty"`` for a file of 0 bytes (the service
    needs something to process). A skipped file is :attr:`ok`, with no results and no text,
    and a resumed run does not send it again (unless it changed)."""

    @property
    def ok(self) -> bool:
        """True when the file did not fail: it was processed, or :attr:`skipped`."""
        return self.error is None

    @property
    def objects(self) -> list[ProcessedObject]:
        """The processed objects (a document, its attachments, ...), in the answer's order."""
        objects = getattr(self.results, "objects", None)
        return list(objects.values()) if isinstance(objects, models.WebhookResultObjects) else []

    @property
    def texts(self) -> dict[str, str]:
        """Each processed object's name and its text (see ``RunResult.texts``)."""
        return texts_of(self.results)

    @property
    def text(self) -> str:
        """The text of every processed object, joined by blank lines."""
        return "\n\n".join(self.texts.values())

    def to_dict(self) -> dict[str, Any]:
        """This result as a JSON object: what a results file holds, one per line.

        The text is there once, in ``results`` (each object's ``text``, a list of pieces):
        :attr:`text` is made from it. ``error`` is None, or the error's ``type``,
        ``message`` (masked) and, for an answer of the service, ``status_code``.
        """
        failure: dict[str, Any] | None = None
        if self.error is not None:
            failure = {"type": type(self.error).__name__, "message": str(self.error)}
            status = getattr(self.error, "status_code", None)
            if isinstance(status, int):
                failure["status_code"] = status
        return {  # these three first: a resumed run reads only them (see _resume)
            "input": self.input,
            "version": self.version,
            "ok": self.ok,
            "skipped": self.skipped,
            "name": self.name,
            "path": None if self.path is None else str(self.path),
            "relative_path": self.relative_path,
            "index": self.index,
            "size": self.size,
            "elapsed": round(self.elapsed, 3),
            "results": None if self.results is None else self.results.to_dict(),
            "error": failure,
        }

    def __repr__(self) -> str:
        outcome = f"objects={len(self.objects)}"
        if self.error is not None:
            outcome = f"error={self.error!r}"
        elif self.skipped is not None:
            outcome = f"skipped={self.skipped!r}"
        return f"FileResult(name={self.name!r}, {outcome}, elapsed={self.elapsed:.3f})"


@dataclasses.dataclass(frozen=True, slots=True)
class BatchProgress:
    """What ``process()``'s ``on_progress`` receives: files and bytes so far."""

    done: int
    """Files finished, processed or failed."""
    failed: int
    """Files among ``done`` that failed."""
    total: int
    """Files in the batch."""
    bytes_sent: int
    """Bytes handed to the network so far (a file that failed counts what was sent)."""
    bytes_total: int
    """Bytes of all the files."""
    elapsed: float
    """Seconds since the batch began."""

    @property
    def succeeded(self) -> int:
        """Files processed."""
        return self.done - self.failed

    @property
    def rate(self) -> float | None:
        """Bytes sent per second so far, or None before any time has passed."""
        return self.bytes_sent / self.elapsed if self.elapsed > 0 else None


class Stopped(Exception):  # a signal between the plan and its bodies, never shown
    """Raised by a streamed body once the batch is closed: its upload ends at once."""


@dataclasses.dataclass(frozen=True, slots=True)
class Upload:
    """One file to send, with its request and the body the request streams."""

    source: Source
    call: Call[WebhookResponse]
    body: StreamedBody
    run_span: Any = None  # the run's span when it is traced


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How one upload ended, as a client saw it."""

    source: Source
    answer: WebhookResponse | None
    error: Exception | None
    elapsed: float


class BatchPlan:
    """A checked ``process()``: its files, options and progress, and every decision."""

    def __init__(
        self,
        sources: list[Source],
        body: dict[str, Any],
        concurrency: int,
        threads: int | None,
        timeout: float | None,
        on_progress: Callable[[BatchProgress], object] | None,
        log: ResultsLog | None = None,
        skipped: int = 0,
    ) -> None:
        self.sources = sources
        self.body = body
        self.concurrency = concurrency
        self.threads = threads
        self.timeout = timeout
        self._on_progress = on_progress
        self._pending = deque(sources)
        # Per file, so that threads never share a counter.
        self._sent = dict.fromkeys((source.index for source in sources), 0)
        self._log = log
        self.skipped = skipped
        """Inputs an earlier run with the same results file had processed: not sent."""
        self._bytes_total = sum(source.size for source in sources)
        self._done = 0
        self._failed = 0
        self._stopped = False
        self._started = 0.0
        self._deadline: float | None = None
        self._reported: tuple[int, int] | None = None
        self._last_report = 0.0
        self._header_names: tuple[str, str] | None = None  # as the template spells them
        self.ready: deque[FileResult] = deque()
        """Results known without sending anything (an empty file), for the client to yield."""
        self.span: Any = None
        """The run's span when it is traced (``_telemetry``), else None."""

    @property
    def total(self) -> int:
        """How many files the batch has."""
        return len(self.sources)

    # -- the clock --------------------------------------------------------------------

    def begin(self) -> None:
        """Start the batch's clock (and its deadline), as the first request goes out."""
        self._started = time.monotonic()
        if self.timeout is not None:
            self._deadline = self._started + self.timeout
        self.span = _telemetry.start_run(self.total, self.concurrency)

    def time_left(self) -> float | None:
        """Seconds to the deadline (0 when passed), or None without one."""
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def wait_time(self) -> float | None:
        """How long a client may wait for an upload to end before calling :meth:`tick`."""
        left = self.time_left()
        if self._on_progress is None:
            return left
        return PROGRESS_INTERVAL if left is None else min(PROGRESS_INTERVAL, left)

    # -- uploads ----------------------------------------------------------------------

    def next_upload(self, template: Call[WebhookResponse]) -> Upload | None:
        """The next file to send and its request, made from ``template`` (the task's PUT
        /webhook of one streamed file); None when every file has been started.

        A file that need not be sent (an empty one) goes to :attr:`ready` instead.
        """
        while self._pending and not self._stopped:
            source = self._pending.popleft()
            if source.size == 0:
                self.ready.append(self._empty(source))
                continue
            call = self._upload_call(template, source)
            assert isinstance(call.content, StreamedBody)
            return Upload(source, call, call.content, self.span)
        return None

    @property
    def sends_nothing(self) -> bool:
        """Whether no file needs sending (none left, or only empty ones): no task is
        started, and :meth:`unsent` gives every file's result."""
        return not any(source.size for source in self.sources)

    def unsent(self) -> list[FileResult]:
        """The result of every file, for a batch that :attr:`sends_nothing`."""
        return [self._empty(source) for source in self.sources]

    def _empty(self, source: Source) -> FileResult:
        return self._result(source, None, None, 0.0, skipped="empty")

    def _upload_call(
        self, template: Call[WebhookResponse], source: Source
    ) -> Call[WebhookResponse]:
        """PUT /webhook with the file as the raw body, streamed: one file, one request.

        The client builds the batch's request once; each file changes only its two headers
        and its body (building a request costs a tenth of sending a small file).
        """
        if self._header_names is None:
            names = {name.lower(): name for name in template.headers}
            self._header_names = (names["content-disposition"], names["content-type"])
        disposition, kind = self._header_names
        headers = dict(template.headers)
        headers[disposition] = content_disposition(source.name)
        headers[kind] = source.content_type
        body = StreamedBody(
            source.size,
            path=source.path,
            data=source.data,
            remote=source.remote,
            on_chunk=functools.partial(self._chunk, source.index),
        )
        return template.with_body(headers, body)

    def _chunk(self, index: int, sent: int) -> None:
        """A streamed body's report, from whichever thread sends it."""
        if self._stopped:
            raise Stopped
        self._sent[index] = sent

    @staticmethod
    def succeeded(upload: Upload, answer: WebhookResponse, started: float) -> Outcome:
        """The outcome of an upload the service answered."""
        return Outcome(upload.source, answer, None, time.monotonic() - started)

    @staticmethod
    def failed(upload: Upload, exc: Exception, started: float) -> Outcome | None:
        """The outcome of an upload that raised ``exc``; None when the batch stopped it."""
        if isinstance(exc, BodyError):
            exc = exc.error  # the file's own error, not the HTTP stack's view of it
        if isinstance(exc, Stopped):
            return None
        return Outcome(upload.source, None, exc, time.monotonic() - started)

    def finish(self, outcome: Outcome) -> FileResult:
        """Count an upload's outcome and return its file's result.

        Raises the outcome's error when it concerns the whole batch (the key was refused,
        the task is gone): the client then stops, as it does for any exception.
        """
        if outcome.error is not None and isinstance(outcome.error, BATCH_ERRORS):
            raise outcome.error
        result = self._result(outcome.source, outcome.answer, outcome.error, outcome.elapsed)
        if result.ok:
            self._sent[outcome.source.index] = outcome.source.size
        return result

    def _result(
        self,
        source: Source,
        answer: WebhookResponse | None,
        error: Exception | None,
        elapsed: float,
        skipped: Skipped | None = None,
    ) -> FileResult:
        self._done += 1
        self._failed += error is not None
        results = results_of(answer) if answer is not None else None
        result = FileResult(
            source.name,
            source.path,
            source.index,
            source.size,
            results,
            error,
            elapsed,
            source.input,
            source.version,
            source.relative,
            skipped,
        )
        if self._log is not None:
            self._log.write(result.to_dict())
        return result

    # -- while waiting ----------------------------------------------------------------

    def progress(self) -> BatchProgress:
        """Where the batch stands now."""
        return BatchProgress(
            done=self._done,
            failed=self._failed,
            total=len(self.sources),
            bytes_sent=sum(self._sent.values()),
            bytes_total=self._bytes_total,
            elapsed=time.monotonic() - self._started,
        )

    def tick(self, task: Any) -> None:
        """Report progress when something changed, and every :data:`PROGRESS_INTERVAL`
        (so that elapsed time moves on while the service works); raise at the deadline.

        Raises:
            TaskTimeoutError: ``timeout`` seconds have passed since :meth:`begin`.
        """
        now = time.monotonic()
        if self._deadline is not None and now >= self._deadline:
            raise self._timed_out(task)
        if self._on_progress is None:
            return
        current = self.progress()
        key = (current.done, current.bytes_sent)
        if key != self._reported or now - self._last_report >= PROGRESS_INTERVAL:
            self._reported, self._last_report = key, now
            self._on_progress(current)

    def _timed_out(self, task: Any) -> TaskTimeoutError:
        return TaskTimeoutError(
            f"Processing did not finish within {duration(self.timeout or 0.0)}: "
            f"{self._done} of {len(self.sources)} files were done; the others were "
            "cancelled and the task deleted.",
            task=task,
            status=None,
            left_running=False,
        )

    @property
    def stopped(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stopped

    def stop(self) -> None:
        """End the batch: nothing new starts and every streamed body stops at its next
        chunk (the sync client cannot interrupt a request otherwise)."""
        self._stopped = True

    def close(self) -> None:
        """The batch has ended: release its results file, if it has one."""
        if self.span is not None:
            ended = self._done == self.total
            _telemetry.end_run(self.span, self._done - self._failed, self._failed, not ended)
            self.span = None
        self._stopped = True
        if self._log is not None:
            self._log.close()


def plan_batch(
    inputs: ProcessInput | Iterable[ProcessInput],
    pipeline: PipelineInput | None,
    concurrency: int,
    threads: int | None,
    timeout: float | None,
    on_progress: Callable[[BatchProgress], object] | None,
    results: str | os.PathLike[str] | None = None,
    resume: bool = True,
    storage_options: Mapping[str, Any] | None = None,
    *,
    overwrite: bool = False,
    include: Patterns | None = None,
    exclude: Patterns | None = None,
) -> BatchPlan:
    """Check everything ``process()`` was given and list its files, before anything is sent.

    With ``results``, the results file is opened and locked, and (``resume``) the inputs
    it already holds a successful line for are left out; without ``resume``, a results file
    that holds anything is replaced only with ``overwrite``.

    Raises:
        ValueError: A bad option, a pipeline whose source is not a webhook, or an input
            that names no file (see :func:`resolve_inputs`).
        TypeError: An option or input of the wrong type.
        FileExistsError: ``results`` holds lines, and neither ``resume`` nor ``overwrite``;
            or (``NotAResultsFileError``) it holds no file's result, and no ``overwrite``.
    """
    from ._checks import check_threads

    if pipeline is None:
        from .pipelines import simple_parser

        pipeline = simple_parser()
    body = wrap_pipeline(pipeline)
    if not is_webhook(body):
        raise ValueError(
            "process() needs a pipeline whose source is a webhook (such as "
            "pipelines.simple_parser()): each file is uploaded to it"
        )
    concurrency = check_concurrency(concurrency)
    threads = check_threads(threads)
    check_seconds(timeout, "timeout", none_allowed=True)
    if on_progress is not None and not callable(on_progress):
        raise TypeError("on_progress must be callable")
    if not isinstance(resume, bool):
        raise TypeError(f"resume must be True or False, not {resume!r}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, not {overwrite!r}")
    if resume and overwrite:
        raise ValueError(
            "overwrite=True replaces the results file's lines, and resume (True by default) "
            "goes on from them: pass resume=False with overwrite=True"
        )
    if results is not None and not isinstance(results, str | os.PathLike):
        raise TypeError(f"results must be a path, not {type(results).__name__}")
    if storage_options is not None and not isinstance(storage_options, Mapping):
        raise TypeError(f"storage_options must be a mapping, not {type(storage_options).__name__}")
    choice = Choice.of(include, exclude)
    leave_out = None if results is None else Path(results)
    sources = resolve_inputs(inputs, leave_out, storage_options, choice)
    if results is None:
        return BatchPlan(sources, body.to_dict(), concurrency, threads, timeout, on_progress)
    log = open_results(results, resume=resume, overwrite=overwrite)
    left = [source for source in sources if not log.finished(source.input, source.version)]
    skipped = len(sources) - len(left)
    return BatchPlan(
        left, body.to_dict(), concurrency, threads, timeout, on_progress, log, skipped
    )


# -- what process() returns ---------------------------------------------------------------


class Batch:
    """What :meth:`AparaviDTC.process` returns: a :class:`FileResult` per file, in the order
    they finish, as they arrive.

    Nothing is sent until the first result is asked for. Leaving a ``with`` block, calling
    :meth:`close`, breaking out of the loop that iterates it, or an exception there ends the
    batch: uploads in flight stop and the task is deleted.
    """

    def __init__(self, results: Generator[FileResult, None, None], plan: BatchPlan) -> None:
        self._results = results
        self._plan = plan
        self.total = plan.total
        """How many files the batch has (those an earlier run finished not counted)."""
        self.skipped = plan.skipped
        """Inputs left out because the results file shows them processed already."""

    def __repr__(self) -> str:
        return f"Batch(total={self.total}, skipped={self.skipped})"

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> FileResult:
        return next(self._results)  # its own end closes the plan (the client's generator)

    def close(self) -> None:
        """Stop the batch: uploads in flight end, nothing new starts, the task is deleted.

        From another thread while a loop iterates the batch, the batch stops and that loop
        ends it (the loop's own thread deletes the task).
        """
        try:
            self._results.close()
        except ValueError:  # "generator already executing": another thread is in it
            self._plan.stop()
            return
        self._plan.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBatch:
    """What :meth:`AsyncAparaviDTC.process` returns: an async iterator of :class:`FileResult`,
    in the order the files finish.

    Use it as ``async with client.process(...) as batch: async for result in batch:``, so
    that leaving the block (a ``break``, an exception) cancels the uploads in flight and
    deletes the task at once; without ``async with``, that happens when the batch is
    garbage-collected, or on :meth:`aclose`.
    """

    def __init__(self, results: AsyncGenerator[FileResult, None], plan: BatchPlan) -> None:
        self._results = results
        self._plan = plan
        self.total = plan.total
        """How many files the batch has (those an earlier run finished not counted)."""
        self.skipped = plan.skipped
        """Inputs left out because the results file shows them processed already."""

    def __repr__(self) -> str:
        return f"AsyncBatch(total={self.total}, skipped={self.skipped})"

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> FileResult:
        return await self._results.__anext__()  # its own end closes the plan

    async def aclose(self) -> None:
        """Stop the batch: uploads in flight are cancelled, the task is deleted."""
        try:
            await self._results.aclose()
        except RuntimeError:  # "already running": another task is in it, and ends it
            self._plan.stop()
            return
        self._plan.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
