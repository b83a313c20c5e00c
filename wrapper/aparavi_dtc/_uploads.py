"""Uploads: checking and reading files and text, and encoding them as the service takes
them (one raw file, several as multipart parts named ``files``, or text)."""

from __future__ import annotations

import io
import mimetypes
import os
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

from aparavi_dtc_api.api.pipes import process_pipe
from aparavi_dtc_api.api.webhook import send_to_webhook
from aparavi_dtc_api.models import WebhookFiles
from aparavi_dtc_api.types import File

#: A file to upload: a path, or ``(filename, content)``, or ``(filename, content, type)``.
FileInput: TypeAlias = str | os.PathLike[str] | tuple[str, bytes] | tuple[str, bytes, str]
#: A file once read: name, content, content type.
Loaded: TypeAlias = tuple[str, bytes, str]


def read_file(item: FileInput) -> Loaded:
    """Read one upload into memory now, so a bad path fails before anything is sent."""
    if isinstance(item, tuple):
        kinds = (str, bytes, str)[: len(item)]
        if len(item) not in (2, 3) or not all(map(isinstance, item, kinds)):
            raise TypeError("a file tuple must be (filename, bytes) or (filename, bytes, type)")
        name, content = item[0], item[1]
        kind = item[2] if len(item) == 3 else None
    elif isinstance(item, str | os.PathLike):
        path = Path(item)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read file {path}: {exc.strerror or exc}") from None
        name, kind = path.name, None
    else:
        raise TypeError(f"a file must be a path or a (filename, bytes) tuple, not {item!r:.80}")
    if not name or any(ord(c) < 0x20 or c == "\x7f" for c in name):
        raise ValueError(f"file name {name!r} is empty or has a line break or control character")
    if not content:
        raise ValueError(f"file {name!r} is empty: the service needs something to process")
    return name, content, kind or mimetypes.guess_type(name)[0] or "application/octet-stream"


def read_files(files: FileInput | Sequence[FileInput]) -> list[Loaded]:
    """Check and read one file or several: at least one, none empty."""
    single = isinstance(files, str | os.PathLike | tuple)
    items: list[FileInput] = [files] if single else list(files)  # type: ignore[list-item,arg-type]
    if not items:
        raise ValueError("files is empty: pass at least one file")
    return [read_file(item) for item in items]


def read_upload(
    files: FileInput | Sequence[FileInput] | None, text: str | None
) -> tuple[list[Loaded], str | None]:
    """Check a webhook upload and read its files: ``(files read, text)``."""
    if (files is None) == (text is None):
        raise ValueError("send_to_webhook() takes files=... or text=..., exactly one of them")
    if text is not None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, not {type(text).__name__}")
        if not text:
            raise ValueError("text is empty: the webhook needs something to process")
        return [], text
    return read_files(files), None  # type: ignore[arg-type]


def content_disposition(filename: str) -> str:
    """``attachment; filename=...``, with an RFC 5987 form for names beyond ASCII."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("\\", "_").replace('"', "_")
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        value += f"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"
    return value


def _parts(loaded: list[Loaded]) -> WebhookFiles:
    return WebhookFiles(
        files=[File(payload=io.BytesIO(c), file_name=n, mime_type=k) for n, c, k in loaded]
    )


def webhook_request(
    token: str, type_: str, loaded: list[Loaded], text: str | None
) -> dict[str, Any]:
    """The request kwargs of PUT /webhook for text, one raw file, or several files."""
    if text is not None:
        kwargs = send_to_webhook._get_kwargs(token=token, type_=type_)
        kwargs["content"] = text.encode("utf-8")
        kwargs["headers"]["Content-Type"] = "text/plain; charset=utf-8"
        return kwargs
    if len(loaded) == 1:
        ((name, content, kind),) = loaded
        kwargs = send_to_webhook._get_kwargs(
            token=token, type_=type_, content_disposition=content_disposition(name)
        )
        kwargs["headers"]["Content-Type"] = kind
        kwargs["content"] = content  # bytes, so that a retry can send it again
        return kwargs
    return send_to_webhook._get_kwargs(body=_parts(loaded), token=token, type_=type_)


def pipe_request(token: str, loaded: list[Loaded]) -> dict[str, Any]:
    """The request kwargs of PUT /pipe/process: every file a part named ``files``."""
    return process_pipe._get_kwargs(body=_parts(loaded), token=token)
