"""What a client tells :meth:`AparaviDTC.on_task` listeners: each task it starts and deletes.

The service has no call that lists tasks: a program that must find again the tasks it
started (to delete those a crash left behind) records them as it hears of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ._redact import mask

__all__ = ["TaskEvent", "TaskListener"]


@dataclass(frozen=True, repr=False)
class TaskEvent:
    """A task the client started or deleted.

    ``repr()`` masks the token; the token itself is there to find the task again
    (``client.task(event.token, event.type)``).
    """

    kind: Literal["started", "deleted"]
    """``"started"``: the service answered a start (``start_task``, ``run``, ``process``),
    before the call returns. ``"deleted"``: the service deleted the task, or answered that
    it no longer has it."""
    token: str
    """The task's token: a secret, as the API key is."""
    type: str
    """The task's type (``cpu``, ``gpu``, ...)."""
    base_url: str
    """The service the task runs on."""
    name: str | None = None
    """The name it was started with, for ``"started"``; else None."""

    def __repr__(self) -> str:
        return (
            f"TaskEvent(kind={self.kind!r}, token={mask(self.token)!r}, type={self.type!r}, "
            f"base_url={self.base_url!r}, name={self.name!r})"
        )


TaskListener = Callable[[TaskEvent], object]
"""A function :meth:`AparaviDTC.on_task` calls with each :class:`TaskEvent`."""
