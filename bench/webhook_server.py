"""A loopback webhook service for ``make bench``: it spends ``--delay`` seconds on every
document it receives, as the real service spends processing one, and serves requests
concurrently.

PUT /task starts a task (token ``6f1c...``, type ``cpu``); GET /task answers Running with
``serviceUp``; POST /pipe/validate answers no errors; DELETE /task answers OK; PUT /webhook
reads the body as it comes (raw, ``Content-Length`` or chunked, or multipart with one
document per part), waits ``delay`` seconds per document without blocking other requests,
and answers a webhook result with one object per document. ``GET /__stats`` answers how
many requests, documents and body bytes it has seen.

It runs in its own process (:func:`serving`), so that its work does not compete with the
client under test for the interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

TOKEN = "6f1c0d9e2b7a4c3f8e5d1a0b9c8d7e6f"
RUNNING: dict[str, Any] = {
    "status": "OK",
    "data": {"status": "Running", "completed": False, "serviceUp": 1, "errors": []},
}
STARTED: dict[str, Any] = {"status": "OK", "data": {"token": TOKEN, "type": "cpu"}}
VALID: dict[str, Any] = {"status": "OK", "data": {"errors": [], "warnings": []}}
OK: dict[str, Any] = {"status": "OK", "data": {}}


class Stats:
    requests = 0
    documents = 0
    body_bytes = 0


def _response(body: dict[str, Any]) -> bytes:
    raw = json.dumps(body).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(raw)}\r\n"
    return head.encode() + b"\r\n" + raw


def _result(names: list[str]) -> dict[str, Any]:
    objects = {
        str(uuid.uuid4()): {
            "__types": {"text": "text"},
            "metadata": {"Content-Type": "text/plain"},
            "name": name,
            "path": name,
            "text": [f"text of {name}"],
        }
        for name in names
    }
    count = len(objects)
    data = {"objectsRequested": count, "objectsCompleted": count, "types": {}, "objects": objects}
    return {"status": "OK", "data": data, "metrics": {"cpu": 1.0, "total_time": 1.0}}


async def _read_body(
    reader: asyncio.StreamReader, headers: dict[bytes, bytes], keep: bool
) -> bytes:
    """Read the whole body; return it only when ``keep`` (multipart), else count and drop."""
    kept: list[bytes] = []
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunk = await reader.readexactly(size)
            await reader.readexactly(2)
            Stats.body_bytes += size
            if keep:
                kept.append(chunk)
        return b"".join(kept)
    left = int(headers.get(b"content-length", b"0"))
    while left:
        chunk = await reader.read(min(left, 1 << 20))
        if not chunk:
            raise asyncio.IncompleteReadError(b"", left)
        left -= len(chunk)
        Stats.body_bytes += len(chunk)
        if keep:
            kept.append(chunk)
    return b"".join(kept)


def _filename(disposition: bytes) -> str:
    for part in disposition.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename":
            return value.strip('"')
    return "upload"


async def _webhook(
    reader: asyncio.StreamReader, headers: dict[bytes, bytes], delay: float
) -> bytes:
    kind = headers.get(b"content-type", b"")
    if kind.startswith(b"multipart/"):
        boundary = kind.split(b"boundary=")[1].strip(b'"')
        body = await _read_body(reader, headers, keep=True)
        count = body.count(b"--" + boundary + b"\r\n")
        names = [f"part-{index}" for index in range(count)]
    else:
        await _read_body(reader, headers, keep=False)
        names = [_filename(headers.get(b"content-disposition", b""))]
    Stats.documents += len(names)
    await asyncio.sleep(delay * len(names))  # the service at work, one document at a time
    return _response(_result(names))


async def _handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line, _, rest = head.partition(b"\r\n")
            headers = {}
            for header in rest.split(b"\r\n"):
                name, _, value = header.partition(b":")
                headers[name.strip().lower()] = value.strip()
            method, target, _ = line.split(b" ", 2)
            path = target.split(b"?")[0]
            if path == b"/__stats":
                stats = {
                    "requests": Stats.requests,
                    "documents": Stats.documents,
                    "body_bytes": Stats.body_bytes,
                }
                writer.write(_response(stats))
                await writer.drain()
                continue
            Stats.requests += 1
            if path == b"/webhook":
                answer = await _webhook(reader, headers, delay)
            else:
                await _read_body(reader, headers, keep=False)
                if path == b"/task":
                    answer = {b"GET": _response(RUNNING), b"PUT": _response(STARTED)}.get(
                        method, _response(OK)
                    )
                elif path == b"/pipe/validate":
                    answer = _response(VALID)
                else:
                    answer = _response(OK)
            writer.write(answer)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve(delay: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: _handle(r, w, delay), "127.0.0.1", 0, backlog=2048, limit=1 << 20
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


def stats(url: str) -> dict[str, int]:
    """Requests, documents and body bytes the server has seen so far."""
    with urllib.request.urlopen(url + "/__stats", timeout=5) as answer:
        result: dict[str, int] = json.load(answer)
    return result


@contextlib.contextmanager
def serving(delay: float) -> Iterator[str]:
    """Run the server in a child process until the block ends; yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds per document")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args().delay))
