from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.send_to_webhook_json_body import SendToWebhookJsonBody
    from ...models.validation_error_response import ValidationErrorResponse
    from ...models.webhook_files import WebhookFiles
    from ...models.webhook_response import WebhookResponse
    from ...types import UNSET, File, Unset


def _get_kwargs(
    *,
    body: WebhookFiles | File | SendToWebhookJsonBody | Unset = UNSET,
    token: str,
    type_: str,
    apikey: str | Unset = UNSET,
    content_disposition: str | Unset = UNSET,
) -> dict[str, Any]:

    from ...models.send_to_webhook_json_body import SendToWebhookJsonBody
    from ...models.webhook_files import WebhookFiles
    from ...types import UNSET, File, Unset

    headers: dict[str, Any] = {}
    if not isinstance(content_disposition, Unset):
        headers["Content-Disposition"] = content_disposition

    params: dict[str, Any] = {}

    params["token"] = token

    params["type"] = type_

    params["apikey"] = apikey

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/webhook",
        "params": params,
    }

    if isinstance(body, WebhookFiles):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/octet-stream"
    if isinstance(body, SendToWebhookJsonBody):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: ErrorEnvelope | WebhookResponse | ErrorResponse | ValidationErrorResponse | None
