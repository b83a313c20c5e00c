"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


#: Fields whose string value is a secret, whatever their case: shown masked by repr().
SECRET_FIELDS = frozenset({"token", "apikey", "api_key"})


def mask_secret(secret: str) -> str:
    """A secret as ``***`` plus its last four characters when it is long enough.

    The tail lets a person tell two tokens apart without being able to use either.
    """
    return "***" + secret[-4:] if len(secret) >= 16 else "***"


def is_given(value: Any) -> bool:
    """False for ``UNSET`` and for an empty map standing for one the server did not send."""
    return value is not UNSET and not (getattr(value, "_absent", False) and not value)


def _shown(name: str, value: Any) -> str:
    if isinstance(value, str) and name.lower() in SECRET_FIELDS:
        value = mask_secret(value)
    return repr(value)


def model_repr(
    model: object, fields: Mapping[str, Any] | None, extra: Mapping[str, Any] | None
) -> str:
    """A model's repr: the fields present (``UNSET`` ones left out), then the extra ones,
    each under a secret's name masked. A model with no named fields shows its map."""
    name = type(model).__name__
    if fields is None:
        items = ", ".join(
            f"{key!r}: {_shown(key, value)}" for key, value in (extra or {}).items()
        )
        return name + "({" + items + "})"
    parts = [
        f"{key}={_shown(key, value)}"
        for key, value in fields.items()
        if is_given(value)
    ]
    parts += [f"{key}={_shown(key, value)}" for key, value in (extra or {}).items()]
    return f"{name}({', '.join(parts)})"


__all__ = [
    "SECRET_FIELDS",
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "is_given",
    "mask_secret",
    "model_repr",
]
