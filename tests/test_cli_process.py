"""``aparavi-dtc process`` run in this process (``main(argv)``) against the fake on
loopback: what it refuses, what it keeps, what it lists, and where it writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from aparavi_dtc._cli.core import main
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str) -> str:
    for name in ("APARAVI_API_KEY", "APARAVI_BASE_URL", "APARAVI_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APARAVI_API_KEY", API_KEY)
    monkeypatch.setenv("APARAVI_BASE_URL", url)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    return url


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A folder as the issue's: documents at the top and in a tree below."""
    root = tmp_path / "data"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "doc01.txt").write_text("first")
    (root / "doc02.pdf").write_text("second")
    (root / "sub" / "s1.txt").write_text("sub one")
    (root / "sub" / "deeper" / "s2.csv").write_text("a,b\n1,2\n")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["process", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def sent(fake: FakeAparavi) -> int:
    return sum(r.operation == "sendToWebhook" for r in fake.requests)


# -- the results file ---------------------------------------------------------------------


def test_an_existing_results_file_is_kept_without_a_word(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "keep.jsonl"
    assert run(capsys, str(data), "--out", str(out))[0] == 0
    before = out.read_bytes()
    seen = len(fake.requests)
    code, stdout, stderr = run(capsys, str(data / "sub"), "--out", str(out))
    assert code == 2
    assert "--resume" in stderr
    assert "--overwrite" in stderr
    assert str(out) in stderr
    assert stdout == ""
    assert out.read_bytes() == before  # not a byte changed
    assert fake.requests[seen:] == []  # nothing sent, no task started


@pytest.mark.parametrize("how", [(), ("--resume",), ("--dry-run",), ("--resume", "--dry-run")])
def test_a_file_that_is_not_a_results_file_is_neither_appended_to_nor_resumed(
    env: str,
    fake: FakeAparavi,
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    how: tuple[str, ...],
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\nnot results\n")
    code, stdout, stderr = run(capsys, str(data), "--out", str(notes), *how)
    assert code == 2
    assert f"{notes} is not a results file" in stderr
    assert "--resume" not in stderr  # which would append to it
    assert "--overwrite" in stderr
    assert stdout == ""
    assert notes.read_text() == "my notes\nnot results\n"
    assert fake.requests == []


def test_one_file_done_earlier_is_said_in_the_singular(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "one.jsonl"
    assert run(capsys, str(data / "doc01.txt"), "--out", str(out))[0] == 0
    code, _, stderr = run(capsys, str(data), "--out", str(out), "--resume", "--dry-run")
    assert code == 0, stderr
    assert "(1 more was done in an earlier run)" in stderr


def test_overwrite_starts_the_results_file_afresh(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "keep.jsonl"
    assert run(capsys, str(data), "--out", str(out))[0] == 0
    assert len(lines_of(out)) == 4
    code, _, stderr = run(capsys, str(data / "sub"), "--out", str(out), "--overwrite")
    assert code == 0, stderr
    assert len(lines_of(out)) == 2


def test_an_empty_results_file_needs_no_word(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new.jsonl"
    out.touch()
    code, _, stderr = run(capsys, str(data), "--out", str(out))
    assert code == 0, stderr
    assert len(lines_of(out)) == 4


def test_resume_and_overwrite_together_are_a_usage_error(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "keep.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(["process", str(data), "--out", str(out), "--resume", "--overwrite"])
    assert exit_.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
    assert not out.exists()
    assert fake.requests == []


# -- empty files --------------------------------------------------------------------------


def test_an_empty_file_is_skipped_named_and_counted(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / "sub" / "empty.txt").touch()
    out = tmp_path / "run.jsonl"
    code, _, stderr = run(capsys, str(data), "--out", str(out))
    assert code == 0, stderr
    empty = str(data / "sub" / "empty.txt")
    assert f"{empty}: skipped (empty)" in stderr
    assert f"Processed 4 of 5 files (1 empty file skipped: {empty})" in stderr
    [record] = [r for r in lines_of(out) if r["input"] == empty]
    assert record["skipped"] == "empty"
    assert sent(fake) == 4
    seen = len(fake.requests)
    code, _, stderr = run(capsys, str(data), "--out", str(out), "--resume")
    assert code == 0, stderr
    assert len(lines_of(out)) == 5  # no line more for it
    assert fake.requests[seen:] == []
    code, stdout, _ = run(capsys, str(data), "--out", str(out), "--overwrite", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert (summary["succeeded"], summary["failed"], summary["empty"]) == (4, 0, [empty])


def test_many_empty_files_are_counted_and_some_named(
    env: str, fake: FakeAparavi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "blank"
    folder.mkdir()
    for index in range(5):
        (folder / f"e{index}.txt").touch()
    code, _, stderr = run(capsys, str(folder))
    assert code == 0, stderr
    named = ", ".join(str(folder / f"e{index}.txt") for index in range(3))
    assert f"Processed 0 of 5 files (5 empty files skipped: {named} and 2 more)" in stderr
    assert fake.requests == []  # nothing to send: no task


# -- choosing files, and a dry run ---------------------------------------------------------


def test_include_and_exclude_choose_the_files(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run.jsonl"
    args = ["--include", "*.txt", "--include", "*.csv", "--exclude", "sub/deeper/*"]
    code, _, stderr = run(capsys, str(data), "--out", str(out), *args)
    assert code == 0, stderr
    assert sorted(r["relative_path"] for r in lines_of(out)) == ["doc01.txt", "sub/s1.txt"]
    code, _, stderr = run(capsys, str(data), "--include", "*.docx")
    assert code == 2
    assert "no file is left once include and exclude are applied" in stderr


def test_dry_run_lists_what_would_be_sent_and_sends_nothing(
    env: str,
    fake: FakeAparavi,
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("APARAVI_API_KEY")  # no key needed
    (data / "sub" / "empty.txt").touch()
    code, stdout, stderr = run(capsys, str(data), "--dry-run", "--exclude", "*.pdf")
    assert code == 0, stderr
    assert stdout.splitlines() == [
        f"{data / 'doc01.txt'}  5 bytes",
        f"{data / 'sub' / 'empty.txt'}  0 bytes (empty: skipped)",
        f"{data / 'sub' / 's1.txt'}  7 bytes",
        f"{data / 'sub' / 'deeper' / 's2.csv'}  8 bytes",
    ]
    assert "3 files to send, 20 bytes in all (1 empty file skipped); nothing was sent" in stderr
    assert fake.requests == []
    code, stdout, _ = run(capsys, str(data), "--dry-run", "--json", "--include", "doc*")
    assert code == 0
    listed = json.loads(stdout)
    assert listed["files"] == [
        {"input": str(data / "doc01.txt"), "relative_path": "doc01.txt", "size": 5},
        {"input": str(data / "doc02.pdf"), "relative_path": "doc02.pdf", "size": 6},
    ]
    assert (listed["total"], listed["bytes"], listed["empty"]) == (2, 11, [])
    assert fake.requests == []


def test_dry_run_with_resume_leaves_out_what_the_results_file_shows_done(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run.jsonl"
    assert run(capsys, str(data / "sub"), "--out", str(out))[0] == 0
    before, seen = out.read_bytes(), len(fake.requests)
    code, stdout, stderr = run(capsys, str(data), "--out", str(out), "--resume", "--dry-run")
    assert code == 0, stderr
    assert stdout.splitlines() == [
        f"{data / 'doc01.txt'}  5 bytes",
        f"{data / 'doc02.pdf'}  6 bytes",
    ]
    assert "2 files to send, 11 bytes in all (2 more were done in an earlier run)" in stderr
    assert out.read_bytes() == before
    assert fake.requests[seen:] == []
    code, _, stderr = run(capsys, str(data), "--out", str(out), "--dry-run")
    assert code == 2  # as the run itself would be refused
    assert "pass --resume to go on from them, or --overwrite to replace them" in stderr
    assert out.read_bytes() == before


# -- --out-dir ------------------------------------------------------------------------------


def test_out_dir_keeps_the_folder_tree(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = tmp_path / "texts"
    code, _, stderr = run(capsys, str(data), "--out-dir", str(texts))
    assert code == 0, stderr
    written = sorted(p.relative_to(texts).as_posix() for p in texts.rglob("*") if p.is_file())
    assert written == [
        "doc01.txt.txt",
        "doc02.pdf.txt",
        "sub/deeper/s2.csv.txt",
        "sub/s1.txt.txt",
    ]
    assert (texts / "sub" / "deeper" / "s2.csv.txt").read_text() == "a,b\n1,2\n"


def test_out_dir_writes_over_nothing_without_overwrite(
    env: str, fake: FakeAparavi, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = tmp_path / "texts"
    (texts / "sub").mkdir(parents=True)
    (texts / "sub" / "s1.txt.txt").write_text("mine")
    code, _, stderr = run(capsys, str(data), "--out-dir", str(texts))
    assert code == 2
    assert "--overwrite" in stderr
    assert fake.requests == []
    assert (texts / "sub" / "s1.txt.txt").read_text() == "mine"
    code, _, stderr = run(capsys, str(data), "--out-dir", str(texts), "--dry-run")
    assert code == 2  # as the run itself would be refused
    assert "--overwrite" in stderr
    code, _, stderr = run(capsys, str(data), "--out-dir", str(texts), "--overwrite")
    assert code == 0, stderr
    assert (texts / "sub" / "s1.txt.txt").read_text() == "sub one"


def test_out_dir_keeps_every_path_inside_it(
    env: str, fake: FakeAparavi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from aparavi_dtc._cli.process import DirectorySink

    texts = tmp_path / "texts"
    texts.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (texts / "link").symlink_to(outside)
    sink = DirectorySink(texts, lambda text: text, overwrite=True)
    odd = ["../up.txt", "/etc/abs.txt", "a/../../b.txt", "..", ".", "", "x\\..\\y.txt", "link/z"]
    targets = [sink.target(name, index) for index, name in enumerate(odd)]
    for target in targets:
        assert os.path.realpath(target).startswith(os.path.realpath(texts) + os.sep), target
    assert len(set(targets)) == len(targets)
