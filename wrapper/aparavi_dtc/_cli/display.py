"""How the command line shows things: server text made safe for a terminal, strict JSON,
and progress as a live bar on a terminal or plain lines elsewhere."""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:  # the models load only when a command runs, not for --help
    from aparavi_dtc import Progress, WebhookResult

# Characters a terminal acts on instead of showing: C0 controls (ESC starts escape
# sequences, CR rewrites the line, BS erases), DEL, C1 controls (CSI and OSC in one byte),
# the bidirectional overrides and isolates that reorder what is shown, and the Unicode line
# and paragraph separators. Tab and newline are kept only in multi-line text.
_UNSAFE_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_IN_BLOCK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` safe to print: every control character shown as an escape (``\\x1b``).

    One line unless ``multiline``, which keeps newlines and tabs (the text's own layout)
    and still escapes carriage returns.
    """
    pattern = _UNSAFE_IN_BLOCK if multiline else _UNSAFE_IN_LINE
    return pattern.sub(_escape, text)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def to_json(data: Any) -> str:
    """Strict JSON (RFC 8259): NaN and infinities become null, non-ASCII is escaped.

    Raises RecursionError for data nested too deeply to encode.
    """
    return json.dumps(_finite(data), allow_nan=False, default=str)


def describe_results(result: WebhookResult | None) -> str:
    """What a pipeline produced, for people: a count, then each processed object's name
    (its id when it has none) followed by its text, indented. Server text is neutralised;
    the text keeps its own lines and tabs."""
    if result is None:
        return "Nothing was uploaded"
    objects = result.objects
    items = list(objects.items()) if isinstance(objects, Mapping) else []
    done, asked = result.objects_completed, result.objects_requested
    if isinstance(done, int) and isinstance(asked, int):
        lines = [f"Processed {done} of {asked} objects"]
    else:
        lines = [f"Processed {len(items)} objects"]
    for object_id, item in items:
        name = getattr(item, "name", None)
        lines.append(clean(name if isinstance(name, str) and name else str(object_id)) + ":")
        pieces = getattr(item, "text", None)
        text = "\n".join(map(str, pieces)) if isinstance(pieces, list) else ""
        if text.strip():
            lines += ["  " + line for line in clean(text, multiline=True).split("\n")]
        else:
            lines.append("  (no text)")
    return "\n".join(lines)


def describe_entries(entries: list[tuple[str, str]]) -> str:
    """One line per entry (a pipeline, a component): its name, then what it does."""
    names = [clean(name) for name, _ in entries]
    width = max(map(len, names), default=0)
    return "\n".join(
        f"{name.ljust(width)}  {clean(summary)}".rstrip()
        for name, (_, summary) in zip(names, entries, strict=True)
    )


def describe_services(catalog: Mapping[str, Any]) -> str:
    """One line per component of the service's catalog, by name: its title and
    description, as far as the service gives them."""
    entries = []
    for name, entry in sorted(catalog.items()):
        words = (
            [entry.get(key) for key in ("title", "description")]
            if isinstance(entry, Mapping)
            else []
        )
        entries.append((name, ": ".join(w for w in words if isinstance(w, str) and w)))
    return describe_entries(entries)


class Display(Protocol):
    """Receives every poll's progress while the CLI waits."""

    def update(self, progress: Progress) -> None: ...

    def close(self) -> None: ...


def describe(progress: Progress, *, elapsed: bool = True) -> str:
    """One line: status, percent, counts and (unless told not to) elapsed time."""
    parts = [clean(progress.status)]
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

        # markup=False: a status such as "[link=...]" from the server is shown as it is.
        self._bar = Progress(
            TextColumn("{task.fields[status]}", markup=False),
            BarColumn(),
            TextColumn("{task.fields[detail]}", markup=False),
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
            status=clean(progress.status),
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
