from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...types import UNSET

if TYPE_CHECKING:
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.pipeline_request import PipelineRequest
    from ...models.start_task_response import StartTaskResponse
    from ...models.validation_error_response import ValidationErrorResponse
    from ...types import UNSET, Unset


def _get_kwargs(
    *,
    body: PipelineRequest,
    name: str | Unset = UNSET,
    threads: int | Unset = UNSET,
) -> dict[str, Any]:
    from ...types import UNSET

    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["name"] = name

    params["threads"] = threads

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/task",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


#: The answer's type, as the spec names it (None: a status the spec does not name).
ANSWER: (
    ErrorEnvelope | StartTaskResponse | ErrorResponse | ValidationErrorResponse | None
)
