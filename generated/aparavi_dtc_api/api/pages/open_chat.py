from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs(
    *,
    type_: str,
    token: str,
    apikey: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["type"] = type_

    params["token"] = token

    params["apikey"] = apikey

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/chat",
        "params": params,
    }

    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: Any | ValidationErrorResponse | None
