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
from .display import to_json
from .session import (
    clear_session,
    read_session,
    save_session,
    session_lock,
    session_path,
)
from .status import CLIError, ExitCode

if TYPE_CHECKING:
    from aparavi_dtc import WebhookResult


def cmd_validate(ctx: Context) -> ExitCode:
    from .._run import validation_findings  # one reading of the answer, the SDK's own

    result = ctx.client.validate(ctx.pipeline())
    errors, warnings = validation_findings(result)
    for warning in warnings:
        ctx.report.note(f"warning: {warning}")
    ctx.out("Pipeline is valid" if not errors else "Pipeline has errors", result.to_dict())
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
    args = ctx.args
    pipeline = ctx.pipeline()
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
    session = str(session_path())
    ctx.out(f"Task started: {task!r}", {"started": True, "type": task.type, "session": session})
    if args.wait:
        return report_final(ctx, ctx.wait(task))
    return ExitCode.OK


def report_final(ctx: Context, status: Any) -> ExitCode:
    ctx.out(f"Task {status.status}", status.to_dict())
    return ExitCode.OK


def cmd_status(ctx: Context) -> ExitCode:
    task = ctx.task()
    if ctx.args.watch:
        return report_final(ctx, ctx.wait(task))
    from aparavi_dtc import Progress

    from .display import describe

    status = task.get().data
    ctx.out(describe(Progress.from_status(status), elapsed=False), status.to_dict())
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

    from .display import describe_pipelines

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
    ctx.out(describe_pipelines(entries), listed, neutralised=True)
    return ExitCode.OK


def cmd_version(ctx: Context) -> ExitCode:
    result = ctx.client.version()
    data = result.data  # a typed VersionInfo, or a plain dict from older specs
    version = data.get("version") if isinstance(data, dict) else getattr(data, "version", None)
    shown = version if isinstance(version, str) and version else "version unknown"
    ctx.out(f"service {shown}, aparavi-dtc {aparavi_dtc.__version__}", result.to_dict())
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
    shown_key = "the key in APARAVI_API_KEY" if key else MOCK_KEY
    stop_on_signals()
    try:
        if ctx.args.prism:
            server = running_prism(port=port or None)
            what, shown_key = "Prism mock of the shipped openapi.yaml", "any key"
        else:
            server = FakeAparavi(api_key=(key or MOCK_KEY).strip()).serve(port=port)
            what = "Fake Aparavi service"
        with server as url:
            ctx.out(
                f"{what} on {url} (Ctrl-C stops it)\n"
                f"  export APARAVI_BASE_URL={url}   # and use {shown_key}",
                {"base_url": url, "prism": bool(ctx.args.prism)},
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
