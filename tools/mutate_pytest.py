"""A pytest plugin for ``make mutate`` runs only (``-p mutate_pytest``).

- No Hypothesis deadlines: mutmut records every call of the mutated functions while it maps
  tests to functions, which makes some examples ten times slower than usual. Loaded before
  any test module, so that the tests' own ``@settings(...)`` inherit it.
- Ctrl-C is Ctrl-C again: mutmut's fork server ignores SIGINT, and the processes it forks
  to run the tests inherit that, so every test that checks what an interruption does (a
  clean-up through Ctrl-C, ``verify()`` interrupted) failed before any mutant ran.
- Quick tests first: once mutmut knows how long each test took (``mutmut-stats.json``), the
  tests run from the quickest to the slowest. A mutant stops at its first failing test, so
  most are killed by a pure, millisecond test before the slow fault and deadline tests
  would start.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("mutate", deadline=None)
settings.load_profile("mutate")


def pytest_configure(config: pytest.Config) -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    stats = Path("mutmut-stats.json")
    if not stats.exists():
        return
    durations: dict[str, float] = json.loads(stats.read_text(encoding="utf-8")).get(
        "duration_by_test", {}
    )
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (durations.get(item.nodeid, 0.0), order[id(item)]))
