"""The package's modules form layers: no import cycle (at module level, in a function or
for type checking alike), the HTTP stacks below what builds requests and reads answers,
and every module importable on its own, first."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wrapper" / "aparavi_dtc"

#: What the HTTP stacks (``_transports``) may use: leaf modules that build nothing.
TRANSPORT_MAY_USE = {
    "aparavi_dtc._types",
    "aparavi_dtc._redact",
    "aparavi_dtc._checks",
    "aparavi_dtc._config",
    "aparavi_dtc._exceptions",
    "aparavi_dtc._limits",
    "aparavi_dtc._url",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's modules ``name`` imports, wherever the import statement is."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from .pkg import sub` imports the submodule; `from .mod import name`, the module.
            candidates = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {each for each in candidates if each in MODULES and each != name}
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_no_module_imports_one_that_imports_it_back() -> None:
    cycles = []
    for start in GRAPH:
        stack = [(start, [start])]
        seen = set()
        while stack:
            name, path = stack.pop()
            for nxt in GRAPH[name]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert not cycles, "\n".join(sorted(set(cycles)))


def test_the_http_stacks_use_only_leaf_modules() -> None:
    upward = {
        (name, used)
        for name, used_all in GRAPH.items()
        if name.startswith("aparavi_dtc._transports")
        for used in used_all
        if not used.startswith("aparavi_dtc._transports") and used not in TRANSPORT_MAY_USE
    }
    assert not upward, sorted(upward)


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"aparavi_dtc.__main__"}))  # a script
def test_each_module_imports_on_its_own(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0 and "ModuleNotFoundError: No module named" in done.stderr:
        missing = done.stderr.strip().splitlines()[-1]
        if not any(own in missing for own in ("aparavi_dtc", "aparavi_dtc_api")):
            pytest.skip(f"an optional dependency is missing: {missing}")
    assert done.returncode == 0, done.stderr
