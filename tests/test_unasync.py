"""The sync client is generated from the async one (tools/unasync.py), and is what the tool
makes of it now."""

from __future__ import annotations

from pathlib import Path

import pytest
import unasync


def test_the_sync_client_is_what_the_async_one_generates() -> None:
    source = unasync.SOURCE.read_text(encoding="utf-8")
    assert unasync.TARGET.read_text(encoding="utf-8") == unasync.generate(source), (
        "_client.py is stale: run 'python tools/unasync.py'"
    )


def test_check_fails_on_a_stale_sync_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "_client.py"
    stale.write_text(unasync.TARGET.read_text(encoding="utf-8") + "\n# edited by hand\n")
    monkeypatch.setattr(unasync, "TARGET", stale)
    assert unasync.main(["--check"]) == 1
    assert unasync.main([]) == 0  # rewrites it
    assert unasync.main(["--check"]) == 0


def test_words_become_their_sync_ones() -> None:
    source = (
        "import asyncio\n"
        "async def get(self, task: AsyncTask) -> AsyncGenerator[FileResult, None]:\n"
        "    async with self._lock:\n"
        "        data = (await self._send(call)).data\n"
        "    await asyncio.sleep(delay)\n"
        "    async for result in inner:\n"
        "        yield result\n"
        "    await shielded(lambda: self._started_task(call), undo=self._discard)\n"
        "    await self._sender.aclose()\n"
        "    return results_of(await client._send(call))\n"
    )
    assert unasync.unasync(source, phrases=[]).removeprefix(unasync.HEADER) == (
        "def get(self, task: Task) -> Generator[FileResult, None, None]:\n"
        "    with self._lock:\n"
        "        data = self._send(call).data\n"
        "    time.sleep(delay)\n"
        "    yield from inner\n"
        "    uninterrupted(lambda: self._started_task(call), self._discard)\n"
        "    self._sender.close()\n"
        "    return results_of(client._send(call))\n"
    )


def test_a_marked_block_keeps_its_sync_lines() -> None:
    block = (
        "        # unasync: async\n"
        "        self._sender = async_sender()\n"
        "        # unasync: sync\n"
        "        # self._sender = sync_sender(\n"
        "        #     transport\n"
        "        # )\n"
        "        # unasync: end\n"
    )
    made = unasync.unasync(block, phrases=[])
    assert made.endswith("        self._sender = sync_sender(\n            transport\n        )\n")
    assert "async_sender" not in made


def test_a_sync_line_left_uncommented_is_refused() -> None:
    block = "# unasync: async\nx = 1\n# unasync: sync\nx = 2\n# unasync: end\n"
    with pytest.raises(ValueError, match="not commented out"):
        unasync.unasync(block, phrases=[])


def test_a_docstring_phrase_no_longer_found_is_an_error() -> None:
    with pytest.raises(ValueError, match="phrase not found"):
        unasync.unasync("async def f() -> None:\n    pass\n", phrases=[("Asynchronous", "")])
