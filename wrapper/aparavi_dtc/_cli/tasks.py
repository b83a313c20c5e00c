"""``aparavi-dtc tasks``: the tasks the record (``record.py``) holds, with their status
from the service; ``--delete`` deletes them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .record import Recorded, drop_task, read_tasks
from .session import clear_session, read_session, session_lock
from .status import CLIError, ExitCode, error_message, exit_code_for

if TYPE_CHECKING:
    from .context import Context

__all__ = ["cmd_tasks"]


# -- the command ------------------------------------------------------------------------


def _shown(number: int | None, task: Recorded, current: str | None) -> dict[str, Any]:
    return {
        "number": number,
        "type": task.type,
        "name": task.name,
        "base_url": task.base_url,
        "started": task.started,
        "command": task.command,
        "current": task.token == current,
        "running_command": task.still_running(),
        "status": None,
        "error": None,
    }


def _line(entry: dict[str, Any]) -> str:
    """Two lines for a task, each made safe to print (names and statuses come from
    people and the service)."""
    from .display import clean

    mark = f"{entry['number']}." if entry["number"] is not None else "-"
    name = f" {entry['name']!r}" if entry["name"] else ""
    started = entry["started"].replace("T", " ").replace("Z", " UTC")
    state = entry["status"] or entry["error"] or ""
    notes = []
    if entry["current"]:
        notes.append("the current task")
    if entry["running_command"]:
        notes.append("its command is still running")
    tail = f" ({'; '.join(notes)})" if notes else ""
    head = clean(f"{mark} {entry['type']} task{name} on {entry['base_url']}: {state}{tail}")
    command = entry["command"]
    return f"{head}\n   {clean(f'started {started} by `{command}`')}"


def cmd_tasks(ctx: Context) -> ExitCode:
    """List the recorded tasks with their status, delete them (``--delete [N...]``), or
    strike them out of the record without asking their service (``--forget N...``)."""
    forget: list[int] | None = ctx.args.forget
    numbers: list[int] | None = ctx.args.delete if forget is None else forget
    tasks = read_tasks()
    if numbers:
        wrong = [n for n in numbers if not 1 <= n <= len(tasks)]
        if wrong:
            have = {0: "no task is recorded", 1: "1 task is recorded, number 1"}.get(
                len(tasks), f"{len(tasks)} tasks are recorded, numbered 1 to {len(tasks)}"
            )
            raise CLIError(f"no task numbered {wrong[0]}: {have} (`aparavi-dtc tasks`)")
    if forget is not None:
        return _forget(ctx, tasks, set(forget))
    saved = read_session() if tasks else None
    current = saved["token"] if saved is not None else None
    chosen = set(numbers or range(1, len(tasks) + 1)) if numbers is not None else set()
    listed: list[dict[str, Any]] = []
    deleted: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    failed: list[BaseException] = []
    from aparavi_dtc import AparaviError, TaskNotFoundError

    for number, task in enumerate(tasks, 1):
        ctx.report.secret(task.token)
        entry = _shown(number, task, current)
        handle = ctx.client_for(task.base_url).task(task.token, task.type)
        try:
            if number in chosen:
                with session_lock():
                    handle.delete()  # the client strikes it out of the record
                    clear_session(task.token)
                entry["status"] = "deleted"
                deleted.append(entry)
                continue
            entry["status"] = handle.get().data.status
        except TaskNotFoundError:
            drop_task(task.token)
            entry["error"] = "the service no longer has it; dropped from the record"
            dropped.append(entry)
            continue
        except AparaviError as exc:
            failed.append(exc)
            entry["error"] = error_message(exc, task.base_url)
        listed.append(entry)
    for index, entry in enumerate(listed, 1):  # numbered as the record now has them
        entry["number"] = index
    for entry in dropped + deleted:
        entry["number"] = None
    data = {"tasks": listed, "deleted": deleted, "dropped": dropped, "forgotten": []}
    ctx.out(_describe(listed, deleted, dropped, numbers is not None), data, neutralised=True)
    if failed and numbers is not None:
        return exit_code_for(failed[0])
    return ExitCode.OK


def _forget(ctx: Context, tasks: list[Recorded], chosen: set[int]) -> ExitCode:
    """Strike the chosen tasks out of the record, asking no service."""
    saved = read_session()
    current = saved["token"] if saved is not None else None
    forgotten = []
    for number, task in enumerate(tasks, 1):
        ctx.report.secret(task.token)
        if number in chosen:
            with session_lock():
                drop_task(task.token)
                clear_session(task.token)
            entry = _shown(None, task, current)
            entry["status"] = "forgotten, not deleted: it may still run there"
            forgotten.append(entry)
    data = {"tasks": [], "deleted": [], "dropped": [], "forgotten": forgotten}
    ctx.out("\n".join(_line(entry) for entry in forgotten), data, neutralised=True)
    return ExitCode.OK


def _describe(
    listed: list[dict[str, Any]],
    deleted: list[dict[str, Any]],
    dropped: list[dict[str, Any]],
    deleting: bool,
) -> str:
    lines = [_line(entry) for entry in dropped + deleted + listed]
    if not lines:
        return "No task recorded: every task aparavi-dtc started has been deleted"
    if listed and not deleting:
        lines.append(
            "`aparavi-dtc tasks --delete` deletes them all; "
            "`aparavi-dtc tasks --delete N...` those numbered"
        )
    return "\n".join(lines)
