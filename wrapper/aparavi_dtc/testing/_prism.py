"""Run Prism (a mock server for OpenAPI documents) on the shipped spec, on a free port."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from .._signals import interrupt_on_signals

#: The Prism release the SDK's own contract tests run; ``npx`` fetches it when needed.
PRISM_PACKAGE = "@stoplight/prism-cli@5.16.0"


class PrismUnavailable(RuntimeError):
    """Prism cannot run here: neither a local install nor ``npx`` was found."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prism_command(start: Path | None = None) -> list[str]:
    """How to run Prism: ``node_modules/.bin/prism`` in ``start`` or a folder above it,
    ``prism`` on the PATH, or ``npx`` fetching the pinned release.

    Raises:
        PrismUnavailable: Node.js is missing, or none of them exists.
    """
    if shutil.which("node") is None:
        raise PrismUnavailable("Prism needs Node.js: node is not on the PATH")
    folder = (start or Path.cwd()).resolve()
    for parent in (folder, *folder.parents):
        local = parent / "node_modules" / ".bin" / "prism"
        if local.is_file():
            return [str(local)]
    if found := shutil.which("prism"):
        return [found]
    if npx := shutil.which("npx"):
        return [npx, "--yes", PRISM_PACKAGE]
    raise PrismUnavailable("Prism needs Node.js: neither node_modules/.bin/prism nor npx found")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/status", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # Prism answered: it is up
    except OSError:
        return False


@contextlib.contextmanager
def running_prism(
    spec: Path | None = None,
    *,
    port: int | None = None,
    extra_args: Sequence[str] = (),
    command: Sequence[str] | None = None,
    startup_timeout: float = 120.0,
) -> Iterator[str]:
    """Run Prism with ``--errors`` on ``spec`` (default: the shipped spec) until the block
    ends; yield its base URL. Set ``PRISM_LOG=<file>`` to keep its log.

    Raises:
        PrismUnavailable: Prism cannot run here.
        RuntimeError: It exited or did not answer during start-up.
    """
    if spec is None:
        from . import spec_path

        spec = spec_path()
    base = list(command) if command is not None else prism_command(spec.parent)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [*base, "mock", str(spec), "--host", "127.0.0.1", "--port", str(port), "--errors"]
    log = open(os.environ.get("PRISM_LOG", os.devnull), "wb")  # noqa: SIM115 - closed below
    posix = os.name == "posix"
    # A process group of its own, so that stopping it reaches any worker Prism forks.
    proc = subprocess.Popen(
        [*cmd, *extra_args], stdout=log, stderr=subprocess.STDOUT, start_new_session=posix
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


def stop_on_signals() -> None:
    """Treat SIGTERM and SIGHUP as Ctrl-C, so that ``kill``, a closed terminal or a
    supervisor stopping a mock stops Prism as well instead of orphaning it. The first of
    them stops Prism; any more are ignored until it is stopped."""
    interrupt_on_signals(ctrl_c=True, once=True)
