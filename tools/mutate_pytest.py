"""A pytest plugin for ``make mutate`` runs only: no Hypothesis deadlines.

mutmut records every call of the mutated functions while it maps tests to functions, which
makes some examples ten times slower than usual; a deadline would fail them for that.
Loaded with ``-p mutate_pytest`` before any test module, so that the tests' own
``@settings(...)`` inherit it.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("mutate", deadline=None)
settings.load_profile("mutate")
