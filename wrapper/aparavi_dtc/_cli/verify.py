"""``aparavi-dtc verify``: whether the service answers as the shipped spec says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .display import clean
from .status import CLIError, ExitCode

if TYPE_CHECKING:
    from .context import Context


def cmd_verify(ctx: Context) -> ExitCode:
    """Call the free operations (and, when asked, a task's), check each answer against the
    spec, print a line per operation and one per drift; exit 0 only when all conform."""
    args = ctx.args
    try:
        from aparavi_dtc.testing._verify import verify
    except ImportError as exc:  # pragma: no cover - PyYAML comes with the testing extra
        raise CLIError(f"{exc}") from None
    if (args.token is None) != (args.type is None):
        raise CLIError("--token and --type go together")
    task = None
    if args.token is not None:
        ctx.report.secret(args.token)
        task = (args.token, args.type)
    report = verify(
        ctx.client,
        task=task,
        with_task=args.with_task,
        with_upload=args.with_upload,
        allow_new_fields=args.allow_new_fields,
        record=args.record,
    )
    lines = []
    for each in report.operations:
        if each.error is not None:
            lines.append(f"{each.operation}: no answer: {each.error}")
            continue
        verdict = "conforms" if each.conforms else "DRIFT"
        if each.conforms and each.drift:
            verdict += " (new fields allowed)"
        lines.append(f"{each.operation}: HTTP {each.status_code}, {verdict}")
        for drift in each.drift:
            where = f" {drift.where}" if drift.where else ""
            lines.append(f"  {drift.kind}{where}: {drift.detail}")
    summary = "Everything conforms to the spec" if report.conforms else "The service drifted"
    if args.record is not None:
        summary += f"; answers recorded in {args.record}"
    text = "\n".join(clean(line) for line in [*lines, summary])
    ctx.out(text, report.to_dict(), neutralised=True)  # each line cleaned
    return ExitCode.OK if report.conforms else ExitCode.DRIFT
