"""Where ``aparavi-dtc process`` puts things: each file's result (JSON Lines, a directory
of ``.txt`` files, or stdout), written as the file finishes; and the batch's progress, a
live bar on a terminal (files, bytes, rate, time left), a plain line per finished file
elsewhere, nothing with ``--json``.

Progress goes to stderr, so that stdout carries only results. Every line given to a
display is already masked and neutralised by the command line.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from .display import clean, to_json
from .status import CLIError, ExitCode, file_error

if TYPE_CHECKING:  # the models load only when a command runs, not for --help
    from aparavi_dtc import BatchProgress, FileResult

    from .context import Context

Mask = Callable[[str], str]

# -- results ------------------------------------------------------------------------------


def file_record(result: FileResult, error: str | None) -> dict[str, Any]:
    """One file's result as a JSON object, as ``--json`` prints it: the SDK's record
    (``FileResult.to_dict()``, what ``--out`` holds), with the command line's words for an
    error (``error``, already masked)."""
    record = result.to_dict()
    if record["error"] is not None and error is not None:
        record["error"]["message"] = error
    return record


class Sink(Protocol):
    """Takes each file's result as it finishes."""

    where: str | None
    """What to tell the user about where results went (None: printed on stdout)."""

    def write(self, result: FileResult, record: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class ResultsFileSink:
    """``--out FILE``: the SDK writes the file (``process(results=...)``), one JSON object
    per line, flushed as each file finishes, so that an interrupted run keeps every line it
    wrote and ``--resume`` can go on from it."""

    def __init__(self, path: Path) -> None:
        self.where: str | None = str(path)

    def write(self, result: FileResult, record: dict[str, Any]) -> None:
        pass  # written already, as the file finished

    def close(self) -> None:
        pass


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class DirectorySink:
    """``--out-dir DIR``: each processed file's text in ``DIR/<path>.txt``, ``<path>`` its
    path below the folder given (``FileResult.relative_path``), each written whole or not
    at all. Every target stays inside ``DIR``: odd parts (``..``, empty, control
    characters, separators) are replaced, and a folder that leads out of it (a link) is
    not followed. A target taken already in this run gets ``<path>.<index>.txt``."""

    def __init__(self, directory: Path, mask: Mask, *, overwrite: bool) -> None:
        check_out_dir(directory, overwrite=overwrite)
        directory.mkdir(parents=True, exist_ok=True)
        self.where: str | None = str(directory)
        self._directory = directory
        self._real = os.path.realpath(directory)
        self._mask = mask
        self._used: set[Path] = set()

    def target(self, relative: str, index: int) -> Path:
        """Where the text of the file at ``relative`` (the ``index``-th input) goes."""
        parts = [_UNSAFE_NAME.sub("_", part) for part in relative.split("/") if part]
        parts = [part if part not in (".", "..") else "_" for part in parts] or ["_"]
        folder = self._directory.joinpath(*parts[:-1])
        real = os.path.realpath(folder)
        if real != self._real and not real.startswith(self._real + os.sep):
            folder, parts = self._directory, ["_".join(parts)]  # a link leads out: flat
        target = folder / f"{parts[-1]}.txt"
        if target in self._used:
            target = folder / f"{parts[-1]}.{index}.txt"
        self._used.add(target)
        return target

    def write(self, result: FileResult, record: dict[str, Any]) -> None:
        if not result.ok or result.skipped is not None:
            return
        target = self.target(result.relative_path or result.name, result.index)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".aparavi-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self._mask(result.text))
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def close(self) -> None:
        pass


def check_out_dir(directory: Path, *, overwrite: bool) -> None:
    """Refuse a ``--out-dir`` that holds files already, unless ``overwrite``."""
    if not overwrite and directory.is_dir() and any(directory.iterdir()):
        raise CLIError(
            f"{directory} holds files already: pass --overwrite to write over those "
            "of the same names, or choose an empty or new folder"
        )


class PrintSink:
    """No ``--out`` or ``--out-dir``: each processed file's path and text on stdout (with
    ``--json``, its JSON object as one line)."""

    where: str | None = None

    def __init__(self, json_mode: bool, mask: Mask) -> None:
        self._json = json_mode
        self._mask = mask

    def write(self, result: FileResult, record: dict[str, Any]) -> None:
        if self._json:
            print(self._mask(to_json(record)), flush=True)
            return
        if not result.ok or result.skipped is not None:
            return  # the progress display reports it
        shown = clean(str(result.path) if result.path is not None else result.name)
        text = clean(result.text.rstrip("\n"), multiline=True)
        body = (
            "\n".join("  " + line for line in text.split("\n")) if text.strip() else "  (no text)"
        )
        print(self._mask(f"{shown}:\n{body}"), flush=True)

    def close(self) -> None:
        pass


# -- progress -----------------------------------------------------------------------------


class BatchDisplay(Protocol):
    """Receives a batch's progress and a line per finished file."""

    def update(self, progress: BatchProgress) -> None: ...

    def file_done(self, line: str, *, failed: bool) -> None: ...

    def close(self) -> None: ...


class NullBatchDisplay:
    """Shows nothing (for ``--json``)."""

    def update(self, progress: BatchProgress) -> None:
        pass

    def file_done(self, line: str, *, failed: bool) -> None:
        pass

    def close(self) -> None:
        pass


class LineBatchDisplay:
    """A plain line per finished file, as logs and pipes want them."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def update(self, progress: BatchProgress) -> None:
        pass

    def file_done(self, line: str, *, failed: bool) -> None:
        print(line, file=self._stream, flush=True)

    def close(self) -> None:
        pass


class BarBatchDisplay:
    """A live bar drawn with rich (``pip install aparavi-dtc[cli]``): files done, bytes
    sent, rate and time left; failed files are listed above it as they happen."""

    def __init__(self, stream: TextIO, *, redirect_stdout: bool) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._console = Console(file=stream)
        # markup=False everywhere: a file name such as "[red]x.pdf" is shown as it is.
        self._bar = Progress(
            TextColumn("{task.fields[files]}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
            redirect_stdout=redirect_stdout,  # results printed on the same terminal
            redirect_stderr=True,
        )
        self._task = self._bar.add_task("files", total=None, files="starting…")
        self._bar.start()

    def update(self, progress: BatchProgress) -> None:
        files = f"{progress.done}/{progress.total} files"
        if progress.failed:
            files += f" ({progress.failed} failed)"
        self._bar.update(
            self._task,
            completed=progress.bytes_sent,
            total=progress.bytes_total or None,
            files=files,
        )

    def file_done(self, line: str, *, failed: bool) -> None:
        if failed:
            from rich.text import Text

            self._bar.console.print(Text(line))

    def close(self) -> None:
        self._bar.stop()


def batch_display_for(
    stream: TextIO = sys.stderr, *, quiet: bool = False, stdout: Any = None
) -> BatchDisplay:
    """A bar on a terminal (when rich is installed), plain lines otherwise.

    ``stdout``: where results are printed; when it is the terminal too, the bar keeps
    them above itself.
    """
    if quiet:
        return NullBatchDisplay()
    if stream.isatty():
        shown_here = stdout is not None and stdout.isatty()
        try:
            return BarBatchDisplay(stream, redirect_stdout=shown_here)
        except ImportError:
            pass
    return LineBatchDisplay(stream)


# -- the command ------------------------------------------------------------------------

#: How many empty files the summary line names (it counts them all).
SHOWN_EMPTY = 3


def cmd_process(ctx: Context) -> ExitCode:
    """Each file its own upload to one task; results written as files finish."""
    args, report = ctx.args, ctx.report
    if args.resume and args.out is None:
        raise CLIError("--resume goes with --out FILE: the results file to go on from")
    if args.dry_run:
        return dry_run(ctx)
    from .._resume import NotAResultsFileError

    named = args.pipeline is not None or args.pipeline_name is not None
    pipeline = ctx.pipeline() if named else None  # None: the simple parser
    display = batch_display_for(sys.stderr, quiet=report.json_mode, stdout=sys.stdout)
    try:
        try:
            batch = ctx.client.process(
                args.paths,
                pipeline,
                concurrency=args.concurrency,
                threads=args.threads,
                timeout=args.timeout,
                on_progress=display.update,
                results=args.out,
                resume=args.resume,
                overwrite=args.overwrite,
                include=args.include,
                exclude=args.exclude,
            )
        except NotAResultsFileError as exc:
            raise _not_results(exc.filename) from None
        except FileExistsError as exc:  # the results file holds an earlier run's lines
            raise _results_kept(exc.filename) from None
        sink: Sink
        try:
            if args.out is not None:
                sink = ResultsFileSink(Path(args.out))
            elif args.out_dir is not None:
                sink = DirectorySink(
                    Path(args.out_dir), report.redactor.text, overwrite=args.overwrite
                )
            else:
                sink = PrintSink(report.json_mode, report.redactor.text)
        except OSError as exc:
            raise CLIError(f"cannot write {exc.filename}: {exc.strerror}") from None
    except BaseException:
        display.close()
        raise
    done = failed = 0
    empty: list[str] = []  # the files skipped as empty, as shown
    began = time.monotonic()

    def kept() -> str:
        if sink.where is None:
            return f"{done} of {batch.total} files were done and printed"
        return (
            f"{done} of {batch.total} files were done; their results are in {sink.where} "
            "(run the same command with --resume to go on)"
        )

    try:
        with batch:
            for result in batch:
                error = None
                if result.error is not None:
                    error = report.redactor.text(file_error(result.error, report.base_url))
                sink.write(result, file_record(result, error))
                done += 1
                failed += not result.ok
                shown = str(result.path) if result.path is not None else result.name
                outcome = f"failed: {error}" if error else "ok"
                if result.skipped == "empty":
                    empty.append(shown)
                    outcome = "skipped (empty)"
                line = f"[{done}/{batch.total}] {shown}: {outcome}"
                display.file_done(report.redactor.text(clean(line)), failed=not result.ok)
    except KeyboardInterrupt:
        # The client forgets its task once deleted (or found gone).
        fate = "was deleted" if ctx.client.token is None else "could not be deleted"
        raise CLIError(f"interrupted: the task {fate}; {kept()}", ExitCode.INTERRUPTED) from None
    except BaseException:
        if done:
            report.note(kept())
        raise
    finally:
        display.close()
        sink.close()
    elapsed = time.monotonic() - began
    succeeded = done - failed - len(empty)
    summary: dict[str, Any] = {"total": batch.total, "succeeded": succeeded}
    summary |= {"failed": failed, "skipped": batch.skipped, "empty": empty}
    summary |= {"elapsed": round(elapsed, 3), "out": sink.where}
    if report.json_mode:
        if sink.where is not None:  # stdout is free for one summary object
            ctx.out("", summary)
    else:
        line = f"Processed {succeeded} of {batch.total} files"
        notes = [f"{failed} failed"] if failed else []
        if empty:
            listed = ", ".join(empty[:SHOWN_EMPTY])
            if len(empty) > SHOWN_EMPTY:
                listed += f" and {len(empty) - SHOWN_EMPTY} more"
            files = "file" if len(empty) == 1 else "files"
            notes.append(f"{len(empty)} empty {files} skipped: {listed}")
        if batch.skipped:
            notes.append(f"{batch.skipped} more {_were(batch.skipped)} done in an earlier run")
        line += f" ({'; '.join(notes)})" if notes else ""
        line += f" in {elapsed:.1f}s" + (f"; results in {sink.where}" if sink.where else "")
        report.note(line)
    return ExitCode.FILES_FAILED if failed else ExitCode.OK


def dry_run(ctx: Context) -> ExitCode:
    """``--dry-run``: each file the inputs name (after ``--include`` and ``--exclude``, and
    less those ``--resume`` finds done) with its size, and the total; nothing is sent, no
    task started, and no key needed."""
    from .._inputs import Choice, resolve_inputs
    from .._resume import NotAResultsFileError, check_results, read_finished

    args, report = ctx.args, ctx.report
    out = None if args.out is None else Path(args.out)
    sources = resolve_inputs(args.paths, out, None, Choice.of(args.include, args.exclude))
    if out is not None:  # refused as the run itself would be
        try:
            check_results(out, resume=args.resume, overwrite=args.overwrite)
        except NotAResultsFileError:
            raise _not_results(str(out)) from None
        except FileExistsError:
            raise _results_kept(str(out)) from None
    if args.out_dir is not None:
        check_out_dir(Path(args.out_dir), overwrite=args.overwrite)
    done = read_finished(out) if args.resume and out is not None else set()
    left = [source for source in sources if (source.input, source.version) not in done]
    sent = [source for source in left if source.size]
    empty = [source.input for source in left if not source.size]
    total = sum(source.size for source in sent)
    if report.json_mode:
        files = [{"input": s.input, "relative_path": s.relative, "size": s.size} for s in sent]
        listing = {"files": files, "total": len(sent), "bytes": total, "empty": empty}
        ctx.out("", listing | {"skipped": len(sources) - len(left)})
        return ExitCode.OK
    for source in left:
        note = " (empty: skipped)" if not source.size else ""
        ctx.out(f"{source.input}  {source.size} bytes{note}", None)
    line = f"{len(sent)} files to send, {total} bytes in all"
    notes = []
    if empty:
        notes.append(f"{len(empty)} empty {'file' if len(empty) == 1 else 'files'} skipped")
    if len(sources) > len(left):
        skipped = len(sources) - len(left)
        notes.append(f"{skipped} more {_were(skipped)} done in an earlier run")
    line += f" ({'; '.join(notes)})" if notes else ""
    report.note(line + "; nothing was sent (--dry-run)")
    return ExitCode.OK


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _results_kept(path: str) -> CLIError:
    return CLIError(
        f"{path} holds the results of an earlier run: pass --resume to go on from them, "
        "or --overwrite to replace them"
    )


def _not_results(path: str) -> CLIError:
    return CLIError(
        f"{path} is not a results file (no line of its start is a file's result): name "
        "another file with --out, or pass --overwrite to replace it"
    )
