"""The arguments ``aparavi-dtc`` takes: its options, commands and usage errors."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import aparavi_dtc
from aparavi_dtc._limits import MAX_CONNECTIONS, MAX_RETRIES, MAX_SECONDS, MAX_THREADS

from .._mcp import cmd_mcp
from .commands import (
    cmd_delete,
    cmd_mock,
    cmd_pipe_create,
    cmd_pipe_delete,
    cmd_pipe_process,
    cmd_pipelines,
    cmd_run,
    cmd_services,
    cmd_start,
    cmd_status,
    cmd_upload,
    cmd_validate,
    cmd_version,
)
from .context import Context
from .display import to_json
from .process import cmd_process
from .status import ExitCode
from .tasks import cmd_tasks
from .verify import cmd_verify

__all__ = ["parser", "wants_json"]


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


class _Checked(argparse.Action):
    """Stores an option's value once ``check(value, option)`` accepts it (returning the
    value to keep); what it raises, a ``ValueError`` naming the option (``--threads must
    be ...``), is the usage error."""

    def __init__(self, *args: Any, check: Callable[[str, str], Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check = check

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        try:
            value = self.check(values, option_string or self.dest)
        except ValueError as exc:
            parser.error(str(exc))
        setattr(namespace, self.dest, value)


def _each(check: Callable[[str, str], Any]) -> Callable[[list[str], str], list[Any]]:
    """The check of an option that takes several values: ``check`` of each."""

    def each(values: list[str], option: str) -> list[Any]:
        return [check(value, option) for value in values]

    return each


def _whole(low: int, high: int) -> Callable[[str, str], int]:
    """A check of a whole number from ``low`` to ``high``."""

    def whole(text: str, option: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise ValueError(
                f"{option} must be a whole number from {low} to {high}, not {text or 'nothing'}"
            )
        return value

    return whole


def _seconds(text: str, option: str) -> float:
    """A check of seconds above 0: a time limit of 0 would fail everything."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise ValueError(
            f"{option} must be seconds above 0 (at most {MAX_SECONDS:.0f}), "
            f"not {text or 'nothing'}"
        )
    return value


def _text(text: str, option: str) -> str:
    """A check of text that must not be empty or blank."""
    if not text.strip():
        raise ValueError(f"{option} must not be empty")
    return text


