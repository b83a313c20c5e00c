from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...models.envelope import Envelope
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/status",
    }

    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None
