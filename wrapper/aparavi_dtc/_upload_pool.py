"""A batch's uploads in flight, one class per client: asyncio tasks or a thread pool.

The batch loop of both clients is one text (the sync client is generated from the async
one); what running an upload concurrently means differs, and lives here, behind the same
five methods. Loaded by ``process()`` only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Coroutine
from queue import Empty, SimpleQueue
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the sync client's batch loads no event loop
    import asyncio

    from ._batch import Outcome, Upload


class AsyncUploadPool:
    """Up to ``concurrency`` uploads at once, each an asyncio task."""

    def __init__(
        self, upload: Callable[[Upload], Coroutine[Any, Any, Outcome | None]], concurrency: int
    ) -> None:
        self._upload = upload
        self._concurrency = concurrency
        self._running: set[asyncio.Task[Outcome | None]] = set()

    def has_room(self) -> bool:
        """Whether another upload may start now."""
        return len(self._running) < self._concurrency

    def busy(self) -> bool:
        """Whether an upload is in flight."""
        return bool(self._running)

    def start(self, upload: Upload) -> None:
        """Start sending ``upload``."""
        import asyncio

        self._running.add(asyncio.create_task(self._upload(upload)))

    async def ended(self, timeout: float | None) -> list[Outcome | None]:
        """The outcomes of the uploads that end within ``timeout`` seconds: the first to
        end and any that ended with it; none when the time passes first."""
        import asyncio

        done, _ = await asyncio.wait(
            self._running, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        self._running -= done
        return [future.result() for future in done]

    def stop(self) -> None:
        """Cancel the uploads in flight (an error or a cancellation ends the batch)."""
        for future in self._running:
            future.cancel()

    async def settle(self) -> None:
        """Wait for the cancelled uploads to end; they end at once."""
        import asyncio

        if self._running:
            await asyncio.wait(self._running)

    def close(self) -> None:
        """Release what the pool holds once every upload has ended: nothing."""


class UploadPool:
    """Up to ``concurrency`` uploads at once, each on a thread of the pool's own.

    Its threads are daemons: an upload that an error or an interruption abandoned is not
    waited for when the program exits (``concurrent.futures`` joins its threads at exit,
    which held a stopped program until the service answered an upload nobody wanted).
    """

    def __init__(self, upload: Callable[[Upload], Outcome | None], concurrency: int) -> None:
        self._upload = upload
        self._concurrency = concurrency
        self._waiting: SimpleQueue[Upload | None] = SimpleQueue()  # None: a thread's end
        self._ended: SimpleQueue[Outcome | None] = SimpleQueue()  # outcomes, as they end
        self._running = 0  # uploads started and not yet ended
        self._threads = 0
        self._stopped = False

    def has_room(self) -> bool:
        """Whether another upload may start now."""
        return self._running < self._concurrency

    def busy(self) -> bool:
        """Whether an upload is in flight."""
        return self._running > 0

    def start(self, upload: Upload) -> None:
        """Start sending ``upload``."""
        self._waiting.put(upload)
        self._running += 1
        if self._threads < self._running:  # every thread is busy: one more
            self._threads += 1
            name = f"aparavi-dtc-upload-{self._threads}"
            threading.Thread(target=self._work, name=name, daemon=True).start()

    def _work(self) -> None:
        while (upload := self._waiting.get()) is not None:
            if self._stopped:  # dropped by stop() before it started
                continue
            outcome = None
            try:
                outcome = self._upload(upload)
            except Exception:  # the upload makes its errors outcomes: this one ends with none
                pass  # and its thread goes on to the next
            finally:
                self._ended.put(outcome)  # always, so that the batch never waits in vain

    def ended(self, timeout: float | None) -> list[Outcome | None]:
        """The outcomes of the uploads that end within ``timeout`` seconds: the first to
        end and any that ended with it; none when the time passes first."""
        outcomes: list[Outcome | None] = []
        while self._running:
            try:
                outcome = self._ended.get(timeout=timeout)
            except Empty:
                break
            self._running -= 1
            outcomes.append(outcome)
            timeout = 0  # and whatever else has ended meanwhile
        return outcomes

    def stop(self) -> None:
        """Drop the uploads not started and the answers still awaited (an error or an
        interruption ends the batch); streamed bodies stop at their next chunk."""
        self._stopped = True
        self.close()

    def settle(self) -> None:
        """Nothing to wait for: the threads' answers were dropped by :meth:`stop`."""

    def close(self) -> None:
        """End each thread once the upload it sends, if any, has ended."""
        for _ in range(self._threads):
            self._waiting.put(None)
        self._threads = 0
