"""Both clients over TLS to a loopback server whose certificate a test CA issued."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from aparavi_dtc import AparaviDTC, APIConnectionError, AsyncAparaviDTC, NoTLSError

from .conftest import API_KEY, MakeClient
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


def test_a_context_that_trusts_nothing_refuses_every_certificate(
    server: LoopbackServer, authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a plain-http client holds instead of the CA bundle: were it ever used, it would
    # refuse even a certificate the environment trusts.
    from aparavi_dtc._url import trust_nothing

    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    context = trust_nothing()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    host, port = server.url.removeprefix("https://").split(":")
    with (
        socket.create_connection((host, int(port)), timeout=5) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        context.wrap_socket(raw, server_hostname=host).close()


def test_only_a_client_that_can_use_tls_loads_the_ca_bundle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Loading the bundle takes tens of milliseconds of a first answer (BENCHMARKS.md).
    loads: list[object] = []
    load = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args or kwargs)
        load(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    AparaviDTC(API_KEY, base_url="http://127.0.0.1:9").close()
    assert loads == []
    AparaviDTC(API_KEY, base_url="https://api.test").close()
    assert loads != []


@pytest.mark.parametrize("scheme", ["https", "HTTPS", "Https"])
def test_an_https_url_in_any_case_verifies_with_the_ca_bundle(
    make_client: MakeClient,
    server: LoopbackServer,
    authority: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    server.script(respond(200, VERSION))
    url = scheme + server.url.removeprefix("https")
    assert make_client(base_url=url, max_retries=0).version().data.version == "1.4.2"


# -- https:// to a server that speaks plain HTTP ------------------------------------------


@pytest.fixture
def plain_server() -> Iterator[tuple[str, list[int]]]:
    """A plain-HTTP server on loopback that answers bytes it cannot parse as Node and
    uvicorn do, with 400 at once: ``(host:port, connections seen)``."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            seen.append(1)
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}", seen
    finally:
        listener.close()


def test_https_to_a_plain_http_server_says_to_use_http(
    make_client: MakeClient, plain_server: tuple[str, list[int]]
) -> None:
    address, seen = plain_server
    client = make_client(base_url=f"https://{address}")
    with pytest.raises(NoTLSError) as info:
        client.version()
    error = info.value
    assert isinstance(error, APIConnectionError)
    assert (error.host, error.port) == ("127.0.0.1", int(address.split(":")[1]))
    assert error.reason is not None
    assert error.reason.startswith(f"the server at {address} does not speak TLS")
    assert f"use http://{address}" in error.reason
    assert "SSL" not in str(error)
    assert len(seen) == 1  # trying again cannot help


async def test_the_async_client_over_httpx_says_it_too(
    plain_server: tuple[str, list[int]],
) -> None:
    address, _ = plain_server
    transport = httpx.AsyncHTTPTransport()
    async with AsyncAparaviDTC(API_KEY, base_url=f"https://{address}", transport=transport) as c:
        with pytest.raises(NoTLSError, match="does not speak TLS"):
            await c.version()


def test_the_command_line_says_it_in_one_line(
    plain_server: tuple[str, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from aparavi_dtc._cli import main

    address, _ = plain_server
    monkeypatch.setenv("APARAVI_API_KEY", API_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["--base-url", f"https://{address}", "version"]) == 5
    err = capsys.readouterr().err
    assert err == (
        f"aparavi-dtc: error: Error getting version: the server at {address} does not speak "
        f"TLS: use http://{address} if it is a plain-HTTP server\n"
    )
