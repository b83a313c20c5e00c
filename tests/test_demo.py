"""`make demo`'s script runs the main job on the fake, with no Node, and prints the text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_the_main_job_on_the_fake_without_node() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    env["PATH"] = str(Path(sys.executable).parent)  # no node, npm or npx to be found
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:3] == ["Pipeline is valid: simple-parser", "Task status: Running"]
    invoice = (ROOT / "examples" / "documents" / "invoice.txt").read_text(encoding="utf-8")
    start = lines.index("--- invoice.txt") + 1
    assert lines[start : start + len(invoice.splitlines())] == invoice.splitlines()
    assert "--- meeting-notes.md" in lines
    assert lines[-2:] == ["Task deleted", "Fake stopped"]
    assert done.stderr == ""