def _name(text: str, option: str) -> str:
    """A check of a task's name: as the SDK checks it, in the option's words."""
    from aparavi_dtc._checks import check_name  # here: it loads httpx, which --help never needs

    check_name(_text(text, option), option)
    return text


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
        "--base-url",
        default=default(None),
        help="the service URL (default: $APARAVI_BASE_URL, else https://eaas.aparavi.com)",
    )
    parser.add_argument(
        "--request-timeout",
        action=_Checked,
        check=_seconds,
        default=default(None),
        metavar="SECONDS",
        help="how long each request may take (default: $APARAVI_TIMEOUT, else 30 s, and "
        "10 minutes for an upload's answer, which comes once the document is processed)",
    )
    parser.add_argument(
        "--max-retries",
        action=_Checked,
        check=_whole(0, MAX_RETRIES),
        default=default(None),
        metavar="N",
        help=f"retries of a failed request, 0 to {MAX_RETRIES} "
        "(default: $APARAVI_MAX_RETRIES, else 2)",
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


def parser(json_errors: bool = False) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aparavi-dtc",
        description="Start, watch, feed and delete Aparavi Data Toolchain tasks.",
        epilog=(
            "The API key comes from APARAVI_API_KEY and the service URL from "
            "APARAVI_BASE_URL. Exit codes: 0 ok, 1 task failed, 2 usage, "
            "3 authentication, 4 not found, 5 network or timeout, 6 other API error, "
            "7 some files failed (process), 8 the service drifted from the spec (verify), "
            "130 interrupted (Ctrl-C), 143 stopped by SIGTERM, "
            "129 by SIGHUP."
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

    def command(
        name: str, run: Callable[[Context], ExitCode] | None, help: str, within: Any = commands
    ) -> Any:
        sub = within.add_parser(name, help=help, description=help, parents=[shared])
        sub.json_errors = json_errors
        if run is not None:
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

    def concurrency_option(sub: Any) -> None:
        sub.add_argument(
            "--concurrency",
            action=_Checked,
            check=_whole(1, MAX_CONNECTIONS),
            default=4,
            help="uploads in flight at once, 1 to 32 (4)",
        )

    def task_options(sub: Any) -> None:
        sub.add_argument(
            "--token",
            action=_Checked,
            check=_text,
            help="act on this task instead of the current one",
        )
        sub.add_argument(
            "--type", action=_Checked, check=_text, help="the task type that goes with --token"
        )

    sub = command("validate", cmd_validate, "check a pipeline without running it")
    pipeline_options(sub)
    sub = command("start", cmd_start, "start a task; it becomes the current task")
    pipeline_options(sub)
    sub.add_argument("--name", action=_Checked, check=_name, help="a name for the task")
    sub.add_argument(
        "--threads",
        action=_Checked,
        check=_whole(1, MAX_THREADS),
        help="threads for the task, 1 to 16",
    )
    sub.add_argument(
        "--wait",
        action="store_true",
        help="wait until it finishes (a webhook task: until it takes uploads), showing progress",
    )
    sub.add_argument(
        "--show-token",
        action="store_true",
        help="print the task's token (a secret), to follow the task from elsewhere",
    )
    sub.add_argument(
        "--replace",
        action="store_true",
        help="delete the current task first (without it, start refuses while one exists)",
    )
    sub = command("status", cmd_status, "show the status of the current task")
    sub.add_argument(
        "--watch",
        action="store_true",
        help="follow it until it finishes (a webhook task: until it takes uploads)",
    )
    task_options(sub)
    sub = command("delete", cmd_delete, "cancel and delete the current task")
    task_options(sub)
    sub = command(
        "upload", cmd_upload, "send files or text to the current (webhook) task; show the results"
    )
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to send")
    sub.add_argument("--text", action=_Checked, check=_text, help="text to send instead of files")
    task_options(sub)
    sub = command(
        "run", cmd_run, "validate, start, upload (or wait), delete in one go; show the results"
    )
    pipeline_options(sub, then_files=True)
    sub.add_argument("files", nargs="*", metavar="FILE", help="files for a webhook pipeline")
    sub.add_argument(
        "--text", action=_Checked, check=_text, help="text for a webhook pipeline instead of files"
    )
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
    where.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write each file's text to DIR/PATH.txt, PATH its path below the folder given",
    )
    again = sub.add_mutually_exclusive_group()
    again.add_argument(
        "--resume",
        action="store_true",
        help="with --out: skip the files the file already shows processed, append the rest",
    )
    again.add_argument(
        "--overwrite",
        action="store_true",
        help="replace what --out or --out-dir holds already (without it, process refuses)",
    )
    sub.add_argument(
        "--include",
        action="append",
        metavar="PATTERN",
        help="only files whose path below the folder given matches this glob (repeatable; "
        "* matches across /, a pattern without / matches the name too)",
    )
    sub.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="leave out files whose path matches this glob (repeatable; wins over --include)",
    )
    sub.add_argument(
        "--dry-run",
        action="store_true",
        help="list the files that would be sent, with their sizes, and send nothing",
    )
    concurrency_option(sub)
    sub.add_argument(
        "--threads",
        action=_Checked,
        check=_whole(1, MAX_THREADS),
        help="threads for the task, 1 to 16",
    )
    sub.add_argument(
        "--timeout", action=_Checked, check=_seconds, help="seconds the whole batch may take"
    )
    sub = command("pipe", None, "create a persistent pipe, process files through it, delete it")
    pipe = sub.add_subparsers(dest="pipe_command", required=True, metavar="PIPE_COMMAND")
    sub = command(
        "create",
        cmd_pipe_create,
        "create a pipe and print its token (a secret: keep it like the key)",
        pipe,
    )
    pipeline_options(sub)
    sub.add_argument("--name", help="a name for the pipe")
    sub = command(
        "process",
        cmd_pipe_process,
        "process files through the pipe --token names, or through a pipe made for them "
        "and deleted after (PIPELINE or --pipeline NAME)",
        pipe,
    )
    pipeline_options(sub, then_files=True)
    sub.add_argument("files", nargs="*", metavar="FILE", help="files to process")
    sub.add_argument(
        "--token", help="the pipe to use (with it, every argument is a file to process)"
    )
    sub = command("delete", cmd_pipe_delete, "delete the pipe --token names", pipe)
    sub.add_argument("--token", required=True, help="the pipe to delete")
    sub = command(
        "services", cmd_services, "list the components pipelines can use, or describe one"
    )
    sub.add_argument("name", nargs="?", metavar="NAME", help="print this component as JSON")
    sub = command(
        "verify",
        cmd_verify,
        "check that the service answers as the shipped spec says (starts nothing unless asked)",
    )
    task_options(sub)
    sub.add_argument(
        "--with-task",
        action="store_true",
        help="also start the smallest task, read it and delete it",
    )
    sub.add_argument(
        "--with-upload", action="store_true", help="also send that task one line of text"
    )
    sub.add_argument(
        "--allow-new-fields",
        action="store_true",
        help="fields the spec does not name are shown but do not fail the run",
    )
    sub.add_argument(
        "--record", metavar="DIR", help="save every answer in DIR, the key and tokens replaced"
    )
    sub = command(
        "tasks",
        cmd_tasks,
        "list the tasks aparavi-dtc started and has not deleted, with their status",
    )
    which = sub.add_mutually_exclusive_group()
    which.add_argument(
        "--delete",
        nargs="*",
        action=_Checked,
        check=_each(_whole(1, 1_000_000)),
        metavar="N",
        help="delete the tasks numbered N (as listed), or all of them",
    )
    which.add_argument(
        "--forget",
        nargs="+",
        action=_Checked,
        check=_each(_whole(1, 1_000_000)),
        metavar="N",
        help="strike the tasks numbered N out of the record without asking their service "
        "(one that is gone for good); they may still run there",
    )
    command("version", cmd_version, "show the service's version")
    sub = command("pipelines", cmd_pipelines, "list the predefined pipelines, or print one")
    sub.add_argument("name", nargs="?", metavar="NAME", help="print this pipeline's JSON")
    sub = command(
        "mcp",
        cmd_mcp,
        "serve the SDK to LLM applications over the Model Context Protocol (stdio); "
        "the key from APARAVI_API_KEY only",
    )
    sub.add_argument(
        "--root",
        action="append",
        metavar="DIR",
        help="a folder (or s3://... prefix) whose files the tools may read; repeatable "
        "(default: the roots the host shares)",
    )
    sub.add_argument(
        "--read-only",
        action="store_true",
        help="offer only the tools that start no task and upload nothing",
    )
    sub.add_argument(
        "--max-file-size",
        action=_Checked,
        check=_whole(1, 2**63),
        default=100 * 1024 * 1024,
        metavar="BYTES",
        help="refuse files larger than this (100 MiB)",
    )
    sub.add_argument(
        "--max-text",
        action=_Checked,
        check=_whole(0, 2**31),
        default=20_000,
        metavar="CHARS",
        help="characters of text in one answer; the rest is readable as a resource (20000)",
    )
    concurrency_option(sub)
    sub.add_argument(
        "--http",
        action=_Checked,
        check=_whole(0, 65535),
        metavar="PORT",
        help="serve streamable HTTP on 127.0.0.1:PORT instead of stdio",
    )
    sub = command("mock", cmd_mock, "serve a fake of the service on loopback, for tests")
    sub.add_argument(
        "--port",
        action=_Checked,
        check=_whole(0, 65535),
        default=0,
        help="port (default: a free one)",
    )
    sub.add_argument(
        "--prism", action="store_true", help="run Prism on the shipped spec instead (needs npx)"
    )
    sub.add_argument(
        "--fail",
        action="append",
        metavar="OPERATION:STATUS[:TIMES]",
        help="answer the next TIMES (1) requests of OPERATION (getTask, sendToWebhook, ...) "
        "with HTTP STATUS and an error; repeatable",
    )
    sub.add_argument(
        "--delay",
        action="append",
        metavar="OPERATION:SECONDS",
        help="wait SECONDS before answering each request of OPERATION; repeatable",
    )
    return parser


def wants_json(argv: Sequence[str]) -> bool:
    """Whether ``--json`` is among the options (before a ``--``), for usage errors."""
    options = argv[: list(argv).index("--")] if "--" in argv else argv
    return "--json" in options
