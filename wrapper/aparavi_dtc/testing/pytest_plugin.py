"""pytest fixtures for code built on aparavi-dtc; registered through ``pytest11``.

Installed with ``pip install aparavi-dtc[testing]``; nothing to configure:

``aparavi_fake``
    A fresh :class:`~aparavi_dtc.testing.FakeAparavi` per test (key ``aparavi_api_key``).
``aparavi_client`` / ``aparavi_async_client``
    An ``AparaviDTC`` / ``AsyncAparaviDTC`` wired to that fake through its transport.
``aparavi_server``
    The fake served over loopback HTTP: its base URL, for the CLI or code that takes a URL.
``aparavi_prism``
    Prism on the shipped spec (session-wide): its base URL. Skipped, with the reason, where
    Prism cannot run (no ``node_modules/.bin/prism``, ``prism`` or ``npx``).
``aparavi_api_key``
    The key the fake accepts; override the fixture to choose another.

Nothing is imported from the SDK until a fixture is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from aparavi_dtc import AparaviDTC, AsyncAparaviDTC
    from aparavi_dtc.testing import FakeAparavi


@pytest.fixture
def aparavi_api_key() -> str:
    """The API key the fake accepts and the clients send."""
    return "aparavi-test-key-0123456789"


@pytest.fixture
def aparavi_fake(aparavi_api_key: str) -> FakeAparavi:
    """A fresh, empty fake of the service."""
    from aparavi_dtc.testing import FakeAparavi

    return FakeAparavi(api_key=aparavi_api_key)


@pytest.fixture
def aparavi_client(aparavi_fake: FakeAparavi, aparavi_api_key: str) -> Iterator[AparaviDTC]:
    """An ``AparaviDTC`` that talks to ``aparavi_fake``; closed after the test."""
    from aparavi_dtc import AparaviDTC

    with AparaviDTC(aparavi_api_key, transport=aparavi_fake.transport()) as client:
        yield client


@pytest.fixture
def aparavi_async_client(
    aparavi_fake: FakeAparavi, aparavi_api_key: str
) -> Iterator[AsyncAparaviDTC]:
    """An ``AsyncAparaviDTC`` that talks to ``aparavi_fake``; usable from any event loop
    your async test runs in (pytest-asyncio, anyio), closed after the test."""
    from aparavi_dtc import AsyncAparaviDTC

    client = AsyncAparaviDTC(aparavi_api_key, transport=aparavi_fake.transport())
    yield client
    asyncio.run(client.aclose())


@pytest.fixture
def aparavi_server(aparavi_fake: FakeAparavi) -> Iterator[str]:
    """``aparavi_fake`` served over HTTP on 127.0.0.1: its base URL."""
    with aparavi_fake.serve() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def aparavi_prism() -> Iterator[str]:
    """Prism mocking the shipped ``openapi.yaml`` with ``--errors``: its base URL."""
    from aparavi_dtc.testing import PrismUnavailable, running_prism

    try:
        server = running_prism()
        url = server.__enter__()
    except PrismUnavailable as exc:
        pytest.skip(f"aparavi_prism: {exc}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)
