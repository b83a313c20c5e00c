"""The ``aparavi-dtc`` command. Uses only the public API of the package."""

from __future__ import annotations

import argparse
import enum
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import aparavi_dtc
from aparavi_dtc import (
    AparaviError,
    APIConnectionError,
    AuthenticationError,
    NoActiveTaskError,
    TaskFailedError,
    TaskNotFoundError,
    TaskTimeoutError,
)

if TYPE_CHECKING:
    from aparavi_dtc import Task

    from ._display import Display

# The client (httpx, the generated models) loads only when a command runs, so that
# `aparavi-dtc --help` and usage errors answer at once.

SESSION_MARK = "aparavi-dtc session"


class ExitCode(enum.IntEnum):
    """What ``aparavi-dtc`` exits with."""

    OK = 0
    TASK_FAILED = 1  # the task failed, was cancelled, or finished with errors
    USAGE = 2  # bad arguments, a missing key, an unusable session file or pipeline
    AUTHENTICATION = 3  # the API key was refused
    NOT_FOUND = 4  # the task does not exist any more
    NETWORK = 5  # the service could not be reached, or did not answer in time
    API_ERROR = 6  # any other error reported by the service, or a malformed answer
    INTERRUPTED = 130  # Ctrl-C


class CLIError(Exception):
    """A problem the command reports in one line before exiting with ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code


# -- the session file ---------------------------------------------------------------------


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/aparavi-dtc`` (``%APPDATA%`` on Windows), else ``~/.config``."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "aparavi-dtc"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aparavi-dtc"


def session_path() -> Path:
    return config_dir() / "session.json"


def save_session(task: Task, base_url: str) -> None:
    """Write the current task, readable by the user alone (mode 0600)."""
    path = session_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"kind": SESSION_MARK, "token": task.token, "type": task.type, "base_url": base_url}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        json.dump(data, handle)


def load_session(base_url: str) -> tuple[str, str] | None:
    """The saved task's token and type, None when there is none."""
    path = session_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CLIError(f"cannot read the session file {path}: {exc.strerror}") from None
    fix = f"delete {path}, or pass --token and --type"
    try:
        data = json.loads(text)
    except ValueError:
        raise CLIError(f"the session file {path} is corrupt: {fix}") from None
    if not isinstance(data, dict) or data.get("kind") != SESSION_MARK:
        raise CLIError(f"{path} is not an aparavi-dtc session file: {fix}")
    token, type_ = data.get("token"), data.get("type")
    if not isinstance(token, str) or not token or not isinstance(type_, str) or not type_:
        raise CLIError(f"the session file {path} is corrupt: {fix}")
    if data.get("base_url") != base_url:
        raise CLIError(
            f"the session file {path} is for {data.get('base_url')!r}, not {base_url!r}: "
            f"use that base URL, or {fix}"
        )
    return token, type_


def clear_session(token: str) -> None:
    path = session_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("token") == token:
        path.unlink(missing_ok=True)


# -- commands -----------------------------------------------------------------------------


class Context:
    """What every command needs: the client, the output mode, the chosen task."""

    def __init__(self, args: argparse.Namespace) -> None:
        from aparavi_dtc import AparaviDTC

        self.args = args
        try:
            self.client = AparaviDTC(args.api_key, base_url=args.base_url)
        except ValueError as exc:
            raise CLIError(str(exc)) from None

    def task(self) -> Task:
        token, type_ = getattr(self.args, "token", None), getattr(self.args, "type", None)
        if (token is None) != (type_ is None):
            raise CLIError("--token and --type go together")
        if token is not None and type_ is not None:
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
        return self.client.task(*saved)

    def display(self) -> Display:
        from ._display import display_for

        return display_for(sys.stdout, quiet=self.args.json)

    def out(self, text: str, data: Any) -> None:
        if self.args.json:
            print(json.dumps(data, default=str))
        else:
            print(text)

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
    result = ctx.client.validate(ctx.args.pipeline)
    data = result.data if isinstance(result.data, dict) else {}
    errors = data.get("errors") or []
    for warning in data.get("warnings") or []:
        print(f"warning: {warning}", file=sys.stderr)
    ctx.out("Pipeline is valid" if not errors else "Pipeline has errors", result.to_dict())
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return ExitCode.TASK_FAILED if errors else ExitCode.OK


def cmd_start(ctx: Context) -> ExitCode:
    args = ctx.args
    task = ctx.client.start_task(args.pipeline, name=args.name, threads=args.threads)
    save_session(task, ctx.client.base_url)
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
    task.delete()
    clear_session(task.token)
    ctx.out("Task deleted", {"deleted": True})
    return ExitCode.OK


