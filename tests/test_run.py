"""``run()`` (``_run``): one deadline for the whole run, however its phases share it."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    TaskTimeoutError,
)

from .conftest import started, status_body

NOT_WEBHOOK = {"source": "src", "components": [{"id": "src", "provider": "file", "config": {}}]}


OK: dict[str, Any] = {"status": "OK", "data": {}}


# -- run(): one deadline for the whole run --------------------------------------------------


def _run_routes(router: Any, status: Any) -> Any:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    router.get("/task").mock(side_effect=status)
    router.put("/webhook").respond(200, json=OK)
    return router.delete("/task").respond(200, json=OK)


@pytest.mark.timeout(15)
def test_run_stops_at_its_deadline(client: Any, router: Any) -> None:
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body()))
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="did not finish within"):
        client.run(NOT_WEBHOOK, timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1


@pytest.mark.timeout(15)
def test_run_deadline_counts_the_time_before_waiting(client: Any, router: Any) -> None:
    """Validating takes 1 s here: waiting gets what is left of the run's timeout."""
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body()))

    def slow_validation(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return httpx.Response(200, json={"status": "OK", "data": {}})

    router.post("/pipe/validate").mock(side_effect=slow_validation)
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="did not finish within"):
        client.run(NOT_WEBHOOK, timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1


@pytest.mark.timeout(15)
def test_run_deadline_bounds_waiting_for_running(client: Any, router: Any) -> None:
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body("Created")))
    webhook = {"source": "hook", "components": [{"id": "hook", "provider": "webhook"}]}
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="was not Running within"):
        client.run(webhook, text="hello", timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1
    assert not router.routes[3].called  # nothing was uploaded
