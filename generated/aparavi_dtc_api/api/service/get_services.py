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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse | None:

    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.services_response import ServicesResponse
    from ...models.validation_error_response import ValidationErrorResponse

    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorEnvelope | ServicesResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = ServicesResponse.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = ErrorEnvelope.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

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
    ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    service: str | Unset = UNSET,
) -> Response[
    ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse
]:
    """List the service's components

     Answers the catalog of components (providers) pipelines can use, or one entry when `service` names
    it. Needs no key.

    Args:
        service (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        service=service,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    service: str | Unset = UNSET,
) -> ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse | None:
    """List the service's components

     Answers the catalog of components (providers) pipelines can use, or one entry when `service` names
    it. Needs no key.

    Args:
        service (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse
    """

    return sync_detailed(
        client=client,
        service=service,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    service: str | Unset = UNSET,
) -> Response[
    ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse
]:
    """List the service's components

     Answers the catalog of components (providers) pipelines can use, or one entry when `service` names
    it. Needs no key.

    Args:
        service (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        service=service,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    service: str | Unset = UNSET,
) -> ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse | None:
    """List the service's components

     Answers the catalog of components (providers) pipelines can use, or one entry when `service` names
    it. Needs no key.

    Args:
        service (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ServicesResponse | ErrorResponse | ValidationErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            service=service,
        )
    ).parsed
