from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...types import UNSET, Response

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.pipe_created_response import PipeCreatedResponse
    from ...models.pipeline_request import PipelineRequest
    from ...models.validation_error_response import ValidationErrorResponse
    from ...types import UNSET, Unset


def _get_kwargs(
    *,
    body: PipelineRequest,
    name: str | Unset = UNSET,
) -> dict[str, Any]:
    from ...types import UNSET

    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["name"] = name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/pipe",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse | None
):

    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.pipe_created_response import PipeCreatedResponse
    from ...models.validation_error_response import ValidationErrorResponse

    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorEnvelope | PipeCreatedResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = PipeCreatedResponse.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = ErrorEnvelope.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ValidationErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
    name: str | Unset = UNSET,
) -> Response[
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse
]:
    """Create a pipe

     Creates a persistent pipe running the given pipeline and answers its token. A pipe
    processes many uploads (`PUT /pipe/process`) and lives until it is deleted
    (`DELETE /pipe`); a task is one run that is deleted when done.

    Args:
        name (str | Unset):
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
    name: str | Unset = UNSET,
) -> (
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse | None
):
    """Create a pipe

     Creates a persistent pipe running the given pipeline and answers its token. A pipe
    processes many uploads (`PUT /pipe/process`) and lives until it is deleted
    (`DELETE /pipe`); a task is one run that is deleted when done.

    Args:
        name (str | Unset):
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        name=name,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
    name: str | Unset = UNSET,
) -> Response[
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse
]:
    """Create a pipe

     Creates a persistent pipe running the given pipeline and answers its token. A pipe
    processes many uploads (`PUT /pipe/process`) and lives until it is deleted
    (`DELETE /pipe`); a task is one run that is deleted when done.

    Args:
        name (str | Unset):
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
    name: str | Unset = UNSET,
) -> (
    ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse | None
):
    """Create a pipe

     Creates a persistent pipe running the given pipeline and answers its token. A pipe
    processes many uploads (`PUT /pipe/process`) and lives until it is deleted
    (`DELETE /pipe`); a task is one run that is deleted when done.

    Args:
        name (str | Unset):
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PipeCreatedResponse | ErrorResponse | ValidationErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            name=name,
        )
    ).parsed
