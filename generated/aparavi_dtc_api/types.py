"""Contains some shared types for properties"""

from collections.abc import Iterator, Mapping, MutableMapping
from typing import IO, Any, BinaryIO, ClassVar, Literal, Self, TypeVar

from attrs import define, fields


class Unset:
    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:  # aparavi-dtc: not <... object at 0x...>
        return "UNSET"

    def __reduce__(self) -> str:  # aparavi-dtc: pickled and copied, still the one UNSET
        return "UNSET"


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


#: Fields whose string value is a secret, whatever their case: shown masked by repr().
SECRET_FIELDS = frozenset({"token", "apikey", "api_key"})


def mask_secret(secret: str) -> str:
    """A secret as ``***`` plus its last four characters when it is long enough.

    The tail lets a person tell two tokens apart without being able to use either.
    """
    return "***" + secret[-4:] if len(secret) >= 16 else "***"


def is_given(value: Any) -> bool:
    """False for ``UNSET`` and for an empty map standing for one the server did not send."""
    return value is not UNSET and not (
        isinstance(value, MapModel) and value._absent and not value
    )


def _shown(name: object, value: Any) -> str:
    if (
        isinstance(value, str)
        and isinstance(name, str)
        and name.lower() in SECRET_FIELDS
    ):
        value = mask_secret(value)
    return repr(value)


class Model:
    """What every generated model has beside its attrs fields: a short repr, showing the
    fields present (``UNSET`` ones left out) and then the extra ones, secrets masked."""

    __slots__ = ()

    #: Each named field's name on the wire, to its attribute (every model sets its own).
    _WIRE_NAMES: ClassVar[Mapping[str, str]] = {}

    def __repr__(self) -> str:
        shown = [
            f"{field.name}={_shown(field.name, value)}"
            for field in fields(type(self))
            if field.name not in _NOT_SHOWN
            and is_given(value := getattr(self, field.name))
        ]
        extra: Mapping[str, Any] = getattr(self, "additional_properties", {})
        shown += [f"{key}={_shown(key, value)}" for key, value in extra.items()]
        return f"{type(self).__name__}({', '.join(shown)})"


_NOT_SHOWN = frozenset({"additional_properties", "_absent"})


class Fields(Model):
    """A model with named fields and extra ones. Subscripting reads a field by its name on
    the wire, named or not, so a field the generator renamed (``hash`` as ``hash_``,
    ``totalCount`` as ``total_count``) is read by the name the server uses, and one that
    did not fit its type keeps its raw value there."""

    __slots__ = ()

    additional_properties: dict[str, Any]

    #: Not a mapping: without this, iterating would call ``__getitem__(0)``, ``KeyError: 0``.
    __iter__ = None

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        attribute = self._WIRE_NAMES.get(key)
        if attribute is not None:
            value = getattr(self, attribute)
            if is_given(value):
                return value
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        """Keep ``value`` as the server would send it under ``key``: a named field's typed
        attribute then reads as absent, as for a value that did not fit its type (set the
        attribute to set a typed value)."""
        self._clear(key)
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        found = self._clear(key)
        if key in self.additional_properties:
            del self.additional_properties[key]
        elif not found:
            raise KeyError(key)

    def _clear(self, key: str) -> bool:
        """Make the named field ``key`` (a wire name) absent; whether it was given."""
        attribute = self._WIRE_NAMES.get(key)
        if attribute is None:
            return False
        value = getattr(self, attribute)
        if not is_given(value):
            return False
        setattr(
            self,
            attribute,
            type(value).absent() if isinstance(value, MapModel) else UNSET,
        )
        return True

    def __contains__(self, key: object) -> bool:
        attribute = self._WIRE_NAMES.get(key) if isinstance(key, str) else None
        if attribute is not None and is_given(getattr(self, attribute)):
            return True
        return key in self.additional_properties

    def get(self, key: str, default: Any = None) -> Any:
        """The field named ``key`` on the wire, named or not, else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default


V = TypeVar("V")


class MapModel(MutableMapping[str, V], Model):
    """A model of additional properties only: a MutableMapping of its values (iteration
    over keys, len, keys/values/items, get, == with a dict of the same content)."""

    __slots__ = ()

    additional_properties: dict[str, V]
    _absent: bool

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> V:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: V) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: object) -> bool:
        return key in self.additional_properties

    def __iter__(self) -> Iterator[str]:
        return iter(self.additional_properties)

    def __len__(self) -> int:
        return len(self.additional_properties)

    def __repr__(self) -> str:
        items = ", ".join(
            f"{key!r}: {_shown(key, value)}" for key, value in self.items()
        )
        return type(self).__name__ + "({" + items + "})"

    @classmethod
    def absent(cls) -> Self:
        """An empty map standing for one the server did not send: a model's ``to_dict()``
        leaves it out for as long as it stays empty."""
        made = cls()
        made._absent = True
        return made


__all__ = [
    "SECRET_FIELDS",
    "UNSET",
    "Fields",
    "File",
    "FileTypes",
    "MapModel",
    "Model",
    "RequestFiles",
    "Unset",
    "is_given",
    "mask_secret",
]
