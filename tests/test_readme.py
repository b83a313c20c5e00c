"""The README's quickstart runs as written, against a Prism mock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
