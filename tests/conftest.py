"""Shared fixtures: fake credentials, both clients behind one face, zero backoff."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings

import aparavi_dtc
from aparavi_dtc import _retry
from aparavi_dtc._async_client import AsyncRawResponses
from aparavi_dtc.testing import FakeAparavi

API_KEY = "key-3f9a1c77e2b04d5e9f1a2b3c4d5e6f70"
TOKEN = "tok-9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
BASE_URL = "https://api.test"

# CI is a gate, so there the property tests draw the same examples on every run
# (`.ci/run` sets HYPOTHESIS_PROFILE=ci); elsewhere they explore new ones each time, and a
# failure found that way becomes an @example of its test.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _no_backoff(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make retry delays zero, except in tests marked ``real_delays``."""
    if request.node.get_closest_marker("real_delays"):
        return
    monkeypatch.setattr(_retry, "INITIAL_RETRY_DELAY", 0.0)
    monkeypatch.setattr(_retry, "MAX_RETRY_DELAY", 0.0)
    monkeypatch.setattr(_retry, "MAX_RETRY_AFTER", 0.0)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # What the command line and the MCP server keep (session, record of tasks) goes to a
    # config home of each test's own, never to the home of whoever runs the tests.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    for name in (
        "APARAVI_API_KEY",
        "APARAVI_BASE_URL",
        "APARAVI_LOG",
        "APARAVI_TIMEOUT",
        "APARAVI_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)


def fresh_process_loads(setup: str, *modules: str) -> subprocess.CompletedProcess[str]:
    """Run ``setup`` in a fresh interpreter, which then prints, sorted, which of ``modules``
    it has loaded: what a start-up costs is mostly imports (BENCHMARKS.md)."""
    code = f"import sys; {setup}; print(sorted(m for m in {modules!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


class Synced:
    """Calls an async object's coroutine methods as if they were synchronous.

    Lets one test body exercise ``AparaviDTC`` and ``AsyncAparaviDTC`` alike; handles the
    async client returns (``AsyncTask``, ``AsyncPipe``) are wrapped the same way, and
    ``with`` on a wrapped async context manager runs ``async with``.
    """

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, AsyncRawResponses):  # client.with_raw_response
            return Synced(value, self._loop)
        if not callable(value):
            return value

        def run(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.iscoroutine(result):
                result = self._loop.run_until_complete(result)
            if isinstance(result, aparavi_dtc.AsyncTask | aparavi_dtc.AsyncPipe):
                return Synced(result, self._loop)
            return result

        return run

    def __enter__(self) -> Any:
        self._loop.run_until_complete(self._target.__aenter__())
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._loop.run_until_complete(self._target.__aexit__(*exc_info))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __repr__(self) -> str:
        return repr(self._target)


MakeClient = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest) -> Iterator[MakeClient]:
    """Build a client of either kind with test defaults; closes them all at the end.

    The async client sends over aiohttp, which respx cannot see; in tests that mock with
    respx (the ``router`` fixture or the ``respx`` mark) it sends through httpx instead.
    Its aiohttp path meets real servers in test_faults and test_async_senders.
    """
    loop = asyncio.new_event_loop()
    through_httpx = "router" in request.fixturenames or request.node.get_closest_marker("respx")
    made: list[Any] = []

    def make(api_key: str | None = API_KEY, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", BASE_URL)
        if request.param == "sync":
            client = aparavi_dtc.AparaviDTC(api_key, **kwargs)
            made.append(client)
            return client
        if through_httpx:
            kwargs.setdefault("transport", httpx.AsyncHTTPTransport())
        async_client = aparavi_dtc.AsyncAparaviDTC(api_key, **kwargs)
        made.append(async_client)
        return Synced(async_client, loop)

    yield make
    for client in made:
        if isinstance(client, aparavi_dtc.AparaviDTC):
            client.close()
        else:
            loop.run_until_complete(client.aclose())
    loop.close()


@pytest.fixture
def client(make_client: MakeClient) -> Any:
    return make_client()


@pytest.fixture
def router() -> Iterator[Any]:
    """A respx router for BASE_URL; any request it has no route for fails the test."""
    import respx

    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mocked:
        yield mocked


PIPELINE: dict[str, Any] = {
    "source": "webhook_1",
    "components": [
        {"id": "webhook_1", "provider": "webhook", "config": {}},
        {
            "id": "parse_1",
            "provider": "parse",
            "config": {},
            "input": [{"lane": "tags", "from": "webhook_1"}],
        },
    ],
}


def started(token: str = TOKEN, type_: str = "cpu") -> dict[str, Any]:
    """The deployed service's answer to PUT /task."""
    return {"status": "OK", "data": {"token": token, "type": type_}, "metrics": {"cpu": 1.0}}


def status_body(status: str = "Running", **fields: Any) -> dict[str, Any]:
    """The deployed service's answer to GET /task."""
    return {"status": "OK", "data": {"status": status, "completed": False, **fields}}


@pytest.fixture
def fake() -> FakeAparavi:
    """The testing kit's fake of the service, knowing :data:`API_KEY`."""
    return FakeAparavi(api_key=API_KEY)


@pytest.fixture
def url(fake: FakeAparavi) -> Iterator[str]:
    """``fake`` served on loopback (without tracebacks for dropped connections)."""
    from .fake_server import serving

    with serving(fake) as base_url:
        yield base_url
