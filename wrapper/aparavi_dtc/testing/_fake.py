"""A stateful fake of the Aparavi DTC service, behaving as the deployed service does.

It answers every operation of ``openapi.yaml`` in the deployed envelope
(``{"status": "OK" | "Error", "data", "error", "metrics"}``):

* ``PUT /task`` starts a task with a fresh token and type ``cpu``. A task whose pipeline
  source is a webhook is a service: it reports ``Running`` (``serviceUp: 1``) for as long
  as it exists, uploads or not. Any other task steps through ``Created``, ``Running`` and
  ``Completed`` (``completed: true``), one state per status read, unless
  :meth:`FakeAparavi.script_status` says otherwise.
* ``PUT /webhook`` and ``PUT /pipe/process`` answer a ``WebhookResult``: one object per
  file (or one for text), keyed by a UUID, whose ``text`` is the decoded content of a text
  file, or ``[binary content of <name>: <n> bytes]`` for anything else.
* ``POST /pipe`` / ``DELETE /pipe``, ``GET /services``, ``GET /version``, ``GET /status``,
  ``POST /pipe/validate`` (``errors`` lists what is missing), ``GET /chat`` and
  ``GET /dropper`` (a 302 redirect for a live task and the right ``apikey``; otherwise a
  422, the only failure the spec documents for the pages).
* An unknown token is ``"Task not found"`` in an error envelope under HTTP 200, as the
  deployed service sends it; a wrong key is 401; a bad request is FastAPI's 422.

Use it through an httpx transport (:meth:`FakeAparavi.transport`), or over loopback HTTP
(:meth:`FakeAparavi.serve`). Thread-safe: the loopback server answers requests
concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import email.parser
import email.policy
import http.server
import json
import math
import os
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

__all__ = ["FakeAparavi", "FakeTransport", "Received"]

#: The operations, by the name :meth:`FakeAparavi.fail_next` and ``delay`` take.
OPERATIONS: dict[tuple[str, str], str] = {
    ("GET", "/task"): "getTask",
    ("PUT", "/task"): "startTask",
    ("DELETE", "/task"): "deleteTask",
    ("POST", "/pipe/validate"): "validatePipeline",
    ("PUT", "/webhook"): "sendToWebhook",
    ("POST", "/pipe"): "createPipe",
    ("DELETE", "/pipe"): "deletePipe",
    ("PUT", "/pipe/process"): "processPipe",
    ("GET", "/services"): "getServices",
    ("GET", "/version"): "getVersion",
    ("GET", "/status"): "getStatus",
    ("GET", "/chat"): "openChat",
    ("GET", "/dropper"): "openDropper",
}
#: Operations a recording does not answer: they keep the fake's tasks coherent.
_OWN_TASKS = {"startTask", "deleteTask"}
_NO_KEY = {"getVersion", "getStatus", "getServices", "openChat", "openDropper"}
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/csv")

SERVICES: dict[str, Any] = {
    "webhook": {"title": "Webhook", "description": "Receives files over HTTP.", "lanes": []},
    "parse": {"title": "Parser", "description": "Extracts text, tables and images."},
    "ocr": {"title": "OCR", "description": "Reads the text in images."},
    "llamaparse": {"title": "LlamaParse", "description": "Parses pages with a vision model."},
    "audio_transcribe": {"title": "Transcriber", "description": "Transcribes speech."},
    "summarization": {"title": "Summarizer", "description": "Summarises text with an LLM."},
    "response": {"title": "Response", "description": "Returns the results to the caller."},
}


@dataclasses.dataclass(frozen=True)
class Received:
    """One request the fake received. The API key is masked in ``headers`` and ``query``."""

    operation: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclasses.dataclass
class _Task:
    type: str
    webhook: bool
    states: list[dict[str, Any]]
    reads: int = 0
    uploads: int = 0


@dataclasses.dataclass
class _Failure:
    status: int
    body: Any
    times: int


class FakeAparavi:
    """A stateful, in-memory Aparavi DTC service for tests.

    Args:
        api_key: The key it accepts (raw or as ``Bearer <key>``); any other is a 401.
    """

    def __init__(self, api_key: str = "test-api-key-0123456789") -> None:
        self.api_key = api_key
        self._lock = threading.RLock()
        self._tasks: dict[str, _Task] = {}
        self._pipes: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._requests: list[Received] = []
        self._recorded: dict[str, tuple[int, Any]] = {}

    @classmethod
    def from_recording(
        cls, folder: str | os.PathLike[str], api_key: str = "test-api-key-0123456789"
    ) -> FakeAparavi:
        """A fake that answers as a real service did, from what
        :func:`~aparavi_dtc.testing.verify` recorded in ``folder`` (``record=DIR``).

        Each recorded operation is answered with its last recorded status and body, as
        the service sent them (secrets replaced). Tasks stay the fake's own, so that code
        under test can start, read and delete them: ``startTask`` and ``deleteTask`` keep
        the fake's answers, and ``getTask`` and ``sendToWebhook`` answer the recorded body
        for a task the fake started (an unknown task is still not found).
        """
        from ._verify import recordings

        fake = cls(api_key=api_key)
        for operation, status, body in recordings(folder):
            if operation not in OPERATIONS.values():
                raise ValueError(f"{folder} records an unknown operation {operation!r}")
            fake._recorded[operation] = (status, body)
        return fake

    # -- inspection and scripting -----------------------------------------------------

    @property
    def requests(self) -> list[Received]:
        """Every request received so far, oldest first, with the key masked."""
        with self._lock:
            return list(self._requests)

    @property
    def tasks(self) -> dict[str, str]:
        """The live tasks: token to type."""
        with self._lock:
            return {token: task.type for token, task in self._tasks.items()}

    @property
    def pipes(self) -> list[str]:
        """The tokens of the live pipes."""
        with self._lock:
            return list(self._pipes)

    def fail_next(
        self, operation: str, *, status: int = 500, body: Any = None, times: int = 1
    ) -> None:
        """Answer the next ``times`` requests of ``operation`` (``"getTask"``, ...) with
        ``status`` and ``body`` (default: an error envelope).

        Raises ValueError for an unknown operation, a status that is not an HTTP status
        code (100 to 599) or ``times`` below 1.
        """
        _check_operation(operation)
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code from 100 to 599, not {status}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be 1 or more, not {times}")
        if body is None:
            body = {"status": "Error", "error": {"message": f"scripted failure of {operation}"}}
        with self._lock:
            self._failures.setdefault(operation, []).append(_Failure(status, body, times))

    def delay(self, operation: str, seconds: float) -> None:
        """Wait ``seconds`` before answering each request of ``operation``.

        Raises ValueError for an unknown operation, or ``seconds`` that are negative or not
        a finite number.
        """
        _check_operation(operation)
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise ValueError(f"seconds must be a finite number, 0 or more, not {seconds}")
        with self._lock:
            self._delays[operation] = seconds

    def script_status(self, token: str, states: Sequence[str | Mapping[str, Any]]) -> None:
        """Make the task's next status reads go through ``states``; the last one repeats.

        A state is a status string (``"Running"``) or a whole payload, which may carry any
        field the deployed service sends (``{"status": "Running", "totalCount": None}``).
        """
        with self._lock:
            task = self._tasks[token]
            task.states = [_state(s) for s in states]
            task.reads = 0

    # -- the three ways in ------------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An httpx transport answering as the service: for ``AparaviDTC`` and
        ``AsyncAparaviDTC`` (``transport=fake.transport()``) alike."""
        return FakeTransport(self)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve over HTTP on loopback until the block ends; yield the base URL."""
        server = _Server((host, port), _handler_for(self))
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()

    # -- the service ------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: ``(status, headers, body)``, after any scripted delay.

        The request takes effect before the delay, as on a real server whose answer is
        slow to come back (a client that gives up has still started its task).
        """
        pause, answer = self._answer(method, path, query, headers, body)
        if pause:
            time.sleep(pause)
        return answer

    async def handle_async(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        """:meth:`handle` for an event loop: a scripted delay does not block it."""
        pause, answer = self._answer(method, path, query, headers, body)
        if pause:
            await asyncio.sleep(pause)
        return answer

    def _answer(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[float, tuple[int, dict[str, str], bytes]]:
        headers = {k.lower(): v for k, v in headers.items()}
        operation = OPERATIONS.get((method.upper(), path.rstrip("/") or "/"))
        self._record(operation or "unknown", method, path, query, headers, body)
        if operation is None:
            return 0.0, _json(404, {"detail": "Not Found"})
        with self._lock:
            pause = self._delays.get(operation, 0.0)
            failure = self._take_failure(operation)
        if failure is not None:
            return pause, _json(failure.status, failure.body)
        if operation not in _NO_KEY and not self._authorized(headers.get("authorization")):
            return pause, _json(401, {"status": "Error", "error": {"message": "Unauthorized"}})
        answer: tuple[int, dict[str, str], bytes] = getattr(self, f"_{operation}")(
            query, headers, body
        )
        recorded = self._recorded.get(operation)
        if recorded is not None and operation not in _OWN_TASKS and answer[0] != 404:
            status, sent = recorded
            raw = sent.encode() if isinstance(sent, str) else json.dumps(sent).encode()
            return pause, (status, {"Content-Type": "application/json"}, raw)
        return pause, answer

    def _record(
        self,
        operation: str,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        masked_headers = {k: ("***" if k == "authorization" else v) for k, v in headers.items()}
        masked_query = {k: ("***" if k == "apikey" else v) for k, v in query.items()}
        with self._lock:
            self._requests.append(
                Received(operation, method.upper(), path, masked_query, masked_headers, body)
            )

    def _take_failure(self, operation: str) -> _Failure | None:
        queue = self._failures.get(operation)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _authorized(self, value: str | None) -> bool:
        if not value:
            return False
        key = value[7:] if value.lower().startswith("bearer ") else value
        return key.strip() == self.api_key

    # -- operations -------------------------------------------------------------------

    def _startTask(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        pipeline, problem = _pipeline(body)
        if problem:
            return _unprocessable(*problem)
        threads = query.get("threads")
        if threads is not None and not (
            threads.isascii() and threads.isdigit() and 1 <= int(threads) <= 16
        ):
            return _unprocessable("query.threads", "Input should be between 1 and 16")
        token = uuid.uuid4().hex
        webhook = _is_webhook(pipeline)
        states = [_state("Running", serviceUp=1)] if webhook else _batch_states()
        with self._lock:
            self._tasks[token] = _Task("cpu", webhook, states)
        return _ok({"token": token, "type": "cpu"})

    def _getTask(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        with self._lock:
            task = self._task(query)
            if task is None:
                return _not_found()
            state = task.states[min(task.reads, len(task.states) - 1)]
            task.reads += 1
            return _ok(copy.deepcopy(state))

    def _deleteTask(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        with self._lock:
            if self._task(query) is None:
                return _not_found()
            del self._tasks[query["token"]]
        return _ok({})

    def _validatePipeline(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        pipeline, problem = _pipeline(body)
        if problem:
            return _unprocessable(*problem)
        errors = [
            f"component {c.get('id', i)!r} has no provider"
            for i, c in enumerate(pipeline["components"])
            if not c.get("provider")
        ]
        return _ok({"pipeline": pipeline, "errors": errors, "warnings": []})

    def _sendToWebhook(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        with self._lock:
            task = self._task(query)
            if task is None:
                return _not_found()
            if not task.webhook:
                return _error(500, "The task's source is not a webhook")
            task.uploads += 1
        files = _uploaded(headers, body)
        if not files:
            return _unprocessable("body", "Field required")
        return _ok(_results(files))

    def _createPipe(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        pipeline, problem = _pipeline(body)
        if problem:
            return _unprocessable(*problem)
        token = uuid.uuid4().hex
        with self._lock:
            self._pipes[token] = pipeline
        return _ok({"token": token})

    def _deletePipe(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        with self._lock:
            if self._pipes.pop(query.get("token", ""), None) is None:
                return _error(200, "Pipe not found")
        return _ok({})

    def _processPipe(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        with self._lock:
            if query.get("token", "") not in self._pipes:
                return _error(200, "Pipe not found")
        files = _uploaded(headers, body)
        if not files:
            return _unprocessable("body.files", "Field required")
        return _ok(_results(files))

    def _getServices(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        name = query.get("service")
        if name is None:
            return _ok(copy.deepcopy(SERVICES))
        if name not in SERVICES:
            return _error(200, f"Service {name!r} not found")
        return _ok({name: copy.deepcopy(SERVICES[name])})

    def _getVersion(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        return _ok({"version": "3.0.0.9999", "hash": "fake000", "stamp": "2025-01-01 00:00:00"})

    def _getStatus(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        return _ok({"serviceUp": True})

    def _openChat(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        return self._page("chat", query)

    def _openDropper(self, query: Mapping[str, str], headers: Any, body: bytes) -> Any:
        return self._page("dropper", query)

    def _page(self, page: str, query: Mapping[str, str]) -> Any:
        # The spec documents only the redirect and 422 for the pages: a missing parameter,
        # a wrong key and an unknown task are all FastAPI-style 422s.
        for name in ("type", "token", "apikey"):
            if not query.get(name):
                return _unprocessable(f"query.{name}", "Field required")
        if query["apikey"] != self.api_key:
            return _unprocessable("query.apikey", "Invalid API key")
        with self._lock:
            if self._task(query) is None:
                return _unprocessable("query.token", "Task not found")
        return 302, {"Location": f"/{page}/pages/index.html"}, b""

    def _task(self, query: Mapping[str, str]) -> _Task | None:
        task = self._tasks.get(query.get("token", ""))
        if task is None or task.type != query.get("type"):
            return None
        return task


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) that hands every request to a fake."""

    def __init__(self, fake: FakeAparavi) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self.fake.handle(*_parts(request, request.read()))
        return httpx.Response(status, headers=headers, content=body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = await self.fake.handle_async(
            *_parts(request, await request.aread())
        )
        return httpx.Response(status, headers=headers, content=body)


def _parts(
    request: httpx.Request, body: bytes
) -> tuple[str, str, dict[str, str], dict[str, str], bytes]:
    url = request.url
    return request.method, url.path, dict(url.params), dict(request.headers), body


# -- helpers ------------------------------------------------------------------------------


def _check_operation(operation: str) -> None:
    if operation not in OPERATIONS.values():
        names = ", ".join(sorted(OPERATIONS.values()))
        raise ValueError(f"unknown operation {operation!r}; one of {names}")


def _state(state: str | Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"status": state} if isinstance(state, str) else dict(state)
    payload.setdefault("status", "Running")
    running = payload["status"] not in ("Completed", "Failed", "Cancelled", "Done", "Error")
    payload.setdefault("completed", not running)
    payload.setdefault("startTime", 1736937000.25)
    payload.setdefault("endTime", 0 if running else 1736937060.5)
    payload.setdefault("errors", [])
    payload.setdefault("warnings", [])
    return {**payload, **extra}


def _batch_states() -> list[dict[str, Any]]:
    return [
        _state("Created", totalCount=2, completedCount=0),
        _state("Running", totalCount=2, completedCount=1),
        _state("Completed", totalCount=2, completedCount=2),
    ]


def _json(status: int, body: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _ok(data: Any) -> tuple[int, dict[str, str], bytes]:
    return _json(200, {"status": "OK", "data": data, "metrics": {"cpu": 1.5, "total_time": 2.0}})


def _error(status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    body = {"status": "Error", "data": None, "error": {"message": message, "line": 1}}
    return _json(status, body)


def _not_found() -> tuple[int, dict[str, str], bytes]:
    return _error(200, "Task not found")


def _unprocessable(where: str, msg: str) -> tuple[int, dict[str, str], bytes]:
    detail = {"loc": where.split("."), "msg": msg, "type": "value_error"}
    return _json(422, {"detail": [detail]})


def _pipeline(body: bytes) -> tuple[dict[str, Any], tuple[str, str] | None]:
    try:
        wrapped = json.loads(body) if body else None
    except ValueError:
        return {}, ("body", "JSON decode error")
    pipeline = wrapped.get("pipeline") if isinstance(wrapped, dict) else None
    if not isinstance(pipeline, dict):
        return {}, ("body.pipeline", "Field required")
    components = pipeline.get("components")
    if not isinstance(components, list):
        return {}, ("body.pipeline.components", "Field required")
    for index, component in enumerate(components):
        if not isinstance(component, dict):
            return {}, (f"body.pipeline.components.{index}", "Input should be a valid dictionary")
    return pipeline, None


def _is_webhook(pipeline: Mapping[str, Any]) -> bool:
    source = pipeline.get("source")
    for component in pipeline["components"]:
        names = [component.get("id"), component.get("name")]
        if (source is None or source in names) and component.get("provider") == "webhook":
            return True
    return False


def _uploaded(headers: Mapping[str, str], body: bytes) -> list[tuple[str, str, bytes]]:
    """The files of an upload: ``(name, content type, content)``."""
    kind = headers.get("content-type", "application/octet-stream")
    if not body:
        return []
    if kind.startswith("multipart/"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + kind.encode("latin-1", "replace") + b"\r\n\r\n" + body
        )
        files: list[tuple[str, str, bytes]] = []
        for part in message.iter_parts():
            content = part.get_payload(decode=True)
            if not isinstance(content, bytes):
                content = b""
            name = part.get_filename() or "upload"
            files.append((name, part.get_content_type(), content))
        return files
    if kind.startswith("text/plain") and "content-disposition" not in headers:
        return [("text", "text/plain", body)]
    disposition = headers.get("content-disposition", "")
    message = email.parser.Parser(policy=email.policy.HTTP).parsestr(
        f"Content-Disposition: {disposition}\r\n\r\n"
    )
    name = message.get_filename() or "upload"
    return [(urllib.parse.unquote(name), kind.split(";")[0].strip(), body)]


def _results(files: list[tuple[str, str, bytes]]) -> dict[str, Any]:
    objects: dict[str, Any] = {}
    for name, kind, content in files:
        if kind.startswith(_TEXT_TYPES):
            text = content.decode("utf-8", "replace")
        else:
            text = f"[binary content of {name}: {len(content)} bytes]"
        objects[str(uuid.uuid4())] = {
            "__types": {"text": "text"},
            "metadata": {"Content-Type": kind, "Content-Length": str(len(content))},
            "name": name,
            "path": name,
            "text": [text],
        }
    count = len(objects)
    return {"objectsRequested": count, "objectsCompleted": count, "types": {}, "objects": objects}


class _Server(http.server.ThreadingHTTPServer):
    """The loopback server: a thread per connection, quiet when a client goes away."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that resets or drops its connection mid-request is no error of the
        # fake's, as the real service sees clients do (a timeout, a crash, Ctrl-C): no
        # traceback. Anything else is a bug here, shown as the standard library does.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def _handler_for(fake: FakeAparavi) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, each answer waits for
            # a delayed ACK (40 ms on Linux).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _body(self) -> bytes | None:
            """The request body, sent with a length or chunked; None when it is malformed or
            cut short."""
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks: list[bytes] = []
                while True:
                    size = self.rfile.readline(1024).split(b";")[0].strip()
                    if not size or not all(c in b"0123456789abcdefABCDEF" for c in size):
                        return None
                    if int(size, 16) == 0:
                        break
                    chunk = self.rfile.read(int(size, 16))
                    if len(chunk) < int(size, 16):
                        return None  # the client went away mid-chunk
                    chunks.append(chunk)
                    self.rfile.readline(1024)  # the CRLF after the chunk
                while self.rfile.readline(65537).strip():  # trailers, up to the blank line
                    pass
                return b"".join(chunks)
            length = self.headers.get("Content-Length") or "0"
            if not (length.isascii() and length.isdigit()):
                return None
            body = self.rfile.read(int(length)) if int(length) else b""
            return body if len(body) == int(length) else None  # shorter: the client left

        def _serve(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            body = self._body()
            if body is None:
                self.close_connection = True
                status, headers, content = _json(400, {"detail": "Invalid HTTP request"})
            else:
                status, headers, content = fake.handle(
                    self.command,
                    url.path,
                    dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
                    dict(self.headers.items()),
                    body,
                )
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (its timeout, say), as the real service sees clients do.
                self.close_connection = True

        do_GET = do_PUT = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the fake never prints: its requests are in ``fake.requests``

    return Handler
