"""`make bench`: what the SDK costs on top of the network, against baselines from this run.

Every figure is measured side by side with its baseline, in interleaved rounds against
loopback servers in other processes: ``tools/fake_service.py`` answers with the deployed
service's real-sized status payload, and ``bench/webhook_server.py`` spends 100 ms on each
document it receives, as the real service spends processing one. Prints min/median/max
per figure and the ratio of medians, and whether each goal holds.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))

import webhook_server  # noqa: E402
from fake_service import serving, stats  # noqa: E402
from s3_server import serving_s3, storage_options  # noqa: E402

from aparavi_dtc import NOT_GIVEN, AparaviDTC, AsyncAparaviDTC, pipelines  # noqa: E402
from aparavi_dtc._config import DEFAULT_LIMITS  # noqa: E402
from aparavi_dtc._operations import GET_TASK  # noqa: E402
from aparavi_dtc_api.api import tasks  # noqa: E402
from aparavi_dtc_api.models import TaskStatusResponse  # noqa: E402

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
    record("get_task() per call, sync", ours, "raw httpx", base, "<= 1.0x", ratio_raw <= 1.0)
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


def telemetry_overhead(url: str) -> None:
    """What the otel extra costs a call when the application set no tracer provider: one
    check per call, against the same client as it runs without opentelemetry."""
    from aparavi_dtc import _telemetry

    calls = 300
    sdk = AparaviDTC(KEY, base_url=url)
    task = sdk.task(TOKEN, "cpu")
    installed = _telemetry.tracer  # opentelemetry importable, no provider set

    def untraced_run() -> None:  # as without the extra: no opentelemetry to look at
        _telemetry.tracer = lambda: None
        try:
            for _ in range(calls):
                task.get()
        finally:
            _telemetry.tracer = installed

    def checked_run() -> None:
        for _ in range(calls):
            task.get()

    rounds([untraced_run, checked_run], 2)  # warm up
    base, ours = (
        [t / calls for t in samples] for samples in rounds([untraced_run, checked_run], 15)
    )
    record(
        "get_task() per call, sync, opentelemetry installed and no tracer provider set",
        ours,
        "the same client without opentelemetry",
        base,
        "<= 1.05x (noise)",
        statistics.median(ours) / statistics.median(base) <= 1.05,
    )
    sdk.close()


async def aiohttp_gather(url: str, tokens: list[str], parse: str) -> None:
    """A poll of each of ``tokens`` by raw aiohttp, its pool as the SDK sets it up, each
    answer read as ``parse`` says: ``json``, the generated ``model``, or all the ``sdk``
    adds (its request and its typed, checked answer)."""
    helper = AsyncAparaviDTC(KEY, base_url=url)  # builds and parses only; never sends
    connector = aiohttp.TCPConnector(limit=32)  # as the SDK
    headers = {"Authorization": KEY}
    async with aiohttp.ClientSession(url, connector=connector, headers=headers) as session:

        async def one(token: str) -> None:
            params = {"token": token, "type": "cpu"}
            async with session.get("/task", params=params) as response:
                body = await response.read()
            if parse == "sdk":  # what the SDK adds: its request and typed, checked answer
                kwargs = tasks.get_task._get_kwargs(token=token, type_="cpu")
                call = helper._call(GET_TASK, kwargs, NOT_GIVEN, NOT_GIVEN, token)
                helper._handle(call, response.status, response.headers, body)
            elif parse == "model":  # the generated model alone, as any typed client has
                TaskStatusResponse.from_dict(json.loads(body))
            else:
                json.loads(body)

        await asyncio.gather(*(one(t) for t in tokens))


def concurrent(url: str) -> None:
    count = 1000
    tokens = [f"token-{i:026d}" for i in range(count)]

    async def sdk_gather() -> None:
        async with AsyncAparaviDTC(KEY, base_url=url) as client:
            await asyncio.gather(*(client.task(t, "cpu").get() for t in tokens))

    async def sdk_gather_httpx() -> None:
        # What a user without the aiohttp extra gets: httpx's async stack, set up as the
        # SDK sets it up then (the same pool size).
        transport = httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS)
        async with AsyncAparaviDTC(KEY, base_url=url, transport=transport) as client:
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

    # Raw httpx takes ten seconds or more a round, so it gets fewer rounds; the comparison
    # with raw aiohttp is cheap, and noisier, and gets more.
    ours, ours_httpx, base = rounds(
        [
            lambda: asyncio.run(sdk_gather()),
            lambda: asyncio.run(sdk_gather_httpx()),
            lambda: asyncio.run(raw_gather()),
        ],
        5,
    )
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
    ratio = statistics.median(ours_httpx) / statistics.median(base)
    record(
        "1,000 concurrent get_task(), async, without the aiohttp extra (httpx's stack)",
        ours_httpx,
        "raw httpx.AsyncClient",
        base,
        "<= 1.2x",
        ratio <= 1.2,
        unit=1.0,
        suffix="s",
    )
    ours, raw, parsed, modelled = rounds(
        [
            lambda: asyncio.run(sdk_gather()),
            lambda: asyncio.run(aiohttp_gather(url, tokens, "json")),
            lambda: asyncio.run(aiohttp_gather(url, tokens, "sdk")),
            lambda: asyncio.run(aiohttp_gather(url, tokens, "model")),
        ],
        15,
    )
    ratio = statistics.median(ours) / statistics.median(raw)
    record(
        "1,000 concurrent get_task(), async",
        ours,
        "raw aiohttp (32 connections, json.loads)",
        raw,
        "<= 1.2x",
        ratio <= 1.2,
        unit=1.0,
        suffix="s",
    )
    for figure, samples in (
        ("... raw aiohttp plus the SDK's request building and response parsing", parsed),
        (
            "... raw aiohttp plus the generated TaskStatusResponse.from_dict of each answer "
            "(the floor of a client that returns the generated models)",
            modelled,
        ),
    ):
        record(figure, samples, "raw aiohttp", raw, "(reported)", True, unit=1.0, suffix="s")
    ratio = statistics.median(ours) / statistics.median(modelled)
    record(
        "1,000 concurrent get_task(), async, against its floor",
        ours,
        "raw aiohttp + the generated from_dict of each answer",
        modelled,
        "<= 1.15x",
        ratio <= 1.15,
        unit=1.0,
        suffix="s",
    )


def httpx_aiohttp_transport() -> httpx.AsyncBaseTransport:
    """aiohttp behind httpx's own transport interface (``httpx-aiohttp``, as openai-python
    ships it), set up as the SDK sets up its stack: the same pool, no CA bundle for a
    plain-http URL."""
    import ssl

    from httpx_aiohttp import AiohttpTransport

    return AiohttpTransport(
        verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), limits=DEFAULT_LIMITS, trust_env=False
    )


def senders(url: str) -> None:
    """The async client's own aiohttp sender against aiohttp behind httpx's transport
    interface (BENCHMARKS.md, "One way to send"), in the same rounds."""
    count, calls = 1000, 300
    tokens = [f"token-{i:026d}" for i in range(count)]

    def client(over: str) -> AsyncAparaviDTC:
        if over == "httpx-aiohttp":
            return AsyncAparaviDTC(KEY, base_url=url, transport=httpx_aiohttp_transport())
        return AsyncAparaviDTC(KEY, base_url=url)

    async def gather(over: str) -> None:
        async with client(over) as sdk:
            await asyncio.gather(*(sdk.task(t, "cpu").get() for t in tokens))

    async def sequential(over: str) -> None:
        async with client(over) as sdk:
            task = sdk.task(TOKEN, "cpu")
            for _ in range(calls):
                await task.get()

    contenders = [
        lambda: asyncio.run(gather("own")),
        lambda: asyncio.run(gather("httpx-aiohttp")),
        lambda: asyncio.run(aiohttp_gather(url, tokens, "model")),
    ]
    rounds(contenders, 2)  # warm up
    own, theirs, base = rounds(contenders, 15)
    for figure, samples in (
        ("1,000 concurrent get_task(), async, own aiohttp sender, against its floor", own),
        ("1,000 concurrent get_task(), async, over httpx-aiohttp, against its floor", theirs),
    ):
        ratio = statistics.median(samples) / statistics.median(base)
        record(
            figure,
            samples,
            "raw aiohttp + the generated from_dict of each answer",
            base,
            "<= 1.35x",
            ratio <= 1.35,
            unit=1.0,
            suffix="s",
        )
    record(
        "... over httpx-aiohttp, against the own aiohttp sender",
        theirs,
        "own aiohttp sender",
        own,
        "(reported)",
        True,
        unit=1.0,
        suffix="s",
    )
    contenders = [
        lambda: asyncio.run(sequential("own")),
        lambda: asyncio.run(sequential("httpx-aiohttp")),
    ]
    rounds(contenders, 2)  # warm up
    own, theirs = ([t / calls for t in samples] for samples in rounds(contenders, 15))
    record(
        "get_task() per call, async, over httpx-aiohttp",
        theirs,
        "own aiohttp sender",
        own,
        "(reported)",
        True,
        unit=1e6,
        suffix="us",
    )
    first = (  # one get_task(), then the client closed, over the stack it was given
        "import asyncio, aparavi_dtc\n"
        "async def main(client):\n"
        f"    async with client: await client.task({TOKEN!r}, 'cpu').get()\n"
    )
    own_first, theirs_first = rounds(
        [
            command(
                PYTHON,
                "-c",
                first
                + f"asyncio.run(main(aparavi_dtc.AsyncAparaviDTC({KEY!r}, base_url={url!r})))",
            ),
            command(
                PYTHON,
                "-c",
                first + "import ssl; from httpx_aiohttp import AiohttpTransport; "
                "from aparavi_dtc._config import DEFAULT_LIMITS; "
                "transport = AiohttpTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), "
                "limits=DEFAULT_LIMITS, trust_env=False); "
                f"asyncio.run(main(aparavi_dtc.AsyncAparaviDTC({KEY!r}, base_url={url!r}, "
                "transport=transport)))",
            ),
        ],
        15,
    )
    record(
        "first async answer in a fresh process, over httpx-aiohttp",
        theirs_first,
        "own aiohttp sender",
        own_first,
        "(reported)",
        True,
    )


def command(*args: str) -> Callable[[], None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}

    def run() -> None:
        subprocess.run(args, check=True, capture_output=True, env=env)

    return run


def user_venv(where: Path) -> str:
    """A venv holding what a user's ``pip install`` brings: this SDK (built from the
    working tree) and the peer with its requirements; its python."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = str(where / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, str(ROOT), "-r", str(ROOT / "requirements-bench.txt")],
        check=True,
        capture_output=True,
    )
    return python


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
    with serving() as url, tempfile.TemporaryDirectory(prefix="aparavi-bench-venv-") as venv:
        ours_first = (
            "import aparavi_dtc; "
            f"aparavi_dtc.AparaviDTC({KEY!r}, base_url={url!r}).task({TOKEN!r}, 'cpu').get()"
        )
        peer_first = (
            "from aparavi_dtc_sdk import AparaviClient; "
            f"AparaviClient({url!r}, {KEY!r}, logs='none').get_pipeline_status({TOKEN!r}, 'cpu')"
        )
        # The least any client built on httpx and attrs models can take: both imported,
        # one GET (no CA bundle, as the SDK for a plain-http URL), its JSON decoded.
        floor_first = (
            "import ssl, attrs, httpx; "
            "context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); "
            "client = httpx.Client(transport=httpx.HTTPTransport(verify=context)); "
            f"client.get({url!r} + '/task', params={{'token': {TOKEN!r}, 'type': 'cpu'}}, "
            f"headers={{'Authorization': {KEY!r}}}).json()"
        )
        # ... and the same answer made into the generated models, as the async floor is:
        # the least a client that returns typed answers can take.
        models_first = (
            "import ssl, attrs, httpx; "
            "from aparavi_dtc_api.models import TaskStatusResponse; "
            "context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); "
            "client = httpx.Client(transport=httpx.HTTPTransport(verify=context)); "
            "TaskStatusResponse.from_dict("
            f"client.get({url!r} + '/task', params={{'token': {TOKEN!r}, 'type': 'cpu'}}, "
            f"headers={{'Authorization': {KEY!r}}}).json())"
        )
        first, peer_answer = rounds(
            [command(PYTHON, "-c", ours_first), command(PYTHON, "-c", peer_first)], 21
        )
        # This environment also holds the development tools, and with click, rich and
        # pygments installed `import httpx` loads its command line too (75 ms here). A
        # user's environment holds what `pip install` brings: measure there as well.
        clean = user_venv(Path(venv))
        first_clean, peer_clean, floor_clean, models_clean = rounds(
            [
                command(clean, "-c", ours_first),
                command(clean, "-c", peer_first),
                command(clean, "-c", floor_first),
                command(clean, "-c", models_first),
            ],
            21,
        )
    for figure, ours, theirs in (
        ("first answer in a fresh process: import, client, one get_task()", first, peer_answer),
        (
            "... the same, in a venv holding only what `pip install` of each brings",
            first_clean,
            peer_clean,
        ),
    ):
        ratio = statistics.median(ours) / statistics.median(theirs)
        record(figure, ours, "aparavi-dtc-sdk doing the same", theirs, "<= 0.9x", ratio <= 0.9)
    record(
        "... raw httpx and attrs doing the same, in that venv (the floor of the stack)",
        floor_clean,
        "aparavi-dtc-sdk doing the same",
        peer_clean,
        "(reported)",
        True,
    )
    ratio = statistics.median(first_clean) / statistics.median(floor_clean)
    record(
        "first answer in a fresh process, in that venv, against its floor",
        first_clean,
        "raw httpx and attrs doing the same",
        floor_clean,
        "<= 1.10x",
        ratio <= 1.10,
    )
    record(
        "... raw httpx plus the generated TaskStatusResponse.from_dict of the answer, in that "
        "venv (the floor of a client that returns the generated models)",
        models_clean,
        "raw httpx and attrs doing the same",
        floor_clean,
        "(reported)",
        True,
    )
    ratio = statistics.median(first_clean) / statistics.median(models_clean)
    record(
        "first answer in a fresh process, in that venv, against the floor with the models",
        first_clean,
        "raw httpx + the generated from_dict",
        models_clean,
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


# -- process(): many files through one task -----------------------------------------------

FILES = 200


def make_files(directory: Path) -> list[Path]:
    """200 small text documents, about 400 bytes each."""
    directory.mkdir()
    paths = []
    for index in range(FILES):
        path = directory / f"doc{index:03d}.txt"
        path.write_text(f"document {index}: " + os.urandom(300).hex())
        paths.append(path)
    return paths


def files_vs_peer(directory: Path) -> None:
    """The job users have: the same 200 files through process() and through the peer."""
    from aparavi_dtc_sdk import AparaviClient

    with webhook_server.serving(0.1) as url:
        sdk = AparaviDTC(KEY, base_url=url)
        peer = AparaviClient(url, KEY, logs="none")

        def ours_sync() -> None:
            assert sum(r.ok for r in sdk.process(directory, concurrency=8)) == FILES

        async def batch_async() -> None:
            async with (
                AsyncAparaviDTC(KEY, base_url=url) as client,
                client.process(directory, concurrency=32) as batch,
            ):
                assert sum([r.ok async for r in batch]) == FILES

        peer_times: Samples = []

        def theirs() -> None:
            # Its upload step alone is timed, once its task is Running.
            task = peer.execute_pipeline(pipelines.simple_parser()).data
            while (
                peer.get_pipeline_status(task["token"], task["type"]).data["status"] != "Running"
            ):
                time.sleep(0.01)
            began = time.perf_counter()
            answers = peer.send_payload_to_webhook(task["token"], task["type"], f"{directory}/*")
            peer_times.append(time.perf_counter() - began)
            assert len(answers[0]["data"]["objects"]) == FILES
            peer.teardown_pipeline(task["token"], task["type"])

        ours, theirs_whole, in_async = rounds(
            [ours_sync, theirs, lambda: asyncio.run(batch_async())], 3
        )
        del theirs_whole  # the peer's task start and teardown are not counted
        peer_name = "aparavi-dtc-sdk send_payload_to_webhook (its upload step)"
        ratio = statistics.median(ours) / statistics.median(peer_times)
        record(
            "200 files, process(concurrency=8), sync (whole run)",
            ours,
            peer_name,
            peer_times,
            "<= 0.2x",
            ratio <= 0.2,
            unit=1.0,
            suffix="s",
        )
        ratio = statistics.median(in_async) / statistics.median(peer_times)
        record(
            "200 files, process(concurrency=32), async (whole run)",
            in_async,
            peer_name,
            peer_times,
            "<= 0.05x",
            ratio <= 0.05,
            unit=1.0,
            suffix="s",
        )
        sdk.close()


def per_file_overhead(paths: list[Path]) -> None:
    """What process() costs per file over raw httpx, against a server that takes no time."""
    with webhook_server.serving(0.0) as url:
        sdk = AparaviDTC(KEY, base_url=url)
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)  # as the SDK
        raw = httpx.Client(headers={"Authorization": KEY}, limits=limits)
        target = f"{url}/webhook?token={webhook_server.TOKEN}&type=cpu"

        def ours() -> None:
            assert sum(r.ok for r in sdk.process(paths, concurrency=8)) == FILES

        def one(path: Path) -> None:
            headers = {
                "Content-Type": "text/plain",
                "Content-Disposition": f'attachment; filename="{path.name}"',
            }
            with open(path, "rb") as handle:
                response = raw.put(target, content=handle, headers=headers)
            response.raise_for_status()
            response.json()

        def base() -> None:
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(one, paths))

        rounds([ours, base], 2)  # warm up
        mine, theirs = ([t / FILES for t in samples] for samples in rounds([ours, base], 15))
        ratio = statistics.median(mine) / statistics.median(theirs)
        record(
            "per file, process(concurrency=8), sync, no server time",
            mine,
            "raw httpx, 8 threads, same files",
            theirs,
            "<= 1.2x",
            ratio <= 1.2,
        )
        sdk.close()
        raw.close()


