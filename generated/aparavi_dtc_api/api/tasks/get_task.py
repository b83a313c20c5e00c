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
    from ...models.task_status_response import TaskStatusResponse
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs(
    *,
    token: str,
    type_: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["token"] = token

    params["type"] = type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/task",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse | None
):

    from ...models.error_envelope import ErrorEnvelope
    from ...models.error_response import ErrorResponse
    from ...models.task_status_response import TaskStatusResponse
    from ...models.validation_error_response import ValidationErrorResponse

    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorEnvelope | TaskStatusResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = TaskStatusResponse.from_dict(data)

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

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse
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
    token: str,
    type_: str,
) -> Response[
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse
]:
    """Get the status of a task

     Returns the current status and details of the task named by `token` and `type`.

    Args:
        token (str):
        type_ (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        token=token,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    token: str,
    type_: str,
) -> (
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse | None
):
    """Get the status of a task

     Returns the current status and details of the task named by `token` and `type`.

    Args:
        token (str):
        type_ (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse
    """

    return sync_detailed(
        client=client,
        token=token,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    token: str,
    type_: str,
) -> Response[
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse
]:
    """Get the status of a task

     Returns the current status and details of the task named by `token` and `type`.

    Args:
        token (str):
        type_ (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        token=token,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    token: str,
    type_: str,
) -> (
    ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse | None
):
    """Get the status of a task

     Returns the current status and details of the task named by `token` and `type`.

    Args:
        token (str):
        type_ (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatusResponse | ErrorResponse | ValidationErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            token=token,
            type_=type_,
        )
    ).parsed
