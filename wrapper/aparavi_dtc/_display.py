"""How the command line shows progress: a live bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
from typing import Any, Protocol, TextIO

from ._polling import Progress


class Display(Protocol):
    """Receives every poll's progress while the CLI waits."""

    def update(self, progress: Progress) -> None: ...

    def close(self) -> None: ...


def describe(progress: Progress, *, elapsed: bool = True) -> str:
    """One line: status, percent, counts and (unless told not to) elapsed time."""
    parts = [progress.status]
    if progress.percent is not None:
        parts.append(f"{progress.percent:.0f}%")
    if progress.completed is not None and progress.total is not None:
        parts.append(f"{progress.completed}/{progress.total} objects")
    if progress.failed:
        parts.append(f"{progress.failed} failed")
    if elapsed:
        parts.append(f"{progress.elapsed:.0f}s")
    return " · ".join(parts)


class NullDisplay:
    """Shows nothing (for ``--json``)."""

    def update(self, progress: Progress) -> None:
        pass

    def close(self) -> None:
        pass


class LineDisplay:
    """One plain line whenever the status, percent or counts change."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._last: tuple[Any, ...] | None = None

    def update(self, progress: Progress) -> None:
        key = (progress.status, progress.percent, progress.completed, progress.failed)
        if key != self._last:
            self._last = key
            print(describe(progress), file=self._stream, flush=True)

    def close(self) -> None:
        pass


class BarDisplay:
    """A live progress bar drawn with rich (``pip install aparavi-dtc[cli]``)."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.fields[status]}"),
            BarColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._task = self._bar.add_task("task", total=100, status="…", detail="")
        self._bar.start()

    def update(self, progress: Progress) -> None:
        counts = ""
        if progress.completed is not None and progress.total is not None:
            counts = f"{progress.completed}/{progress.total} objects"
        self._bar.update(
            self._task,
            completed=progress.percent or 0,
            total=100 if progress.percent is not None else None,
            status=progress.status,
            detail=counts,
        )

    def close(self) -> None:
        self._bar.stop()


def display_for(stream: TextIO = sys.stdout, *, quiet: bool = False) -> Display:
    """A bar on a terminal (when rich is installed), plain lines otherwise."""
    if quiet:
        return NullDisplay()
    if stream.isatty():
        try:
            return BarDisplay(stream)
        except ImportError:
            pass
    return LineDisplay(stream)
