"""Clean-up that no cancellation interrupts, on both clients.

A task or pipe the SDK started must be deleted however its caller is cancelled. Two kinds
of cancellation reach a coroutine: asyncio's (``task.cancel()``, ``asyncio.timeout``), which
may arrive more than once, and anyio's cancel scopes (``move_on_after``, task groups: how
MCP servers, Starlette and trio-style code cancel work), which cancel every ``await`` inside
the scope again until the scope is left. A clean-up that merely awaits its DELETE is cut
short by either, and the task stays on the server.

:func:`shielded` runs the clean-up as a task of its own, which neither kind reaches, inside
an anyio scope that shields the waiting caller from its outer scopes, and waits for it to
end. A cancellation that arrived meanwhile is raised once it has ended, so the caller is
still cancelled, later. anyio comes with httpx.

The sync client is cancelled by what a signal handler raises in the main thread
(``KeyboardInterrupt`` for Ctrl-C, or whatever a program's handler of SIGTERM raises).
:func:`uninterrupted` runs the clean-up in a thread of its own, which signals never interrupt,
and waits for it; an interruption that arrived meanwhile is raised once it has ended.
Either way the wait is bounded by the request's own timeout and retries.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Awaitable, Callable
from queue import SimpleQueue
from typing import TypeVar

__all__ = ["shielded", "uninterrupted"]

#: Seconds a thread whose start was interrupted is given to show that it runs: one that
#: was started begins at once; one that was not never will.
_STARTING = 5.0

T = TypeVar("T")


async def shielded(
    call: Callable[[], Awaitable[T]], undo: Callable[[T], Awaitable[object]] | None = None
) -> T:
    """Await ``call()`` to its end, through any cancellation of the caller.

    Returns its result, or raises its error; when the caller was cancelled meanwhile,
    raises ``asyncio.CancelledError`` once it has ended, after ``undo(result)`` (itself
    shielded) when the call succeeded: a task started for a caller that is gone is
    deleted, not orphaned. It takes what :func:`uninterrupted` takes, so that the sync
    client is generated from the async one word for word.
    """
    # Imported here: the sync client imports this module and loads no event loop.
    import asyncio

    import anyio
    import anyio.lowlevel

    inner = asyncio.ensure_future(call())
    cancelled: asyncio.CancelledError | None = None  # the first one, raised again at the end
    with anyio.CancelScope(shield=True):
        while not inner.done():
            try:
                await asyncio.wait((inner,))
            except asyncio.CancelledError as exc:
                cancelled = cancelled or exc
    if cancelled is None:
        try:  # an anyio scope cancelled meanwhile cancels what follows: this, at once
            await anyio.lowlevel.checkpoint_if_cancelled()
        except asyncio.CancelledError as exc:
            cancelled = exc
    if cancelled is None:
        return inner.result()
    if undo is not None and not inner.cancelled() and inner.exception() is None:
        with contextlib.suppress(asyncio.CancelledError):  # raised below, the first one
            result = inner.result()
            await shielded(lambda: undo(result))
    raise cancelled


def uninterrupted(call: Callable[[], T], undo: Callable[[T], object] | None = None) -> T:
    """Run ``call()`` to its end, through any interruption of the main thread.

    Returns its result, or raises its error; when the main thread was interrupted meanwhile
    (Ctrl-C, a signal handler's exception), raises that interruption once it has ended,
    after ``undo(result)`` when ``call`` succeeded. Off the main thread, which signals
    never reach, it simply calls.
    """
    if threading.current_thread() is not threading.main_thread():
        return call()
    ended: SimpleQueue[tuple[T | None, BaseException | None]] = SimpleQueue()
    context = contextvars.copy_context()  # the caller's: its trace span, its log masking

    began = threading.Event()

    def work() -> None:
        began.set()
        try:
            ended.put((context.run(call), None))
        except BaseException as exc:  # handed to the waiting thread
            ended.put((None, exc))

    interrupted: BaseException | None = None
    try:
        threading.Thread(target=work, name="aparavi-dtc-cleanup", daemon=True).start()
    except BaseException as exc:  # interrupted while the thread started: did it?
        interrupted = exc
        if not began.wait(_STARTING):
            raise  # it never ran: nothing to wait for, nothing to undo
    while True:
        try:  # not Thread.join(): on 3.11 an interrupted join marks a running thread ended
            result, error = ended.get()
            break
        except BaseException as exc:  # only a signal handler raises here
            interrupted = interrupted or exc
    if interrupted is None:
        if error is not None:
            raise error
        return result  # type: ignore[return-value]  # call() returned it
    if undo is not None and error is None:
        with contextlib.suppress(BaseException):  # raised below, the first one
            uninterrupted(lambda: undo(result))  # type: ignore[arg-type]
    raise interrupted
