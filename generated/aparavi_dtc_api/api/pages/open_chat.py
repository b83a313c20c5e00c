from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

import httpx

from ... import errors
from ...types import UNSET, Response

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
    from ...models.validation_error_response import ValidationErrorResponse


def _get_kwargs(
    *,
    type_: str,
    token: str,
    apikey: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["type"] = type_

    params["token"] = token

    params["apikey"] = apikey

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/chat",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ValidationErrorResponse | None:

    from ...models.validation_error_response import ValidationErrorResponse

    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

    if response.status_code == 422:
        response_422 = ValidationErrorResponse.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ValidationErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: str,
    token: str,
    apikey: str,
) -> Response[Any | ValidationErrorResponse]:
    """Open the chat page of a task

     A browser page for a running task: answers a redirect to `/chat/pages/...`. The key
    travels in the URL (`apikey`), so the SDK only builds this URL for a person to open
    and never requests it.

    Args:
        type_ (str):
        token (str):
        apikey (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        type_=type_,
        token=token,
        apikey=apikey,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    type_: str,
    token: str,
    apikey: str,
) -> Any | ValidationErrorResponse | None:
    """Open the chat page of a task

     A browser page for a running task: answers a redirect to `/chat/pages/...`. The key
    travels in the URL (`apikey`), so the SDK only builds this URL for a person to open
    and never requests it.

    Args:
        type_ (str):
        token (str):
        apikey (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ValidationErrorResponse
    """

    return sync_detailed(
        client=client,
        type_=type_,
        token=token,
        apikey=apikey,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: str,
    token: str,
    apikey: str,
) -> Response[Any | ValidationErrorResponse]:
    """Open the chat page of a task

     A browser page for a running task: answers a redirect to `/chat/pages/...`. The key
    travels in the URL (`apikey`), so the SDK only builds this URL for a person to open
    and never requests it.

    Args:
        type_ (str):
        token (str):
        apikey (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ValidationErrorResponse]
    """

    kwargs = _get_kwargs(
        type_=type_,
        token=token,
        apikey=apikey,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    type_: str,
    token: str,
    apikey: str,
) -> Any | ValidationErrorResponse | None:
    """Open the chat page of a task

     A browser page for a running task: answers a redirect to `/chat/pages/...`. The key
    travels in the URL (`apikey`), so the SDK only builds this URL for a person to open
    and never requests it.

    Args:
        type_ (str):
        token (str):
        apikey (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ValidationErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            token=token,
            apikey=apikey,
        )
    ).parsed
