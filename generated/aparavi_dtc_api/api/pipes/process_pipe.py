from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.validation_error_response import ValidationErrorResponse
    from ...models.webhook_files import WebhookFiles
    from ...models.webhook_response import WebhookResponse


def _get_kwargs(
    *,
    body: WebhookFiles,
    token: str,
) -> dict[str, Any]:

    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/pipe/process",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: ErrorEnvelope | WebhookResponse | ErrorResponse | ValidationErrorResponse | None
