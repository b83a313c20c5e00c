"""The ``aparavi_dtc`` logger: silent unless asked for, and never showing a secret.

``APARAVI_LOG=debug`` (or ``info``) makes the first client built attach a stderr handler.
Whatever handlers an application adds, every record passes :class:`RedactingFilter`, which
masks every API key of this process's clients and every ``token=...``.
"""

from __future__ import annotations

import logging
import os

from ._config import LOG_ENV
from ._redact import Redactor

logger = logging.getLogger("aparavi_dtc")

#: The API key of every client in this process, for the logging backstop; task tokens are
#: caught where they are assigned (``token=...``), the only way they could reach a record.
SECRETS = Redactor()

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


class RedactingFilter(logging.Filter):
    """Masks API keys and ``token=``/``apikey=`` values in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRETS.text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


_FILTER = RedactingFilter()
_configured = False


def configure() -> None:
    """Attach the filter, and a handler when ``APARAVI_LOG`` asks for one. Idempotent."""
    global _configured
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
