"""The ``aparavi-dtc mcp`` command: check its options, then serve."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._cli.context import Context
    from .._cli.status import ExitCode

__all__ = ["cmd_mcp"]


def cmd_mcp(ctx: Context) -> ExitCode:
    from .._cli.status import CLIError, ExitCode

    args = ctx.args
    if args.api_key is not None:
        raise CLIError(
            "the MCP server takes the key from APARAVI_API_KEY only: set it in the host's "
            "configuration (its env), not on the command line"
        )
    try:
        import anyio

        from ._server import Settings, serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in {"mcp", "anyio", "pydantic"}:
            raise
        raise CLIError(
            'the MCP server needs the mcp extra: pip install "aparavi-dtc[mcp]"'
        ) from None
    from .._redact import Redactor
    from ._roots import Roots

    try:
        roots = Roots.parse(args.root or [])
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    key = os.environ.get("APARAVI_API_KEY", "")
    if not key.strip():
        raise CLIError("no API key: set APARAVI_API_KEY in the host's configuration (its env)")
    from aparavi_dtc import AsyncAparaviDTC

    try:
        client = AsyncAparaviDTC(key, base_url=args.base_url, **ctx.client_options())
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    ctx.report.base_url = client.base_url
    # Recorded as every command's tasks are: `aparavi-dtc tasks` finds what a kill left.
    client.on_task(ctx.tasks.heard)
    settings = Settings(
        roots=roots,
        max_file_size=args.max_file_size,
        max_text=args.max_text,
        concurrency=args.concurrency,
        read_only=args.read_only,
        http_port=args.http,
    )
    signum = anyio.run(serve, settings, client, Redactor(key))
    return ExitCode.OK if signum is None else ExitCode(128 + signum)
