"""The commands of ``aparavi-dtc`` but ``process`` (``process.py``): each takes the
:class:`Context` and returns the exit code."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any

import aparavi_dtc
from aparavi_dtc import AparaviError, TaskNotFoundError

from .context import Context
from .display import clean, to_json
from .session import (
    clear_session,
    read_session,
    save_session,
    session_lock,
    session_path,
)
from .status import CLIError, ExitCode

if TYPE_CHECKING:
    from collections.abc import Callable

    from aparavi_dtc import Pipe, TaskStatus, WebhookResult
    from aparavi_dtc.testing import FakeAparavi


def cmd_validate(ctx: Context) -> ExitCode:
    from .._run import validation_findings  # one reading of the answer, the SDK's own

    result = ctx.client.validate(ctx.pipeline())
    errors, warnings = validation_findings(result)
    for warning in warnings:
        ctx.report.note(f"warning: {warning}")
    data = {"valid": not errors, "errors": errors, "warnings": warnings}
    ctx.out("Pipeline is valid" if not errors else "Pipeline has errors", data)
    for error in errors:
        ctx.report.note(f"error: {error}")
    return ExitCode.TASK_FAILED if errors else ExitCode.OK


def _settle_current(ctx: Context, replace: bool) -> None:
    """Make way for a new task: the session's task, if the service still has it, is kept
    (an error saying how to go on) or, with ``--replace``, deleted."""
    saved = read_session()
    if saved is None:
        return
    ctx.report.secret(saved["token"])
    if saved["base_url"] != ctx.client.base_url:
        raise CLIError(
            f"the current task was started on {saved['base_url']!r}: follow or delete it "
            f"with --base-url {saved['base_url']}, then start this one"
        )
    current = ctx.client.task(saved["token"], saved["type"])
    try:
        status = current.get().data.status
    except TaskNotFoundError:
        return  # gone already: nothing to orphan
    if not replace:
        raise CLIError(
            f"a task is already current ({status}): follow it with `aparavi-dtc status`, "
            "delete it with `aparavi-dtc delete`, or use `aparavi-dtc start --replace` "
            "to delete it and start the new one"
        )
    with contextlib.suppress(TaskNotFoundError):
        current.delete()


def cmd_start(ctx: Context) -> ExitCode:
    from .._pipeline import wrap_pipeline
    from .._run import is_webhook

    args = ctx.args
    body = wrap_pipeline(ctx.pipeline())  # read and checked before anything is sent
    pipeline = body.to_dict()
    with session_lock():
        _settle_current(ctx, args.replace)
        task = ctx.client.start_task(pipeline, name=args.name, threads=args.threads)
        ctx.report.secret(task.token)
        try:
            save_session(task, ctx.client.base_url)
        except BaseException:
            with contextlib.suppress(AparaviError):
                task.delete()  # a task nobody can find again is deleted, not orphaned
            raise
    started: dict[str, Any] = {"type": task.type, "session": str(session_path())}
    text = clean(f"Task started: {task!r}")
    if args.show_token:
        started["token"] = task.token
        follow = f"aparavi-dtc status --token {_word(task.token)} --type {_word(task.type)}"
        text += f"\n  {follow}   # follow it from anywhere"
    reveal = started.get("token")
    if not args.wait:
        ctx.report.out(text, started, neutralised=True, reveal=reveal)
        return ExitCode.OK
    if not ctx.report.json_mode:  # the progress lines follow; JSON is one object at the end
        ctx.report.out(text, started, neutralised=True, reveal=reveal)
    # A webhook task never finishes by itself: it is ready once Running, as run() sees it.
    webhook = is_webhook(body)
    final = ctx.wait(task, _running if webhook else None)
    ready = _running if webhook else _serving
    return report_final(ctx, final, ready, started, reveal=reveal)


def _word(value: str) -> str:
    """A server's value as one shell word, safe to show: for a command to paste."""
    import shlex

    return clean(shlex.quote(value))