def cmd_upload(ctx: Context) -> ExitCode:
    args = ctx.args
    if bool(args.files) == (args.text is not None):
        raise CLIError("upload takes FILE... or --text TEXT, exactly one of them")
    task = ctx.task()
    result = task.send_to_webhook(args.files or None, text=args.text)
    ctx.out("Uploaded", result.to_dict())
    return ExitCode.OK


def cmd_run(ctx: Context) -> ExitCode:
    args = ctx.args
    display = ctx.display()
    try:
        result = ctx.client.run(
            args.pipeline, args.files or None, text=args.text, on_progress=display.update
        )
    finally:
        display.close()
    webhook = result.webhook.to_dict() if result.webhook is not None else None
    ctx.out(
        f"Task {result.status.status}",
        {"status": result.status.to_dict(), "webhook": webhook},
    )
    return ExitCode.OK


def cmd_version(ctx: Context) -> ExitCode:
    result = ctx.client.version()
    data = result.data
    shown = data.get("version", data) if isinstance(data, dict) else data
    ctx.out(f"service {shown}, aparavi-dtc {aparavi_dtc.__version__}", result.to_dict())
    return ExitCode.OK


# -- parsing and running ------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aparavi-dtc",
        description="Start, watch, feed and delete Aparavi Data Toolchain tasks.",
        epilog=(
            "The API key comes from APARAVI_API_KEY and the service URL from "
            "APARAVI_BASE_URL. Exit codes: 0 ok, 1 task failed, 2 usage, "
            "3 authentication, 4 not found, 5 network or timeout, 6 other API error, "
            "130 interrupted."
        ),
    )
    parser.add_argument(
        "--api-key",
        help="the API key; prefer APARAVI_API_KEY: other users can see a process's arguments",
    )
    parser.add_argument("--base-url", help="the service URL (default: $APARAVI_BASE_URL)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--debug", action="store_true", help="show details of errors")
    parser.add_argument(
        "--version", action="version", version=f"aparavi-dtc {aparavi_dtc.__version__}"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[Context], ExitCode], help: str) -> Any:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    def task_options(sub: Any) -> None:
        sub.add_argument("--token", help="act on this task instead of the current one")
        sub.add_argument("--type", help="the task type that goes with --token")

    sub = command("validate", cmd_validate, "check a pipeline without running it")
    sub.add_argument("pipeline", help="a pipeline JSON file")
    sub = command("start", cmd_start, "start a task; it becomes the current task")
    sub.add_argument("pipeline", help="a pipeline JSON file")
    sub.add_argument("--name", help="a name for the task")
    sub.add_argument("--threads", type=int, help="threads for the task, 1 to 16")
    sub.add_argument("--wait", action="store_true", help="wait for it, showing progress")
    sub = command("status", cmd_status, "show the status of the current task")
    sub.add_argument("--watch", action="store_true", help="follow it until it finishes")
    task_options(sub)
    sub = command("delete", cmd_delete, "cancel and delete the current task")
    task_options(sub)
    sub = command("upload", cmd_upload, "send files or text to the current (webhook) task")
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to send")
    sub.add_argument("--text", help="text to send instead of files")
    task_options(sub)
    sub = command("run", cmd_run, "validate, start, upload, wait and delete in one go")
    sub.add_argument("pipeline", help="a pipeline JSON file")
    sub.add_argument("files", nargs="*", metavar="FILE", help="files for a webhook pipeline")
    sub.add_argument("--text", help="text for a webhook pipeline instead of files")
    command("version", cmd_version, "show the service's version")
    return parser


def _code_for(exc: BaseException) -> ExitCode:
    if isinstance(exc, CLIError):
        return exc.code
    if isinstance(exc, TaskFailedError):
        return ExitCode.TASK_FAILED
    if isinstance(exc, AuthenticationError):
        return ExitCode.AUTHENTICATION
    if isinstance(exc, TaskNotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, APIConnectionError | TaskTimeoutError):
        return ExitCode.NETWORK
    if isinstance(exc, NoActiveTaskError | ValueError | TypeError):
        return ExitCode.USAGE
    return ExitCode.API_ERROR


def _fail(exc: BaseException, debug: bool) -> NoReturn:
    print(f"aparavi-dtc: error: {exc}", file=sys.stderr)
    if debug:
        detail = "".join(traceback.format_exception(exc))
        print(detail, file=sys.stderr)
    sys.exit(_code_for(exc))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.debug:
        os.environ.setdefault("APARAVI_LOG", "debug")
    try:
        ctx = Context(args)
        with ctx.client:
            code: ExitCode = args.run(ctx)
            return int(code)
    except (CLIError, AparaviError, ValueError, TypeError) as exc:
        _fail(exc, args.debug)
    except KeyboardInterrupt:
        print("aparavi-dtc: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
