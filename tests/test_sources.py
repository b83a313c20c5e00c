"""process() of objects in stores, through fsspec (``_inputs``, ``_uploads``): a real S3
API on loopback (moto's server, through s3fs), fsspec's memory filesystem, and a store that
fails to open an object once; on both clients."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import urllib.parse
from collections.abc import Iterator
from typing import Any

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem
from s3_server import serving_s3, storage_options

from aparavi_dtc import AparaviDTC, FileChangedError
from aparavi_dtc._uploads import CHUNK
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .test_process import KINDS, operations, process_all, uploads

BIG = CHUNK * 2 + 4321  # three chunks, the last one short


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, Any]]:
    """moto's S3 server on loopback with a bucket of documents, and the storage options
    that reach it."""
    with serving_s3("docs") as endpoint:
        options = storage_options(endpoint)
        store = fsspec.filesystem("s3", **options)
        store.pipe("docs/in/a.txt", b"alpha")
        store.pipe("docs/in/sub/b.pdf", b"%PDF beta")
        store.pipe("docs/in/sub/c.pdf", b"%PDF gamma")
        store.pipe("docs/in/.hidden.txt", b"never sent")
        store.pipe("docs/big/big.bin", os.urandom(BIG))
        yield {"options": options, "store": store}


def received(fake: FakeAparavi) -> dict[str, bytes]:
    """Each upload's file name and the bytes the fake received for it."""
    got = {}
    for request in uploads(fake):
        disposition = next(
            v for k, v in request.headers.items() if k.lower() == "content-disposition"
        )
        got[urllib.parse.unquote(disposition.split("filename=")[1].strip('"'))] = request.body
    return got


@pytest.mark.parametrize("kind", KINDS)
def test_a_prefix_in_s3_is_processed_object_by_object(
    kind: str, fake: FakeAparavi, url: str, s3: dict[str, Any]
) -> None:
    results = process_all(kind, url, "s3://docs/in/", storage_options=s3["options"])
    assert sorted(r.input for r in results) == [
        "s3://docs/in/a.txt",
        "s3://docs/in/sub/b.pdf",
        "s3://docs/in/sub/c.pdf",
    ]  # the hidden object is left out, as in a directory walk
    assert all(r.ok and r.path is None for r in results)
    assert received(fake) == {"a.txt": b"alpha", "b.pdf": b"%PDF beta", "c.pdf": b"%PDF gamma"}
    assert {r.name: r.text for r in results}["a.txt"] == "alpha"


def test_a_glob_on_s3_picks_its_objects(fake: FakeAparavi, url: str, s3: dict[str, Any]) -> None:
    results = process_all("sync", url, "s3://docs/**/*.pdf", storage_options=s3["options"])
    assert sorted(r.name for r in results) == ["b.pdf", "c.pdf"]
    assert all(r.version.startswith("etag:") for r in results)


@pytest.mark.parametrize("kind", KINDS)
def test_a_large_object_streams_in_chunks_and_arrives_whole(
    kind: str, fake: FakeAparavi, url: str, s3: dict[str, Any]
) -> None:
    (result,) = process_all(kind, url, "s3://docs/big/big.bin", storage_options=s3["options"])
    assert result.ok, result.error
    assert received(fake)["big.bin"] == s3["store"].cat("docs/big/big.bin")
    assert result.size == BIG


def test_a_resumed_run_knows_an_object_by_its_etag(
    fake: FakeAparavi, url: str, s3: dict[str, Any], tmp_path: Any
) -> None:
    out = tmp_path / "run.jsonl"
    options = s3["options"]
    s3["store"].pipe("docs/resume/one.txt", b"one")
    s3["store"].pipe("docs/resume/two.txt", b"two")
    assert (
        len(process_all("sync", url, "s3://docs/resume/", storage_options=options, results=out))
        == 2
    )
    s3["store"].pipe("docs/resume/two.txt", b"TWO")  # the same size, another ETag
    again = process_all("sync", url, "s3://docs/resume/", storage_options=options, results=out)
    assert [r.name for r in again] == ["two.txt"]
    assert [json.loads(line)["input"] for line in out.read_text().splitlines()][-1] == (
        "s3://docs/resume/two.txt"
    )


def test_an_object_that_changed_after_listing_fails_alone(fake: FakeAparavi, url: str) -> None:
    memory = fsspec.filesystem("memory")
    memory.pipe("/changing/a.txt", b"alpha")
    memory.pipe("/changing/b.txt", b"beta")
    with AparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process("memory://changing/", concurrency=1)
        memory.pipe("/changing/b.txt", b"a longer beta")  # after listing, before sending
        results = {r.name: r for r in batch}
    assert results["a.txt"].ok
    assert isinstance(results["b.txt"].error, FileChangedError)
    assert "memory:///changing/b.txt changed while being processed" in str(results["b.txt"].error)
    assert "b.txt" not in received(fake) or received(fake)["b.txt"] != b"a longer beta"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rewritten", [b"ALPHA", b"a longer alpha"], ids=["same-size", "grown"])
