"""A small HTTP/1.1 server on loopback that answers like the deployed service.

GET /task gets the real-sized task status payload of the reference, PUT /task a new task,
anything else a small OK envelope; connections are kept alive. ``GET /__stats`` answers how many
requests and TCP connections it has seen. It runs in its own process (``serving()``), so
that its work does not compete with the client under test for the interpreter lock.

Used by the concurrency test and by ``make bench``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

#: The status payload of a running task as the deployed service sends it.
STATUS: dict[str, Any] = {
    "status": "OK",
    "data": {
        "status": "Running",
        "completed": False,
        "startTime": 1736937000.25,
        "endTime": 0,
        "warnings": [],
        "errors": [],
        "currentObject": "/data/source/reports/2024/quarterly-report-q3-final.pdf",
        "notes": [
            "Pipeline started with 4 threads",
            "Webhook source ready at https://eaas.aparavi.com/webhook",
        ],
        "totalCount": 300,
        "completedCount": 150,
        "failedCount": 2,
        "totalSize": 73400320,
        "completedSize": 36700160,
        "failedSize": 10240,
        "wordsCount": 120500,
        "wordsSize": 812300,
        "rateCount": 2.5,
        "rateSize": 611669.3,
        "serviceUp": 1,
        "exitCode": 0,
        "exitMsg": "",
        "trace": [],
        "metrics": {"cpu": 12.4, "memory": 512.0, "threads": 4},
        "pipeline": {"source": "webhook_1", "components": 3},
    },
    "error": None,
    "metrics": {"cpu": 12.4, "total_time": 18.9, "output": {}, "requests": 1},
}
OK: dict[str, Any] = {"status": "OK", "data": {}, "metrics": {"cpu": 0.1, "total_time": 0.4}}
STARTED: dict[str, Any] = {
    "status": "OK",
    "data": {"token": "6f1c0d9e2b7a4c3f8e5d1a0b9c8d7e6f", "type": "cpu"},
    "metrics": {"cpu": 3.1, "total_time": 412.7},
}


def _response(body: dict[str, Any]) -> bytes:
    raw = json.dumps(body).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(raw)}\r\n"
    return head.encode() + b"\r\n" + raw


class _Stats:
    requests = 0
    connections = 0


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    counted = False  # a connection counts once it makes a request other than /__stats
    status, started, ok = _response(STATUS), _response(STARTED), _response(OK)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line, _, rest = head.partition(b"\r\n")
            length = 0
            for header in rest.split(b"\r\n"):
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            method, target, _ = line.split(b" ", 2)
            if target == b"/__stats":
                stats = {"requests": _Stats.requests, "connections": _Stats.connections}
                writer.write(_response(stats))
            else:
                _Stats.requests += 1
                if not counted:
                    counted = True
                    _Stats.connections += 1
                about_task = target.startswith(b"/task")
                if about_task and method == b"GET":
                    writer.write(status)
                elif about_task and method == b"PUT":
                    writer.write(started)
                else:
                    writer.write(ok)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve() -> None:
    server = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


def stats(url: str) -> dict[str, int]:
    """Requests and connections the server has seen so far."""
    with urllib.request.urlopen(url + "/__stats", timeout=5) as answer:
        result: dict[str, int] = json.load(answer)
    return result


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """Run the server in a child process until the block ends; yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, __file__], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve())
