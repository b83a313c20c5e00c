"""A scripted HTTP/1.1 server on 127.0.0.1 for fault tests.

Each request takes the next action of the script (the last one repeats): answer, stall,
reset the connection, send a body shorter than its Content-Length, or send raw bytes.
Every request is recorded, so tests can count attempts. Connections are kept alive as real
servers do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any


@dataclasses.dataclass(frozen=True)
class Action:
    """What the server does with one request."""

    kind: str  # "respond", "reset", "reset_mid", "truncate", "raw"
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


def respond(
    status: int = 200,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
    content_type: str = "application/json",
) -> Action:
    """Answer with ``body`` (JSON-encoded unless bytes or str) after ``delay`` seconds."""
    if isinstance(body, bytes):
        raw = body
    elif isinstance(body, str):
        raw = body.encode()
    else:
        raw = json.dumps(body).encode() if body is not None else b""
    extra = {"Content-Type": content_type, **(headers or {})}
    return Action("respond", status, raw, tuple(extra.items()), delay)


def reset() -> Action:
    """Close the connection with a TCP reset before answering."""
    return Action("reset")


def reset_mid() -> Action:
    """Send the status line and part of the headers, then reset the connection."""
    return Action("reset_mid")


def truncate(body: bytes, declared: int) -> Action:
    """Declare ``declared`` bytes of body, send ``body`` (shorter), then close."""
    return Action("truncate", 200, body, (("Content-Length", str(declared)),))


def raw(data: bytes) -> Action:
    """Send ``data`` as it is, whatever it is, then close the connection."""
    return Action("raw", body=data)


@dataclasses.dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LoopbackServer:
    """Serves a script of actions; see the module docstring."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(1024)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._sock.getsockname()[1]}"
        self.requests: list[Recorded] = []
        self.connections = 0
        self._script: list[Action] = [respond(200, {})]
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def script(self, *actions: Action) -> None:
        """Use ``actions`` for the next requests, the last one for every request after."""
        with self._lock:
            self._script = list(actions)
            self.requests = []

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._sock.close()

    def _next(self) -> Action:
        with self._lock:
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        if self._tls is not None:
            try:
                conn = self._tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):  # the client refused the certificate
                conn.close()
                return
        with conn:
            buffer = b""
            while not self._closed:
                request, buffer = _read_request(conn, buffer)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                if not self._act(conn, self._next()):
                    return

    def _act(self, conn: socket.socket, action: Action) -> bool:
        """Carry out ``action``; False when the connection is finished with."""
        if action.delay:
            time.sleep(action.delay)
        try:
            if action.kind == "reset":
                _reset(conn)
                return False
            if action.kind == "reset_mid":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: appli")
                time.sleep(0.01)
                _reset(conn)
                return False
            if action.kind == "raw":
                conn.sendall(action.body)
                return False
            headers = dict(action.headers)
            headers.setdefault("Content-Length", str(len(action.body)))
            head = f"HTTP/1.1 {action.status} Status\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in headers.items()
            )
            conn.sendall(head.encode() + b"\r\n" + action.body)
            return action.kind != "truncate"
        except OSError:
            return False


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[Recorded | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        try:
            chunk = conn.recv(65536)
        except OSError:
            return None, b""
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return Recorded(method, path, headers, rest[:length]), rest[length:]


@contextlib.contextmanager
def loopback_server(tls: ssl.SSLContext | None = None) -> Iterator[LoopbackServer]:
    server = LoopbackServer(tls)
    try:
        yield server
    finally:
        server.close()
