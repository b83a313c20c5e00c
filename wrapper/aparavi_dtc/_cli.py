"""The ``aparavi-dtc`` command. Uses only the public API of the package.

Sections: exit codes and errors; the commands; parsing and running. The session file (the
current task between invocations) is ``_session``.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import json
import os
import sys
import time
import traceback
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import aparavi_dtc
from aparavi_dtc import (
    AparaviError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NoActiveTaskError,
    TaskFailedError,
    TaskNotFoundError,
    TaskTimeoutError,
)

from ._display import clean, to_json
from ._session import (
    SessionError,
    clear_session,
    load_session,
    read_session,
    save_session,
    session_lock,
    session_path,
)

if TYPE_CHECKING:
    from aparavi_dtc import AparaviDTC, Task, WebhookResult

    from ._display import Display

# The client (httpx, the generated models) loads only when a command runs, so that
# `aparavi-dtc --help` and usage errors answer at once.


# -- exit codes and errors ----------------------------------------------------------------


class ExitCode(enum.IntEnum):
    """What ``aparavi-dtc`` exits with."""

    OK = 0
    TASK_FAILED = 1  # the task failed, was cancelled, or finished with errors
    USAGE = 2  # bad arguments, a missing key, an unusable session file or pipeline
    AUTHENTICATION = 3  # the API key was refused
    NOT_FOUND = 4  # the task does not exist any more
    NETWORK = 5  # the service could not be reached, or did not answer in time
    API_ERROR = 6  # any other error reported by the service, or a malformed answer
    FILES_FAILED = 7  # process: some files failed; the others were processed
    INTERRUPTED = 130  # Ctrl-C


class CLIError(Exception):
    """A problem the command reports in one line before exiting with ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code


def _code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, CLIError):
        return exc.code
    if isinstance(exc, SessionError):
        return ExitCode.USAGE
    if isinstance(exc, TaskFailedError):
        return ExitCode.TASK_FAILED
    if isinstance(exc, AuthenticationError):
        return ExitCode.AUTHENTICATION
    if isinstance(exc, TaskNotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, APIConnectionError | TaskTimeoutError):
        return ExitCode.NETWORK
    if isinstance(exc, NoActiveTaskError | ValueError | TypeError | OSError):
        return ExitCode.USAGE
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.API_ERROR


def _host_of(base_url: str) -> str:
    """``host:port`` of a URL, for messages (never its path, query or user info)."""
    parsed = urllib.parse.urlsplit(base_url)
    host = parsed.hostname or base_url
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parsed.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def _insert(message: str, words: str, *, after_colon: bool) -> str:
    """Put ``words`` into an SDK message shaped ``Error <action>: <reason>``.

    ``after_colon``: ``Error <action>: <words>: <reason>``; else
    ``Error <action> <words>: <reason>``. Other shapes get the words at the end.
    """
    head, sep, rest = message.partition(": ")
    if not sep:
        return f"{message} ({words.strip(': ')})"
    return f"{head}: {words}{rest}" if after_colon else f"{head} {words}: {rest}"


