"""``aparavi-dtc process`` run in this process (``main(argv)``) against the fake on
loopback: what it refuses, what it keeps, what it lists, and where it writes."""

from __future__ import annotations

import json
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
