"""What ``process()`` takes, resolved before anything is sent: paths, directories (walked),
glob patterns and ``(name, bytes)`` tuples, each file becoming one :class:`Source`."""

from __future__ import annotations

import dataclasses
import fnmatch
import glob
import hashlib
import os
import posixpath
import stat
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from ._checks import check_file_name, guess_content_type
from ._types import FileInput

#: One input of ``process()``: the type of an upload's file (:data:`FileInput`), where a
#: path may also be a directory (walked recursively) or a glob pattern (``"scans/**/*.pdf"``).
ProcessInput: TypeAlias = FileInput
#: ``process()``'s ``include`` and ``exclude``: one glob pattern, or several.
Patterns: TypeAlias = str | Sequence[str]

_MAGIC = frozenset("*?[")


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """One file to process, as listed before anything is sent."""

    index: int  # its place among the inputs, from 0
    name: str  # the name the service is told (a path's last part)
    path: Path | None  # None for a file given as bytes
    size: int  # bytes, when it was listed
    content_type: str
    data: bytes | None = dataclasses.field(default=None, repr=False)  # a file given as bytes
    version: str = ""  # what a resumed run compares: size and mtime, ETag, or a digest
    remote: Remote | None = None  # an object in an fsspec filesystem (s3://, gs://, ...)

    input: str = ""  # as the inputs listed it: its path or URL, or a bytes file's name
    relative: str = ""  # below the folder (glob root, URL prefix) that listed it, with /


@dataclasses.dataclass(frozen=True, slots=True)
class Remote:
    """An object in an fsspec filesystem: read through ``fs`` at ``path``."""

    fs: Any = dataclasses.field(repr=False)  # fsspec.AbstractFileSystem
    path: str  # as the filesystem names it (``bucket/key``)
    url: str  # with its protocol (``s3://bucket/key``): what the inputs listed
    version: str = ""  # as listed: its ETag, or its size and modification time

    def version_now(self) -> str:
        """The object's version as the store has it now, asked afresh (its listing cache
        cleared); raises ``FileNotFoundError`` when it is gone."""
        self.fs.invalidate_cache(self.path)
        info = self.fs.info(self.path)
        return _version(info, int(info.get("size") or 0))


def _is_file_tuple(item: object) -> bool:
    return isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[1], bytes)


def _items(inputs: object) -> list[object]:
    if isinstance(inputs, str | os.PathLike) or _is_file_tuple(inputs):
        return [inputs]
    if isinstance(inputs, bytes):
        raise TypeError("inputs must be paths, glob patterns or (name, bytes) tuples, not bytes")
    if not isinstance(inputs, Iterable):
        raise TypeError(
            "inputs must be a path, a glob pattern, a (name, bytes) tuple, or a list of "
            f"them, not {type(inputs).__name__}"
        )
    items = list(inputs)
    if not items:
        raise ValueError("inputs is empty: pass at least one file, directory or pattern")
    return items


@dataclasses.dataclass(frozen=True, slots=True)
class Choice:
    """``include`` and ``exclude``, checked: which files of the inputs to process."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @classmethod
    def of(cls, include: Patterns | None, exclude: Patterns | None) -> Choice:
        """Check both options.

        Raises:
            TypeError: One is neither a pattern nor a list of patterns.
            ValueError: A pattern is empty.
        """
        return cls(_patterns(include, "include"), _patterns(exclude, "exclude"))

    def keeps(self, relative: str) -> bool:
        """Whether a file whose path below its folder is ``relative`` is processed: it
        matches an include pattern (when there are any) and no exclude pattern."""
        if self.include and not _matches(relative, self.include):
            return False
        return not _matches(relative, self.exclude)


def _patterns(value: object, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not all(isinstance(item, str) for item in items):
        raise TypeError(
            f"{what} must be a pattern or a list of patterns (strings), not {value!r:.80}"
        )
    if not all(items):
        raise ValueError(f"an {what} pattern is empty")
    return tuple(items)


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    """Whether a pattern matches the path (``*`` matches across ``/``; a leading ``**/``
    also matches no folder at all) or, for a pattern without ``/``, the file's name."""
    name = relative.rpartition("/")[2]
    return any(
        fnmatch.fnmatchcase(relative, pattern)
        or (pattern.startswith("**/") and fnmatch.fnmatchcase(relative, pattern[3:]))
        or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern))
        for pattern in patterns
    )


