"""The asynchronous client and its task handle. Only I/O lives here; see ``_base``.

The sync client (``_client.py``) is generated from this file by ``tools/unasync.py``:
edit this one, then run it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from . import _telemetry, _transports
from ._async_methods import AsyncClientMethods, AsyncPipeMethods, AsyncTaskMethods
from ._checks import TimeoutTypes, check_task_id, check_token
from ._config import (
    DEFAULT_AUTH_SCHEME,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_WAIT_TIMEOUT,
    POLL_INTERVAL,
    AuthScheme,
)
from ._exceptions import AparaviError, TaskNotFoundError
from ._logging import SENDING
from ._pipeline import PipelineInput
from ._polling import Progress, Waiter
from ._raw import async_raw_view, capturing
from ._redact import mask
from ._response import RawResponse
from ._run import RunResult, check_validation, plan_run, results_of
from ._sentinel import NOT_GIVEN, NotGiven
from ._shield import shielded
from ._telemetry import operation_span
from ._types import Call, FileInput

if TYPE_CHECKING:  # process() loads them on first use, so that a first client starts faster
    from aparavi_dtc_api.models import (
        Envelope,
        PipeCreatedResponse,
        StartTaskResponse,
        TaskStatus,
        WebhookResponse,
        WebhookResult,
    )

    from ._batch import AsyncBatch, BatchPlan, BatchProgress, FileResult, Outcome, Upload
    from ._inputs import ProcessInput
    from ._upload_pool import AsyncUploadPool

M = TypeVar("M")


class AsyncTask(AsyncTaskMethods):
    """A handle on one task: its ``token`` and ``type`` and what can be done with it.

    Made by :meth:`AsyncAparaviDTC.start_task` and :meth:`AsyncAparaviDTC.task`; sends
    nothing until used. ``repr()`` masks the token.
    """

    __slots__ = ("_client", "token", "type")
    _client: AsyncAparaviDTC

    def __init__(self, client: AsyncAparaviDTC, token: str, type: str) -> None:
        self._client = client
        self.token = token
        self.type = type

    def __repr__(self) -> str:
        return f"AsyncTask(token={mask(self.token)!r}, type={self.type!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncTask):
            return NotImplemented
        return (self._client, self.token, self.type) == (other._client, other.token, other.type)

    def __hash__(self) -> int:
        return hash((self.token, self.type))

    @property
    def with_raw_response(self) -> AsyncTaskRawResponses:
        """The task's operations answering the HTTP response they read; ``.parse()``
        returns what the plain method returns."""
        return AsyncTaskRawResponses(self)

    async def delete(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Envelope:
        """Cancel and delete the task (DELETE /task).

        When this is the client's current task, the client forgets it, also when the
        service answers that the task is gone already (``TaskNotFoundError``).
        """
        client = self._client
        try:
            result = await client._send(
                client._delete_task_call(self.token, self.type, timeout, max_retries)
            )
        except TaskNotFoundError:
            client._forget(self.token, self.type)
            raise
        client._forget(self.token, self.type)
        return result

    async def send_to_webhook(
        self,
        files: FileInput | Sequence[FileInput] | None = None,
        *,
        text: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WebhookResponse:
        """Send files or text to the task (PUT /webhook); the answer holds the results.

        See :meth:`AsyncAparaviDTC.send_to_webhook`.
        """
        client = self._client
        call = client._webhook_call(self.token, self.type, files, text, timeout, max_retries)
        return await client._send(call)

    async def wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> TaskStatus:
        """Poll until the task finishes and return its final status.

        Finished means a status of Completed, Failed, Cancelled, Done or Error, or
        ``completed`` true; Paused is not finished. The interval starts at
        ``poll_interval`` and grows to at most 15 s. ``on_progress`` gets a
        :class:`Progress` on every poll.

        Raises:
            TaskFailedError: The task failed or was cancelled, or finished with errors.
            TaskTimeoutError: ``timeout`` seconds passed; the task is left running.
        """
        client = self._client
        return await client._wait(self, client._waiter(self, timeout, poll_interval, on_progress))

    def chat_url(self) -> str:
        """The URL of the task's chat page, to open in a browser; nothing is sent.

        The URL carries the API key (the page takes it as ``apikey``): treat it as a
        secret, never log or share it.
        """
        return self._client._page_url("chat", self.token, self.type)

    def dropper_url(self) -> str:
        """The URL of the task's upload page, to open in a browser; nothing is sent.

        The URL carries the API key (the page takes it as ``apikey``): treat it as a
        secret, never log or share it.
        """
        return self._client._page_url("dropper", self.token, self.type)


class AsyncPipe(AsyncPipeMethods):
    """A handle on a persistent pipe: its ``token``, uploads and deletion.

    Made by :meth:`AsyncAparaviDTC.create_pipe` and :meth:`AsyncAparaviDTC.pipe`. A pipe
    processes many uploads and lives until deleted; as an async context manager it is
    deleted on exit. ``repr()`` masks the token.
    """

    __slots__ = ("_client", "token")
    _client: AsyncAparaviDTC

    def __init__(self, client: AsyncAparaviDTC, token: str) -> None:
        self._client = client
        self.token = token

    def __repr__(self) -> str:
        return f"AsyncPipe(token={mask(self.token)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncPipe):
            return NotImplemented
        return (self._client, self.token) == (other._client, other.token)

    def __hash__(self) -> int:
        return hash(self.token)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            await shielded(self.delete)
            return
        # The error in the block is the one to see: a failure to delete is logged.
        await shielded(lambda: self._client._discard(self))

    @property
    def with_raw_response(self) -> AsyncPipeRawResponses:
        """The pipe's operations answering the HTTP response they read; ``.parse()``
        returns what the plain method returns."""
        return AsyncPipeRawResponses(self)

    async def process(
        self,
        files: FileInput | Sequence[FileInput],
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WebhookResult:
        """Process one file or several through the pipe (PUT /pipe/process).

        Every file is read before anything is sent; the upload is not sent twice. Returns
        what the pipeline produced: ``result.objects`` maps an object id to its text.
        """
        client = self._client
        call = client._process_pipe_call(self.token, files, timeout, max_retries)
        return results_of(await client._send(call))

    async def delete(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Envelope:
        """Delete the pipe (DELETE /pipe)."""
        client = self._client
        return await client._send(client._delete_pipe_call(self.token, timeout, max_retries))


class AsyncAparaviDTC(AsyncClientMethods):
    """Asynchronous client of the Aparavi DTC task API.

    Like the Node SDK, the client remembers the task it started last (``token``, ``type``)
    and ``get_task()``, ``delete_task()`` and ``send_to_webhook()`` act on it. Use it as an
    async context manager, or call :meth:`aclose`, to release its connections.

    Args:
        api_key: The API key; defaults to ``$APARAVI_API_KEY``. Never logged or shown.
        base_url: Defaults to ``$APARAVI_BASE_URL``, then ``https://eaas.aparavi.com``.
            Plain ``http://`` is accepted only for loopback hosts.
        timeout: Seconds above 0, an ``httpx.Timeout``, or None for no timeout; defaults
            to ``$APARAVI_TIMEOUT``, then 30 s (5 s to connect). It bounds every request,
            uploads included. Without one, an upload waits up to 10 minutes for its
            answer (connecting and sending keep the short bounds): the service answers
            an upload only once it has processed the document, which takes minutes for
            OCR or a transcription.
        max_retries: How many times a failed request may be retried, 0 to 10; defaults
            to ``$APARAVI_MAX_RETRIES``, then 2.
        auth_scheme: ``"raw"`` sends ``Authorization: <key>`` as the Node SDK does;
            ``"bearer"`` sends ``Authorization: Bearer <key>``.
        headers: Extra headers sent with every request.
        strict: Raise :class:`APIResponseValidationError` for any response field that does
            not fit the spec. By default only what the SDK cannot work without must fit
            (a task status's ``status``, a started task's ``token`` and ``type``); any
            other field that does not is left out of its typed attribute, kept raw under
            its wire name (``status.data["totalCount"]``) and logged at DEBUG.
        max_response_size: The largest response body, decoded, the client reads (64 MiB);
            a larger one raises :class:`ResponseTooLargeError` without being read further.
            None for no limit.
        transport: Send through this httpx transport instead of aiohttp, for example
            ``httpx.MockTransport`` or ``httpx.AsyncHTTPTransport()`` (which respx can
            mock) in tests. It replaces the connection pool, proxies and TLS settings;
            the client closes it.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        auth_scheme: AuthScheme = DEFAULT_AUTH_SCHEME,
        headers: Mapping[str, str] | None = None,
        strict: bool = False,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            auth_scheme=auth_scheme,
            headers=headers,
            strict=strict,
            max_response_size=max_response_size,
        )
        # unasync: async
        self._sender: _transports.Sender = (
            _transports.default_sender(self.base_url, self.timeout, self.max_response_size)
            if transport is None
            else _transports.HttpxSender(transport, self.max_response_size)
        )
        # unasync: sync
        # self._sender: _transports.SyncSender = _transports.default_sync_sender(
        #     self.base_url, self._headers, self.timeout, self.max_response_size, transport
        # )
        # unasync: end

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client's connections. The client cannot be used afterwards."""
        await self._sender.aclose()

    async def _send(self, call: Call[M]) -> M:
        seen = capturing()
        if seen is not None:  # a raw view runs: keep the response, go on as usual
            raw = await self._send_raw(call)
            seen.append(raw)
            return raw.parse()
        with operation_span(call) as call:  # traced when a tracer provider is set
            status, headers, content, _, _ = await self._exchange(call)
            return self._handle(call, status, headers, content)

    async def _send_raw(self, call: Call[M]) -> RawResponse[M]:
        with operation_span(call) as call:
            status, headers, content, elapsed, attempts = await self._exchange(call)
        return RawResponse(call, status, headers, content, elapsed, attempts, self.strict)

    async def _exchange(self, call: Call[M]) -> tuple[int, Mapping[str, str], bytes, float, int]:
        """Send ``call`` until an answer is final (retries as ``_retry`` decides): its
        status, headers and body, the seconds of its attempt, and the attempts made."""
        sending = SENDING.set(call.redactor)  # what the stacks log meanwhile is masked with it
        try:
            attempt = 0
            while True:
                started = time.monotonic()
                failure: httpx.HTTPError | None = None
                try:
                    status, headers, content = await self._sender.send(call)
                except httpx.HTTPError as exc:
                    failure = exc  # decided outside this block, so no error chains to the request
                if failure is not None:
                    delay = self._retry_after_error(call, attempt, failure)
                else:
                    elapsed = time.monotonic() - started
                    self._log_response(call, attempt, status, elapsed)
                    retry = self._retry_after_response(call, attempt, status, headers)
                    if retry is None:
                        return status, headers, content, elapsed, attempt + 1
                    delay = retry
                await asyncio.sleep(delay)
                attempt += 1
        finally:
            SENDING.reset(sending)

    async def _wait(self, task: AsyncTask, waiter: Waiter) -> TaskStatus:
        while True:
            status = (await task.get()).data
            delay = waiter.observe(status)
            if delay is None:
                return status
            await asyncio.sleep(delay)

    # -- the public API ------------------------------------------------------------------

    def task(self, token: str, type: str) -> AsyncTask:
        """Return a handle on an existing task, for example one another process started.

        Sends nothing; the client's current task is unchanged.
        """
        token, type = check_task_id(token, type)
        return AsyncTask(self, token, type)

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """Each operation answering the HTTP response it read (status, masked headers, the
        envelope's metrics, elapsed time) instead of the model; ``.parse()`` gives the
        model. Example: ``client.with_raw_response.version().headers``."""
        return AsyncRawResponses(self)

    def pipe(self, token: str) -> AsyncPipe:
        """Return a handle on an existing pipe by its token. Sends nothing."""
        return AsyncPipe(self, check_token(token, "pipe token"))

    async def create_pipe(
        self,
        pipeline: PipelineInput,
        *,
        name: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncPipe:
        """Create a persistent pipe running ``pipeline`` (POST /pipe).

        A pipe processes many uploads (:meth:`AsyncPipe.process`) and lives until deleted:
        use it as an async context manager, or call :meth:`AsyncPipe.delete`. For one
        batch, :meth:`run` (a task deleted at the end) is simpler.
        """
        call = self._create_pipe_call(pipeline, name, timeout, max_retries)
        return await shielded(lambda: self._created_pipe(call), undo=self._discard)

    async def _created_pipe(self, call: Call[PipeCreatedResponse]) -> AsyncPipe:
        return AsyncPipe(self, self._pipe_token(await self._send(call)))

    async def start_task(
        self,
        pipeline: PipelineInput,
        *,
        name: str | None = None,
        threads: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncTask:
        """Start a task running ``pipeline`` (PUT /task) and make it the current task.

        Args:
            pipeline: A mapping, a JSON string or a path to a JSON file, either the
                pipeline itself or already wrapped as ``{"pipeline": ...}``.
            name: An optional name for the task.
            threads: How many threads the task may use, 1 to 16.

        Returns:
            An :class:`AsyncTask` holding the ``token`` and ``type`` the service answered, which
            are also stored as ``client.token`` and ``client.type``.
        """
        call = self._start_task_call(pipeline, name, threads, timeout, max_retries)
        return await shielded(lambda: self._started_task(call, name), undo=self._discard)

    async def _started_task(self, call: Call[StartTaskResponse], name: str | None) -> AsyncTask:
        data = (await self._send(call)).data
        task = AsyncTask(self, data.token, data.type_)
        try:
            self._remember(data.token, data.type_, name)
        except BaseException:  # a listener refused it: delete what nobody will know of
            await self._discard(task)
            raise
        return task

    async def _discard(self, handle: AsyncTask | AsyncPipe) -> None:
        """Delete a task or pipe that an error or a cancellation is leaving behind; one
        already gone is fine, a failure is logged (the error on its way out is the one to
        see). Run through :func:`shielded`, so that no cancellation cuts it short."""
        try:
            await handle.delete()
        except TaskNotFoundError:
            pass
        except AparaviError as cleanup:
            self._cleanup_failed(cleanup, "pipe" if isinstance(handle, AsyncPipe) else "task")

    async def delete_task(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Envelope:
        """Cancel and delete the current task (DELETE /task), then forget it."""
        token, type_ = self._active_task()
        return await AsyncTask(self, token, type_).delete(timeout=timeout, max_retries=max_retries)

    async def send_to_webhook(
        self,
        files: FileInput | Sequence[FileInput] | None = None,
        *,
        text: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> WebhookResponse:
        """Send files or text to the current task, whose source must be a webhook.

        One file goes as the raw body with its content type and a Content-Disposition
        naming it; several go as ``multipart/form-data`` parts named ``files``; ``text``
        goes as ``text/plain``. Neither a file nor the text may be empty. A file is a path
        or a ``(filename, bytes[, type])`` tuple. Every file is read before anything is sent.

        The answer's ``data`` is a :class:`WebhookResult`: what the pipeline produced.
        """
        token, type_ = self._active_task()
        call = self._webhook_call(token, type_, files, text, timeout, max_retries)
        return await self._send(call)

    async def validate(
        self,
        pipeline: PipelineInput,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Envelope:
        """Ask the service to check ``pipeline`` without running it (POST /pipe/validate)."""
        return await self._send(self._validate_call(pipeline, timeout, max_retries))

    async def wait_for_task(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> TaskStatus:
        """Wait for the current task to finish; see :meth:`AsyncTask.wait`."""
        token, type_ = self._active_task()
        task = AsyncTask(self, token, type_)
        return await task.wait(
            timeout=timeout, poll_interval=poll_interval, on_progress=on_progress
        )

    async def run(
        self,
        pipeline: PipelineInput,
        files: FileInput | Sequence[FileInput] | None = None,
        *,
        text: str | None = None,
        name: str | None = None,
        threads: int | None = None,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
        on_progress: Callable[[Progress], object] | None = None,
    ) -> RunResult:
        """Run a pipeline in one call and delete its task.

        Validates the pipeline and starts a task. For a webhook pipeline, waits until the
        task is Running, uploads ``files`` or ``text`` and returns what the pipeline
        produced (``result.results``, ``result.texts``): such a task is a service that
        stays Running, and its results come in the upload's answer. Any other pipeline is
        waited for until it finishes. The task is deleted on every path: success, error,
        timeout and cancellation. ``timeout`` covers the whole run.

        Raises:
            PipelineValidationError: The service found errors in the pipeline.
            TaskFailedError: The task failed.
            TaskTimeoutError: The run took longer than ``timeout``; the task was deleted.
        """
        plan = plan_run(pipeline, files, text, timeout, poll_interval, on_progress)
        check_validation(await self.validate(plan.body))
        task = await self.start_task(plan.body, name=name, threads=threads)
        try:
            if plan.upload is not None:
                running = await self._wait(task, self._run_waiter(plan, task, "running"))
                answer = await task.send_to_webhook(**plan.upload)
                result = RunResult(status=running, results=results_of(answer))
            else:
                final = await self._wait(task, self._run_waiter(plan, task, "finished"))
                result = RunResult(status=final, results=None)
        except BaseException:
            await shielded(lambda: self._discard(task))
            raise
        await shielded(task.delete)
        return result

    def process(
        self,
        inputs: ProcessInput | Iterable[ProcessInput],
        pipeline: PipelineInput | None = None,
        *,
        concurrency: int = 4,  # _batch.DEFAULT_CONCURRENCY (a test keeps them equal)
        threads: int | None = None,
        timeout: float | None = None,
        on_progress: Callable[[BatchProgress], object] | None = None,
        results: str | os.PathLike[str] | None = None,
        resume: bool = True,
        storage_options: Mapping[str, Any] | None = None,
        overwrite: bool = False,
        include: str | Sequence[str] | None = None,
        exclude: str | Sequence[str] | None = None,
    ) -> AsyncBatch:
        """Process many files through one webhook task, each file its own upload.

        Not a coroutine: it resolves the inputs at once and returns an :class:`AsyncBatch`
        to iterate with ``async for``, best inside ``async with``, so that leaving the
        block cancels the uploads in flight and deletes the task at once.

        ``inputs`` is one or more paths, directories (walked recursively, hidden files
        skipped), glob patterns (``"scans/**/*.pdf"``) or ``(name, bytes)`` tuples. Every
        input is resolved when this is called, before anything is sent: a missing path or a
        pattern that matches nothing raises ``ValueError`` here.

        Iterating the returned :class:`AsyncBatch` validates ``pipeline`` (default
        ``pipelines.simple_parser()``), starts one task, waits until it is Running, and
        uploads the files, up to ``concurrency`` at once, each streamed from disk (memory
        does not grow with file size). It yields a :class:`FileResult` per file, in the
        order they finish: the typed results, or the error of that file, which does not stop
        the others. The task is deleted at the end, and on every other way out: an error,
        ``aclose()``, a ``break`` or an exception in the loop, a cancellation. An upload is
        resent only when it cannot have reached the service, and then re-reads the file.

        Args:
            concurrency: Uploads in flight at once, 1 to 32.
            threads: Threads for the task, 1 to 16 (the service's default if None).
            timeout: Seconds the whole batch may take, or None; past it, the uploads in
                flight are abandoned, the task deleted and ``TaskTimeoutError`` raised.
            on_progress: Called with a :class:`BatchProgress` (files done, failed and in
                all, bytes sent and in all, elapsed time) as files finish and while bytes
                are being sent, in the task that iterates.
            results: A results file (JSON Lines) that makes the run resumable: one line per
                finished file, written and flushed as it finishes (``FileResult.to_dict()``
                with the input and its version). With ``resume`` (the default), inputs
                whose input and version (size and modification time, or a digest of bytes)
                already have a successful line are skipped (``AsyncBatch.skipped``); failed ones
                are sent again. The file is locked while the batch runs.
            resume: False to start the results file afresh: a file that holds lines is
                then replaced only with ``overwrite=True``, and refused otherwise
                (``FileExistsError``, raised here, with nothing sent).
            overwrite: With ``resume=False``, replace the lines of an existing results
                file. Nothing a results file holds is replaced without it.
            include: A glob pattern, or several: only files whose path below the folder
                given matches one are processed (``FileResult.relative_path``:
                ``sub/deeper/s2.csv`` for ``data/sub/deeper/s2.csv`` of ``"data/"``; below
                a glob's folder before its first wildcard, or a URL's prefix; a file named
                directly is its name). ``*`` matches across ``/``, a leading ``**/`` also
                matches files at the top, and a pattern without ``/`` also matches the
                file's name: ``"*.pdf"``, ``"sub/*"``, ``"draft*"``.
            exclude: Patterns as for ``include``: files that match one are left out.
                Exclude wins: a file both include and exclude match is left out. Files
                found but none kept raises ``ValueError`` here.
            storage_options: Passed to fsspec for inputs that are URLs (``s3://bucket/
                prefix/``, ``gs://``, ``az://``, ``memory://``, globs on them): credentials,
                an endpoint. Objects stream from the store a chunk at a time. Needs the
                ``fsspec`` extra and the filesystem's own package (s3fs, gcsfs, adlfs).

        Raises:
            ResultsFileInUseError: Another run is writing ``results`` (raised here).
            FileExistsError: ``results`` holds lines and ``resume=False`` came without
                ``overwrite=True`` (raised here).
            NotAResultsFileError: ``results`` holds something but no file's result, and
                ``overwrite=True`` was not given (raised here; a ``FileExistsError``).
            PipelineValidationError: The service found errors in the pipeline.
            AuthenticationError: The key was refused (also mid-batch: it ends the batch).
            TaskNotFoundError: The task disappeared mid-batch.
            TaskTimeoutError: ``timeout`` passed.
        """
        from ._batch import AsyncBatch, plan_batch

        plan = plan_batch(
            inputs,
            pipeline,
            concurrency,
            threads,
            timeout,
            on_progress,
            results,
            resume,
            storage_options,
            overwrite=overwrite,
            include=include,
            exclude=exclude,
        )
        return AsyncBatch(self._process_files(plan), plan)

    async def _process_files(self, plan: BatchPlan) -> AsyncGenerator[FileResult, None]:
        inner = self._batch(plan)
        try:
            async for result in inner:
                yield result
        finally:
            try:
                await inner.aclose()  # its own clean-up (the task deleted) now, not when collected
            finally:
                plan.close()  # also for a batch dropped unfinished: its results file is released

    async def _batch(self, plan: BatchPlan) -> AsyncGenerator[FileResult, None]:
        if plan.sends_nothing:  # nothing left, or only empty files: no task is started
            for result in plan.unsent():
                yield result
            return
        plan.begin()
        with _telemetry.within(plan.span):  # before the first result: nothing yields here
            check_validation(await self.validate(plan.body))
            task = await self.start_task(plan.body, threads=plan.threads)
        from ._upload_pool import AsyncUploadPool

        pool = AsyncUploadPool(self._upload, plan.concurrency)
        try:
            waiter = self._waiter(
                task, plan.time_left(), POLL_INTERVAL, None, target="running", left_running=False
            )
            await self._wait(task, waiter)
            plan.tick(task)
            template = self._streamed_upload_call(task.token, task.type)
            while True:
                while pool.has_room() and (upload := plan.next_upload(template)):
                    pool.start(upload)
                finished = list(plan.ready)
                plan.ready.clear()
                if pool.busy() and not finished:
                    for outcome in await pool.ended(plan.wait_time()):
                        if outcome is not None:
                            finished.append(plan.finish(outcome))
                elif not pool.busy() and not finished:
                    break
                plan.tick(task)
                for result in finished:
                    yield result
        except BaseException:
            plan.stop()  # streamed bodies stop at their next chunk
            pool.stop()
            await shielded(lambda: self._abandon_batch(task, pool))
            raise
        pool.close()
        await shielded(lambda: self._end_batch_task(task))

    async def _upload(self, upload: Upload) -> Outcome | None:
        from ._batch import BatchPlan

        started = time.monotonic()
        source = upload.source
        with _telemetry.file_span(upload.run_span, source.name, source.index, source.size):
            try:
                upload.body.check()  # a file gone or changed since listed is not sent at all
                answer = await self._send(upload.call)
            except Exception as exc:  # that file's error; the batch goes on
                _telemetry.file_failed(exc)
                return BatchPlan.failed(upload, exc, started)
        return BatchPlan.succeeded(upload, answer, started)

    async def _abandon_batch(self, task: AsyncTask, pool: AsyncUploadPool) -> None:
        """End a batch an error or a cancellation stopped: its stopped uploads end, then
        its task is deleted."""
        await pool.settle()
        await self._discard(task)

    async def _end_batch_task(self, task: AsyncTask) -> None:
        """Delete a finished batch's task; one already gone is fine."""
        with contextlib.suppress(TaskNotFoundError):
            await task.delete()


# -- raw views: written by tools/methods.py from the registry (_operations.REGISTRY),
# one for every method that sends an operation. Nothing below this line is edited by
# hand: run `make generate`.


class AsyncRawResponses:
    """``client.with_raw_response``: each operation answering the :class:`RawResponse` it read;
    ``parse()`` returns what the plain method returns."""

    __slots__ = (
        "create_pipe",
        "delete_task",
        "get_task",
        "send_to_webhook",
        "services",
        "start_task",
        "status",
        "validate",
        "version",
    )

    def __init__(self, client: AsyncAparaviDTC) -> None:
        self.create_pipe = async_raw_view(client.create_pipe)
        self.delete_task = async_raw_view(client.delete_task)
        self.get_task = async_raw_view(client.get_task)
        self.send_to_webhook = async_raw_view(client.send_to_webhook)
        self.services = async_raw_view(client.services)
        self.start_task = async_raw_view(client.start_task)
        self.status = async_raw_view(client.status)
        self.validate = async_raw_view(client.validate)
        self.version = async_raw_view(client.version)


class AsyncTaskRawResponses:
    """``task.with_raw_response``: the task's operations answering their
    :class:`RawResponse`; ``parse()`` returns what the plain method returns."""

    __slots__ = (
        "delete",
        "get",
        "send_to_webhook",
    )

    def __init__(self, task: AsyncTask) -> None:
        self.delete = async_raw_view(task.delete)
        self.get = async_raw_view(task.get)
        self.send_to_webhook = async_raw_view(task.send_to_webhook)


class AsyncPipeRawResponses:
    """``pipe.with_raw_response``: the pipe's operations answering their
    :class:`RawResponse`; ``parse()`` returns what the plain method returns."""

    __slots__ = (
        "delete",
        "process",
    )

    def __init__(self, pipe: AsyncPipe) -> None:
        self.delete = async_raw_view(pipe.delete)
        self.process = async_raw_view(pipe.process)
