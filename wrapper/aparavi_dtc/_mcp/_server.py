"""The MCP server: its tools, built on the async client and ``process()``.

Loaded only by ``aparavi-dtc mcp`` (it imports ``mcp`` and pydantic, the ``mcp`` extra).
Every answer and every error goes through one :class:`~aparavi_dtc._redact.Redactor` that
knows the key and every task token the client has seen, and tasks are known to the model
by ids of this server's own (``task-1``), never by their tokens.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import itertools
import os
import secrets
import signal
import stat
import urllib.parse
import urllib.request
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, cast

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.stdio import stdio_server
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from .. import AparaviError, AsyncAparaviDTC, AsyncTask, TaskEvent, TaskNotFoundError, pipelines
from .._cli.status import file_error
from .._redact import Redactor
from .._run import results_of, text_of, validation_findings
from .._signals import STOP_SIGNALS
from ._roots import Roots

__all__ = ["Settings", "build", "serve"]

#: Runs whose cut text stays readable as resources; older ones are forgotten.
KEPT_RUNS = 32
RUN_URI = "aparavi-dtc://runs/{run}/{file}/{obj}"


@dataclasses.dataclass(frozen=True)
class Settings:
    """What ``aparavi-dtc mcp`` was started with."""

    roots: Roots
    max_file_size: int
    max_text: int
    concurrency: int
    read_only: bool
    http_port: int | None = None


# The tools' structured answers (their output schemas).


class ObjectText(BaseModel):
    """One processed object (a document, an attachment, ...) of a file."""

    name: str | None = Field(description="the object's name")
    path: str | None = Field(description="the object's path, as the pipeline saw it")
    metadata: dict[str, Any] = Field(description="what the pipeline found about the object")
    text: str = Field(description="its text, cut at the server's limit")
    chars: int = Field(description="the length of its whole text")
    rest: str | None = Field(
        description="when the text was cut: the URI of a resource holding the whole text"
    )


class FileAnswer(BaseModel):
    """One file of a run."""

    file: str = Field(description="the file's resolved path or URL")
    ok: bool
    error: str | None = Field(description="why the file failed, or null")
    size: int = Field(description="bytes")
    skipped: str | None = Field(description='"empty" for a file of 0 bytes, not sent')
    objects: list[ObjectText]


class ProcessAnswer(BaseModel):
    """What ``process_documents`` did."""

    run: str = Field(description="this run's id, in the URIs of cut text")
    total: int
    failed: int
    files: list[FileAnswer]


class PipelinesAnswer(BaseModel):
    pipelines: dict[str, str] = Field(description="each predefined pipeline's name: what it does")


class ValidateAnswer(BaseModel):
    valid: bool
    errors: list[str] = Field(description="what the service found wrong")
    warnings: list[str] = Field(description="what the service warns of")


class ServiceAnswer(BaseModel):
    version: dict[str, Any]
    status: dict[str, Any]


class TaskAnswer(BaseModel):
    task: str = Field(description="this server's id for the task (never its token)")
    type: str | None = None
    status: dict[str, Any] | None = None


class SendAnswer(BaseModel):
    task: str
    objects: list[ObjectText]
    run: str


# Input types shared by several tools.

PipelineName = Annotated[
    str | None,
    Field(description="a predefined pipeline (list_pipelines names them); default simple-parser"),
]
PipelineFile = Annotated[
    str | None, Field(description="a pipeline JSON file under the roots, instead of a name")
]
Inputs = Annotated[
    list[str],
    Field(
        description="files, folders (walked; hidden files skipped), glob patterns "
        "(**/*.pdf) or object-store URLs, under the server's roots; relative paths are "
        "taken from the first root",
        min_length=1,
    ),
]

_READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=True)
_STARTS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)
_DELETES = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True
)


class _State:
    """What one server holds: the client, its tasks, the text of recent runs."""

    def __init__(self, settings: Settings, client: AsyncAparaviDTC, redactor: Redactor) -> None:
        self.settings = settings
        self.client = client
        self.redactor = redactor
        self.live: dict[str, AsyncTask] = {}  # by token: every task the client started
        self.tasks: dict[str, AsyncTask] = {}  # by id: those start_task started
        self.ids = itertools.count(1)
        self.runs: collections.OrderedDict[str, list[list[str]]] = collections.OrderedDict()
        client.on_task(self._seen)

    def _seen(self, event: TaskEvent) -> None:
        if event.kind == "started":
            self.redactor.add(event.token)
            self.live[event.token] = self.client.task(event.token, event.type)
        else:
            self.live.pop(event.token, None)

    async def delete_all(self) -> None:
        """Delete every task still live (the server is stopping); shielded by the caller."""
        for task in list(self.live.values()):
            with contextlib.suppress(AparaviError):
                await task.delete()
        self.live.clear()
        self.tasks.clear()

    def message(self, exc: BaseException) -> str:
        """What failed and why, from the error's fields (the SDK's typed reason), masked."""
        return self.redactor.text(file_error(exc, self.client.base_url))

    def fail(self, exc: BaseException) -> ToolError:
        """A tool error saying what failed and why."""
        return ToolError(self.message(exc))

    async def roots(self, ctx: Context) -> Roots:
        """The roots to check against: ``--root``'s, else the host's (MCP roots)."""
        if self.settings.roots:
            return self.settings.roots
        caps = ctx.client_capabilities
        if caps is None or caps.roots is None:
            return self.settings.roots
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            answer = await ctx.session.list_roots()
        folders = []
        for root in answer.roots:
            url = urllib.parse.urlsplit(str(root.uri))
            if url.scheme == "file":
                folders.append(urllib.request.url2pathname(url.path))
        return Roots(folders)

    def pipeline(self, roots: Roots, name: str | None, file: str | None) -> Any:
        if name is not None and file is not None:
            raise ValueError("give a pipeline name or a pipeline file, not both")
        if file is not None:
            found = roots.files([file], self.settings.max_file_size)
            if len(found) != 1:
                raise ValueError(f"{file}: a pipeline file is one file, not {len(found)}")
            return found[0]
        return pipelines.get(name) if name is not None else pipelines.simple_parser()

    def keep_run(self, texts: list[list[str]]) -> str:
        run = secrets.token_hex(4)
        self.runs[run] = texts
        while len(self.runs) > KEPT_RUNS:
            self.runs.popitem(last=False)
        return run

    def objects(
        self, run: str, file: int, items: list[Any], budget: list[int]
    ) -> list[ObjectText]:
        """Each object's answer, its text cut so that the whole answer keeps to the budget."""
        answers = []
        for number, item in enumerate(items):
            text = text_of(item)
            kept = text[: max(budget[0], 0)]
            budget[0] -= len(kept)
            data = item.to_dict()
            answers.append(
                ObjectText(
                    name=data.get("name"),
                    path=data.get("path"),
                    metadata=self.redactor.data(data.get("metadata") or {}),
                    text=kept,
                    chars=len(text),
                    rest=None
                    if len(kept) == len(text)
                    else RUN_URI.format(run=run, file=file, obj=number),
                )
            )
        return answers


