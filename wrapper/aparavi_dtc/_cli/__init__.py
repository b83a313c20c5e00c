"""The ``aparavi-dtc`` command, one concern a module: exit codes and error lines
(``status``), the arguments (``definition``), output (``output``), the context every
command gets (``context``), the commands (``commands``, and ``process`` with its sinks and
progress), how things are shown (``display``) and the current task between invocations
(``session``). It drives the clients through their public API only, and shares the SDK's
masking (``_redact``) and its reading of answers (``_run``) instead of keeping copies.

The client (httpx, the generated models) loads only when a command runs, so that
``aparavi-dtc --help`` and usage errors answer at once.
"""

from .core import main, run

__all__ = ["main", "run"]
