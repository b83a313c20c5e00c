"""The record of tasks: every task the command line starts, from the moment the service
answers the start until the task is deleted (``aparavi-dtc tasks``, in ``tasks.py``, lists
and deletes them).

The service has no call that lists tasks, and the command line never shows a token: a task
that a crashed or killed command (``kill -9``, a lost machine) left running could not be
found again without this record. It is kept beside the session file and the same way
(``session.py``): private (0600, never through a link), replaced atomically, and changed
under a lock of its own (``tasks.lock``), so that commands running at once lose nothing.
The clients tell it of each start and delete (``AparaviDTC.on_task``), ``run`` and
``process`` included; a delete during a clean-up is recorded as it happens, through Ctrl-C.
"""

from __future__ import annotations

import datetime
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .session import (
    SessionError,
    config_dir,
    private_lock,
    read_private,
    read_session,
    write_private,
)

if TYPE_CHECKING:
    from aparavi_dtc import TaskEvent

    from .output import Reporter

__all__ = [
    "Recorded",
    "TaskLog",
    "add_task",
    "drop_task",
    "left_behind_message",
    "read_tasks",
    "shown_command",
    "tasks_path",
]

TASKS_MARK = "aparavi-dtc tasks"
TASKS_LIMIT = 4 * 1024 * 1024  # ~300 bytes a task: far more tasks than anyone leaves running


def tasks_path() -> Path:
    """Where the tasks the command line started are recorded."""
    return config_dir() / "tasks.json"


def _fix(path: Path) -> str:
    return f"move {path} away (the tasks it lists are then forgotten)"


@dataclass(frozen=True, repr=False)
class Recorded:
    """A task in the record. ``repr()`` masks the token, which is never shown."""

    token: str
    type: str
    base_url: str
    started: str  # when the service answered the start: ISO 8601, UTC
    command: str  # the command line that started it, without --api-key
    name: str | None = None
    pid: int | None = None  # the process that started it

    def __repr__(self) -> str:
        from .._redact import mask

        return f"Recorded(token={mask(self.token)!r}, type={self.type!r}, name={self.name!r})"

    def to_file(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "type": self.type,
            "name": self.name,
            "base_url": self.base_url,
            "started": self.started,
            "command": self.command,
            "pid": self.pid,
        }

    @classmethod
    def from_file(cls, data: Any) -> Recorded | None:
        """The entry ``data``, or None when it is not one."""
        if not isinstance(data, dict):
            return None
        text = {key: data.get(key) for key in ("token", "type", "base_url", "started", "command")}
        if not all(isinstance(value, str) and value for value in text.values()):
            return None
        name, pid = data.get("name"), data.get("pid")
        return cls(
            token=str(text["token"]),
            type=str(text["type"]),
            base_url=str(text["base_url"]),
            started=str(text["started"]),
            command=str(text["command"]),
            name=name if isinstance(name, str) and name else None,
            pid=pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None,
        )

    def still_running(self) -> bool:
        """Whether the process that started the task still runs (on this machine)."""
        if self.pid is None or self.pid == os.getpid() or not hasattr(os, "kill"):
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:  # another user's process: it exists
            return True
        return True


def read_tasks() -> list[Recorded]:
    """The recorded tasks, oldest first; none when there is no record."""
    path = tasks_path()
    data = read_private(path, "record of tasks", TASKS_MARK, TASKS_LIMIT, _fix(path))
    if data is None:
        return []
    entries = data.get("tasks")
    if not isinstance(entries, list):
        raise SessionError(f"the record of tasks {path} is corrupt: {_fix(path)}")
    return [each for each in map(Recorded.from_file, entries) if each is not None]


def _write_tasks(tasks: Sequence[Recorded]) -> None:
    data = {"kind": TASKS_MARK, "tasks": [each.to_file() for each in tasks]}
    write_private("tasks.json", data, "the record of tasks")


def add_task(task: Recorded) -> None:
    """Add ``task`` to the record."""
    with private_lock("tasks.lock"):
        _write_tasks([*read_tasks(), task])


def drop_task(token: str) -> None:
    """Remove the task ``token`` from the record, if there (nothing is written otherwise)."""
    with private_lock("tasks.lock"):
        if not tasks_path().exists():
            return
        tasks = read_tasks()
        kept = [each for each in tasks if each.token != token]
        if len(kept) != len(tasks):
            _write_tasks(kept)


def shown_command(argv: Sequence[str]) -> str:
    """The command line ``argv`` as a shell would take it, without ``--api-key``'s value."""
    shown: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            shown.append(word)
            shown.extend(words)
            break
        if word == "--api-key":
            next(words, None)
            continue
        if not word.startswith("--api-key="):
            shown.append(word)
    return shlex.join(["aparavi-dtc", *shown])


class TaskLog:
    """Keeps the record as a command's clients start and delete tasks (``on_task``)."""

    def __init__(self, report: Reporter, command: str) -> None:
        self._report = report
        self._command = command
        self._started: list[str] = []  # the tokens this command started
        self._warned = False

    def heard(self, event: TaskEvent) -> None:
        """A client started or deleted a task: record it, or strike it out."""
        self._report.secret(event.token)
        try:
            if event.kind == "started":
                self._started.append(event.token)
                now = datetime.datetime.now(datetime.UTC)
                add_task(
                    Recorded(
                        token=event.token,
                        type=event.type,
                        base_url=event.base_url,
                        started=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
                        command=self._command,
                        name=event.name,
                        pid=os.getpid(),
                    )
                )
            else:
                drop_task(event.token)
        except (SessionError, OSError) as exc:
            # The task goes on; only a later `aparavi-dtc tasks` would miss it.
            if not self._warned:
                self._warned = True
                self._report.note(f"warning: `aparavi-dtc tasks` will not list the task: {exc}")

    def left_behind(self) -> list[tuple[int, Recorded]]:
        """The tasks this command started that are still recorded (a delete failed), with
        their numbers in ``aparavi-dtc tasks``; the current task (``start``) is meant to
        stay, and is left out."""
        if not self._started:
            return []
        try:
            tasks = read_tasks()
            current = read_session()
        except SessionError:
            return []
        kept = current["token"] if current is not None else None
        return [
            (number, each)
            for number, each in enumerate(tasks, 1)
            if each.token in self._started and each.token != kept
        ]


def left_behind_message(left: Sequence[tuple[int, Recorded]]) -> str:
    """What to tell about tasks a command could not delete, and how to delete them."""
    numbers = " ".join(str(number) for number, _ in left)
    if len(left) == 1:
        what, verb = f"the {left[0][1].type} task it started is", "deletes it"
    else:
        what, verb = f"{len(left)} tasks it started are", "deletes them"
    return f"{what} still on the service: `aparavi-dtc tasks --delete {numbers}` {verb}"
