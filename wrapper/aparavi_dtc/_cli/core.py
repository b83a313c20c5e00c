"""``aparavi-dtc``: parse the arguments, run the command, report how it went."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from .context import Context
from .definition import parser, wants_json
from .output import Reporter
from .status import ExitCode

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser(wants_json(arguments)).parse_args(arguments)
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
