"""`make demo`'s script runs the main job against Prism and prints the task's status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_runs_the_main_job_against_prism() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = ["Pipeline is valid", "Task status: Running", "Task deleted", "Mock stopped"]
    assert [line for line in lines if line in expected] == expected
    assert "Task started: Task(token='***7e6f', type='cpu')" in lines
    assert "6f1c0d9e2b7a4c3f8e5d1a0b9c8d7e6f" not in done.stdout + done.stderr