def _running(status: TaskStatus) -> bool:
    """A task of a webhook pipeline ready for uploads: Running (or ``serviceUp``)."""
    from .._polling import is_finished, is_up

    return is_up(status) and not is_finished(status)


def _serving(status: TaskStatus) -> bool:
    """A task that says it takes uploads (``serviceUp``, as a webhook task does): it stays
    so, and never finishes by itself."""
    from aparavi_dtc_api.types import Unset

    from .._polling import is_finished

    up = status.service_up
    return not isinstance(up, Unset) and bool(up) and not is_finished(status)


def status_data(status: TaskStatus, ready: Callable[[TaskStatus], bool]) -> dict[str, Any]:
    """A status as JSON: the service's payload, whether the task has finished, and whether
    it is ready for uploads (by ``ready``)."""
    from .._polling import is_finished

    return {"status": status.to_dict(), "finished": is_finished(status), "ready": ready(status)}


def report_final(
    ctx: Context,
    status: TaskStatus,
    ready: Callable[[TaskStatus], bool],
    extra: dict[str, Any] | None = None,
    reveal: str | None = None,
) -> ExitCode:
    """The status a wait ended with, finished or ready for uploads; as JSON, ``extra``'s
    fields and :func:`status_data`'s."""
    data = (extra or {}) | status_data(status, ready)
    text = f"Task {status.status}"
    if not data["finished"]:
        text += ", ready for uploads: `aparavi-dtc upload FILE...` (or `--text TEXT`) sends them"
    ctx.report.out(text, data, reveal=reveal)
    return ExitCode.OK


def cmd_status(ctx: Context) -> ExitCode:
    task = ctx.task()
    if ctx.args.watch:
        return report_final(ctx, ctx.wait(task, _serving), _serving)
    from aparavi_dtc import Progress

    from .display import describe

    status = task.get().data
    ctx.out(describe(Progress.from_status(status), elapsed=False), status_data(status, _serving))
    return ExitCode.OK


def cmd_delete(ctx: Context) -> ExitCode:
    task = ctx.task()
    with session_lock():
        task.delete()
        clear_session(task.token)
    ctx.out("Task deleted", {"deleted": True})
    return ExitCode.OK


def cmd_upload(ctx: Context) -> ExitCode:
    args = ctx.args
    if bool(args.files) == (args.text is not None):
        raise CLIError("upload takes FILE... or --text TEXT, exactly one of them")
    task = ctx.task()
    from .._run import results_of

    results = results_of(task.send_to_webhook(args.files or None, text=args.text))
    report_results(ctx, results, {"results": results.to_dict()})
    return ExitCode.OK


def report_results(ctx: Context, results: WebhookResult | None, data: Any) -> None:
    """What the pipeline produced: each object's name and text, or ``data`` as JSON."""
    from .display import describe_results

    ctx.out(describe_results(results), data, neutralised=True)


def cmd_run(ctx: Context) -> ExitCode:
    args = ctx.args
    files = list(args.files)
    if args.pipeline_name is not None and args.pipeline is not None:
        # With --pipeline NAME every other argument is a file: `run --pipeline X a.pdf`.
        files.insert(0, args.pipeline)
        args.pipeline = None
    if files and args.text is not None:
        raise CLIError("run takes FILE... or --text TEXT, not both")
    pipeline = ctx.pipeline()
    display = ctx.display()
    try:
        result = ctx.client.run(
            pipeline, files or None, text=args.text, on_progress=display.update
        )
    finally:
        display.close()
    status = result.status.to_dict()
    if result.results is None:  # not a webhook pipeline: it ran to its end
        ctx.out(f"Task {result.status.status}", {"status": status, "results": None})
    else:
        data = {"status": status, "results": result.results.to_dict()}
        report_results(ctx, result.results, data)
    return ExitCode.OK