def test_an_s3_object_rewritten_after_listing_is_a_file_changed_error(
    kind: str, rewritten: bytes, fake: FakeAparavi, url: str, s3: dict[str, Any]
) -> None:
    store, folder = s3["store"], f"docs/rewritten-{kind}-{len(rewritten)}"
    store.pipe(f"{folder}/a.txt", b"alpha")
    store.pipe(f"{folder}/b.txt", b"beta")

    async def rewrite_then_process(client: Any) -> list[Any]:
        async with client.process(f"s3://{folder}/", storage_options=s3["options"]) as batch:
            store.pipe(f"{folder}/a.txt", rewritten)  # after listing, before sending
            return [result async for result in batch]

    if kind == "sync":
        with AparaviDTC(API_KEY, base_url=url) as client:
            batch = client.process(f"s3://{folder}/", storage_options=s3["options"])
            store.pipe(f"{folder}/a.txt", rewritten)
            results = {r.name: r for r in batch}
    else:
        from aparavi_dtc import AsyncAparaviDTC

        async def run() -> list[Any]:
            async with AsyncAparaviDTC(API_KEY, base_url=url) as client:
                return await rewrite_then_process(client)

        results = {r.name: r for r in asyncio.run(run())}
    assert results["b.txt"].ok
    error = results["a.txt"].error
    assert isinstance(error, FileChangedError), repr(error)
    assert f"s3://{folder}/a.txt changed while being processed" in str(error)
    assert received(fake).get("a.txt", b"") == b""  # nothing of either version arrived


class _MemoryAs(MemoryFileSystem):
    """fsspec's memory filesystem under a protocol of its own, for stores that misbehave."""

    @classmethod
    def _strip_protocol(cls, path: str) -> str:
        prefix = f"{cls.protocol}://"
        if path.startswith(prefix):
            path = "memory://" + path[len(prefix) :]
        return str(super()._strip_protocol(path))


class _Flaky(_MemoryAs):
    """A store whose every object fails to open once, as a store under load does."""

    protocol = "flaky"
    failed: set[str] = set()  # noqa: RUF012 - shared on purpose: fsspec caches instances

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if mode == "rb" and path not in self.failed:
            self.failed.add(path)
            raise ConnectionError(f"the store did not answer for {path}")
        return super()._open(path, mode, **kwargs)


@pytest.mark.parametrize("kind", KINDS)
def test_an_open_that_failed_before_anything_was_sent_is_tried_again(
    kind: str, fake: FakeAparavi, url: str
) -> None:
    fsspec.register_implementation("flaky", _Flaky, clobber=True)
    store = fsspec.filesystem("flaky")
    store.pipe(f"/flaky-{kind}/a.txt", b"alpha")
    store.pipe(f"/flaky-{kind}/b.txt", b"beta")
    results = process_all(kind, url, f"flaky://flaky-{kind}/")
    assert all(r.ok for r in results), [r.error for r in results]
    assert sorted(received(fake)) == ["a.txt", "b.txt"]
    assert len(uploads(fake)) == 2  # each sent once


def test_a_missing_object_or_an_empty_match_is_refused_before_anything_is_sent(
    fake: FakeAparavi, url: str, s3: dict[str, Any]
) -> None:
    options = s3["options"]
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(
            ValueError, match=re.escape("no such object: s3://docs/in/missing.pdf")
        ):
            client.process("s3://docs/in/missing.pdf", storage_options=options)
        with pytest.raises(ValueError, match=re.escape("no object matches 's3://docs/**/*.docx'")):
            client.process("s3://docs/**/*.docx", storage_options=options)
        with pytest.raises(TypeError, match="storage_options must be a mapping"):
            client.process("s3://docs/in/", storage_options=["key"])  # type: ignore[arg-type]
    assert operations(fake) == {}


