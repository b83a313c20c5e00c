"""Raw views, made of the plain methods by one wrapper (``with_raw_response``).

:func:`raw_view` (sync) and :func:`async_raw_view` run a method of a client or a handle that
sends one request as it always runs, while its client keeps the :class:`RawResponse` it
read (``_send`` asks :func:`capturing`); the view answers that response, whose ``parse()``
returns what the method returned, or raises what it raised. So every operation has its raw
view for free, on both clients and on the task and pipe handles, and the two can never
disagree on what an answer means.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, cast

from ._response import RawResponse

__all__ = ["async_raw_view", "capturing", "raw_view"]

P = ParamSpec("P")
R = TypeVar("R")

_CAPTURE: ContextVar[list[RawResponse[Any]] | None] = ContextVar("aparavi_dtc_raw", default=None)


def capturing() -> list[RawResponse[Any]] | None:
    """Where ``_send`` puts each response it reads while a raw view runs; None otherwise."""
    return _CAPTURE.get()


def _answer(seen: list[RawResponse[Any]], result: Any, error: Exception | None) -> Any:
    return seen[0].answered(result, error)


def raw_view(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    """``method``, answering the :class:`RawResponse` of the request it sent."""

    @functools.wraps(method)
    def view(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        seen: list[RawResponse[Any]] = []
        token = _CAPTURE.set(seen)
        try:
            result = method(*args, **kwargs)
        except Exception as exc:
            if not seen:  # nothing was sent: bad input, or no answer at all
                raise
            return cast(RawResponse[R], _answer(seen, None, exc))
        finally:
            _CAPTURE.reset(token)
        return cast(RawResponse[R], _answer(seen, result, None))

    return view


def async_raw_view(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[RawResponse[R]]]:
    """:func:`raw_view` of a coroutine method."""

    @functools.wraps(method)
    async def view(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        seen: list[RawResponse[Any]] = []
        token = _CAPTURE.set(seen)
        try:
            result = await method(*args, **kwargs)
        except Exception as exc:
            if not seen:
                raise
            return cast(RawResponse[R], _answer(seen, None, exc))
        finally:
            _CAPTURE.reset(token)
        return cast(RawResponse[R], _answer(seen, result, None))

    return view
