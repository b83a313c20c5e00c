"""``python -m aparavi_dtc``: the ``aparavi-dtc`` command, where its script is not on PATH."""

import sys

from ._cli import main

sys.exit(main())