def error_message(exc: BaseException, base_url: str | None) -> str:
    """The one line the CLI prints for ``exc``: the status code of an HTTP failure, the host
    of a network failure, an interruption's own words."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, TaskTimeoutError):  # the SDK's advice is for Python; this is a shell
        message = str(exc).split(" It is still running", 1)[0] + (
            " It is still running: follow it with `aparavi-dtc status --watch`, or delete it"
            " with `aparavi-dtc delete`."
            if "It is still running" in str(exc)
            else ""
        )
    elif isinstance(exc, CLIError | SessionError | AparaviError):
        message = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:
        message = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    elif isinstance(exc, ValueError | TypeError):
        message = str(exc)
    else:  # an error the SDK did not expect; --debug shows where it came from
        message = f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)"
    status = getattr(exc, "status_code", None)
    if (
        isinstance(exc, APIStatusError | APIResponseValidationError)
        and isinstance(status, int)
        and not 200 <= status < 300
        and f"HTTP {status}" not in message
    ):
        message = _insert(message, f"(HTTP {status})", after_colon=False)
    elif isinstance(exc, APIConnectionError) and base_url:
        host = _host_of(base_url)
        if host not in message:
            verb = "no answer in time from" if isinstance(exc, APITimeoutError) else "cannot reach"
            message = _insert(message, f"{verb} {host}: ", after_colon=True)
    return message


class Reporter:
    """Writes what the CLI has to say: results on stdout, errors on stderr, as text or JSON.

    Every secret the command knows (the API key, task tokens) is masked in what it writes,
    as a backstop to the SDK's own masking.
    """

    def __init__(self, *, json_mode: bool, debug: bool) -> None:
        self.json_mode = json_mode
        self.debug = debug
        self.base_url: str | None = None
        self._secrets: set[str] = set()

    def secret(self, value: str | None) -> None:
        """Mask ``value`` wherever it would appear."""
        if value:
            self._secrets.add(value)

    def mask(self, text: str) -> str:
        for value in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(value, "***")
        return text

    def out(self, text: str, data: Any, *, neutralised: bool = False) -> None:
        """One line of text, or ``data`` as strict JSON with ``--json``.

        ``neutralised``: ``text`` is several lines already made safe (by ``clean``), to
        print as they are.
        """
        if self.json_mode:
            try:
                encoded = to_json(data)
            except RecursionError:
                raise CLIError(
                    "the service's answer is nested too deeply to print as JSON",
                    ExitCode.API_ERROR,
                ) from None
            print(self.mask(encoded))
        else:
            print(self.mask(text if neutralised else clean(text)))

    def note(self, text: str) -> None:
        """A line on stderr for people (left out with ``--json``, whose stderr is JSON)."""
        if not self.json_mode:
            print(self.mask(clean(text)), file=sys.stderr)

    def fail(self, exc: BaseException) -> ExitCode:
        """Report ``exc`` in one line (a JSON object with ``--json``); return the exit code."""
        code = _code_for(exc)
        message = self.mask(error_message(exc, self.base_url))
        if self.json_mode:
            report: dict[str, Any] = {"error": message, "code": int(code), "exit": code.name}
            status = getattr(exc, "status_code", None)
            if isinstance(status, int):
                report["status_code"] = status
            print(to_json(report), file=sys.stderr)
        else:
            print(f"aparavi-dtc: error: {clean(message)}", file=sys.stderr)
        if self.debug:
            detail = "".join(traceback.format_exception(exc))
            print(self.mask(clean(detail, multiline=True)), file=sys.stderr)
        return code


# -- commands -----------------------------------------------------------------------------


class Context:
    """What every command needs: the client, the output, the chosen task."""

    def __init__(self, args: argparse.Namespace, report: Reporter) -> None:
        self.args = args
        self.report = report
        self._client: AparaviDTC | None = None

    @property
    def client(self) -> AparaviDTC:
        """The client, made on first use (``pipelines`` needs none)."""
        if self._client is None:
            from aparavi_dtc import AparaviDTC

            key = self.args.api_key
            if key is None:
                key = os.environ.get("APARAVI_API_KEY")
            if not key or not key.strip():
                raise CLIError(
                    "no API key: set APARAVI_API_KEY in the environment, or pass --api-key "
                    "(other users can see a process's arguments)"
                )
            self.report.secret(key)
            try:
                self._client = AparaviDTC(key, base_url=self.args.base_url)
            except ValueError as exc:
                raise CLIError(str(exc)) from None
            self.report.base_url = self._client.base_url
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def task(self) -> Task:
        token, type_ = getattr(self.args, "token", None), getattr(self.args, "type", None)
        if (token is None) != (type_ is None):
            raise CLIError("--token and --type go together")
        if token is not None and type_ is not None:
            self.report.secret(token)
            try:
                return self.client.task(token, type_)
            except ValueError as exc:
                raise CLIError(str(exc)) from None
        saved = load_session(self.client.base_url)
        if saved is None:
            raise CLIError(
                "no current task: run `aparavi-dtc start PIPELINE` first, "
                "or pass --token and --type"
            )
        self.report.secret(saved[0])
        return self.client.task(*saved)

    def pipeline(self) -> str | dict[str, Any]:
        """The pipeline to use: a file's path, or the predefined one ``--pipeline`` names."""
        path, name = self.args.pipeline, self.args.pipeline_name
        if name is None:
            if path is None:
                raise CLIError(
                    "a pipeline is needed: a pipeline JSON file, or --pipeline NAME "
                    "(`aparavi-dtc pipelines` lists the names)"
                )
            return str(path)
        if path is not None:
            raise CLIError("give a pipeline file or --pipeline NAME, not both")
        from aparavi_dtc import pipelines

        try:
            return pipelines.get(name)
        except ValueError as exc:
            raise CLIError(str(exc)) from None

    def display(self) -> Display:
        from ._display import display_for

        return display_for(sys.stdout, quiet=self.report.json_mode)

    def out(self, text: str, data: Any, *, neutralised: bool = False) -> None:
        self.report.out(text, data, neutralised=neutralised)

    def wait(self, task: Task) -> Any:
        display = self.display()
        try:
            final = task.wait(on_progress=display.update)
        except KeyboardInterrupt:
            raise CLIError(
                "interrupted; the task is still running. Follow it with "
                "`aparavi-dtc status --watch` or cancel it with `aparavi-dtc delete`.",
                ExitCode.INTERRUPTED,
            ) from None
        finally:
            display.close()
        return final


