"""The loaders for LLM frameworks (``aparavi_dtc.integrations``) against the testing kit's
fake, with the real langchain-core and llama-index-core installed."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document as LangChainDocument
from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document as LlamaDocument

from aparavi_dtc import AparaviDTC, ServerError
from aparavi_dtc.integrations.langchain import AparaviLoader
from aparavi_dtc.integrations.llama_index import AparaviReader
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY

LOADERS = ["langchain", "llama-index"]


@pytest.fixture
def client(fake: FakeAparavi) -> Any:
    with AparaviDTC(API_KEY, transport=fake.transport()) as made:
        yield made


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text("alpha")
    (root / "b.txt").write_text("beta")
    return root


def load(kind: str, *args: Any, **options: Any) -> list[Any]:
    if kind == "langchain":
        return list(AparaviLoader(*args, **options).lazy_load())
    return AparaviReader(*args, **options).load_data()


def content(kind: str, document: Any) -> str:
    return str(document.page_content if kind == "langchain" else document.text)


def test_they_are_the_frameworks_own_loaders() -> None:
    assert isinstance(AparaviLoader("x"), BaseLoader)
    assert isinstance(AparaviReader("x"), BaseReader)


@pytest.mark.parametrize("kind", LOADERS)
def test_one_document_per_processed_object_with_its_source(
    kind: str, client: Any, docs: Path
) -> None:
    documents = load(kind, docs, client=client)
    assert all(
        isinstance(d, LangChainDocument if kind == "langchain" else LlamaDocument)
        for d in documents
    )
    by_source = {d.metadata["source"]: d for d in documents}
    assert sorted(by_source) == [str(docs / "a.txt"), str(docs / "b.txt")]
    assert content(kind, by_source[str(docs / "a.txt")]) == "alpha"
    first = by_source[str(docs / "b.txt")].metadata
    assert first["file"] == "b.txt"
    assert first["object_name"] == "b.txt"
    assert isinstance(first["object_id"], str)
    assert first["object_id"]
    if kind == "llama-index":
        assert by_source[str(docs / "b.txt")].id_ == first["object_id"]


@pytest.mark.parametrize("kind", LOADERS)
def test_nothing_is_sent_until_the_documents_are_asked_for(
    kind: str, fake: FakeAparavi, client: Any, docs: Path
) -> None:
    if kind == "langchain":
        documents = AparaviLoader(docs, client=client).lazy_load()
    else:
        documents = AparaviReader(docs, client=client).lazy_load_data()
    assert fake.requests == []
    assert len(list(documents)) == 2
    assert fake.tasks == {}  # the batch's task is deleted at the end


@pytest.mark.parametrize("kind", LOADERS)
def test_a_failed_file_raises_or_is_left_out(
    kind: str, fake: FakeAparavi, client: Any, docs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("sendToWebhook", status=500)
    with pytest.raises(ServerError):
        load(kind, docs, client=client, concurrency=1)
    fake.fail_next("sendToWebhook", status=500)
    with caplog.at_level(logging.WARNING, logger="aparavi_dtc"):
        documents = load(kind, docs, client=client, concurrency=1, errors="skip")
    assert len(documents) == 1
    assert "left out" in caplog.text
    with pytest.raises(ValueError, match="errors must be 'raise' or 'skip'"):
        load(kind, docs, client=client, errors="ignore")


@pytest.mark.parametrize("kind", LOADERS)
def test_a_resumable_load_skips_what_an_earlier_one_finished(
    kind: str, client: Any, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    assert len(load(kind, docs, client=client, results=out)) == 2
    (docs / "c.txt").write_text("gamma")
    again = load(kind, docs, client=client, results=out)
    assert [d.metadata["file"] for d in again] == ["c.txt"]


@pytest.mark.parametrize("kind", LOADERS)
def test_without_a_client_one_is_made_from_the_key_and_closed(
    kind: str, fake: FakeAparavi, docs: Path
) -> None:
    with fake.serve() as url:
        documents = load(kind, docs, api_key=API_KEY, base_url=url)
    assert len(documents) == 2


def test_the_reader_takes_its_inputs_when_made(client: Any, docs: Path) -> None:
    with pytest.raises(TypeError, match="takes its inputs and options when it is made"):
        AparaviReader(docs, client=client).load_data(docs)


@pytest.mark.parametrize(
    ("module", "extra"),
    [("langchain_core", "langchain"), ("llama_index.core", "llama-index")],
)
def test_without_the_framework_the_import_names_the_extra(
    module: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(sys.modules):
        if (
            name == module
            or name.startswith(module + ".")
            or name.startswith("aparavi_dtc.integrations.")
        ):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # not installed
    integration = "langchain" if extra == "langchain" else "llama_index"
    with pytest.raises(ImportError, match=f"pip install 'aparavi-dtc\\[{extra}\\]'"):
        __import__(f"aparavi_dtc.integrations.{integration}")


@pytest.mark.parametrize("kind", LOADERS)
def test_a_results_file_is_replaced_only_with_overwrite(
    kind: str, client: Any, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "load.jsonl"
    assert len(load(kind, docs, client=client, results=out)) == 2
    before = out.read_bytes()
    with pytest.raises(FileExistsError):
        load(kind, docs, client=client, results=out, resume=False)
    assert out.read_bytes() == before
    again = load(kind, docs / "a.txt", client=client, results=out, resume=False, overwrite=True)
    assert len(again) == 1
    assert len(out.read_text().splitlines()) == 1


@pytest.mark.parametrize("kind", LOADERS)
def test_a_results_file_with_the_text_twice_is_still_read(
    kind: str, client: Any, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "old.jsonl"
    done = docs / "a.txt"
    old = {"input": str(done), "version": f"{done.stat().st_size}:{done.stat().st_mtime_ns}"}
    old |= {"ok": True, "text": "alpha", "results": {"objects": {"1": {"text": ["alpha"]}}}}
    out.write_text(json.dumps(old) + "\n")
    documents = load(kind, docs, client=client, results=out)
    assert [d.metadata["source"] for d in documents] == [str(docs / "b.txt")]


@pytest.mark.parametrize("kind", LOADERS)
def test_an_empty_file_is_skipped_not_raised(kind: str, client: Any, docs: Path) -> None:
    (docs / "empty.txt").touch()
    documents = load(kind, docs, client=client)
    assert sorted(d.metadata["source"] for d in documents) == [
        str(docs / "a.txt"),
        str(docs / "b.txt"),
    ]
