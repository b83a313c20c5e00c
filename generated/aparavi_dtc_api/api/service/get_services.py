from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.services_response import ServicesResponse
    from ...models.validation_error_response import ValidationErrorResponse
    from ...types import UNSET, Unset


def _get_kwargs(
    *,
    service: str | Unset = UNSET,
) -> dict[str, Any]:
    from ...types import UNSET

    params: dict[str, Any] = {}

    params["service"] = service

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/services",
        "params": params,
    }

    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: (
    ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse | None
)
