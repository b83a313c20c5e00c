"""``AparaviLoader``: documents for LangChain, from ``process()`` (the ``langchain`` extra).

>>> from aparavi_dtc.integrations.langchain import AparaviLoader
>>> loader = AparaviLoader("s3://bucket/reports/**/*.pdf", storage_options={"anon": False})
>>> for document in loader.lazy_load():  # doctest: +SKIP
...     print(document.metadata["source"], len(document.page_content))
"""

from __future__ import annotations

from collections.abc import Iterator

try:
    from langchain_core.document_loaders import BaseLoader
    from langchain_core.documents import Document
except ImportError as exc:  # the extra is not installed
    raise ImportError(
        "aparavi_dtc.integrations.langchain needs langchain-core: "
        "pip install 'aparavi-dtc[langchain]'"
    ) from exc

from ._documents import Loader, objects

__all__ = ["AparaviLoader"]


class AparaviLoader(Loader, BaseLoader):
    """A LangChain document loader over ``AparaviDTC.process()``: one ``Document`` per
    processed object, with its text as ``page_content`` and ``source``, ``file``,
    ``object_id`` (and the object's own metadata) in ``metadata``.

    ``lazy_load()`` sends nothing until iterated, and yields documents as their files
    finish. Every option of ``process()`` is taken (``results=`` makes the load
    resumable: files an earlier load finished are skipped, and yield no documents again).
    ``client`` is used as it is; without one, a client is made from ``api_key`` and
    ``base_url`` (or ``APARAVI_API_KEY`` and ``APARAVI_BASE_URL``) and closed at the end.
    A file that fails raises its error, or with ``errors="skip"`` is logged and left out;
    an empty file is no failure, and yields no documents.
    """

    def lazy_load(self) -> Iterator[Document]:
        """One ``Document`` per processed object, as the files finish."""
        for result in self._processing.files():
            for text, metadata in objects(result):
                yield Document(page_content=text, metadata=metadata)
