"""What both loaders share: running ``process()`` for them, and each processed object as
text and metadata."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._logging import logger
from .._run import text_of

if TYPE_CHECKING:
    from .._batch import FileResult
    from .._client import AparaviDTC
    from .._inputs import ProcessInput
    from .._pipeline import PipelineInput

Errors = Literal["raise", "skip"]


@dataclasses.dataclass(frozen=True)
class Processing:
    """What a loader was told: the inputs, the pipeline and ``process()``'s options, and
    the client to use (or the key and URL to make one with)."""

    inputs: ProcessInput | Iterable[ProcessInput]
    pipeline: PipelineInput | None = None
    client: AparaviDTC | None = None
    api_key: str | None = None
    base_url: str | None = None
    concurrency: int = 4
    threads: int | None = None
    timeout: float | None = None
    results: str | os.PathLike[str] | None = None
    resume: bool = True
    storage_options: Mapping[str, Any] | None = None
    errors: Errors = "raise"
    overwrite: bool = False
    include: str | Sequence[str] | None = None
    exclude: str | Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', not {self.errors!r}")

    def files(self) -> Iterator[FileResult]:
        """Each file's result as it finishes; a failed file raises its error, or (with
        ``errors="skip"``) is logged as a warning and left out."""
        from .._client import AparaviDTC

        owned = self.client is None
        client = AparaviDTC(self.api_key, base_url=self.base_url) if owned else self.client
        assert client is not None
        try:
            with client.process(
                self.inputs,
                self.pipeline,
                concurrency=self.concurrency,
                threads=self.threads,
                timeout=self.timeout,
                results=self.results,
                resume=self.resume,
                storage_options=self.storage_options,
                overwrite=self.overwrite,
                include=self.include,
                exclude=self.exclude,
            ) as batch:
                for result in batch:
                    if result.error is None:
                        yield result
                    elif self.errors == "raise":
                        raise result.error
                    else:
                        logger.warning("left out %s: %s", result.input, result.error)
        finally:
            if owned:
                client.close()


def objects(result: FileResult) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each processed object of a file: its text and its metadata."""
    found = result.results.objects if result.results is not None else {}
    for object_id, item in found.items():
        metadata: dict[str, Any] = dict(item.metadata)
        metadata |= {"source": result.input, "file": result.name, "object_id": object_id}
        if isinstance(item.name, str):
            metadata["object_name"] = item.name
        if isinstance(item.path, str):
            metadata["object_path"] = item.path
        yield text_of(item), metadata


class Loader:
    """What both loaders take when they are made: the inputs, the pipeline and
    ``process()``'s options, and the client (or its key and URL)."""

    def __init__(
        self,
        inputs: ProcessInput | Iterable[ProcessInput],
        pipeline: PipelineInput | None = None,
        *,
        client: AparaviDTC | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        concurrency: int = 4,
        threads: int | None = None,
        timeout: float | None = None,
        results: str | os.PathLike[str] | None = None,
        resume: bool = True,
        storage_options: Mapping[str, Any] | None = None,
        errors: Errors = "raise",
        overwrite: bool = False,
        include: str | Sequence[str] | None = None,
        exclude: str | Sequence[str] | None = None,
    ) -> None:
        self._processing = Processing(
            inputs,
            pipeline,
            client,
            api_key,
            base_url,
            concurrency,
            threads,
            timeout,
            results,
            resume,
            storage_options,
            errors,
            overwrite,
            include,
            exclude,
        )
