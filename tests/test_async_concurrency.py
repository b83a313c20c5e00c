"""One AsyncAparaviDTC polls 1,000 tasks at once against a real server in another process."""

from __future__ import annotations

import asyncio

from fake_service import serving, stats

from aparavi_dtc import AsyncAparaviDTC

from .conftest import API_KEY


async def test_one_async_client_polls_1000_tasks_concurrently() -> None:
    with serving() as url:
        async with AsyncAparaviDTC(API_KEY, base_url=url, max_retries=0) as client:
            tasks = [client.task(f"token-{i:026d}", "cpu") for i in range(1000)]
            results = await asyncio.gather(*(task.get() for task in tasks))
        seen = stats(url)
    assert [r.data.status for r in results] == ["Running"] * 1000
    assert seen["requests"] == 1000
    assert seen["connections"] <= 32  # the pool's limit: connections are reused
