"""The bounds of what callers may ask for, as plain numbers: a leaf module, so that the
command line checks its options against them without loading an HTTP stack."""

from __future__ import annotations

from typing import Final

#: Connections per client (see ``_config.DEFAULT_LIMITS``), and so the most uploads
#: ``process()`` keeps in flight.
MAX_CONNECTIONS: Final = 32
#: Threads a task may ask the service for.
MAX_THREADS: Final = 16
#: More retries than this only hide an outage: with backoff, 10 already wait about a
#: minute in all.
MAX_RETRIES: Final = 10
#: The longest time the SDK takes: sockets, sleeps and thread waits overflow not far
#: above it (about 9.2e9 s), and with a raw OverflowError.
MAX_SECONDS: Final = 1e9
