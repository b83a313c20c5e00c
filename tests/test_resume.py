"""A resumable process() (``_resume``): the results file, skipping what an earlier run
finished, torn lines, the lock, and a run killed with SIGKILL, on both clients."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from aparavi_dtc import AparaviDTC, NotAResultsFileError, ResultsFileInUseError
from aparavi_dtc._resume import open_results
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .test_process import KINDS, operations, process_all


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for i in range(5):
        (root / f"doc{i}.txt").write_text(f"text of doc {i}")
    return root


def lines(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")  # whole lines only
    return [json.loads(line) for line in text.splitlines()]


def text_of(record: dict[str, Any]) -> str:
    """A line's text, as ``FileResult.text`` makes it from the objects' pieces."""
    found = record["results"]["objects"].values()
    return "\n\n".join("\n".join(item["text"]) for item in found)


def sent_names(fake: FakeAparavi, since: int = 0) -> list[str]:
    """The file names the fake received (after its first ``since`` requests), from each
    upload's Content-Disposition."""
    names = []
    for request in _uploads_since(fake, since):
        disposition = next(
            v for k, v in request.headers.items() if k.lower() == "content-disposition"
        )
        names.append(urllib.parse.unquote(disposition.split("filename=")[1].strip('"')))
    return names


def _uploads_since(fake: FakeAparavi, since: int) -> list[Any]:
    return [r for r in fake.requests[since:] if r.operation == "sendToWebhook"]


def _operations_since(fake: FakeAparavi, since: int) -> dict[str, int]:
    counted: dict[str, int] = {}
    for request in fake.requests[since:]:
        counted[request.operation] = counted.get(request.operation, 0) + 1
    return counted