def cmd_pipelines(ctx: Context) -> ExitCode:
    from aparavi_dtc import pipelines

    from .display import describe_entries

    name = ctx.args.name
    if name is not None:  # one pipeline, as JSON to save, edit or pass to `start`
        try:
            pipeline = pipelines.get(name)
        except ValueError as exc:
            raise CLIError(str(exc)) from None
        print(to_json(pipeline) if ctx.report.json_mode else json.dumps(pipeline, indent=2))
        return ExitCode.OK
    entries = [(each, pipelines.summary(each)) for each in pipelines.names()]
    listed = [{"name": each, "summary": summary} for each, summary in entries]
    ctx.out(describe_entries(entries), {"pipelines": listed}, neutralised=True)
    return ExitCode.OK


def cmd_services(ctx: Context) -> ExitCode:
    from .display import describe_services

    name = ctx.args.name
    catalog = ctx.client.services(name).data.to_dict()
    # One component is shown whole (what it takes, as the service describes it); JSON
    # escapes every control character, so server text cannot act on the terminal.
    text = json.dumps(catalog, indent=2) if name is not None else describe_services(catalog)
    ctx.out(text, {"services": catalog}, neutralised=True)
    return ExitCode.OK


def cmd_pipe_create(ctx: Context) -> ExitCode:
    """Create a pipe and print its token, the only handle on it: a pipe whose token cannot
    be printed is deleted."""
    pipe = ctx.client.create_pipe(ctx.pipeline(), name=ctx.args.name)
    with contextlib.ExitStack() as on_error:
        on_error.enter_context(pipe)  # deletes the pipe if the token never reaches the user
        token = _word(pipe.token)
        process = f"aparavi-dtc pipe process --token {token} FILE..."
        delete = f"aparavi-dtc pipe delete --token {token}"
        width = max(len(process), len(delete))
        text = (
            f"Pipe created: {clean(pipe.token)}\n"
            f"  {process.ljust(width)}   # process files through it\n"
            f"  {delete.ljust(width)}   # delete it when done"
        )
        ctx.out(text, {"token": pipe.token}, neutralised=True)
        sys.stdout.flush()
        on_error.pop_all()
    return ExitCode.OK


def cmd_pipe_process(ctx: Context) -> ExitCode:
    """Process files through the pipe ``--token`` names, or through one made for them and
    deleted after, on every path (an error, Ctrl-C)."""
    from .._uploads import read_files

    args = ctx.args
    files = list(args.files)
    if args.token is not None and args.pipeline_name is not None:
        raise CLIError("give --token or a pipeline, not both")
    if args.pipeline is not None and (args.token is not None or args.pipeline_name is not None):
        files.insert(0, args.pipeline)  # with --token or --pipeline, every argument is a file
        args.pipeline = None
    if args.token is None and args.pipeline is None and args.pipeline_name is None:
        raise CLIError(
            "pipe process needs --token TOKEN (a pipe of yours), or a pipeline file or "
            "--pipeline NAME (a pipe made for these files, deleted after)"
        )
    if not files:
        raise CLIError(
            "pipe process needs at least one FILE (without --token or --pipeline, the first "
            "argument is the pipeline file)"
        )
    loaded = read_files(files)  # every file read before anything is sent
    if args.token is not None:
        results = _pipe(ctx, args.token).process(loaded)
    else:
        try:
            with ctx.client.create_pipe(ctx.pipeline()) as pipe:
                results = pipe.process(loaded)
        except KeyboardInterrupt:
            raise CLIError("interrupted; the pipe was deleted", ExitCode.INTERRUPTED) from None
    report_results(ctx, results, {"results": results.to_dict()})
    return ExitCode.OK


def cmd_pipe_delete(ctx: Context) -> ExitCode:
    _pipe(ctx, ctx.args.token).delete()
    ctx.out("Pipe deleted", {"deleted": True})
    return ExitCode.OK


def _pipe(ctx: Context, token: str) -> Pipe:
    """A handle on the user's pipe; its token is masked in all the command writes."""
    ctx.report.secret(token)
    try:
        return ctx.client.pipe(token)
    except ValueError as exc:
        raise CLIError(str(exc)) from None


