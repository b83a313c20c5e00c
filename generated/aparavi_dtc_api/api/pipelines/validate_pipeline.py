from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from ... import errors
from ...types import Response

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None:

    from ...models.envelope import Envelope
    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.validation_error_response import ValidationErrorResponse

    if response.status_code == 200:

        def _parse_response_200(data: object) -> Envelope | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = Envelope.from_dict(data)

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
) -> Response[Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse]:
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
) -> Response[Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse]:
    """Validate a pipeline

     Checks a pipeline without running it and answers what the service makes of it.

    Args:
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
) -> Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None:
    """Validate a pipeline

     Checks a pipeline without running it and answers what the service makes of it.

    Args:
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
) -> Response[Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse]:
    """Validate a pipeline

     Checks a pipeline without running it and answers what the service makes of it.

    Args:
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PipelineRequest,
) -> Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse | None:
    """Validate a pipeline

     Checks a pipeline without running it and answers what the service makes of it.

    Args:
        body (PipelineRequest): A pipeline wrapped as the service expects it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | ErrorEnvelope | ErrorResponse | ValidationErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
