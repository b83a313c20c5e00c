"""Both clients over TLS to a loopback server whose certificate a test CA issued."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from aparavi_dtc import APIConnectionError

from .conftest import MakeClient
from .loopback import LoopbackServer, loopback_server, respond

VERSION = {"status": "OK", "data": {"version": "1.4.2"}}


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server(authority: trustme.CA) -> Iterator[LoopbackServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with loopback_server(context) as running:
        yield running


def test_a_trusted_certificate_is_accepted(
    make_client: MakeClient,
    server: LoopbackServer,
    authority: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    server.script(respond(200, VERSION))
    client = make_client(base_url=server.url)
    assert client.version().data.version == "1.4.2"
    assert server.url.startswith("https://")
    assert len(server.requests) == 1


def test_an_unknown_certificate_is_refused(
    make_client: MakeClient, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    server.script(respond(200, VERSION))
    client = make_client(base_url=server.url, max_retries=0)
    with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
        client.version()
    assert server.requests == []