def build(
    settings: Settings, client: AsyncAparaviDTC, redactor: Redactor
) -> tuple[MCPServer[Any], _State]:
    """The server with its tools (only those that start and upload nothing when
    ``settings.read_only``) and the resources of cut text."""
    state = _State(settings, client, redactor)
    server: MCPServer[Any] = MCPServer(
        "aparavi-dtc",
        version=_version(),
        instructions="Process documents through Aparavi pipelines: their text and metadata. "
        "Only files under the roots the user allowed can be read.",
        log_level="WARNING",
    )

    def tool(annotations: ToolAnnotations, *, writes: bool) -> Callable[[Any], Any]:
        def register(fn: Any) -> Any:
            if not (writes and settings.read_only):
                server.add_tool(fn, annotations=annotations, structured_output=True)
            return fn

        return register

    @tool(_READ, writes=False)
    async def list_pipelines() -> PipelinesAnswer:
        """List the predefined pipelines, by name, with what each does."""
        return PipelinesAnswer(
            pipelines={name: pipelines.summary(name) for name in pipelines.names()}
        )

    @tool(_READ, writes=False)
    async def validate_pipeline(
        ctx: Context, pipeline: PipelineName = None, pipeline_file: PipelineFile = None
    ) -> ValidateAnswer:
        """Ask the service to check a pipeline without running it (starts no task)."""
        try:
            chosen = state.pipeline(await state.roots(ctx), pipeline, pipeline_file)
            answer = await client.validate(chosen)
        except (AparaviError, ValueError, TypeError, OSError) as exc:
            raise state.fail(exc) from None
        errors, cautions = validation_findings(answer)
        return ValidateAnswer(
            valid=not errors,
            errors=[redactor.text(str(e)) for e in errors],
            warnings=[redactor.text(str(w)) for w in cautions],
        )

    @tool(_READ, writes=False)
    async def service_status() -> ServiceAnswer:
        """The service's version and status."""
        try:
            version = await client.version()
            status = await client.status()
        except AparaviError as exc:
            raise state.fail(exc) from None
        return ServiceAnswer(
            version=redactor.data(version.data.to_dict()) if version.data else {},
            status=redactor.data(status.to_dict()),
        )

    @tool(_STARTS, writes=True)
    async def process_documents(
        ctx: Context,
        inputs: Inputs,
        pipeline: PipelineName = None,
        pipeline_file: PipelineFile = None,
    ) -> ProcessAnswer:
        """Run documents through a pipeline (one task for all, deleted when done) and
        answer per file with each object's text and metadata. Long text is cut; the rest
        is a resource whose URI the answer gives."""
        try:
            roots = await state.roots(ctx)
            chosen = state.pipeline(roots, pipeline, pipeline_file)
            files = await anyio.to_thread.run_sync(roots.files, inputs, settings.max_file_size)
        except (ValueError, TypeError, OSError) as exc:
            raise state.fail(exc) from None
        results = []
        try:
            async with client.process(files, chosen, concurrency=settings.concurrency) as batch:
                await ctx.report_progress(0, batch.total, "starting")
                async for result in batch:
                    results.append(result)
                    what = "done" if result.ok else "failed"
                    await ctx.report_progress(len(results), batch.total, f"{result.name}: {what}")
        except (AparaviError, ValueError, TypeError, OSError) as exc:
            raise state.fail(exc) from None
        results.sort(key=lambda r: r.index)
        texts = [[text_of(o) for o in r.objects] for r in results]
        run = state.keep_run(texts)
        budget = [settings.max_text]
        answers = [
            FileAnswer(
                file=r.input,
                ok=r.ok,
                error=None
                if r.error is None
                else redactor.text(file_error(r.error, client.base_url)),
                size=r.size,
                skipped=r.skipped,
                objects=state.objects(run, number, r.objects, budget),
            )
            for number, r in enumerate(results)
        ]
        return ProcessAnswer(
            run=run, total=len(results), failed=sum(not r.ok for r in results), files=answers
        )

    @tool(_STARTS, writes=True)
    async def start_task(
        ctx: Context,
        pipeline: PipelineName = None,
        pipeline_file: PipelineFile = None,
        name: Annotated[str | None, Field(description="a name for the task")] = None,
    ) -> TaskAnswer:
        """Start a task running a pipeline; it lives until delete_task (or the server stops)."""
        try:
            roots = await state.roots(ctx)
            task = await client.start_task(
                state.pipeline(roots, pipeline, pipeline_file), name=name
            )
        except (AparaviError, ValueError, TypeError, OSError) as exc:
            raise state.fail(exc) from None
        task_id = f"task-{next(state.ids)}"
        state.tasks[task_id] = task
        return TaskAnswer(task=task_id, type=task.type)

    def started(task_id: str) -> AsyncTask:
        try:
            return state.tasks[task_id]
        except KeyError:
            known = ", ".join(state.tasks) or "none"
            raise ToolError(
                f"no task {task_id!r} started by this server (its tasks: {known})"
            ) from None

    @tool(_READ, writes=False)
    async def get_task(
        task: Annotated[str, Field(description="the id start_task answered")],
    ) -> TaskAnswer:
        """The status of a task this server started."""
        handle = started(task)
        try:
            answer = await handle.get()
        except AparaviError as exc:
            raise state.fail(exc) from None
        data = answer.data.to_dict() if answer.data else {}
        return TaskAnswer(task=task, type=handle.type, status=redactor.data(data))

    @tool(_STARTS, writes=True)
    async def send_to_task(
        ctx: Context,
        task: Annotated[str, Field(description="the id start_task answered")],
        inputs: Annotated[
            list[str] | None, Field(description="files under the roots to send")
        ] = None,
        text: Annotated[str | None, Field(description="text to send instead of files")] = None,
    ) -> SendAnswer:
        """Send files or text to a task this server started (its pipeline's source must be a
        webhook); answers with what the pipeline produced."""
        handle = started(task)
        try:
            files = None
            if inputs is not None:
                roots = await state.roots(ctx)
                files = await anyio.to_thread.run_sync(roots.files, inputs, settings.max_file_size)
            answer = await handle.send_to_webhook(files, text=text)
        except (AparaviError, ValueError, TypeError, OSError) as exc:
            raise state.fail(exc) from None
        items = list(results_of(answer).objects.values())
        run = state.keep_run([[text_of(o) for o in items]])
        return SendAnswer(
            task=task, run=run, objects=state.objects(run, 0, items, [settings.max_text])
        )

    @tool(_DELETES, writes=True)
    async def delete_task(
        task: Annotated[str, Field(description="the id start_task answered")],
    ) -> TaskAnswer:
        """Cancel and delete a task this server started."""
        handle = started(task)
        try:
            await handle.delete()
        except TaskNotFoundError:
            pass
        except AparaviError as exc:
            raise state.fail(exc) from None
        del state.tasks[task]
        return TaskAnswer(task=task, type=handle.type, status={"deleted": True})

    @server.resource(RUN_URI, mime_type="text/plain")
    def run_text(run: str, file: str, obj: str) -> str:
        """The whole text of one processed object of a recent run."""
        try:
            return state.runs[run][int(file)][int(obj)]
        except (KeyError, IndexError, ValueError):
            raise ValueError(
                f"no text {run}/{file}/{obj}: the run is unknown or forgotten"
            ) from None

    return server, state


