"""The "argument not passed" sentinel, kept apart so that importing it costs nothing."""

from __future__ import annotations

import enum
from typing import Final


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`: "this argument was not passed".

    Lets ``None`` keep its own meaning, as in ``timeout=None`` for "no timeout".
    """

    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
