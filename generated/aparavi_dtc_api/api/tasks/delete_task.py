from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.envelope import Envelope
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs(
    *,
    token: str,
    type_: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["token"] = token

    params["type"] = type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/task",
        "params": params,
    }

    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None
