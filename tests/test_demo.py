"""`make demo` runs the main job on the fake with the package's runtime dependencies alone
(no Node, nothing of requirements-dev.txt), and prints the text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _runtime_distributions() -> set[str]:
    """The distributions `pip install .` brings: pyproject's dependencies without extras,
    and theirs, as installed here."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    todo = [Requirement(line) for line in pyproject["project"]["dependencies"]]
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in found:
            found.add(name)
            todo.extend(Requirement(line) for line in metadata.requires(name) or ())
    return found


# Run a script with every installed package that is not a runtime dependency unimportable,
# as in a virtual environment that holds the package alone.
ONLY_RUNTIME = """
import importlib.abc, runpy, sys
allowed, owners, script = sys.argv[1].split(","), {owners!r}, sys.argv[2]

class OnlyRuntime(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        dists = owners.get(name.partition(".")[0])
        if dists and not set(dists) & set(allowed):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, OnlyRuntime())
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
"""


def test_demo_runs_the_main_job_on_the_fake_with_the_runtime_dependencies_alone() -> None:
    runtime = _runtime_distributions()
    assert {"httpx", "attrs"} <= runtime
    assert "pytest" not in runtime
    owners = {
        module: sorted(canonicalize_name(dist) for dist in dists)
        for module, dists in metadata.packages_distributions().items()
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    env["PATH"] = str(Path(sys.executable).parent)  # no node, npm or npx to be found
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            ONLY_RUNTIME.format(owners=owners),
            ",".join(sorted(runtime)),
            str(ROOT / "examples" / "demo.py"),
        ],
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


def test_the_runtime_only_guard_refuses_a_development_package(tmp_path: Path) -> None:
    script = tmp_path / "uses_yaml.py"
    script.write_text("import yaml\n", encoding="utf-8")
    owners = {m: list(d) for m, d in metadata.packages_distributions().items()}
    done = subprocess.run(
        [sys.executable, "-c", ONLY_RUNTIME.format(owners=owners), "httpx,attrs", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "No module named 'yaml'" in done.stderr


def _make_n(tree: Path, target: str) -> str:
    """What `make TARGET` would run in ``tree`` (`make -n`: nothing is run)."""
    # Run under `make test` too: a sub-make would print the folders it enters.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_installs_the_package_alone_and_make_test_still_installs_everything(
    tmp_path: Path,
) -> None:
    for name in ("Makefile", "pyproject.toml", "requirements-dev.txt", "package.json"):
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copy2(ROOT / "package-lock.json", tmp_path / "package-lock.json")

    demo = _make_n(tmp_path, "demo")
    assert "requirements-dev.txt" not in demo
    assert "npm" not in demo
    assert "-m pip install --quiet --disable-pip-version-check -e .\n" in demo
    assert demo.rstrip().endswith(".venv/bin/python examples/demo.py")

    # After a demo: its stamp is there, the venv too; the next demo installs nothing...
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "pyvenv.cfg").touch()
    (tmp_path / ".venv" / "bin" / ".demo-installed").touch()
    assert "pip" not in _make_n(tmp_path, "demo")
    # ...and the tests still get their whole environment.
    pytest_run = _make_n(tmp_path, "pytest")
    assert "-m pip install --quiet --disable-pip-version-check -r requirements-dev.txt" in (
        pytest_run
    )
    assert "npm ci" in pytest_run
