"""Every default of the SDK, in one place."""

from __future__ import annotations

from typing import Final, Literal

import httpx

from ._limits import MAX_CONNECTIONS

DEFAULT_BASE_URL: Final = "https://eaas.aparavi.com"
API_KEY_ENV: Final = "APARAVI_API_KEY"
BASE_URL_ENV: Final = "APARAVI_BASE_URL"
LOG_ENV: Final = "APARAVI_LOG"
TIMEOUT_ENV: Final = "APARAVI_TIMEOUT"
MAX_RETRIES_ENV: Final = "APARAVI_MAX_RETRIES"

#: Generous for reads (a status payload can be large), short to connect so that an
#: unreachable host fails fast.
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
#: An upload is answered only once the service has processed what it was sent: OCR of a
#: scan or a transcription takes minutes where any other answer takes a second. So its
#: answer may take 10 minutes by default; connecting and writing keep the short bounds,
#: so an unreachable or stalled service still fails fast. A timeout the user gives (an
#: argument or APARAVI_TIMEOUT) bounds uploads as every other request.
DEFAULT_UPLOAD_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0, read=600.0)
#: Connections per client (``_limits.MAX_CONNECTIONS``), all kept alive so that polls
#: reuse them: the sync client's httpx pool and the async client's aiohttp pool.
DEFAULT_LIMITS: Final = httpx.Limits(
    max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS
)
DEFAULT_MAX_RETRIES: Final = 2
#: Per-task work kept for the tasks polled most recently (a parsed URL, a redactor), so
#: that polling a thousand tasks does not redo it: a few MB at most.
CACHED_TASKS: Final = 2048
#: The largest response body (decoded) a client reads: far above any status payload or
#: webhook result of a document, far below what would hurt a process.
DEFAULT_MAX_RESPONSE_SIZE: Final = 64 * 1024 * 1024
#: Backoff between attempts: INITIAL * 2**attempt, jittered, at most MAX.
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
#: A server's Retry-After is honoured up to this many seconds.
MAX_RETRY_AFTER: Final = 60.0

#: Waiting for a task: first interval, growth factor, cap, overall deadline (seconds).
POLL_INTERVAL: Final = 1.0
POLL_BACKOFF: Final = 1.5
MAX_POLL_INTERVAL: Final = 15.0
DEFAULT_WAIT_TIMEOUT: Final = 3600.0

#: Status values after which a task does not change any more.
TERMINAL_STATES: Final = frozenset({"Completed", "Failed", "Cancelled", "Done", "Error"})
#: Terminal status values that mean the task did not succeed.
FAILED_STATES: Final = frozenset({"Failed", "Cancelled", "Error"})

AuthScheme = Literal["raw", "bearer"]
DEFAULT_AUTH_SCHEME: Final[AuthScheme] = "raw"
