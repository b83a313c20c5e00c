"""Regression guards for `make bench`'s figures: ratios with generous bounds, never times."""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fake_service import serving, stats

from aparavi_dtc import AparaviDTC, AsyncAparaviDTC

from .conftest import API_KEY, TOKEN


def test_get_task_costs_little_more_than_raw_httpx_and_keeps_one_connection() -> None:
    calls, ours, base = 100, [], []
    with serving() as url:
        before = stats(url)["connections"]
        with (
            AparaviDTC(API_KEY, base_url=url) as client,
            httpx.Client(base_url=url, headers={"Authorization": API_KEY}) as raw,
        ):
            task = client.task(TOKEN, "cpu")
            task.get()
            opened = stats(url)["connections"] - before
            params = {"token": TOKEN, "type": "cpu"}
            for _ in range(7):
                began = time.perf_counter()
                for _ in range(calls):
                    raw.get("/task", params=params).json()
                base.append(time.perf_counter() - began)
                began = time.perf_counter()
                for _ in range(calls):
                    task.get()
                ours.append(time.perf_counter() - began)
        used = stats(url)["connections"] - before
    assert opened == 1
    assert used == 2  # the SDK's one, kept alive for all its calls, and raw httpx's one
    assert statistics.median(ours) / statistics.median(base) < 2.0


def test_async_client_outpaces_the_sync_client_in_threads() -> None:
    """`make bench` measures about 3x for 1,000 concurrent polls; this catches a collapse."""
    tokens = [f"token-{i:026d}" for i in range(300)]

    async def gather(url: str) -> None:
        async with AsyncAparaviDTC(API_KEY, base_url=url) as client:
            await asyncio.gather(*(client.task(t, "cpu").get() for t in tokens))

    def threads(url: str) -> None:
        with AparaviDTC(API_KEY, base_url=url) as client, ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda t: client.task(t, "cpu").get(), tokens))

    ours, base = [], []
    with serving() as url:
        for _ in range(5):
            began = time.perf_counter()
            asyncio.run(gather(url))
            ours.append(time.perf_counter() - began)
            began = time.perf_counter()
            threads(url)
            base.append(time.perf_counter() - began)
    assert statistics.median(base) / statistics.median(ours) > 1.5
