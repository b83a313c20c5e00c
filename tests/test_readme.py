"""The README's quickstart runs as written, against a Prism mock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from prism import running_prism

ROOT = Path(__file__).resolve().parent.parent


def test_quickstart_runs_against_prism() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", quickstart, re.S)[:1]
    with running_prism() as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
        env |= {"APARAVI_API_KEY": "readme-key-0123456789", "APARAVI_BASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Task started: Task(token='***7e6f', type='cpu')"
    assert lines[1] == "Task status: Running"
    assert lines[2].startswith("Task details: TaskStatus(")
    assert "Error" not in done.stdout


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"### {title}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def _run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    return subprocess.run(
        [sys.executable, *args] if args else [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=cwd,
    )


@pytest.mark.parametrize("title", ["The fake", "respx", "The spec, for your own contract tests"])
def test_testing_examples_run_as_written(title: str) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section(title), re.S)
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_the_fixture_example_passes_under_pytest(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("pytest fixtures"), re.S)
    (tmp_path / "test_example.py").write_text(code, encoding="utf-8")
    done = _run("", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def _against_the_fake(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in ``cwd`` with the key and base URL of a fake served on loopback, which
    must be left with no task; it must succeed."""
    harness = (
        "from aparavi_dtc.testing import FakeAparavi\n"
        "fake = FakeAparavi(api_key='readme-key-0123456789')\n"
        "with fake.serve() as url:\n"
        "    import os; os.environ['APARAVI_BASE_URL'] = url\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "assert fake.tasks == {}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    env["APARAVI_API_KEY"] = "readme-key-0123456789"
    done = subprocess.run(
        [sys.executable, "-c", harness],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_process_documents_example_runs_against_the_fake(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("Process documents"), re.S)[:1]
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7 quarterly")
    (tmp_path / "notes.txt").write_text("buy milk\n", encoding="utf-8")
    done = _against_the_fake(code, tmp_path)
    assert done.stdout.splitlines() == [
        "report.pdf [binary content of report.pdf: 18 bytes]",
        "notes.txt buy milk",
        "",
    ]


def test_many_files_example_runs_against_the_fake(tmp_path: Path) -> None:
    sync_code, async_code = re.findall(
        r"```python\n(.*?)```", _section("Many files: `process()`"), re.S
    )
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "b.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "recordings").mkdir()
    (tmp_path / "recordings" / "c.mp3").write_bytes(b"ID3 sound")
    body = (
        sync_code
        + "import asyncio\nfrom aparavi_dtc import AsyncAparaviDTC\n"
        + "async def main():\n"
        + "".join(f"    {line}\n" for line in async_code.splitlines())
        + "asyncio.run(main())\n"
    )
    done = _against_the_fake(body, tmp_path)
    assert sorted(done.stdout.splitlines()) == [
        "c.mp3 True",
        "inbox/b.pdf [binary content of b.pdf: 8 bytes]",
        "scans/a.txt alpha",
    ]


def test_the_resume_example_skips_on_a_second_run(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("Resuming an interrupted run"), re.S)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "archive" / "b.txt").write_text("beta", encoding="utf-8")
    code = "from aparavi_dtc import AparaviDTC\n" + code
    first = _against_the_fake(code, tmp_path)
    assert first.stdout == "2 to do, 0 done by an earlier run\n"
    again = _against_the_fake(code, tmp_path)
    assert again.stdout == "0 to do, 2 done by an earlier run\n"


def test_the_object_store_example_runs_against_moto(tmp_path: Path) -> None:
    import fsspec
    from s3_server import KEY, serving_s3, storage_options

    (code,) = re.findall(r"```python\n(.*?)```", _section("Documents in object stores"), re.S)
    with serving_s3("bucket") as endpoint:
        store = fsspec.filesystem("s3", **storage_options(endpoint))
        store.pipe("bucket/reports/2026/q3.pdf", b"%PDF-1.7 q3")
        store.pipe("bucket/reports/notes.txt", b"not a pdf")
        aws = {  # where s3fs finds an endpoint and keys by itself
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        body = "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in aws.items())
        done = _against_the_fake("from aparavi_dtc import AparaviDTC\n" + body + code, tmp_path)
    assert done.stdout == "s3://bucket/reports/2026/q3.pdf True\n"


def test_the_loader_example_runs_against_the_fake(tmp_path: Path) -> None:
    (code,) = re.findall(
        r"```python\n(.*?)```", _section("Loaders for LangChain and LlamaIndex"), re.S
    )
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "lease.txt").write_text("the lease", encoding="utf-8")
    done = _against_the_fake(code, tmp_path)
    assert done.stdout == "contracts/lease.txt the lease\n1 documents\n"


def test_the_raw_response_example_runs_against_the_fake(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("Raw responses"), re.S)
    done = _against_the_fake("from aparavi_dtc import AparaviDTC\n" + code, tmp_path)
    first, second = done.stdout.splitlines()
    assert first.startswith("200 application/json {'cpu': ")
    assert first.endswith("s")
    assert second
