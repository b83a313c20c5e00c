"""Which files the MCP server may read: only those under its roots, each under a size cap.

Every input is resolved before it is checked: a relative path is taken from the first root
(never from the directory the host started the server in), ``..`` and symbolic links are
followed to where they lead, and each file a folder or a glob pattern lists is checked
again, so that a link inside a root that points out of it is refused. Object-store URLs are
allowed only under a root that is itself such a URL (``--root s3://bucket/reports/``).
Nothing here sends anything, and it never loads ``mcp``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .._inputs import resolve_inputs

__all__ = ["OutsideRoots", "Roots"]

_MAGIC = frozenset("*?[")


class OutsideRoots(ValueError):
    """An input the server refuses to read: outside its roots, or over the size cap."""


def _is_url(text: str) -> bool:
    return "://" in text


def _normal_url(url: str) -> str:
    """``url`` as a prefix check compares it: ``memory:///b/x`` as ``memory://b/x`` (fsspec
    names some objects either way); ``.`` and ``..`` segments are refused."""
    protocol, _, rest = url.partition("://")
    if any(segment in (".", "..") for segment in rest.split("/")):
        raise OutsideRoots(f"{url}: a URL with . or .. segments is refused")
    return f"{protocol.lower()}://{rest.lstrip('/')}"


class Roots:
    """The folders (and object-store URL prefixes) the server may read from.

    ``folders`` are resolved once, here; an input is allowed when its resolved path is one
    of them or lies below one.
    """

    def __init__(self, folders: Iterable[str | Path] = (), urls: Iterable[str] = ()) -> None:
        self.folders: tuple[Path, ...] = tuple(Path(os.path.realpath(f)) for f in folders)
        normal = (_normal_url(u) for u in urls)
        self.urls: tuple[str, ...] = tuple(u if u.endswith("/") else u + "/" for u in normal)

    @classmethod
    def parse(cls, given: Sequence[str]) -> Roots:
        """Roots from ``--root`` values: existing folders, or URL prefixes.

        Raises:
            ValueError: A folder that does not exist (or is not a folder).
        """
        folders, urls = [], []
        for root in given:
            if _is_url(root):
                urls.append(_normal_url(root))
            elif not os.path.isdir(root):
                raise ValueError(f"--root {root}: no such folder")
            else:
                folders.append(root)
        return cls(folders, urls)

    def __bool__(self) -> bool:
        return bool(self.folders or self.urls)

    def __repr__(self) -> str:
        return f"Roots({[str(f) for f in self.folders] + list(self.urls)})"

    def describe(self) -> str:
        """The roots, for messages."""
        return ", ".join([str(f) for f in self.folders] + list(self.urls)) or "none"

    def _inside(self, path: Path) -> bool:
        return any(path == root or path.is_relative_to(root) for root in self.folders)

    def _url_inside(self, url: str) -> bool:
        url = _normal_url(url)
        return any(url.startswith(root) or url + "/" == root for root in self.urls)

    def place(self, text: str) -> str:
        """``text`` as the path or URL to list: a relative path taken from the first root.

        Raises:
            OutsideRoots: No roots, or a URL or folder prefix outside them.
        """
        if not self:
            raise OutsideRoots(
                "no folders to read from: start the server with --root DIR, or let the host "
                "share its roots"
            )
        if _is_url(text):
            if not self._url_inside(text):
                raise OutsideRoots(f"{text}: outside the roots ({self.describe()})")
            return text
        if not text:
            raise OutsideRoots("an input is empty: give a path, a folder or a glob pattern")
        path = Path(text)
        if not path.is_absolute():
            if not self.folders:
                raise OutsideRoots(f"{text}: a relative path needs a folder root")
            path = self.folders[0] / path
        # The part before the first wildcard must already be inside: a pattern such as
        # /**/* is refused before anything is listed.
        fixed = []
        for part in path.parts:
            if _MAGIC & set(part):
                break
            fixed.append(part)
        if not self._inside(Path(os.path.realpath(Path(*fixed)))):
            raise OutsideRoots(f"{text}: outside the roots ({self.describe()})")
        return str(path)

    def files(self, inputs: Sequence[str], max_size: int) -> list[str]:
        """Every file ``inputs`` name (folders walked, patterns expanded), each resolved and
        checked: what ``process()`` is given, so it reads nothing else.

        Raises:
            OutsideRoots: An input, or a file it lists, outside the roots or over
                ``max_size`` bytes.
            ValueError: A missing path, a pattern that matches nothing (from the listing).
        """
        if not inputs:
            raise ValueError("no inputs: give files, folders, glob patterns or URLs")
        placed = [self.place(text) for text in inputs]
        allowed: list[str] = []
        for source in resolve_inputs(placed):
            if source.remote is not None:
                where = source.remote.url
                if not self._url_inside(where):
                    raise OutsideRoots(f"{where}: outside the roots ({self.describe()})")
            else:
                assert source.path is not None  # only paths and URLs were given
                real = Path(os.path.realpath(source.path))
                if not self._inside(real):
                    raise OutsideRoots(
                        f"{source.path}: leads outside the roots ({self.describe()})"
                    )
                where = str(real)
            if source.size > max_size:
                raise OutsideRoots(
                    f"{where}: {source.size} bytes, over the cap of {max_size} bytes a file"
                )
            allowed.append(where)
        return allowed
