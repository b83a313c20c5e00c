"""A task or pipe the async client started is deleted however its caller is cancelled.

anyio's cancel scopes (``move_on_after``, task groups: how MCP servers, Starlette and
trio-style code cancel work) cancel every ``await`` inside the scope again until it is left,
so a clean-up that merely awaits its DELETE is cancelled too, and the task stays on the
server. Plain asyncio may also cancel a task a second time while it cleans up.
"""

from __future__ import annotations

import asyncio
import signal
import threading

import anyio
import httpx
import pytest

from aparavi_dtc import AparaviDTC, AsyncAparaviDTC, pipelines
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY, PIPELINE

STACKS = ["aiohttp", "httpx"]


def _client(stack: str, url: str) -> AsyncAparaviDTC:
    transport = httpx.AsyncHTTPTransport() if stack == "httpx" else None
    return AsyncAparaviDTC(API_KEY, base_url=url, transport=transport)


def _count(fake: FakeAparavi, operation: str) -> int:
    return sum(1 for request in fake.requests if request.operation == operation)


def _all_deleted(fake: FakeAparavi) -> None:
    started = _count(fake, "startTask") + _count(fake, "createPipe")
    deleted = _count(fake, "deleteTask") + _count(fake, "deletePipe")
    assert started == 1
    assert deleted == 1, f"started {started}, deleted {deleted}"
    assert fake.tasks == {}
    assert fake.pipes == []


@pytest.mark.parametrize("stack", STACKS)
async def test_process_cancelled_by_a_cancel_scope_deletes_its_task(
    stack: str, fake: FakeAparavi, url: str
) -> None:
    fake.delay("sendToWebhook", 5.0)
    fake.delay("deleteTask", 0.3)  # the clean-up itself takes a while
    async with _client(stack, url) as client:
        with anyio.move_on_after(0.8) as scope:
            async for _ in client.process([("a.txt", b"a"), ("b.txt", b"b")]):
                pass
        assert scope.cancelled_caught
        _all_deleted(fake)
    _all_deleted(fake)


@pytest.mark.parametrize("stack", STACKS)
async def test_process_in_async_with_cancelled_by_a_cancel_scope_deletes_its_task(
    stack: str, fake: FakeAparavi, url: str
) -> None:
    fake.delay("sendToWebhook", 5.0)
    fake.delay("deleteTask", 0.3)
    async with _client(stack, url) as client:
        with anyio.move_on_after(0.8):
            async with client.process([("a.txt", b"a")]) as batch:
                async for _ in batch:
                    pass
        _all_deleted(fake)


@pytest.mark.parametrize("stack", STACKS)
async def test_run_cancelled_by_a_cancel_scope_deletes_its_task(
    stack: str, fake: FakeAparavi, url: str
) -> None:
    fake.delay("sendToWebhook", 5.0)
    fake.delay("deleteTask", 0.3)
    async with _client(stack, url) as client:
        with anyio.move_on_after(0.8) as scope:
            await client.run(pipelines.simple_parser(), text="hello", poll_interval=0.05)
        assert scope.cancelled_caught
        _all_deleted(fake)


async def test_a_pipe_block_cancelled_by_a_cancel_scope_deletes_the_pipe(
    fake: FakeAparavi, url: str
) -> None:
    fake.delay("processPipe", 5.0)
    fake.delay("deletePipe", 0.3)
    async with _client("aiohttp", url) as client:
        with anyio.move_on_after(0.8):
            async with await client.create_pipe(PIPELINE) as pipe:
                await pipe.process([("a.txt", b"a")])
        _all_deleted(fake)


@pytest.mark.real_delays
async def test_a_second_cancel_during_the_clean_up_does_not_stop_it(
    fake: FakeAparavi, url: str
) -> None:
    """asyncio: the consumer is cancelled, then cancelled again while the clean-up waits to
    send its DELETE a second time (the first answered 503); the task is still deleted, and
    the consumer still ends cancelled."""
    fake.delay("sendToWebhook", 5.0)
    fake.fail_next("deleteTask", status=503)
    async with _client("aiohttp", url) as client:

        async def consume() -> None:
            async for _ in client.process([("a.txt", b"a")]):
                pass

        consumer = asyncio.create_task(consume())
        await asyncio.sleep(0.5)
        consumer.cancel()
        await asyncio.sleep(0.15)  # the retry's backoff is 0.375 to 0.5 s
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        assert fake.tasks == {}