def cmd_validate(ctx: Context) -> ExitCode:
    result = ctx.client.validate(ctx.pipeline())
    data = result.data if isinstance(result.data, dict) else {}
    errors = data.get("errors") or []
    for warning in data.get("warnings") or []:
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

    from ._display import describe

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
    answer = task.send_to_webhook(args.files or None, text=args.text)
    from aparavi_dtc import WebhookResult

    results = answer.data if isinstance(answer.data, WebhookResult) else WebhookResult()
    report_results(ctx, results, {"results": results.to_dict()})
    return ExitCode.OK


def report_results(ctx: Context, results: WebhookResult | None, data: Any) -> None:
    """What the pipeline produced: each object's name and text, or ``data`` as JSON."""
    from ._display import describe_results

    ctx.out(describe_results(results), data, neutralised=True)


def cmd_run(ctx: Context) -> ExitCode:
    args = ctx.args
    files = list(args.files)
    if args.pipeline_name is not None and args.pipeline is not None:
        # With --pipeline NAME every other argument is a file: `run --pipeline X a.pdf`.
        files.insert(0, args.pipeline)
        args.pipeline = None
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


def _file_error(exc: BaseException, base_url: str | None) -> str:
    """One line for a file's error: an OSError of our own words has no ``strerror``."""
    if isinstance(exc, OSError) and not exc.strerror:
        return str(exc)
    return error_message(exc, base_url)


