"""The wheel: what it holds, and that it installs and works in a clean virtualenv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("aparavi_dtc-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "aparavi_dtc/__init__.py" in names
    assert "aparavi_dtc/py.typed" in names
    assert "aparavi_dtc_api/models/task_status.py" in names
    assert not any(n.startswith(("tests/", "tools/")) for n in names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    requires = sorted(line for line in text.splitlines() if line.startswith("Requires-Dist"))
    assert requires == [
        "Requires-Dist: aiohttp<4,>=3.11",
        "Requires-Dist: attrs<27,>=23.1",
        "Requires-Dist: httpx<0.29,>=0.27",
        "Requires-Dist: rich<16,>=13; extra == 'cli'",
    ]
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "aparavi-dtc = aparavi_dtc._cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_wheel_installs_into_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    check = (
        "import sys, aparavi_dtc, aparavi_dtc_api; "
        "assert 'rich' not in sys.modules; "
        "assert aparavi_dtc.__file__.startswith(sys.prefix); "
        "print(aparavi_dtc.__version__)"
    )
    done = subprocess.run([str(python), "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0.1.0"
    cli = subprocess.run(
        [str(env_dir / "bin" / "aparavi-dtc"), "--version"], capture_output=True, text=True
    )
    assert cli.stdout.strip() == "aparavi-dtc 0.1.0"
