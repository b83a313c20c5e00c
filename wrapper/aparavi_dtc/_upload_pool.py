"""A batch's uploads in flight, one class per client: asyncio tasks or a thread pool.

The batch loop of both clients is one text (the sync client is generated from the async
one); what running an upload concurrently means differs, and lives here, behind the same
five methods. Loaded by ``process()`` only.
"""

from __future__ import annotations

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
    """Up to ``concurrency`` uploads at once, each on a thread of a pool."""

    def __init__(self, upload: Callable[[Upload], Outcome | None], concurrency: int) -> None:
        from concurrent.futures import ThreadPoolExecutor  # only process() needs threads

        self._upload = upload
        self._concurrency = concurrency
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="aparavi-dtc-upload")
        self._ended: SimpleQueue[Outcome | None] = SimpleQueue()  # outcomes, as they end
        self._running = 0

    def has_room(self) -> bool:
        """Whether another upload may start now."""
        return self._running < self._concurrency

    def busy(self) -> bool:
        """Whether an upload is in flight."""
        return self._running > 0

    def start(self, upload: Upload) -> None:
        """Start sending ``upload``."""
        self._pool.submit(self._run, upload)
        self._running += 1

    def _run(self, upload: Upload) -> None:
        outcome = None
        try:
            outcome = self._upload(upload)
        finally:
            self._ended.put(outcome)  # always, so that the batch never waits for it in vain

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
        self._pool.shutdown(wait=False, cancel_futures=True)

    def settle(self) -> None:
        """Nothing to wait for: the threads' answers were dropped by :meth:`stop`."""

    def close(self) -> None:
        """Release the pool's threads once every upload has ended."""
        self._pool.shutdown(wait=False)