def _version() -> str:
    from .._version import __version__

    return __version__


async def _run_stdio(server: MCPServer) -> None:
    """``server.run_stdio_async()``, reading the host's lines so that a stop signal ends
    the server at once: the mcp package reads stdin in a worker thread, which no
    cancellation interrupts, so the server would wait for the host's next line."""
    mode = os.fstat(0).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(0)):
        await server.run_stdio_async()  # a file: every read returns at once
        return
    lowlevel = server._lowlevel_server
    lines = cast("anyio.AsyncFile[str]", _lines(0))  # what stdio_server reads: lines
    async with stdio_server(stdin=lines) as (read_stream, write_stream):
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


async def _lines(fd: int) -> AsyncIterator[str]:
    """The lines of ``fd``, each read once the descriptor is readable (cancellable)."""
    buffer = bytearray()
    while True:
        await anyio.wait_readable(fd)
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:  # another reader was first
            continue
        if not chunk:
            break
        scanned, start = len(buffer), 0
        buffer += chunk
        while (end := buffer.find(b"\n", max(start, scanned))) != -1:
            yield buffer[start : end + 1].decode("utf-8", "replace")
            start = end + 1
        del buffer[:start]
    if buffer:
        yield buffer.decode("utf-8", "replace")


async def serve(settings: Settings, client: AsyncAparaviDTC, redactor: Redactor) -> int | None:
    """Serve until the host closes stdin (or, over HTTP, until stopped); then delete every
    task still live. Returns the signal that stopped the server, or None."""
    server, state = build(settings, client, redactor)
    stopped: list[int] = []
    try:
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                wanted = [signal.Signals(number) for number in (signal.SIGINT, *STOP_SIGNALS)]
                with anyio.open_signal_receiver(*wanted) as received:
                    async for signum in received:
                        stopped.append(signum)
                        # At once: the stdio reader may wait on the host's next line, and a
                        # host that follows the signal with SIGKILL would leave tasks behind.
                        with anyio.CancelScope(shield=True):
                            await state.delete_all()
                        group.cancel_scope.cancel()
                        return

            async def run() -> None:
                if settings.http_port is None:
                    await _run_stdio(server)
                else:
                    await server.run_streamable_http_async(
                        host="127.0.0.1", port=settings.http_port
                    )
                group.cancel_scope.cancel()

            group.start_soon(watch)
            group.start_soon(run)
    finally:
        with anyio.CancelScope(shield=True):
            await state.delete_all()
            await client.aclose()
    return stopped[0] if stopped else None
