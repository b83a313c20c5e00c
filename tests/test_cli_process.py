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