@pytest.mark.parametrize("kind", KINDS)
def test_a_resumed_run_sends_only_what_is_missing(
    kind: str, fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    first = process_all(kind, url, sorted(docs.iterdir())[:3], results=out)
    assert len(first) == 3
    assert {r["input"] for r in lines(out)} == {str(p) for p in sorted(docs.iterdir())[:3]}
    seen = len(fake.requests)
    second = process_all(kind, url, docs, results=out)
    assert sorted(r.name for r in second) == ["doc3.txt", "doc4.txt"]
    assert sorted(sent_names(fake, seen)) == ["doc3.txt", "doc4.txt"]
    records = lines(out)
    assert len(records) == 5
    assert all(r["ok"] and text_of(r) == Path(r["input"]).read_text() for r in records)


def test_a_batch_says_how_many_were_skipped(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    with AparaviDTC(API_KEY, base_url=url) as client:
        list(client.process(docs, results=out))
        (docs / "doc9.txt").write_text("new")
        batch = client.process(docs, results=out)
        assert (batch.total, batch.skipped) == (1, 5)
        assert repr(batch) == "Batch(total=1, skipped=5)"
        assert [r.name for r in batch] == ["doc9.txt"]


def test_nothing_left_to_do_starts_no_task(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, docs, results=out)
    seen = len(fake.requests)
    assert process_all("sync", url, docs, results=out) == []
    assert _operations_since(fake, seen) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_failed_files_are_sent_again(
    kind: str, fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    fake.fail_next("sendToWebhook", status=500)
    first = process_all(kind, url, docs, results=out, concurrency=1)
    failed = [r for r in first if not r.ok]
    assert len(failed) == 1
    record = next(r for r in lines(out) if not r["ok"])
    assert record["error"]["type"] == "ServerError"
    assert record["error"]["status_code"] == 500
    second = process_all(kind, url, docs, results=out)
    assert [r.name for r in second] == [failed[0].name]
    assert all(r.ok for r in second)


def test_a_file_that_changed_is_sent_again(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, docs, results=out)
    changed = docs / "doc2.txt"
    changed.write_text("a new text, longer")
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    same_size = docs / "doc3.txt"  # same size, later modification time
    os.utime(same_size, ns=(stat.st_atime_ns, same_size.stat().st_mtime_ns + 5_000_000))
    again = process_all("sync", url, docs, results=out)
    assert sorted(r.name for r in again) == ["doc2.txt", "doc3.txt"]


def test_files_given_as_bytes_are_known_by_their_content(
    fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, [("a.txt", b"one"), ("b.txt", b"two")], results=out)
    again = process_all("sync", url, [("a.txt", b"one"), ("b.txt", b"TWO")], results=out)
    assert [r.name for r in again] == ["b.txt"]


def test_an_input_whose_name_needs_escaping_is_known_again(
    fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    odd = [('a "quoted" \\ name.txt', b"one"), ("ünïcode.txt", b"two")]
    process_all("sync", url, odd, results=out)
    assert process_all("sync", url, odd, results=out) == []
    assert {r["input"] for r in lines(out)} == {name for name, _ in odd}


def test_the_results_file_is_never_an_input(fake: FakeAparavi, url: str, docs: Path) -> None:
    out = docs / "run.jsonl"  # inside the folder being processed
    process_all("sync", url, docs, results=out)
    process_all("sync", url, docs, results=out, resume=False, overwrite=True)
    assert "run.jsonl" not in sent_names(fake)
    assert len(lines(out)) == 5


def test_overwrite_starts_the_file_afresh(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, docs, results=out)
    again = process_all("sync", url, docs, results=out, resume=False, overwrite=True)
    assert len(again) == 5
    assert len(lines(out)) == 5


# -- a run cut short --------------------------------------------------------------------


def test_a_torn_last_line_is_ignored_and_cut(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, sorted(docs.iterdir())[:2], results=out)
    whole = out.read_bytes()
    torn = json.dumps({"input": str(docs / "doc2.txt"), "version": "x", "ok": True})[:25]
    out.write_bytes(whole + torn.encode())  # a run killed in the middle of a line
    again = process_all("sync", url, docs, results=out)
    assert sorted(r.name for r in again) == ["doc2.txt", "doc3.txt", "doc4.txt"]
    assert out.read_bytes().startswith(whole)
    assert len(lines(out)) == 5  # every line whole: the torn one is gone


def test_lines_that_are_not_a_result_finish_nothing(tmp_path: Path) -> None:
    out = tmp_path / "run.jsonl"
    good = {"input": "a.txt", "version": "1:2", "ok": True}
    out.write_text(
        "\n".join(
            [
                "not json",
                json.dumps(["a", "list"]),
                json.dumps({**good, "input": "b.txt", "ok": False}),
                json.dumps({**good, "input": "c.txt", "version": ""}),
                json.dumps({**good, "input": 7}),
                json.dumps({**good, "ok": "true"}),
                json.dumps(good),
            ]
        )
        + "\n"
    )
    log = open_results(out, resume=True)
    try:
        assert log.finished("a.txt", "1:2")
        assert not log.finished("a.txt", "1:3")
        assert not any(log.finished(name, "1:2") for name in ("b.txt", "c.txt", "7"))
    finally:
        log.close()
    assert len(out.read_text().splitlines()) == 7  # nothing whole is cut


KILLED = textwrap.dedent(
    """
    import sys
    from aparavi_dtc import AparaviDTC
    with AparaviDTC(sys.argv[1], base_url=sys.argv[2]) as client:
        for result in client.process(sys.argv[3], results=sys.argv[4], concurrency=1):
            print(result.name, flush=True)
    """
)


def test_a_run_killed_with_sigkill_leaves_whole_lines_and_resumes(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    fake.delay("sendToWebhook", 0.3)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, API_KEY, url, str(docs), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline
        and len(out.read_bytes().splitlines() if out.exists() else []) < 2
    ):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    kept = [
        json.loads(line)
        for line in out.read_bytes().splitlines(keepends=True)
        if line.endswith(b"\n")
    ]
    assert 2 <= len(kept) < 5
    assert all(r["ok"] for r in kept)
    fake.delay("sendToWebhook", 0.0)
    seen = len(fake.requests)
    again = process_all("sync", url, docs, results=out)
    assert sorted(r.name for r in again) == sorted(
        {f"doc{i}.txt" for i in range(5)} - {r["name"] for r in kept}
    )
    assert len(sent_names(fake, seen)) == len(again)  # each missing file once, nothing more
    assert sorted(r["name"] for r in lines(out)) == [f"doc{i}.txt" for i in range(5)]


# -- one run at a time ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_two_runs_on_one_results_file_are_refused(
    kind: str, fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    with AparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process(docs, results=out)
        with pytest.raises(ResultsFileInUseError, match="being written by another run") as info:
            process_all(kind, url, docs, results=out)
        assert info.value.path == str(out)
        assert len(list(batch)) == 5  # the first run goes on, alone
    again = process_all(kind, url, docs, results=out, resume=False, overwrite=True)
    assert len(again) == 5  # released


HOLDER = textwrap.dedent(
    """
    import sys, time
    from aparavi_dtc._resume import open_results
    log = open_results(sys.argv[1], resume=True)
    print("locked", flush=True)
    time.sleep(60)
    """
)


def test_a_run_in_another_process_holds_the_file(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(ResultsFileInUseError):
            process_all("sync", url, docs, results=out)
        assert operations(fake) == {}  # refused before anything was sent
    finally:
        holder.kill()
        holder.wait()
    assert len(process_all("sync", url, docs, results=out)) == 5


def test_a_batch_never_iterated_releases_the_file_on_close(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    with AparaviDTC(API_KEY, base_url=url) as client:
        client.process(docs, results=out).close()
        with client.process(docs, results=out) as batch:
            assert len(list(batch)) == 5


def test_bad_results_options_are_refused_before_anything_is_sent(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(TypeError, match="results must be a path"):
            client.process(docs, results=3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="resume must be True or False"):
            client.process(docs, results=tmp_path / "r.jsonl", resume="yes")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="no such file"):
            client.process(tmp_path / "missing", results=tmp_path / "r.jsonl")
    assert operations(fake) == {}
    assert not (tmp_path / "r.jsonl").exists() or (tmp_path / "r.jsonl").read_text() == ""


def test_a_path_that_is_not_utf8_is_written_and_known_again(
    fake: FakeAparavi, url: str, tmp_path: Path
) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/d\xe9"))  # a directory name in Latin-1
    odd.mkdir()
    (odd / "a.txt").write_text("alpha")
    out = tmp_path / "run.jsonl"
    first = process_all("sync", url, odd, results=out)
    assert [r.ok for r in first] == [True]
    assert out.read_bytes().isascii()
    assert process_all("sync", url, odd, results=out) == []


def test_a_batch_dropped_unfinished_releases_the_file(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    import gc

    out = tmp_path / "run.jsonl"
    with AparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process(docs, results=out, concurrency=1)
        next(batch)
        del batch  # a loop that broke out of a batch kept in a variable, then moved on
        gc.collect()
        assert len(list(client.process(docs, results=out))) == 4  # not refused; one was done
    assert fake.tasks == {}


def test_closing_a_batch_from_another_thread_keeps_every_line_whole(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    import threading

    out = tmp_path / "run.jsonl"
    fake.delay("sendToWebhook", 0.2)
    seen: list[str] = []
    failures: list[BaseException] = []
    with AparaviDTC(API_KEY, base_url=url) as client:
        batch = client.process(docs, results=out, concurrency=2)

        def consume() -> None:
            try:
                seen.extend(r.name for r in batch)
            except BaseException as exc:
                failures.append(exc)

        worker = threading.Thread(target=consume)
        worker.start()
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        batch.close()  # from this thread, while the worker iterates
        worker.join(10)
    assert not worker.is_alive()
    assert failures == []
    assert 1 <= len(seen) < 5
    assert {r["name"] for r in lines(out)} >= set(seen)  # whole lines, each file it finished
    assert fake.tasks == {}


def test_a_nan_in_a_result_is_written_not_refused(tmp_path: Path) -> None:
    out = tmp_path / "run.jsonl"
    log = open_results(out, resume=True)
    log.write({"input": "a.txt", "version": "1:2", "ok": True, "results": {"score": float("nan")}})
    log.close()
    log.write({"input": "b.txt", "version": "1:2", "ok": True})  # after close: dropped
    again = open_results(out, resume=True)
    try:
        assert again.finished("a.txt", "1:2")
        assert not again.finished("b.txt", "1:2")
    finally:
        again.close()


@pytest.mark.parametrize("kind", KINDS)
def test_only_empty_files_left_start_no_task(kind: str, fake: FakeAparavi, url: str) -> None:
    results = process_all(kind, url, [("empty.txt", b""), ("also.txt", b"")])
    assert sorted(r.name for r in results) == ["also.txt", "empty.txt"]
    assert all(r.ok and r.skipped == "empty" for r in results)
    assert _operations_since(fake, 0) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_file_is_recorded_as_skipped_and_not_tried_again(
    kind: str, fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    (docs / "empty.txt").touch()
    out = tmp_path / "run.jsonl"
    assert len(process_all(kind, url, docs, results=out)) == 6
    [record] = [r for r in lines(out) if r["name"] == "empty.txt"]
    assert (record["ok"], record["skipped"], record["error"]) == (True, "empty", None)
    seen = len(fake.requests)
    assert process_all(kind, url, docs, results=out) == []  # nothing appended, nothing sent
    assert len(lines(out)) == 6
    assert _operations_since(fake, seen) == {}
    (docs / "empty.txt").write_text("not empty any more")
    assert [r.name for r in process_all(kind, url, docs, results=out)] == ["empty.txt"]


def test_a_results_file_with_lines_is_replaced_only_with_overwrite(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    process_all("sync", url, docs, results=out)
    before = out.read_bytes()
    seen = len(fake.requests)
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(FileExistsError, match="overwrite=True") as refused:
            client.process(docs, results=out, resume=False)
        assert refused.value.filename == str(out)
        with pytest.raises(ValueError, match="pass resume=False with overwrite=True"):
            client.process(docs, results=out, overwrite=True)
        with pytest.raises(TypeError, match="overwrite must be True or False"):
            client.process(docs, results=out, resume=False, overwrite=1)  # type: ignore[arg-type]
    assert out.read_bytes() == before
    assert fake.requests[seen:] == []
    two = sorted(docs.iterdir())[:2]
    again = process_all("sync", url, two, results=out, resume=False, overwrite=True)
    assert len(again) == 2
    assert len(lines(out)) == 2


@pytest.mark.parametrize("resume", [False, True])
def test_a_file_that_is_not_a_results_file_is_refused_unless_overwritten(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path, resume: bool
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes\n")
    with AparaviDTC(API_KEY, base_url=url) as client:
        with pytest.raises(NotAResultsFileError, match="not a results file") as refused:
            client.process(docs, results=notes, resume=resume)
        assert isinstance(refused.value, FileExistsError)  # caught as before
        assert refused.value.filename == str(notes)
    assert notes.read_bytes() == b"my notes\n"
    assert fake.requests == []
    assert len(process_all("sync", url, docs, results=notes, resume=False, overwrite=True)) == 5
    assert b"my notes" not in notes.read_bytes()


def test_a_results_file_whose_first_line_was_cut_short_is_still_one(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run.jsonl"
    out.write_bytes(b'{"input": "/gone/file.txt", "vers')  # a run killed writing line one
    assert len(process_all("sync", url, docs, results=out)) == 5
    assert len(lines(out)) == 5


def test_an_empty_or_missing_results_file_starts_without_a_word(
    fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert len(process_all("sync", url, docs, results=empty, resume=False)) == 5
    missing = tmp_path / "missing.jsonl"
    assert len(process_all("sync", url, docs, results=missing, resume=False)) == 5
    assert len(lines(missing)) == 5


def test_a_line_holds_the_text_once(fake: FakeAparavi, url: str, tmp_path: Path) -> None:
    document = tmp_path / "long.txt"
    text = "a line of a long document\n" * 40_000  # about 1 MB
    document.write_text(text)
    out = tmp_path / "run.jsonl"
    (result,) = process_all("sync", url, document, results=out)
    assert result.text == text
    line = out.read_bytes()
    assert len(line) < len(json.dumps(text)) + 2_000  # the text, and a little more
    (record,) = lines(out)
    [item] = record["results"]["objects"].values()
    assert "\n".join(item["text"]) == text  # kept, with the answer it came in
    assert "text" not in record


@pytest.mark.parametrize("kind", KINDS)
def test_a_line_written_with_the_text_twice_is_still_read(
    kind: str, fake: FakeAparavi, url: str, docs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "old.jsonl"
    done = docs / "doc0.txt"
    old = {"input": str(done), "version": "", "ok": True, "name": "doc0.txt"}
    old["version"] = f"{done.stat().st_size}:{done.stat().st_mtime_ns}"
    old |= {"text": "text of doc 0", "results": {"objects": {"1": {"text": ["text of doc 0"]}}}}
    out.write_text(json.dumps(old) + "\n")
    again = process_all(kind, url, docs, results=out)
    assert sorted(r.name for r in again) == [f"doc{i}.txt" for i in range(1, 5)]
    assert lines(out)[0] == old  # kept as it was
