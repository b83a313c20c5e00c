"""``FakeAparavi`` over loopback HTTP without the server's tracebacks on stderr.

``fake.serve()`` prints a traceback for every connection a client drops; closing a batch
of uploads drops its connections on purpose, so tests of that use :func:`serving`.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import Any

from aparavi_dtc.testing import FakeAparavi
from aparavi_dtc.testing._fake import _handler_for


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a connection the client dropped on purpose


@contextlib.contextmanager
def serving(fake: FakeAparavi) -> Iterator[str]:
    """Serve ``fake`` on 127.0.0.1 until the block ends; yield its base URL."""
    server = _QuietServer(("127.0.0.1", 0), _handler_for(fake))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
