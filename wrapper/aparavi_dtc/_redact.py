"""Masking of the API key and task tokens in text and in server payloads."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

#: Shorter secrets are masked only where they are assigned (``token=...``): masking every
#: occurrence of two or three characters would garble all text and protect nothing.
MIN_SECRET_LENGTH = 8

#: Query-style assignments of secrets, as in a webhook URL a server echoes back.
_ASSIGNMENT = re.compile(r"(?i)\b(api[_-]?key|token|authorization)=([^&\s\"'<>]+)")


def mask(secret: str) -> str:
    """Show a secret as ``***`` plus its last four characters when it is long enough.

    The tail lets a person tell two tokens apart without being able to use either.
    """
    return "***" + secret[-4:] if len(secret) >= 16 else "***"


class Redactor:
    """Knows the secrets of one client and masks them wherever they appear."""

    __slots__ = ("_also", "_pattern", "_replacements", "_secrets")

    def __init__(self, *secrets: str, also: Redactor | None = None) -> None:
        self._also = also  # a wider redactor that learns every secret this one learns
        self._secrets: set[str] = set()
        self._replacements: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def __repr__(self) -> str:
        return f"Redactor(<{len(self._secrets)} secrets>)"

    def add(self, secret: str) -> None:
        """Mask ``secret`` (and its URL-encoded form) from now on."""
        if len(secret) < MIN_SECRET_LENGTH or secret in self._secrets:
            return
        if self._also is not None:
            self._also.add(secret)
        self._secrets.add(secret)
        masked = mask(secret)
        for form in {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}:
            self._replacements[form] = masked
        forms = sorted(self._replacements, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, forms)))

    def text(self, value: str) -> str:
        """Return ``value`` with every known secret and every ``token=...`` masked."""
        if self._pattern is not None:
            value = self._pattern.sub(lambda m: self._replacements[m.group(0)], value)
        return _ASSIGNMENT.sub(lambda m: f"{m.group(1)}={mask(m.group(2))}", value)

    def needed(self, raw: bytes) -> bool:
        """Tell cheaply whether a raw body may hold something :meth:`text` would mask."""
        if b"=" in raw:
            return True
        return any(secret.encode() in raw for secret in self._secrets)

    def data(self, value: Any) -> Any:
        """Return a copy of a JSON value with :meth:`text` applied to every string."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value