@pytest.mark.parametrize("how", ["anyio", "asyncio"])
@pytest.mark.parametrize("what", ["startTask", "createPipe"])
async def test_a_start_cancelled_before_its_answer_deletes_what_it_started(
    what: str, how: str, fake: FakeAparavi, url: str
) -> None:
    """The service makes the task before it answers; a caller cancelled meanwhile never
    gets the handle, so the SDK deletes it."""
    fake.delay(what, 0.6)

    async def start(client: AsyncAparaviDTC) -> None:
        if what == "startTask":
            await client.start_task(PIPELINE)
        else:
            await client.create_pipe(PIPELINE)

    async with _client("aiohttp", url) as client:
        if how == "anyio":
            with anyio.move_on_after(0.2) as scope:
                await start(client)
            assert scope.cancelled_caught
        else:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await start(client)
        _all_deleted(fake)
        assert client.token is None


# -- the sync client: a signal handler's exception in the main thread ----------------------


def _ctrl_c() -> None:
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def _interrupt_at(*seconds: float) -> list[threading.Timer]:
    """Ctrl-C in the main thread after each of ``seconds``, as a terminal sends it."""
    timers = [threading.Timer(at, _ctrl_c) for at in seconds]
    for timer in timers:
        timer.start()
    return timers


@pytest.mark.real_delays
def test_a_second_interrupt_during_a_sync_clean_up_does_not_stop_it(
    fake: FakeAparavi, url: str
) -> None:
    """Ctrl-C stops the batch; Ctrl-C again while the clean-up waits to send its DELETE a
    second time (the first answered 503) still leaves the task deleted."""
    fake.delay("sendToWebhook", 5.0)
    fake.fail_next("deleteTask", status=503)
    timers = _interrupt_at(0.5, 0.65)  # the retry's backoff is 0.375 to 0.5 s
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(KeyboardInterrupt):
            for _ in client.process([("a.txt", b"a")]):
                pass
        for timer in timers:
            timer.join()
        assert fake.tasks == {}


@pytest.mark.parametrize("what", ["startTask", "createPipe"])
def test_a_sync_start_interrupted_before_its_answer_deletes_what_it_started(
    what: str, fake: FakeAparavi, url: str
) -> None:
    fake.delay(what, 0.6)
    with AparaviDTC(API_KEY, base_url=url) as client:
        timers = _interrupt_at(0.2)
        start = client.start_task if what == "startTask" else client.create_pipe
        with pytest.raises(KeyboardInterrupt):
            start(PIPELINE)
        timers[0].join()
        _all_deleted(fake)
        assert client.token is None


# -- _shield.uninterrupted, alone ----------------------------------------------------------


def _interrupt_main() -> None:
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def test_the_clean_up_runs_in_a_named_daemon_thread_with_the_callers_context() -> None:
    from aparavi_dtc._shield import uninterrupted

    seen = uninterrupted(
        lambda: (threading.current_thread().name, threading.current_thread().daemon)
    )
    # A daemon thread: a clean-up stuck on the network never keeps the process from exiting;
    # its name says what it is in a debugger or py-spy.
    assert seen == ("aparavi-dtc-cleanup", True)


def test_an_interrupted_call_that_failed_is_not_undone() -> None:
    from aparavi_dtc._shield import uninterrupted

    undone: list[object] = []

    def fails() -> None:
        _interrupt_main()
        threading.Event().wait(0.2)  # the interruption arrives meanwhile
        raise OSError("the start failed")

    with pytest.raises(KeyboardInterrupt):
        uninterrupted(fails, undone.append)
    assert undone == []  # nothing was made: nothing to undo


def test_an_undo_that_fails_leaves_the_interruption_raised() -> None:
    from aparavi_dtc._shield import uninterrupted

    def undo(made: object) -> None:
        raise OSError("the delete failed too")

    def succeeds() -> str:
        _interrupt_main()
        threading.Event().wait(0.2)
        return "made"

    with pytest.raises(KeyboardInterrupt):
        uninterrupted(succeeds, undo)


def test_an_interruption_as_the_clean_up_thread_starts_still_waits_for_the_clean_up() -> None:
    from aparavi_dtc._shield import uninterrupted

    finished = threading.Event()

    def clean_up() -> None:
        _interrupt_main()  # while the main thread is still starting this thread
        threading.Event().wait(0.2)
        finished.set()

    with pytest.raises(KeyboardInterrupt):
        uninterrupted(clean_up)
    assert finished.is_set()  # raised once the clean-up ended, not before
