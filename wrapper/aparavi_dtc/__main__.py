"""``python -m aparavi_dtc``: the ``aparavi-dtc`` command, where its script is not on PATH."""

from ._cli import run

run()