def cmd_process(ctx: Context) -> ExitCode:
    """Each file its own upload to one task; results written as files finish."""
    from ._batch_output import (
        DirectorySink,
        JsonLinesSink,
        PrintSink,
        Sink,
        batch_display_for,
        file_record,
    )

    args, report = ctx.args, ctx.report
    named = args.pipeline is not None or args.pipeline_name is not None
    pipeline = ctx.pipeline() if named else None  # None: the simple parser
    display = batch_display_for(sys.stderr, quiet=report.json_mode, stdout=sys.stdout)
    try:
        batch = ctx.client.process(
            args.paths,
            pipeline,
            concurrency=args.concurrency,
            threads=args.threads,
            timeout=args.timeout,
            on_progress=display.update,
        )
        sink: Sink
        try:
            if args.out is not None:
                sink = JsonLinesSink(Path(args.out), report.mask)
            elif args.out_dir is not None:
                sink = DirectorySink(Path(args.out_dir), report.mask)
            else:
                sink = PrintSink(report.json_mode, report.mask)
        except OSError as exc:
            raise CLIError(f"cannot write {exc.filename}: {exc.strerror}") from None
    except BaseException:
        display.close()
        raise
    done = failed = 0
    began = time.monotonic()

    def kept() -> str:
        if sink.where is None:
            return f"{done} of {batch.total} files were done and printed"
        return f"{done} of {batch.total} files were done; their results are in {sink.where}"

    try:
        with batch:
            for result in batch:
                error = None
                if result.error is not None:
                    error = report.mask(_file_error(result.error, report.base_url))
                sink.write(result, file_record(result, error))
                done += 1
                failed += not result.ok
                shown = str(result.path) if result.path is not None else result.name
                outcome = f"failed: {error}" if error else "ok"
                line = f"[{done}/{batch.total}] {shown}: {outcome}"
                display.file_done(report.mask(clean(line)), failed=not result.ok)
    except KeyboardInterrupt:
        raise CLIError(
            f"interrupted: the task was deleted; {kept()}", ExitCode.INTERRUPTED
        ) from None
    except BaseException:
        if done:
            report.note(kept())
        raise
    finally:
        display.close()
        sink.close()
    elapsed = time.monotonic() - began
    summary: dict[str, Any] = {"total": batch.total, "succeeded": done - failed}
    summary |= {"failed": failed, "elapsed": round(elapsed, 3), "out": sink.where}
    if report.json_mode:
        if sink.where is not None:  # stdout is free for one summary object
            ctx.out("", summary)
    else:
        line = f"Processed {done - failed} of {batch.total} files"
        line += f" ({failed} failed)" if failed else ""
        line += f" in {elapsed:.1f}s" + (f"; results in {sink.where}" if sink.where else "")
        report.note(line)
    return ExitCode.FILES_FAILED if failed else ExitCode.OK


def cmd_pipelines(ctx: Context) -> ExitCode:
    from aparavi_dtc import pipelines

    from ._display import describe_pipelines

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
    from aparavi_dtc.testing import FakeAparavi, PrismUnavailable, running_prism
    from aparavi_dtc.testing._prism import stop_on_signals

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


