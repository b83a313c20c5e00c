"""``aparavi-dtc``: parse the arguments, run the command, report how it went."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from .._signals import interrupt_on_signals, received_signal
from .context import Context
from .definition import parser, wants_json
from .output import Reporter
from .status import CLIError, ExitCode, error_message, exit_code_for

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser(wants_json(arguments)).parse_args(arguments)
    if args.debug:
        os.environ.setdefault("APARAVI_LOG", "debug")
    # SIGTERM (kill, docker stop) and SIGHUP (a dropped SSH session) stop a command as
    # Ctrl-C does: whatever it started is deleted on the way out.
    interrupt_on_signals()
    report = Reporter(json_mode=args.json, debug=args.debug)
    ctx = Context(args, report)
    try:
        try:
            code: ExitCode = args.run(ctx)
        finally:
            ctx.close()
    except KeyboardInterrupt as exc:
        return _failed(report, exc)
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except Exception as exc:
        return _failed(report, exc)
    return int(code)


def _failed(report: Reporter, exc: BaseException) -> int:
    """Report ``exc``; an interruption by a signal exits with 128 + its number."""
    signum = received_signal()
    if signum is not None and exit_code_for(exc) is ExitCode.INTERRUPTED:
        stopped = CLIError(error_message(exc, report.base_url), ExitCode(128 + signum))
        stopped.__cause__ = exc  # for --debug
        exc = stopped
    return int(report.fail(exc))


if __name__ == "__main__":
    sys.exit(main())
