"""`make bench`: what the SDK costs on top of the network, against baselines from this run.

Every figure is measured side by side with its baseline, in interleaved rounds against a
loopback server in another process (``tools/fake_service.py``) that answers with the
deployed service's real-sized status payload. Prints min/median/max per figure and the
ratio of medians, and whether each goal holds.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from fake_service import serving, stats  # noqa: E402

from aparavi_dtc import AparaviDTC, AsyncAparaviDTC  # noqa: E402

KEY = "bench-key-0123456789abcdef0123456789"
TOKEN = "6f1c0d9e2b7a4c3f8e5d1a0b9c8d7e6f"
PYTHON = sys.executable
CLI = str(Path(sys.executable).parent / "aparavi-dtc")

Samples = list[float]
rows: list[tuple[str, str, str, str, str]] = []
failures: list[str] = []


def spread(samples: Samples, unit: float, suffix: str) -> str:
    low, mid, high = min(samples), statistics.median(samples), max(samples)
    return f"{low * unit:.3g} / {mid * unit:.3g} / {high * unit:.3g} {suffix}"


def record(
    figure: str,
    ours: Samples,
    base_name: str,
    base: Samples | None,
    goal: str,
    holds: bool,
    *,
    unit: float = 1000.0,
    suffix: str = "ms",
    speedup: bool = False,
) -> None:
    ratio = statistics.median(ours) / statistics.median(base) if base else float("nan")
    shown = f"{1 / ratio:.2f}x faster" if speedup else f"{ratio:.2f}x"
    rows.append(
        (
            figure,
            spread(ours, unit, suffix),
            f"{base_name}: {spread(base, unit, suffix)}" if base else base_name,
            shown if base else "",
            f"{goal} {'ok' if holds else 'MISSED'}",
        )
    )
    if not holds:
        failures.append(figure)
    print(
        f"  {figure}: {rows[-1][1]}  vs  {rows[-1][2]}  {rows[-1][3]}  {rows[-1][4]}", flush=True
    )


def rounds(contenders: Sequence[Callable[[], None]], count: int) -> list[Samples]:
    """Time each contender ``count`` times, interleaved, so that drift hits all alike."""
    results: list[Samples] = [[] for _ in contenders]
    for _ in range(count):
        for index, run in enumerate(contenders):
            began = time.perf_counter()
            run()
            results[index].append(time.perf_counter() - began)
    return results


# -- figures ------------------------------------------------------------------------------


def sync_per_call(url: str) -> None:
    from aparavi_dtc_sdk import AparaviClient

    calls = 300
    raw = httpx.Client(base_url=url, headers={"Authorization": KEY})
    sdk = AparaviDTC(KEY, base_url=url)
    task = sdk.task(TOKEN, "cpu")
    peer = AparaviClient(url, KEY, logs="none")
    params = {"token": TOKEN, "type": "cpu"}

    def raw_run() -> None:
        for _ in range(calls):
            raw.get("/task", params=params).json()

    def sdk_run() -> None:
        for _ in range(calls):
            task.get()

    def peer_run() -> None:
        for _ in range(calls):
            peer.get_pipeline_status(TOKEN, "cpu")

    rounds([raw_run, sdk_run, peer_run], 2)  # warm up
    base, ours, theirs = (
        [t / calls for t in samples] for samples in rounds([raw_run, sdk_run, peer_run], 15)
    )
    ratio_raw = statistics.median(ours) / statistics.median(base)
    ratio_peer = statistics.median(ours) / statistics.median(theirs)
    record("get_task() per call, sync", ours, "raw httpx", base, "<= 1.15x", ratio_raw <= 1.15)
    record(
        "get_task() per call, sync",
        ours,
        "aparavi-dtc-sdk 1.1.1",
        theirs,
        "<= 0.75x",
        ratio_peer <= 0.75,
    )
    raw.close()
    sdk.close()


def concurrent(url: str) -> None:
    count = 1000
    tokens = [f"token-{i:026d}" for i in range(count)]

    async def sdk_gather() -> None:
        async with AsyncAparaviDTC(KEY, base_url=url) as client:
            await asyncio.gather(*(client.task(t, "cpu").get() for t in tokens))

    async def raw_gather() -> None:
        headers = {"Authorization": KEY}
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)  # as the SDK
        async with httpx.AsyncClient(
            base_url=url, headers=headers, limits=limits, timeout=120
        ) as client:

            async def one(token: str) -> None:
                (await client.get("/task", params={"token": token, "type": "cpu"})).json()

            await asyncio.gather(*(one(t) for t in tokens))

    def threads() -> None:
        with AparaviDTC(KEY, base_url=url) as client, ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda t: client.task(t, "cpu").get(), tokens))

    # Raw httpx takes ten seconds or more a round, so it gets fewer rounds; the comparison
    # with threads is cheap, and noisier, and gets more.
    ours, base = rounds([lambda: asyncio.run(sdk_gather()), lambda: asyncio.run(raw_gather())], 5)
    ratio = statistics.median(ours) / statistics.median(base)
    record(
        "1,000 concurrent get_task(), async",
        ours,
        "raw httpx.AsyncClient",
        base,
        "<= 1.2x",
        ratio <= 1.2,
        unit=1.0,
        suffix="s",
    )
    ours, pooled = rounds([lambda: asyncio.run(sdk_gather()), threads], 15)
    speedup = statistics.median(pooled) / statistics.median(ours)
    record(
        "1,000 concurrent get_task(), async",
        ours,
        "sync client, 32 threads",
        pooled,
        ">= 3x faster",
        speedup >= 3,
        unit=1.0,
        suffix="s",
        speedup=True,
    )


def command(*args: str) -> Callable[[], None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    return lambda: subprocess.run(args, check=True, capture_output=True, env=env)


def startup() -> None:
    ours, httpx_import, peer = rounds(
        [
            command(PYTHON, "-c", "import aparavi_dtc"),
            command(PYTHON, "-c", "import httpx"),
            command(PYTHON, "-c", "import aparavi_dtc_sdk"),
        ],
        21,
    )
    ratio = statistics.median(ours) / statistics.median(httpx_import)
    record(
        'python -c "import aparavi_dtc"',
        ours,
        "import httpx",
        httpx_import,
        "<= 1.3x",
        ratio <= 1.3,
    )
    ratio = statistics.median(ours) / statistics.median(peer)
    record(
        'python -c "import aparavi_dtc"',
        ours,
        "import aparavi_dtc_sdk",
        peer,
        "<= 0.9x",
        ratio <= 0.9,
    )
    first_use, httpx_client, first_async, aiohttp_session = rounds(
        [
            command(PYTHON, "-c", "import aparavi_dtc; aparavi_dtc.AparaviDTC('k' * 20)"),
            command(PYTHON, "-c", "import httpx; httpx.Client()"),
            command(PYTHON, "-c", "import aparavi_dtc; aparavi_dtc.AsyncAparaviDTC('k' * 20)"),
            command(PYTHON, "-c", "import httpx, aiohttp"),
        ],
        21,
    )
    record(
        "import aparavi_dtc + first client (loads httpx and the models)",
        first_use,
        "import httpx + httpx.Client()",
        httpx_client,
        "(reported)",
        True,
    )
    record(
        "import aparavi_dtc + first async client (loads aiohttp too)",
        first_async,
        "import httpx, aiohttp",
        aiohttp_session,
        "(reported)",
        True,
    )
    (help_time, httpx_again) = rounds(
        [command(CLI, "--help"), command(PYTHON, "-c", "import httpx")], 21
    )
    ratio = statistics.median(help_time) / statistics.median(httpx_again)
    record("aparavi-dtc --help", help_time, "import httpx", httpx_again, "<= 1.5x", ratio <= 1.5)


# Peak RSS from /proc (VmHWM): getrusage's ru_maxrss keeps the parent's size across exec.
PEAK = "print(int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) * 1024)"
MEMORY = f"""
import sys
from aparavi_dtc import AparaviDTC
client = AparaviDTC("k" * 32, base_url="http://127.0.0.1:9")
tasks = [client.task(f"token-{{i:026d}}", "cpu") for i in range(int(sys.argv[1]))]
{PEAK}
"""


def peak_rss(*args: str) -> float:
    done = subprocess.run([PYTHON, *args], check=True, capture_output=True, text=True)
    return float(done.stdout)


def memory() -> None:
    empty: Samples = []
    client: Samples = []
    handles: Samples = []
    for _ in range(5):
        empty.append(peak_rss("-c", PEAK))
        client.append(peak_rss("-c", MEMORY, "0"))
        handles.append(peak_rss("-c", MEMORY, "10000"))
    added = [h - c for h, c in zip(handles, client, strict=True)]
    over_empty = [h - e for h, e in zip(handles, empty, strict=True)]
    mb = 1 / 2**20
    record(
        "memory of 10,000 Task handles (RSS)",
        added,
        "the same process without them",
        None,
        "< 20 MB",
        statistics.median(added) < 20 * 2**20,
        unit=mb,
        suffix="MB",
    )
    record(
        "... and of the SDK with its client",
        over_empty,
        "empty interpreter",
        None,
        "(reported)",
        True,
        unit=mb,
        suffix="MB",
    )


def connections(url: str) -> None:
    async def poll_async() -> None:
        async with AsyncAparaviDTC(KEY, base_url=url) as client:
            task = client.task(TOKEN, "cpu")
            for _ in range(1000):
                await task.get()

    def poll_sync() -> None:
        with AparaviDTC(KEY, base_url=url) as client:
            task = client.task(TOKEN, "cpu")
            for _ in range(1000):
                task.get()

    for kind, poll in (("sync", poll_sync), ("async", lambda: asyncio.run(poll_async()))):
        before = stats(url)["connections"]
        poll()
        used = stats(url)["connections"] - before
        record(
            f"TCP connections for 1,000 sequential calls, {kind}",
            [used],
            "-",
            None,
            "exactly 1",
            used == 1,
            unit=1.0,
            suffix="",
        )


def main() -> int:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        flush=True,
    )
    with serving() as url:
        sync_per_call(url)
        concurrent(url)
        connections(url)
    startup()
    memory()
    print()
    print("| figure | ours (min / median / max) | baseline (min / median / max) | ratio | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if failures:
        print(f"\ngoals missed: {', '.join(failures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