# Peak RSS growth of one upload, measured in a process of its own: the high-water mark
# (VmHWM) after the upload against the resident size (VmRSS) just before it.
UPLOAD_MEMORY = """
import asyncio, json, sys
from aparavi_dtc import AparaviDTC, AsyncAparaviDTC
key, url, path, kind = sys.argv[1:5]
# An object store's URL, its storage options and a small object of it to warm up with.
options = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
def kb(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) * 1024
warm = sys.argv[6] if len(sys.argv) > 6 else [("warm.txt", b"warm up")]
if kind == "sync":
    with AparaviDTC(key, base_url=url) as client:
        list(client.process(warm, storage_options=options))
        before = kb("VmRSS")
        results = list(client.process(path, storage_options=options))
else:
    async def main():
        global before
        async with AsyncAparaviDTC(key, base_url=url) as client:
            async with client.process(warm, storage_options=options) as batch:
                [r async for r in batch]
            before = kb("VmRSS")
            async with client.process(path, storage_options=options) as batch:
                return [r async for r in batch]
    results = asyncio.run(main())
assert results[0].ok, results[0].error
print(kb("VmHWM") - before)
"""

GIB = 1024**3


def make_big_file(path: Path) -> None:
    block = os.urandom(2**20)
    with open(path, "wb") as handle:
        for _ in range(GIB // len(block)):
            handle.write(block)


def one_big_file(path: Path) -> None:
    """One 1 GB file: memory stays flat, and it goes out about as fast as raw httpx sends it."""
    with webhook_server.serving(0.1) as url:
        mb = 1 / 2**20
        for kind in ("sync", "async"):
            growth = [
                float(
                    subprocess.run(
                        [PYTHON, "-c", UPLOAD_MEMORY, KEY, url, str(path), kind],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for _ in range(3)
            ]
            record(
                f"peak RSS growth while uploading one 1 GB file, {kind}",
                growth,
                "the process before the upload",
                None,
                "< 64 MB",
                statistics.median(growth) < 64 * 2**20,
                unit=mb,
                suffix="MB",
            )

        sdk = AparaviDTC(KEY, base_url=url)
        raw = httpx.Client(headers={"Authorization": KEY}, timeout=120)
        target = f"{url}/webhook?token={webhook_server.TOKEN}&type=cpu"
        size = path.stat().st_size

        def ours() -> None:
            assert next(iter(sdk.process(path))).ok

        async def ours_async() -> None:
            async with (
                AsyncAparaviDTC(KEY, base_url=url) as client,
                client.process(path) as batch,
            ):
                assert (await batch.__anext__()).ok

        def base() -> None:
            headers = {
                "Content-Type": "application/octet-stream",
                "Content-Disposition": f'attachment; filename="{path.name}"',
            }
            with open(path, "rb") as handle:  # httpx streams a file in 64 KiB chunks
                raw.put(target, content=handle, headers=headers).raise_for_status()

        # A gigabyte a round, on a shared machine: five rounds, so that one disturbed round
        # does not decide the median.
        timed = rounds([ours, base, lambda: asyncio.run(ours_async())], 5)
        mine, theirs, in_async = ([size / 1e6 / t for t in samples] for samples in timed)
        ratio = statistics.median(mine) / statistics.median(theirs)
        record(
            "upload throughput of one 1 GB file, sync",
            mine,
            "raw httpx streaming the file",
            theirs,
            ">= 0.8x",
            ratio >= 0.8,
            unit=1.0,
            suffix="MB/s",
        )
        ratio = statistics.median(in_async) / statistics.median(theirs)
        record(
            "upload throughput of one 1 GB file, async",
            in_async,
            "raw httpx streaming the file",
            theirs,
            ">= 0.8x",
            ratio >= 0.8,
            unit=1.0,
            suffix="MB/s",
        )
        sdk.close()
        raw.close()


# -- resumable runs and object stores ------------------------------------------------------


def resume_figure(directory: Path) -> None:
    """A resumed run over 2,000 inputs of which 1,990 are done: the time to know what is
    left (read the results file, skip what it holds) against listing the inputs alone."""
    from aparavi_dtc.testing import FakeAparavi

    directory.mkdir()
    for index in range(2000):
        (directory / f"f{index:04d}.txt").write_text(f"file {index}")
    log = directory.parent / "run.jsonl"
    fake = FakeAparavi(api_key=KEY)
    with AparaviDTC(KEY, transport=fake.transport()) as client:
        done = sorted(directory.iterdir())[:1990]
        assert all(r.ok for r in client.process(done, results=log, concurrency=8))

        def listing() -> None:
            client.process(directory).close()

        def skipping() -> None:
            batch = client.process(directory, results=log)
            assert (batch.total, batch.skipped) == (10, 1990)
            batch.close()

        rounds([skipping, listing], 2)  # warm up
        resumed, listed = rounds([skipping, listing], 15)
    ratio = statistics.median(resumed) / statistics.median(listed)
    record(
        "resumed process() over 2,000 inputs, 1,990 done: time to know what is left",
        resumed,
        "listing the 2,000 inputs (process() without a results file)",
        listed,
        "<= 1.5x",
        ratio <= 1.5,
    )


def object_store_figures(paths: list[Path], big: Path) -> None:
    """200 objects from S3 (moto, through s3fs) against the same files from disk, and the
    memory of one 1 GB object streamed from S3."""
    import fsspec

    with serving_s3("bench", own_process=True) as endpoint, webhook_server.serving(0.1) as url:
        options = storage_options(endpoint)
        store = fsspec.filesystem("s3", **options)
        for path in paths:
            store.pipe(f"bench/docs/{path.name}", path.read_bytes())
        sdk = AparaviDTC(KEY, base_url=url)

        def from_s3() -> None:
            batch = sdk.process("s3://bench/docs/", concurrency=8, storage_options=options)
            assert sum(result.ok for result in batch) == FILES

        def from_disk() -> None:
            assert sum(result.ok for result in sdk.process(paths, concurrency=8)) == FILES

        rounds([from_s3, from_disk], 1)  # warm up
        s3_times, disk_times = rounds([from_s3, from_disk], 5)
        ratio = statistics.median(s3_times) / statistics.median(disk_times)
        record(
            "200 objects from S3 (moto, s3fs), process(concurrency=8), sync (whole run)",
            s3_times,
            "the same files from local disk",
            disk_times,
            "<= 1.3x",
            ratio <= 1.3,
            unit=1.0,
            suffix="s",
        )
        sdk.close()
        store.put_file(str(big), "bench/big.bin")
        store.pipe("bench/warm.txt", b"warm up")
        growth = [
            float(
                subprocess.run(
                    [
                        PYTHON,
                        "-c",
                        UPLOAD_MEMORY,
                        KEY,
                        url,
                        "s3://bench/big.bin",
                        "sync",
                        json.dumps(options),
                        "s3://bench/warm.txt",
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(1)  # moto serves a gigabyte in minutes: one round
        ]
        record(
            "peak RSS growth while uploading one 1 GB object from S3 (moto, s3fs), sync",
            growth,
            "the process before the upload",
            None,
            "< 64 MB",
            statistics.median(growth) < 64 * 2**20,
            unit=1 / 2**20,
            suffix="MB",
        )


MCP_FILES = 20


def mcp_figures(paths: list[Path]) -> None:
    """process_documents of 20 files through `aparavi-dtc mcp` over stdio (the mcp
    package's client, the server in its own process, started once) against the same
    process() in this process; the server's start-up (spawn to the answer to initialize)
    on its own, beside importing the mcp package alone."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    folder = paths[0].parent
    files = [str(p) for p in paths[:MCP_FILES]]
    with webhook_server.serving(0.1) as url:
        env = {"APARAVI_API_KEY": KEY, "APARAVI_BASE_URL": url}
        env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
        params = StdioServerParameters(
            command=PYTHON, args=["-m", "aparavi_dtc", "mcp", "--root", str(folder)], env=env
        )

        async def measure() -> tuple[Samples, Samples, Samples]:
            through_mcp: Samples = []
            in_process: Samples = []
            started: Samples = []
            for _ in range(7):
                began = time.perf_counter()
                async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
                    await s.initialize()
                    started.append(time.perf_counter() - began)
            async with (
                stdio_client(params) as (read, write),
                ClientSession(read, write) as session,
                AsyncAparaviDTC(KEY, base_url=url) as client,
            ):
                await session.initialize()
                for round_ in range(6):  # the first of each is a warm-up
                    began = time.perf_counter()
                    result = await session.call_tool("process_documents", {"inputs": files})
                    assert not result.is_error, result.content
                    assert result.structured_content is not None
                    assert result.structured_content["total"] == MCP_FILES
                    if round_:
                        through_mcp.append(time.perf_counter() - began)
                    began = time.perf_counter()
                    async with client.process(files, concurrency=4) as batch:
                        assert sum([r.ok async for r in batch]) == MCP_FILES
                    if round_:
                        in_process.append(time.perf_counter() - began)
            return through_mcp, in_process, started

        through_mcp, in_process, started = asyncio.run(measure())
    (import_mcp,) = rounds([command(PYTHON, "-c", "import mcp.server.mcpserver")], 7)
    ratio = statistics.median(through_mcp) / statistics.median(in_process)
    record(
        "20 files, process_documents through `aparavi-dtc mcp` over stdio (whole call)",
        through_mcp,
        "async process(concurrency=4) in process, same files",
        in_process,
        "<= 1.2x",
        ratio <= 1.2,
    )
    record(
        "`aparavi-dtc mcp` start-up: spawn to the answer to initialize",
        started,
        'python -c "import mcp.server.mcpserver" (the mcp package alone)',
        import_mcp,
        "(reported)",
        True,
    )


def process_figures() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="aparavi-bench-"))
    try:
        paths = make_files(scratch / "docs")
        files_vs_peer(scratch / "docs")
        per_file_overhead(paths)
        mcp_figures(paths)
        resume_figure(scratch / "many")
        make_big_file(scratch / "big.bin")
        one_big_file(scratch / "big.bin")
        object_store_figures(paths, scratch / "big.bin")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        flush=True,
    )
    with serving() as url:
        sync_per_call(url)
        telemetry_overhead(url)
        concurrent(url)
        senders(url)
        connections(url)
    startup()
    memory()
    process_figures()
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
