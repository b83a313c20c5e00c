from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.validation_error_response import ValidationErrorResponse
    from ...models.version_response import VersionResponse


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/version",
    }

    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: ErrorEnvelope | VersionResponse | ErrorResponse | ValidationErrorResponse | None