def _below(path: str, root: str) -> str:
    """``path`` below the folder ``root``, both with ``/``; its name when not below it."""
    prefix = root.rstrip("/") + "/" if root else ""
    if prefix and path.startswith(prefix):
        return path[len(prefix) :]
    return path if not root else posixpath.basename(path)


class _Resolver:
    """Collects sources in input order, each file once (by device and inode)."""

    def __init__(self, leave_out: tuple[int, int] | None, choice: Choice = Choice()) -> None:
        self.sources: list[Source] = []
        self.choice = choice
        self.left_out = 0
        """Files found that ``choice`` did not keep."""
        self._seen: set[tuple[int, int]] = set() if leave_out is None else {leave_out}
        self._leave_out = leave_out
        self._urls: set[str] = set()

    def add_bytes(self, item: tuple[str, bytes] | tuple[str, bytes, str]) -> None:
        name = check_file_name(item[0])
        data = item[1]
        kind = item[2] if len(item) == 3 else None
        if kind is not None and not isinstance(kind, str):
            raise TypeError(f"the content type of {name!r} must be a string")
        digest = hashlib.sha256(data).hexdigest()[:32]
        self._append(name, None, len(data), kind, data, f"{len(data)}:sha256:{digest}", name)

    def add_url(self, url: str, options: Mapping[str, Any]) -> None:
        """Every object an fsspec URL names: one object, everything under a prefix, or what
        a glob pattern matches; hidden names (a part starting with ``.``) and folder
        markers (keys ending in ``/``) are skipped, as in a directory walk."""
        fsspec = _fsspec(url)
        shown = _shown(url)
        try:
            fs, path = fsspec.core.url_to_fs(url, **options)
            fs.invalidate_cache()  # listed as the store is now, not as a cache last saw it
            if _MAGIC & set(urllib.parse.urlsplit(url).path):
                root = path[: min(path.find(c) for c in _MAGIC if c in path)].rpartition("/")[0]
                found = fs.glob(path, detail=True)
                infos = _visible({p: i for p, i in found.items() if i.get("type") == "file"}, root)
                base = root
                for directory in sorted(p for p, i in found.items() if i.get("type") != "file"):
                    if not _hidden(directory, root):
                        infos |= _visible(fs.find(directory, detail=True), directory)
                if not infos:
                    raise ValueError(f"no object matches {shown!r}")
            elif fs.isdir(path):
                base = path
                infos = _visible(fs.find(path, detail=True), path)
                if not infos:
                    raise ValueError(f"{shown} holds no objects (hidden ones are skipped)")
            else:
                base = path.rpartition("/")[0]
                infos = {path: fs.info(path)}
        except FileNotFoundError:
            raise ValueError(f"no such object: {shown}") from None
        except ValueError:
            raise
        except Exception as exc:  # a store's own errors: a refusal, an endpoint not found
            raise ValueError(f"cannot list {shown}: {type(exc).__name__}: {exc}") from None
        local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
        for key in sorted(infos):
            info = infos[key]
            if local and self._is_left_out(key):
                continue  # the results file, reached through a file:// URL
            size = int(info.get("size") or 0)
            remote = Remote(fs, key, _shown(fs.unstrip_protocol(key)), _version(info, size))
            if remote.url in self._urls:
                continue
            self._urls.add(remote.url)
            name = posixpath.basename(urllib.parse.urlsplit(remote.url).path) or key
            relative = _below(key, base)
            self._append(name, None, size, None, None, remote.version, relative, remote)

    def _is_left_out(self, path: str) -> bool:
        try:
            st = os.stat(path)
        except OSError:
            return False
        return self._leave_out == (st.st_dev, st.st_ino)

    def add_path(self, item: str | os.PathLike[str]) -> None:
        text = os.fspath(item)
        if not isinstance(text, str):
            raise TypeError(f"paths must be str or os.PathLike[str], not {type(text).__name__}")
        if not text:
            raise ValueError("an input is an empty string: pass a path or a glob pattern")
        path = Path(text)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            if isinstance(item, str) and _MAGIC & set(text):
                self._add_glob(text)
                return
            raise ValueError(f"no such file or directory: {text}") from None
        except OSError as exc:
            raise ValueError(f"cannot read {text}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(st.st_mode):
            if not self._add_directory(path, path):
                raise ValueError(f"directory {text} has no files (hidden ones are skipped)")
        elif stat.S_ISREG(st.st_mode):
            self._add_file(path, st, path.name)
        else:
            raise ValueError(f"{text} is neither a regular file nor a directory")

    def _add_glob(self, pattern: str) -> None:
        found = False
        parts = Path(pattern).parts
        fixed = next(i for i, part in enumerate(parts) if _MAGIC & set(part))
        root = Path(*parts[:fixed]) if fixed else Path()  # the folder the pattern starts in
        for match in sorted(glob.glob(pattern, recursive=True)):
            path = Path(match)
            try:
                st = os.stat(path)
            except OSError:
                continue  # a broken link, or gone since glob saw it
            if stat.S_ISDIR(st.st_mode):
                found = self._add_directory(path, root) or found
            elif stat.S_ISREG(st.st_mode):
                self._add_file(path, st, path.relative_to(root).as_posix())
                found = True
        if not found:
            raise ValueError(f"no file matches {pattern!r}")

    def _add_directory(self, root: Path, base: Path) -> bool:
        """Add every regular file under ``root``, in name order, each known by its path
        below ``base``; False when there is none."""
        found = False

        def fail(exc: OSError) -> None:
            raise ValueError(f"cannot read {exc.filename}: {exc.strerror or exc}") from None

        for top, dirs, files in os.walk(root, onerror=fail):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(top, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue  # a broken link
                if stat.S_ISREG(st.st_mode):
                    self._add_file(path, st, path.relative_to(base).as_posix())
                    found = True
        return found

    def _add_file(self, path: Path, st: os.stat_result, relative: str) -> None:
        if not os.access(path, os.R_OK):
            raise ValueError(f"cannot read {path}: permission denied")
        identity = (st.st_dev, st.st_ino)
        if identity in self._seen:
            return
        self._seen.add(identity)
        version = f"{st.st_size}:{st.st_mtime_ns}"
        self._append(path.name, path, st.st_size, None, None, version, relative)

    def _append(
        self,
        name: str,
        path: Path | None,
        size: int,
        kind: str | None,
        data: bytes | None,
        version: str,
        relative: str,
        remote: Remote | None = None,
    ) -> None:
        if not self.choice.keeps(relative):
            self.left_out += 1
            return
        kind = kind or guess_content_type(name)
        index = len(self.sources)
        listed = remote.url if remote is not None else name if path is None else str(path)
        source = Source(index, name, path, size, kind, data, version, remote, listed, relative)
        self.sources.append(source)


def _fsspec(url: str) -> Any:
    try:
        import fsspec
    except ImportError:
        raise ValueError(
            f"{url} is a URL: reading it needs fsspec (pip install 'aparavi-dtc[fsspec]'), "
            "and the filesystem's own package, such as s3fs for s3://"
        ) from None
    return fsspec


def _visible(found: dict[str, Any], root: str) -> dict[str, Any]:
    """The files of a listing under ``root`` whose path below it has no hidden part, less
    folder markers (empty keys ending in ``/`` that some stores keep for folders)."""
    return {
        path: info
        for path, info in found.items()
        if info.get("type") == "file" and not path.endswith("/") and not _hidden(path, root)
    }


def _hidden(path: str, root: str) -> bool:
    """Whether a part of ``path`` below ``root`` starts with ``.``."""
    prefix = root.rstrip("/") + "/" if root else ""
    below = path[len(prefix) :] if path.startswith(prefix) else path
    return any(part.startswith(".") for part in below.split("/"))


def _shown(url: str) -> str:
    """A URL as it may be shown and logged: without user and password, query or fragment
    (a presigned URL's signature is in its query)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc and not parts.query and not parts.fragment:
        return url  # as it is (urlunsplit would drop the // of memory:///...)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def _version(info: Mapping[str, Any], size: int) -> str:
    """What tells this state of an object from another: its ETag, else its size and
    modification time as the filesystem reports them."""
    etag = info.get("ETag") or info.get("etag") or info.get("md5Hash")
    if etag:
        return f"etag:{str(etag).strip(chr(34))}"
    changed = next(
        (
            info[k]
            for k in ("mtime", "LastModified", "last_modified", "updated", "created")
            if k in info
        ),
        None,
    )
    # With neither, nothing tells a changed object from the one listed before: "" is never
    # taken as done, so a resumed run sends it again.
    return f"{size}:{changed}" if changed is not None else ""


def resolve_inputs(
    inputs: ProcessInput | Iterable[ProcessInput],
    leave_out: Path | None = None,
    storage_options: Mapping[str, Any] | None = None,
    choice: Choice = Choice(),
) -> list[Source]:
    """Every file ``inputs`` names, in order, each once; raises before anything is sent.

    A directory is walked recursively in name order, skipping hidden files and
    directories (names starting with ``.``); a string that names no file but has ``*``,
    ``?`` or ``[`` is a glob pattern (``**`` matches directories at any depth). Files are
    listed with their size, and read only when sent. A string with ``://`` is an fsspec
    URL (``s3://bucket/prefix/``, ``gs://...``, ``memory://...``, globs on them), listed
    through fsspec with ``storage_options``.

    Raises:
        ValueError: A path that does not exist or cannot be read, a pattern that matches
            no file, a directory with no files, no inputs at all, a bad name; files found,
            but none that ``choice`` keeps.
        TypeError: An input that is neither a path nor a ``(name, bytes)`` tuple.

    Each file is known by its path below the folder that listed it (a directory given,
    a glob's folder before its first wildcard, a URL's prefix), with ``/`` between its
    parts; a file named directly, or given as bytes, by its name. ``choice`` keeps only
    the files whose path its ``include`` patterns match and no ``exclude`` pattern does.

    ``leave_out``: a file never listed, however the inputs name it (a results file).
    """
    try:  # the results file of a resumable run is never one of its inputs
        st = None if leave_out is None else os.stat(leave_out)
    except OSError:
        st = None
    resolver = _Resolver(None if st is None else (st.st_dev, st.st_ino), choice)
    for item in _items(inputs):
        if _is_file_tuple(item):
            resolver.add_bytes(item)  # type: ignore[arg-type]
        elif isinstance(item, str) and "://" in item:
            resolver.add_url(item, storage_options or {})
        elif isinstance(item, str | os.PathLike):
            resolver.add_path(item)
        elif isinstance(item, tuple):
            raise TypeError("a file tuple must be (name, bytes) or (name, bytes, content type)")
        else:
            raise TypeError(
                "each input must be a path, a glob pattern or a (name, bytes) tuple, "
                f"not {type(item).__name__}"
            )
    if not resolver.sources and resolver.left_out:
        raise ValueError(
            f"no file is left once include and exclude are applied: the inputs name "
            f"{resolver.left_out} files, and the patterns keep none of them"
        )
    return resolver.sources
