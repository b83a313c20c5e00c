"""``make mutate``: mutmut over the modules that hold the SDK's promises, in a scratch copy.

Which modules, and mutmut's options, are in ``pyproject.toml`` under ``[tool.mutmut]``;
TESTING.md has the scores and explains every surviving mutant. This script:

1. copies the repository's tracked files (as they are in the working tree) to a scratch
   directory, ``$MUTATE_DIR`` or ``<tmp>/aparavi-dtc-mutate``, wiped first, so that the
   working tree is never touched and nothing but the repository's files is tested;
2. makes ``wrapper/`` reachable as ``src/`` there too: mutmut names a module after its path
   under ``src/``, which gives ``aparavi_dtc._redact``, the name the tests import;
3. runs ``mutmut run`` with ``$MUTATE_JOBS`` workers (default: one per core). mutmut runs
   the suite once to record which tests call each function, then runs only those tests
   against each mutant of that function, stopping at the first failure. Subprocesses (the
   command line, the logging tests) import the mutated code too, through ``PYTHONPATH``;
4. prints, per module, the mutants killed and the score, and every survivor as a diff
   (also written to ``report.md`` in the scratch directory), and exits 1 when a module
   scores below :data:`FLOOR`.

``mutmut show NAME``, ``mutmut browse`` and ``mutmut run NAME`` work in the scratch
directory afterwards (with ``.venv/bin`` on ``PATH``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: Marks a scratch directory as one this script made, and may wipe.
MARK = ".aparavi-dtc-mutate"
#: Each module's share of mutants killed must reach this percentage (TESTING.md).
FLOOR = 90.0
#: mutmut's verdicts that count as a mutant the tests caught.
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS |= {36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"}
STATUS |= {37: "caught by type check", -11: "segfault", -9: "segfault"}


def tracked() -> list[str]:
    """The repository's files, as git lists them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [name for name in listed.decode().split("\0") if name]


def lay_out(work: Path) -> None:
    """The scratch copy: the tracked files, ``src`` -> ``wrapper``, and ``mutants/`` holding
    everything the tests read but the package itself (mutmut copies that, mutated)."""
    if work.exists():
        if not (work / MARK).exists() and any(work.iterdir()):
            sys.exit(f"mutate: {work} is not empty and not a scratch copy of ours: not wiping it")
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / MARK).touch()
    files = tracked()
    for name in files:
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    (work / "src").symlink_to("wrapper", target_is_directory=True)
    mutants = work / "mutants"
    mutants.mkdir()
    for top in sorted({name.split("/")[0] for name in files} - {"wrapper"}):
        source = work / top
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, mutants / top, symlinks=True)
        elif source.exists() or source.is_symlink():
            shutil.copy2(source, mutants / top, follow_symlinks=False)
    # Exists before mutmut starts, so that the import system never caches it as missing.
    (mutants / "src").mkdir()
    if (ROOT / "node_modules").is_dir():  # Prism, for the tests that run it
        (mutants / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


def run_mutmut(work: Path) -> None:
    jobs = os.environ.get("MUTATE_JOBS") or str(os.cpu_count() or 2)
    env = dict(os.environ)
    paths = [str(work / "mutants" / "src"), str(work / "generated"), str(work / "tools")]
    env["PYTHONPATH"] = os.pathsep.join(paths + [p for p in [env.get("PYTHONPATH")] if p])
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    command = [str(BIN / "mutmut"), "run", "--max-children", jobs]
    print(f"mutate: {' '.join(command)} in {work}", flush=True)
    done = subprocess.run(command, cwd=work, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"mutate: mutmut failed (exit {done.returncode}); see above")


def verdicts(work: Path) -> dict[str, dict[str, str]]:
    """``{module file: {mutant: status}}`` from mutmut's result files."""
    config = tomllib.loads((work / "pyproject.toml").read_text(encoding="utf-8"))
    chosen = config["tool"]["mutmut"]["only_mutate"]
    found: dict[str, dict[str, str]] = {}
    for pattern in chosen:
        for source in sorted(work.glob(pattern)):
            relative = source.relative_to(work)
            meta = work / "mutants" / f"{relative}.meta"
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            found[str(relative)] = {
                name: STATUS.get(code, "suspicious") for name, code in sorted(codes.items())
            }
    return found


def show(work: Path, name: str) -> str:
    done = subprocess.run(
        [str(BIN / "mutmut"), "show", name], cwd=work, capture_output=True, text=True
    )
    return done.stdout.strip() or done.stderr.strip()


def report(work: Path) -> bool:
    """Print and write the scores and the survivors; True when every module reaches FLOOR."""
    found = verdicts(work)
    lines = ["| module | mutants | killed | survived | score |", "|---|---:|---:|---:|---:|"]
    survivors: list[tuple[str, str]] = []
    ok = True
    totals: Counter[str] = Counter()
    for module, statuses in found.items():
        counts = Counter(statuses.values())
        counted = len(statuses) - counts["skipped"]
        caught = sum(counts[s] for s in DETECTED)
        score = 100.0 * caught / counted if counted else 100.0
        ok = ok and score >= FLOOR
        name = Path(module).name
        lines.append(f"| {name} | {counted} | {caught} | {counted - caught} | {score:.1f}% |")
        totals.update(counted=counted, caught=caught)
        survivors += [(m, s) for m, s in statuses.items() if s not in DETECTED | {"skipped"}]
    overall = 100.0 * totals["caught"] / totals["counted"] if totals["counted"] else 100.0
    lines.append(
        f"| all | {totals['counted']} | {totals['caught']} | "
        f"{totals['counted'] - totals['caught']} | {overall:.1f}% |"
    )
    lines += ["", f"## {len(survivors)} surviving mutants", ""]
    for mutant, status in survivors:
        lines += [f"### {mutant} ({status})", "", "```diff", show(work, mutant), "```", ""]
    text = "\n".join(lines) + "\n"
    (work / "report.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"mutate: report in {work / 'report.md'}")
    return ok


def main() -> None:
    default = Path(tempfile.gettempdir()) / "aparavi-dtc-mutate"
    work = Path(os.environ.get("MUTATE_DIR") or default).resolve()
    if work == ROOT or ROOT in work.parents:
        sys.exit("mutate: MUTATE_DIR must be outside the repository")
    lay_out(work)
    run_mutmut(work)
    if not report(work):
        sys.exit(f"mutate: a module scores below {FLOOR:g}%: see TESTING.md")


if __name__ == "__main__":
    main()
