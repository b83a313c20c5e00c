"""Start and stop a local Prism mock of ``openapi.yaml`` on a free loopback port.

Used by ``make mock`` and the contract tests, so that the mock is started one way
everywhere: this repository's Prism from ``node_modules`` (``npm ci``, pinned in
``package-lock.json``) on this repository's spec, through the SDK's own
``aparavi_dtc.testing.running_prism``. Set ``PRISM_LOG=<file>`` to keep Prism's log.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from aparavi_dtc.testing import _prism
from aparavi_dtc.testing._prism import free_port, stop_on_signals

__all__ = ["PRISM", "ROOT", "SPEC", "free_port", "main", "running_prism", "stop_on_signals"]

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"


@contextlib.contextmanager
def running_prism(
    *, port: int | None = None, extra_args: Sequence[str] = (), startup_timeout: float = 60.0
) -> Iterator[str]:
    """Run this repository's Prism with ``--errors`` until the block ends; yield its URL."""
    if not PRISM.exists():
        raise RuntimeError(f"{PRISM} is missing: run `npm ci` first (make setup does it)")
    with _prism.running_prism(
        SPEC,
        port=port,
        extra_args=extra_args,
        command=[str(PRISM)],
        startup_timeout=startup_timeout,
    ) as url:
        yield url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    args = parser.parse_args(argv)
    stop_on_signals()
    with contextlib.suppress(KeyboardInterrupt), running_prism(port=args.port) as url:
        print(f"Prism mock of openapi.yaml on {url} (Ctrl-C stops it)", flush=True)
        # Prism takes any key; the SDK refuses one under 8 characters as not real.
        print(f"  export APARAVI_BASE_URL={url} APARAVI_API_KEY=prism-takes-any-key", flush=True)
        while True:
            time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
