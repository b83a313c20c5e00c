from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...models.envelope import Envelope
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.pipeline_request import PipelineRequest
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs(
    *,
    body: PipelineRequest,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/pipe/validate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None