def test_without_fsspec_a_url_names_the_extra(
    fake: FakeAparavi, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fsspec", None)  # not installed
    with (
        AparaviDTC(API_KEY, base_url=url) as client,
        pytest.raises(ValueError, match=r"needs fsspec \(pip install 'aparavi-dtc\[fsspec\]'\)"),
    ):
        client.process("s3://docs/in/")
    assert operations(fake) == {}


def test_folder_markers_are_not_objects(fake: FakeAparavi, url: str, s3: dict[str, Any]) -> None:
    store = s3["store"]
    store.pipe("docs/marked/", b"")  # what consoles create for a "folder"
    store.pipe("docs/marked/sub/", b"")
    store.pipe("docs/marked/sub/real.txt", b"real")
    results = process_all("sync", url, "s3://docs/marked/", storage_options=s3["options"])
    assert [r.input for r in results] == ["s3://docs/marked/sub/real.txt"]


def test_a_glob_skips_hidden_names_as_a_directory_walk_does(fake: FakeAparavi, url: str) -> None:
    memory = fsspec.filesystem("memory")
    memory.pipe("/hg/a.txt", b"a")
    memory.pipe("/hg/.hidden.txt", b"h")
    memory.pipe("/hg/.git/config.txt", b"g")
    memory.pipe("/hg/sub/.x/c.txt", b"c")
    memory.pipe("/hg/sub/d.txt", b"d")
    assert sorted(r.name for r in process_all("sync", url, "memory://hg/*")) == ["a.txt", "d.txt"]
    assert sorted(r.name for r in process_all("sync", url, "memory://hg/**/*.txt")) == [
        "a.txt",
        "d.txt",
    ]


def test_the_results_file_is_not_an_input_through_a_file_url(
    fake: FakeAparavi, url: str, tmp_path: Any
) -> None:
    (tmp_path / "a.txt").write_text("alpha")
    out = tmp_path / "zz.jsonl"
    process_all("sync", url, f"file://{tmp_path}", results=out)
    again = process_all(
        "sync", url, f"file://{tmp_path}", results=out, resume=False, overwrite=True
    )
    assert [r.name for r in again] == ["a.txt"]


def test_urls_are_shown_without_credentials_or_signatures() -> None:
    from aparavi_dtc._inputs import _shown, _version

    assert _shown("https://user:pw@host.test/a/f.txt?X-Amz-Signature=abc#x") == (
        "https://host.test/a/f.txt"
    )
    assert _shown("memory:///changing/b.txt") == "memory:///changing/b.txt"
    assert _version({"size": 3}, 3) == ""  # nothing to tell a change by: never taken as done
    assert _version({"ETag": '"abc"'}, 3) == "etag:abc"
    assert _version({"mtime": 12.5}, 3) == "3:12.5"


class _Broken(_MemoryAs):
    """A store that lists, and then fails in its own words (not an OSError)."""

    protocol = "broken"

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if mode == "rb" and path.endswith("bad.txt"):
            raise RuntimeError("the store's own error")
        return super()._open(path, mode, **kwargs)

    def find(self, path: str, *args: Any, **kwargs: Any) -> Any:
        if "unlistable" in path:
            raise RuntimeError("the store's own listing error")
        return super().find(path, *args, **kwargs)


@pytest.mark.parametrize("kind", KINDS)
def test_a_stores_own_errors_are_one_files_oserror_or_a_listing_refusal(
    kind: str, fake: FakeAparavi, url: str
) -> None:
    fsspec.register_implementation("broken", _Broken, clobber=True)
    store = fsspec.filesystem("broken")
    store.pipe(f"/broken-{kind}/good.txt", b"good")
    store.pipe(f"/broken-{kind}/bad.txt", b"bad")
    store.pipe(f"/unlistable-{kind}/x.txt", b"x")
    results = {r.name: r for r in process_all(kind, url, f"broken://broken-{kind}/")}
    assert results["good.txt"].ok
    error = results["bad.txt"].error
    assert type(error) is OSError  # as a local file's error would be, the store's as cause
    assert str(error) == (
        f"cannot read broken:///broken-{kind}/bad.txt: RuntimeError: the store's own error"
    )
    assert isinstance(error.__cause__, RuntimeError)
    with (
        AparaviDTC(API_KEY, base_url=url) as client,
        pytest.raises(ValueError, match=r"cannot list .*RuntimeError: the store's own"),
    ):
        client.process(f"broken://unlistable-{kind}/")


def test_include_and_exclude_choose_objects_by_their_path_below_the_prefix(
    fake: FakeAparavi, url: str, s3: dict[str, Any]
) -> None:
    results = process_all(
        "sync", url, "s3://docs/in/", storage_options=s3["options"], exclude="sub/c.*"
    )
    assert sorted(r.relative_path for r in results) == ["a.txt", "sub/b.pdf"]
    globbed = process_all("sync", url, "s3://docs/**/*.pdf", storage_options=s3["options"])
    assert sorted(r.relative_path for r in globbed) == ["in/sub/b.pdf", "in/sub/c.pdf"]
