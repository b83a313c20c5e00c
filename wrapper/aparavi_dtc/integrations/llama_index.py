"""``AparaviReader``: documents for LlamaIndex, from ``process()`` (the ``llama-index``
extra).

>>> from aparavi_dtc.integrations.llama_index import AparaviReader
>>> documents = AparaviReader("contracts/").load_data()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

try:
    from llama_index.core.readers.base import BaseReader
    from llama_index.core.schema import Document
except ImportError as exc:  # the extra is not installed
    raise ImportError(
        "aparavi_dtc.integrations.llama_index needs llama-index-core: "
        "pip install 'aparavi-dtc[llama-index]'"
    ) from exc

from ._documents import Loader, objects

__all__ = ["AparaviReader"]


class AparaviReader(Loader, BaseReader):
    """A LlamaIndex reader over ``AparaviDTC.process()``: one ``Document`` per processed
    object, with its text and ``source``, ``file``, ``object_id`` (and the object's own
    metadata) in ``metadata``; the document's id is the object's.

    Takes what :class:`aparavi_dtc.integrations.langchain.AparaviLoader` takes;
    ``lazy_load_data()`` sends nothing until iterated, ``load_data()`` returns a list.
    """

    def lazy_load_data(self, *args: Any, **load_kwargs: Any) -> Iterator[Document]:
        """One ``Document`` per processed object, as the files finish. The inputs and
        options are the reader's own: arguments here are refused."""
        if args or load_kwargs:
            raise TypeError("AparaviReader takes its inputs and options when it is made")
        for result in self._processing.files():
            for text, metadata in objects(result):
                yield Document(text=text, metadata=metadata, id_=metadata["object_id"])