def cmd_version(ctx: Context) -> ExitCode:
    result = ctx.client.version()
    data = result.data  # a typed VersionInfo, or a plain dict from older specs
    version = data.get("version") if isinstance(data, dict) else getattr(data, "version", None)
    shown = version if isinstance(version, str) and version else "version unknown"
    service = result.to_dict().get("data")  # as the service sent it
    mine = aparavi_dtc.__version__
    ctx.out(f"service {shown}, aparavi-dtc {mine}", {"service": service, "aparavi_dtc": mine})
    return ExitCode.OK


#: The key ``mock`` accepts when APARAVI_API_KEY is not set: a test key, fine to show.
MOCK_KEY = "aparavi-mock-key-0123456789"


def cmd_mock(ctx: Context) -> ExitCode:
    """Serve the fake (or Prism) on loopback until Ctrl-C, SIGTERM or SIGHUP."""
    from aparavi_dtc.testing import FakeAparavi, PrismUnavailable, running_prism, stop_on_signals

    port = ctx.args.port
    if not 0 <= port <= 65535:
        raise CLIError(f"--port must be from 0 to 65535, not {port}")
    key = ctx.args.api_key or os.environ.get("APARAVI_API_KEY")
    if key:
        ctx.report.secret(key)
    # A test key is shown as an export beside the URL, to copy as it is; another is named.
    given = "given with --api-key" if ctx.args.api_key else "in APARAVI_API_KEY"
    use = f"   # and use the key {given}" if key else f" APARAVI_API_KEY={MOCK_KEY}"
    fake = FakeAparavi(api_key=(key or MOCK_KEY).strip())
    _script(fake, ctx.args.fail or [], ctx.args.delay or [], prism=ctx.args.prism)
    stop_on_signals()
    try:
        if ctx.args.prism:
            server = running_prism(port=port or None)
            what, use = "Prism mock of the shipped openapi.yaml", "   # and use any key"
        else:
            server = fake.serve(port=port)
            what = "Fake Aparavi service"
        with server as url:
            ctx.out(
                f"{what} on {url} (Ctrl-C stops it)\n  export APARAVI_BASE_URL={url}{use}",
                {
                    "base_url": url,
                    "prism": bool(ctx.args.prism),
                    "api_key": None if key else MOCK_KEY,
                },
                neutralised=True,  # our own words and a URL we made
            )
            sys.stdout.flush()
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return ExitCode.OK
    except PrismUnavailable as exc:
        raise CLIError(f"{exc}; run the fake instead (without --prism)") from None
    except OSError as exc:
        raise CLIError(f"cannot serve on port {port}: {exc.strerror or exc}") from None


def _script(fake: FakeAparavi, fails: list[str], delays: list[str], *, prism: bool) -> None:
    """Give ``fake`` the failures (``OPERATION:STATUS[:TIMES]``) and delays
    (``OPERATION:SECONDS``) of ``--fail`` and ``--delay``; the fake checks their values."""
    if prism and (fails or delays):
        raise CLIError("--fail and --delay act on the fake, not on Prism")
    for spec in fails:
        operation, *numbers = spec.split(":")
        if len(numbers) not in (1, 2) or not all(n.isascii() and n.isdigit() for n in numbers):
            raise CLIError(
                f"--fail takes OPERATION:STATUS[:TIMES], such as getTask:503:2, not {spec!r}"
            )
        try:
            fake.fail_next(
                operation,
                status=int(numbers[0]),
                times=int(numbers[-1]) if len(numbers) == 2 else 1,
            )
        except ValueError as exc:
            raise CLIError(f"--fail {spec}: {exc}") from None
    for spec in delays:
        operation, *seconds = spec.split(":")
        try:
            pause = float(seconds[0]) if len(seconds) == 1 else None
        except ValueError:
            pause = None
        if pause is None:
            raise CLIError(
                f"--delay takes OPERATION:SECONDS, such as sendToWebhook:2.5, not {spec!r}"
            )
        try:
            fake.delay(operation, pause)
        except ValueError as exc:
            raise CLIError(f"--delay {spec}: {exc}") from None
