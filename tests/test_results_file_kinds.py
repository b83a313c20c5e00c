"""Odd files named as the results file of ``process``: a file that holds no file's result
is never appended to or resumed, whatever else its lines hold; checking a file costs
neither a hang nor memory in proportion to its size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aparavi_dtc.testing import FakeAparavi

from .test_cli_process import data, env, run  # noqa: F401 - fixtures

DATASET = (
    b'{"input": "What is 2+2?", "output": "4"}\n'
    b'{"input": "Capital of France?", "output": "Paris"}\n'
)
#: A JSON array written one object a line, as many tools print one.
ARRAY = b'[\n{"input": "a.txt", "score": 1},\n{"input": "b.txt", "score": 2}\n]\n'


@pytest.mark.parametrize("content", [DATASET, ARRAY], ids=["jsonl-of-other-objects", "json-array"])
@pytest.mark.parametrize("how", [(), ("--resume",)])
def test_a_file_whose_lines_have_an_input_key_but_are_no_results_is_left_alone(
    env: str,  # noqa: F811
    fake: FakeAparavi,
    data: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    how: tuple[str, ...],
) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_bytes(content)
    code, _, stderr = run(capsys, str(data), "--out", str(mine), *how)
    assert mine.read_bytes() == content  # never appended to
    assert code == 2
    assert f"{mine} is not a results file" in stderr
    assert fake.requests == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
@pytest.mark.timeout(20)  # reading a FIFO would wait for a writer for ever
def test_dry_run_with_a_fifo_as_the_results_file_does_not_hang(
    env: str,  # noqa: F811
    data: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code, _, stderr = run(capsys, str(data), "--out", str(fifo), "--dry-run")
    assert code == 0, stderr
    assert "nothing was sent (--dry-run)" in stderr


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS as Linux counts it")
def test_checking_a_large_file_without_newlines_takes_no_memory_in_proportion(
    tmp_path: Path,
) -> None:
    big = tmp_path / "disk.img"
    with open(big, "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB, sparse: no newline anywhere
    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))\n"
        "from aparavi_dtc._resume import NotAResultsFileError, check_results\n"
        "try:\n"
        f"    check_results({str(big)!r}, resume=True, overwrite=False)\n"
        "except NotAResultsFileError:\n"
        "    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout == "refused\n", done.stderr[-500:]


@pytest.mark.parametrize(
    ("start", "ours"),
    [
        (b'{"input": "a.txt", "version": "1:2", "ok": true, "name": "a.txt"}\n', True),
        (b'{"input": "a.txt", "version": "1:2", "ok": false, "error": "x"}\n{"i', True),
        (b'{"input": "a\\"b.txt", "version": "1:2", "ok": tr', True),  # cut by a kill
        (b'{"input": "a.txt", "vers', True),
        (b'{"input": "a.tx', True),
        (b'{"inp', True),
        (b'{"ok": true, "version": "1", "input": "a.txt"}\n', True),  # another spelling
        (b'{"input": "What is 2+2?", "output": "4"}', False),  # a dataset's one line
        (b'{"input": "What is 2+2?", "output": "4"}\n', False),
        (b'{"input": "a.txt", "version": "1:2", "ok": maybe}\n', False),
        (b'{"input": "a.txt", "version": 7}\n', False),
        (b"not json\n" + b'{"input": "a.txt", "version": "1:2", "ok": true}\n', True),
        (b'{"input": "a.txt", "version": "1:2", "ok": true}' + b"x" * (1 << 17), True),
        (b'{"input": "a.txt"' + b"x" * (1 << 17), False),  # a long line, not ours
        (b"my notes\n", False),
        (b"[\n", False),
        (b"\x00\x01\x02", False),
    ],
)
def test_what_makes_a_results_file(start: bytes, ours: bool) -> None:
    from aparavi_dtc._resume import _is_results

    assert _is_results(start) is ours
