"""Masking of the API key and task tokens in text and in server payloads."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

from aparavi_dtc_api.types import mask_secret as mask  # how every model shows a secret

from ._url import unreserved

__all__ = ["MIN_SECRET_LENGTH", "Redactor", "mask"]

#: Shorter secrets are masked only where they are assigned (``token=...``): masking every
#: occurrence of two or three characters would garble all text and protect nothing.
MIN_SECRET_LENGTH = 8

#: Query-style assignments of secrets, as in a webhook URL a server echoes back.
_ASSIGNMENT = re.compile(r"(?i)\b(api[_-]?key|token|authorization)=([^&\s\"'<>]+)")
#: JSON string escapes a server may spell any character with: ``\u006b``, ``\/``.
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\/")
_PERCENT = re.compile(r"%[0-9A-F]{2}")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return "/" if code is None else chr(int(code, 16))


def _decodings(text: str) -> Iterator[str]:
    """``text`` with JSON escapes read, then also with percent-encoding read (``+`` as a
    plus, then as a space): the ways a server may have spelled a secret in it."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_unescape, text)
        yield text
    if "%" in text or "+" in text:
        yield urllib.parse.unquote(text)
        yield urllib.parse.unquote_plus(text)


def _encodings(secret: str) -> set[str]:
    """How a URL may spell ``secret``: percent-encoded with ``/`` escaped or not, ``+`` for
    spaces or not, hex digits in upper or lower case."""
    spelled = {
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote(secret, safe="/"),
        urllib.parse.quote_plus(secret, safe=""),
        urllib.parse.quote_plus(secret, safe="/"),
    }
    lower = {_PERCENT.sub(lambda m: m.group(0).lower(), form) for form in spelled}
    return (spelled | lower) - {secret}


def _longest_first(item: tuple[str, str]) -> int:
    return -len(item[0])


class Redactor:
    """Masks a few known secrets (and every ``token=...``) wherever they appear.

    Each request gets one holding the API key and the task token it carries, so that the
    cost stays the same however many tasks a client knows.
    """

    __slots__ = ("_forms", "_raw_forms")

    def __init__(self, *secrets: str) -> None:
        self._forms: dict[str, str] = {}
        self._raw_forms: list[bytes] = []
        for secret in secrets:
            self.add(secret)

    def __repr__(self) -> str:
        return f"Redactor(<{len(self._forms)} forms>)"

    def add(self, secret: str) -> None:
        """Mask ``secret`` (and its URL-encoded forms) from now on."""
        if len(secret) < MIN_SECRET_LENGTH:
            return
        masked = mask(secret)
        forms = {**self._forms, secret: masked}
        if not unreserved(secret):  # else it is spelled only one way (a task token is)
            shown = repr(secret.encode())[2:-1]  # as a record of raw bytes shows it (httpcore)
            forms[shown] = masked
            forms.update(dict.fromkeys(_encodings(secret), masked))
        # Longest first, so that a secret is not half-masked by a shorter one inside it.
        self._forms = dict(sorted(forms.items(), key=_longest_first))
        self._raw_forms = [form.encode() for form in self._forms]

    def plus(self, secret: str) -> Redactor:
        """A new redactor masking this one's secrets and ``secret``."""
        wider = Redactor()
        wider._forms, wider._raw_forms = self._forms, self._raw_forms
        wider.add(secret)
        return wider

    def text(self, value: str) -> str:
        """Return ``value`` with every known secret and every ``token=...`` masked.

        Secrets are masked as written (and in their usual URL encodings) first. Then, if
        the text has JSON escapes (``\\u006b``, ``\\/``) or percent-encoding in any other
        spelling (``%2f``, ``%61``), it is read as decoded: should that show a secret, the
        decoded text is returned, masked. Text that holds no secret comes back as it was.
        """
        masked = self._mask(value)
        if "\\" in masked or "%" in masked:
            for decoded in _decodings(masked):
                remasked = self._mask(decoded)
                if remasked != decoded:
                    return remasked
        return masked

    def _mask(self, value: str) -> str:
        for form, masked in self._forms.items():
            if form in value:
                value = value.replace(form, masked)
        if "=" in value:
            value = _ASSIGNMENT.sub(lambda m: f"{m.group(1)}={mask(m.group(2))}", value)
        return value

    def needed(self, raw: bytes) -> bool:
        """Tell cheaply whether a raw body may hold something :meth:`text` would mask."""
        return (
            b"=" in raw
            or b"\\" in raw
            or b"%" in raw
            or any(form in raw for form in self._raw_forms)
        )

    def data(self, value: Any) -> Any:
        """Return a copy of a JSON value with :meth:`text` applied to every string."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value
