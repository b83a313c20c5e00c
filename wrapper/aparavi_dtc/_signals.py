"""SIGTERM and SIGHUP stop a program as Ctrl-C does.

``kill``, ``docker stop``, systemd and Kubernetes stop a process with SIGTERM; a closed
terminal or a dropped SSH session sends SIGHUP. By default either ends Python at once,
running no ``finally`` and no clean-up, so a task the program started stays on the service.
:func:`interrupt_on_signals` makes them raise ``KeyboardInterrupt`` in the main thread
instead, so every clean-up written for Ctrl-C runs for them too (the SDK's own runs to its
end through more signals: see ``_shield.uninterrupted``). :func:`received_signal` tells
which one stopped the program, for its exit status (128 + the signal's number).
"""

from __future__ import annotations

import signal
from types import FrameType

__all__ = ["STOP_SIGNALS", "ignore_stop_signals", "interrupt_on_signals", "received_signal"]

STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that stop a program besides Ctrl-C (SIGHUP does not exist on Windows)."""

_received: int | None = None


def interrupt_on_signals(*, ctrl_c: bool = False, once: bool = False) -> None:
    """Make SIGTERM and SIGHUP (and SIGINT with ``ctrl_c``) raise ``KeyboardInterrupt``.

    ``once``: after the first of them, ignore them all, for a program whose clean-up must
    not be cut short and cannot shield itself (stopping a child process). Without it each
    one raises again, as Ctrl-C pressed twice does. Call it from the main thread.
    """
    wanted = (signal.SIGINT, *STOP_SIGNALS) if ctrl_c else STOP_SIGNALS

    def interrupt(signum: int, frame: FrameType | None) -> None:
        global _received
        if _received is None:
            _received = signum
        if once:
            for each in wanted:
                signal.signal(each, signal.SIG_IGN)
        raise KeyboardInterrupt

    for each in wanted:
        signal.signal(each, interrupt)


def ignore_stop_signals() -> None:
    """Ignore Ctrl-C, SIGTERM and SIGHUP from now on: for a program whose clean-up is done
    and that only reports and exits. Call it from the main thread."""
    for each in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(each, signal.SIG_IGN)


def received_signal() -> int | None:
    """The number of the first signal :func:`interrupt_on_signals` turned into
    ``KeyboardInterrupt``, or None."""
    return _received
