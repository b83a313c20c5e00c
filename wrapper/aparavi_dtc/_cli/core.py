"""``aparavi-dtc``: parse the arguments, run the command, report how it went."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .._signals import ignore_stop_signals, interrupt_on_signals, received_signal
from .context import Context
from .definition import parser, wants_json
from .output import Reporter
from .record import left_behind_message, shown_command
from .status import CLIError, ExitCode, error_message, exit_code_for

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The ``aparavi-dtc`` script (and ``python -m aparavi_dtc``): :func:`main`, then exit.

    Once a stop signal has interrupted the command and its clean-up is done, the program
    only reports and exits: a second Ctrl-C (or SIGTERM, SIGHUP) changes nothing then,
    instead of ending it by the signal, or with a traceback, while it exits.
    """
    sys.exit(main(exiting=True))


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run the command line; returns the exit code. ``exiting``: the process ends after
    (:func:`run`), so that stop signals may be ignored once an interruption is handled."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser(wants_json(arguments)).parse_args(arguments)
    if args.debug:
        os.environ.setdefault("APARAVI_LOG", "debug")
    # SIGTERM (kill, docker stop) and SIGHUP (a dropped SSH session) stop a command as
    # Ctrl-C does: whatever it started is deleted on the way out.
    interrupt_on_signals()
    report = Reporter(json_mode=args.json, debug=args.debug)
    ctx = Context(args, report, shown_command(arguments))
    try:
        try:
            code: ExitCode = args.run(ctx)
        finally:
            ctx.close()
    except KeyboardInterrupt as exc:
        return _failed(ctx, exc, exiting=exiting)
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except Exception as exc:
        return _failed(ctx, exc, exiting=exiting)
    left = ctx.tasks.left_behind()
    if left:
        report.note(f"warning: {left_behind_message(left)}")
    return int(code)


def _failed(ctx: Context, exc: BaseException, *, exiting: bool = False) -> int:
    """Report ``exc``: an interruption by a signal exits with 128 + its number, and a task
    the command could not delete is named with the way to delete it."""
    report = ctx.report
    code = exit_code_for(exc)
    if exiting and code is ExitCode.INTERRUPTED:
        ignore_stop_signals()  # its clean-up is done: another signal changes nothing now
    signum = received_signal()
    if signum is not None and code is ExitCode.INTERRUPTED:
        code = ExitCode(128 + signum)
    left = ctx.tasks.left_behind()
    if code is not exit_code_for(exc) or left:
        message = error_message(exc, report.base_url)
        if left:
            message += f"; {left_behind_message(left)}"
        failed = CLIError(message, code)
        failed.__cause__ = exc  # for --debug
        exc = failed
    return int(report.fail(exc))


if __name__ == "__main__":
    run()