# -- parsing and running ------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as a JSON object on stderr when ``--json`` was given."""

    json_errors = False

    def error(self, message: str) -> NoReturn:
        if self.json_errors:
            code = ExitCode.USAGE
            report = {"error": f"{self.prog}: {message}", "code": int(code), "exit": code.name}
            print(to_json(report), file=sys.stderr)
            sys.exit(code)
        super().error(message)


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command takes, before or after its name.

    The top-level parser gives the defaults; the subcommands' copies leave an option
    unset unless it is given there (``argparse.SUPPRESS``), so neither overrides the other.
    """

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--api-key",
        default=default(None),
        help="the API key; prefer APARAVI_API_KEY: other users can see a process's arguments",
    )
    parser.add_argument(
        "--base-url", default=default(None), help="the service URL (default: $APARAVI_BASE_URL)"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print machine-readable JSON (errors too, on stderr)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=default(False), help="show details of errors"
    )


def _parser(json_errors: bool = False) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aparavi-dtc",
        description="Start, watch, feed and delete Aparavi Data Toolchain tasks.",
        epilog=(
            "The API key comes from APARAVI_API_KEY and the service URL from "
            "APARAVI_BASE_URL. Exit codes: 0 ok, 1 task failed, 2 usage, "
            "3 authentication, 4 not found, 5 network or timeout, 6 other API error, "
            "7 some files failed (process), 130 interrupted."
        ),
    )
    parser.json_errors = json_errors
    _global_options(parser, defaults=True)
    parser.add_argument(
        "--version", action="version", version=f"aparavi-dtc {aparavi_dtc.__version__}"
    )
    shared = _Parser(add_help=False)
    _global_options(shared, defaults=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[Context], ExitCode], help: str) -> Any:
        sub = commands.add_parser(name, help=help, description=help, parents=[shared])
        sub.json_errors = json_errors
        sub.set_defaults(run=run)
        return sub

    def pipeline_options(sub: Any, *, then_files: bool = False) -> None:
        what = "a pipeline JSON file"
        if then_files:
            what += " (with --pipeline, every argument is a file to process)"
        sub.add_argument("pipeline", nargs="?", metavar="PIPELINE", help=what)
        sub.add_argument(
            "--pipeline",
            dest="pipeline_name",
            metavar="NAME",
            help="a predefined pipeline instead of a file (`aparavi-dtc pipelines` lists them)",
        )

    def task_options(sub: Any) -> None:
        sub.add_argument("--token", help="act on this task instead of the current one")
        sub.add_argument("--type", help="the task type that goes with --token")

    sub = command("validate", cmd_validate, "check a pipeline without running it")
    pipeline_options(sub)
    sub = command("start", cmd_start, "start a task; it becomes the current task")
    pipeline_options(sub)
    sub.add_argument("--name", help="a name for the task")
    sub.add_argument("--threads", type=int, help="threads for the task, 1 to 16")
    sub.add_argument("--wait", action="store_true", help="wait for it, showing progress")
    sub.add_argument(
        "--replace",
        action="store_true",
        help="delete the current task first (without it, start refuses while one exists)",
    )
    sub = command("status", cmd_status, "show the status of the current task")
    sub.add_argument("--watch", action="store_true", help="follow it until it finishes")
    task_options(sub)
    sub = command("delete", cmd_delete, "cancel and delete the current task")
    task_options(sub)
    sub = command(
        "upload", cmd_upload, "send files or text to the current (webhook) task; show the results"
    )
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to send")
    sub.add_argument("--text", help="text to send instead of files")
    task_options(sub)
    sub = command(
        "run", cmd_run, "validate, start, upload (or wait), delete in one go; show the results"
    )
    pipeline_options(sub, then_files=True)
    sub.add_argument("files", nargs="*", metavar="FILE", help="files for a webhook pipeline")
    sub.add_argument("--text", help="text for a webhook pipeline instead of files")
    sub = command(
        "process",
        cmd_process,
        "process files, directories and glob patterns through one task, a file per upload",
    )
    sub.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file, a directory (walked; hidden files skipped) or a quoted glob pattern",
    )
    which = sub.add_mutually_exclusive_group()
    which.add_argument(
        "--pipeline",
        dest="pipeline_name",
        metavar="NAME",
        help="a predefined pipeline (default: simple-parser; `aparavi-dtc pipelines` lists them)",
    )
    which.add_argument("--pipeline-file", dest="pipeline", metavar="FILE", help="a pipeline file")
    where = sub.add_mutually_exclusive_group()
    where.add_argument(
        "--out", metavar="FILE", help="write one JSON object per file (JSON Lines) as each ends"
    )
    where.add_argument("--out-dir", metavar="DIR", help="write each file's text to DIR/NAME.txt")
    sub.add_argument(
        "--concurrency", type=int, default=4, help="uploads in flight at once, 1 to 32 (4)"
    )
    sub.add_argument("--threads", type=int, help="threads for the task, 1 to 16")
    sub.add_argument("--timeout", type=float, help="seconds the whole batch may take")
    command("version", cmd_version, "show the service's version")
    sub = command("pipelines", cmd_pipelines, "list the predefined pipelines, or print one")
    sub.add_argument("name", nargs="?", metavar="NAME", help="print this pipeline's JSON")
    sub = command("mock", cmd_mock, "serve a fake of the service on loopback, for tests")
    sub.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    sub.add_argument(
        "--prism", action="store_true", help="run Prism on the shipped spec instead (needs npx)"
    )
    return parser


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether ``--json`` is among the options (before a ``--``), for usage errors."""
    options = argv[: list(argv).index("--")] if "--" in argv else argv
    return "--json" in options


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parser(_wants_json(arguments)).parse_args(arguments)
    if args.debug:
        os.environ.setdefault("APARAVI_LOG", "debug")
    report = Reporter(json_mode=args.json, debug=args.debug)
    ctx = Context(args, report)
    try:
        try:
            code: ExitCode = args.run(ctx)
        finally:
            ctx.close()
    except KeyboardInterrupt as exc:
        return int(report.fail(exc))
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except Exception as exc:
        return int(report.fail(exc))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
