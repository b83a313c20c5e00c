"""The testing kit's own promises: the Prism fixture, its skip, the fake's scripting."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aparavi_dtc import AparaviDTC, AsyncAparaviDTC, ServerError, pipelines
from aparavi_dtc.testing import FakeAparavi, PrismUnavailable
from aparavi_dtc.testing._prism import PRISM_PACKAGE, prism_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(180)
def test_the_prism_fixture_mocks_the_shipped_spec(aparavi_prism: str) -> None:
    with AparaviDTC("any-key-0123456789", base_url=aparavi_prism, max_retries=0) as client:
        assert client.version().data.version == "3.0.0.9999"  # the spec's example
        assert client.start_task(pipelines.simple_parser()).token


def test_prism_is_found_locally_on_the_path_or_through_npx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert prism_command(ROOT / "wrapper") == [str(ROOT / "node_modules" / ".bin" / "prism")]
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(PrismUnavailable, match="node is not on the PATH"):
        prism_command(ROOT)
    for tool in ("node", "npx"):
        (empty / tool).write_text("#!/bin/sh\n", encoding="utf-8")
        (empty / tool).chmod(0o755)
    assert prism_command(tmp_path) == [str(empty / "npx"), "--yes", PRISM_PACKAGE]
    (empty / "npx").unlink()
    with pytest.raises(PrismUnavailable, match=r"neither node_modules/\.bin/prism nor npx"):
        prism_command(tmp_path)


def test_the_prism_fixture_skips_with_its_reason_where_prism_cannot_run(tmp_path: Path) -> None:
    (tmp_path / "test_uses_prism.py").write_text(
        "def test_it(aparavi_prism):\n    raise AssertionError('ran without Prism')\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    env["PATH"] = str(Path(sys.executable).parent)  # no npx, no prism
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    assert "aparavi_prism: Prism needs Node.js: node is not on the PATH" in done.stdout


def test_fail_next_delay_and_script_status() -> None:
    fake = FakeAparavi(api_key="k-0123456789abcdef")
    with AparaviDTC("k-0123456789abcdef", transport=fake.transport(), max_retries=0) as client:
        fake.fail_next("getServices", status=500, times=2)
        for _ in range(2):
            with pytest.raises(ServerError, match="scripted failure of getServices"):
                client.services()
        assert client.services().data["parse"]
        fake.delay("getVersion", 0.3)
        began = time.monotonic()
        client.version()
        assert time.monotonic() - began >= 0.3
        task = client.start_task({"components": [{"provider": "filesystem"}]})
        fake.script_status(task.token, ["Running", {"status": "Failed", "errors": ["boom"]}])
        assert [task.get().data.status for _ in range(3)] == ["Running", "Failed", "Failed"]
        with pytest.raises(ValueError, match="unknown operation 'nope'"):
            fake.fail_next("nope")
    assert [r.operation for r in fake.requests][:3] == ["getServices"] * 3
    assert all(r.headers.get("authorization") in (None, "***") for r in fake.requests)


async def test_a_delay_does_not_block_the_async_clients_loop() -> None:
    import asyncio

    fake = FakeAparavi(api_key="k-0123456789abcdef")
    fake.delay("getVersion", 0.5)
    async with AsyncAparaviDTC("k-0123456789abcdef", transport=fake.transport()) as client:
        began = time.monotonic()
        await asyncio.gather(*(client.version() for _ in range(4)))
        assert time.monotonic() - began < 1.5  # 4 delays of 0.5 s overlap


def test_the_fake_never_answers_outside_loopback_by_default() -> None:
    fake = FakeAparavi()
    with fake.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/status", timeout=5) as answer:
            assert answer.status == 200


def test_a_client_that_gives_up_leaves_no_traceback_from_the_served_fake(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from aparavi_dtc import APITimeoutError

    fake = FakeAparavi()
    fake.delay("getVersion", 0.5)
    with (
        fake.serve() as url,
        AparaviDTC(fake.api_key, base_url=url, timeout=0.1, max_retries=0) as client,
    ):
        for _ in range(3):
            with pytest.raises(APITimeoutError):
                client.version()
        time.sleep(0.8)  # the fake answers into the closed connections
        assert client.version(timeout=5).data is not None
    assert "Traceback" not in capfd.readouterr().err
