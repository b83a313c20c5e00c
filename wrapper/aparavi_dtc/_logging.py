"""The ``aparavi_dtc`` logger: silent unless asked for, and never showing a secret.

``APARAVI_LOG=debug`` (or ``info``) makes the first client built attach a stderr handler.
Whatever handlers an application adds, every record passes :class:`RedactingFilter`, which
masks every API key of this process's clients and every ``token=...``, and, while the SDK
sends a request, every secret that request carries (its task token too). So do the records
of the HTTP stacks the SDK sends through (httpx logs each request's URL at INFO, httpcore
each response's headers at DEBUG, which a server may fill with an echoed token): the filter
sits on the httpx, httpcore and aiohttp loggers as well.
"""

from __future__ import annotations

import contextvars
import logging
import os

from ._config import LOG_ENV
from ._redact import Redactor

logger = logging.getLogger("aparavi_dtc")

#: The API key of every client in this process, for the logging backstop; task tokens are
#: caught where they are assigned (``token=...``), the only way they could reach a record.
SECRETS = Redactor()

#: The secrets of the request being sent in this thread or task, set by both clients'
#: ``_send``: a record made meanwhile (a response header that echoes the task token) is
#: masked with them.
SENDING: contextvars.ContextVar[Redactor | None] = contextvars.ContextVar(
    "aparavi_dtc_sending", default=None
)

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


class RedactingFilter(logging.Filter):
    """Masks API keys, the secrets of the request being sent, and ``token=``/``apikey=``
    values in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRETS.text(message)
        sending = SENDING.get()
        if sending is not None:
            masked = sending.text(masked)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


_FILTER = RedactingFilter()
_configured = False

#: The HTTP stacks' loggers; children made later are found when the next client is made.
_STACKS = ("httpx", "httpcore", "aiohttp")
_STACK_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "aiohttp",
    "aiohttp.access",
    "aiohttp.client",
    "aiohttp.internal",
    "aiohttp.server",
    "aiohttp.web",
    "aiohttp.websocket",
)


def _guard(name: str) -> None:
    log = logging.getLogger(name)
    if _FILTER not in log.filters:
        log.addFilter(_FILTER)


def configure() -> None:
    """Attach the filter to the SDK's and the HTTP stacks' loggers, and a handler when
    ``APARAVI_LOG`` asks for one. Cheap to call again: every client does."""
    global _configured
    existing = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in _STACKS]
    for name in (*_STACK_LOGGERS, *existing):
        _guard(name)
    if _configured:
        return
    _configured = True
    logger.addFilter(_FILTER)
    level = _LEVELS.get(os.environ.get(LOG_ENV, "").strip().lower())
    if level is not None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
