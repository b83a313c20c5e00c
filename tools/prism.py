"""Start and stop a local Prism mock of ``openapi.yaml`` on a free loopback port.

Used by ``make demo``, ``make mock`` and the contract tests, so that the mock is started
one way everywhere. Prism comes from ``node_modules`` (``npm ci``), pinned in
``package-lock.json``. Set ``PRISM_LOG=<file>`` to keep Prism's log.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PRISM = ROOT / "node_modules" / ".bin" / "prism"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/status", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # Prism answered (401 without a key): it is up.
    except OSError:
        return False


@contextlib.contextmanager
def running_prism(
    *, port: int | None = None, extra_args: Sequence[str] = (), startup_timeout: float = 60.0
) -> Iterator[str]:
    """Run Prism with ``--errors`` until the block ends; yield its base URL."""
    if not PRISM.exists():
        raise RuntimeError(f"{PRISM} is missing: run `npm ci` first (make setup does it)")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [str(PRISM), "mock", str(SPEC), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--errors", *extra_args]
    log = open(os.environ.get("PRISM_LOG", os.devnull), "wb")  # noqa: SIM115 - closed below
    # A process group of its own, so that stopping it reaches any worker Prism forks.
    posix = os.name == "posix"
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=posix
    )
    try:
        deadline = time.monotonic() + startup_timeout
        while not _ready(url):
            if proc.poll() is not None:
                raise RuntimeError(f"Prism exited with code {proc.returncode} during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prism did not answer on {url} in {startup_timeout:.0f}s")
            time.sleep(0.1)
        yield url
    finally:
        _stop(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(proc, signal.SIGKILL if posix else signal.SIGTERM)
            proc.wait()
        log.close()


def _stop(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Send ``sig`` to Prism's process group (to Prism alone where there are none)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, sig)
        else:
            proc.terminate()
    except (ProcessLookupError, PermissionError):
        pass  # already gone


_STOP_SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
]


def _interrupt(signum: int, frame: object) -> None:
    for sig in _STOP_SIGNALS:  # a second signal must not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Treat SIGTERM and SIGHUP as Ctrl-C, so that ``kill``, a closed terminal or a
    supervisor stopping ``make mock`` stops Prism as well instead of orphaning it. The
    first of them stops Prism; any more are ignored until it is stopped."""
    for sig in _STOP_SIGNALS:
        signal.signal(sig, _interrupt)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    args = parser.parse_args(argv)
    stop_on_signals()
    with contextlib.suppress(KeyboardInterrupt), running_prism(port=args.port) as url:
        print(f"Prism mock of openapi.yaml on {url} (Ctrl-C stops it)", flush=True)
        print(f"  export APARAVI_BASE_URL={url} APARAVI_API_KEY=any-key", flush=True)
        while True:
            time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
