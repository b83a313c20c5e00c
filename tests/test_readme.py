"""The user docs are true as written: every code block of README.md, every page of docs/,
TESTING.md and CONTRIBUTING.md is checked.

- A ```python block runs against the SDK's fake, with the files it names made in a
  temporary directory, and what it prints is checked (against its own comments where it
  has them). A block that cannot run says so just above itself,
  ``<!-- not run: REASON -->``, with a reason listed in :data:`NOT_RUN`.
- A ```sh block's ``aparavi-dtc`` commands run in order, as a shell runs them, against a
  fake served here; ``make`` lines must name targets of the Makefile, ``pip`` lines extras
  of pyproject.toml and the wheel this version builds; ``export`` sets the environment.
- A ```json block parses; a ```text block (a diagram, an output) is prose.

Any other block, or a line of a kind this file does not know, fails
:func:`test_every_block_of_the_docs_is_checked`: a new block cannot slip in unchecked.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prism import PRISM, free_port

from aparavi_dtc import AparaviDTC, __version__
from aparavi_dtc.testing import FakeAparavi

ROOT = Path(__file__).resolve().parent.parent
#: Every Markdown file of the docs, as a path from the root: README.md (also the package's
#: page), the site's pages and the root files the site shows (tools/mkdocs_hooks.py).
DOCS = (
    "README.md",
    "TESTING.md",
    "CONTRIBUTING.md",
    "BENCHMARKS.md",
    "CHANGELOG.md",
    *sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("**/*.md")),
)
KEY = "readme-key-0123456789"
BIN = Path(sys.executable).parent  # where pip put `aparavi-dtc`

# -- the blocks --------------------------------------------------------------------------

FENCE = re.compile(r"^```(.*)$")
NOT_RUN_MARK = re.compile(r"<!-- not run: (.+?) -->")
KINDS = ("python", "sh", "json", "text")


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its kind and code, and its not-run mark if any."""

    doc: str
    line: int
    section: str  # the heading above it
    lang: str
    index: int  # among the blocks of its kind in its section
    code: str
    not_run: str | None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.doc, self.section, self.index)

    def __str__(self) -> str:
        return f"{self.doc}:{self.line} (```{self.lang} #{self.index} of {self.section!r})"


def parse_blocks(doc: str, text: str) -> list[Block]:
    """Every fenced block of ``text``, in order."""
    found: list[Block] = []
    counts: dict[tuple[str, str], int] = {}
    section, lines, i = "", text.splitlines(), 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            heading = re.match(r"#+ (.+)", lines[i])
            section = heading.group(1).strip() if heading else section
            i += 1
            continue
        end = lines.index("```", i + 1) if "```" in lines[i + 1 :] else len(lines)
        before = next((line for line in reversed(lines[:i]) if line.strip()), "")
        mark = NOT_RUN_MARK.fullmatch(before.strip())
        lang = fence.group(1).strip()
        index = counts.get((section, lang), 0)
        counts[(section, lang)] = index + 1
        code = "\n".join(lines[i + 1 : end]) + "\n"
        found.append(Block(doc, i + 1, section, lang, index, code, mark and mark.group(1)))
        i = end + 1
    return found


def doc_blocks() -> list[Block]:
    return [
        block
        for doc in DOCS
        for block in parse_blocks(doc, (ROOT / doc).read_text(encoding="utf-8"))
    ]


def commands(code: str) -> Iterator[str]:
    """The commands of a shell block, one per line, and the ``# or: ...`` alternatives its
    comments give."""
    for line in code.splitlines():
        command, comment = _split_comment(line.strip())
        if command:
            yield command
        alternative = re.match(r"or: (.+)", comment)
        if alternative:
            yield alternative.group(1).strip()


def _split_comment(line: str) -> tuple[str, str]:
    """``line`` cut at its first ``#`` outside quotes that starts a word: (command, comment)."""
    quote = ""
    for at, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (at == 0 or line[at - 1].isspace()):
            return line[:at].strip(), line[at + 1 :].strip()
    return line.strip(), ""


def words(command: str) -> list[str]:
    """The words of ``command`` after any leading ``NAME=value`` assignments."""
    split = shlex.split(command)
    while split and re.fullmatch(r"[A-Za-z_]\w*=.*", split[0]):
        split.pop(0)
    return split


# -- what the static lines may name ------------------------------------------------------


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", makefile, re.M))


def extras() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(pyproject["project"]["optional-dependencies"])


WHEEL = f"aparavi_dtc-{__version__}-py3-none-any.whl"  # what `pip wheel` builds of this version
CLONE = "/path/to/"  # how the docs write the path of a clone of this repository


def pip_problems(args: list[str]) -> list[str]:
    """What is wrong with ``pip ARGS``: an extra pyproject.toml lacks, a wheel this
    version does not build, an option or a source this check does not know."""
    if args[:1] not in (["install"], ["wheel"]):
        return [f"pip {' '.join(args)}: only `pip install` and `pip wheel` lines are checked"]
    found, rest = [], args[1:]
    while rest:
        arg = rest.pop(0)
        if args[0] == "wheel" and arg in ("--no-deps", "-w"):
            rest = rest[1:] if arg == "-w" else rest
            continue
        if arg.startswith("-"):
            found.append(f"pip {args[0]}: the option {arg} is not known to this check")
            continue
        source, _, extra = arg.partition("[")
        for name in filter(None, extra.rstrip("]").split(",")):
            if name.strip() not in extras():
                found.append(f"{arg}: pyproject.toml has no extra {name.strip()!r}")
        if source.endswith(".whl"):
            if Path(source).name != WHEEL:
                found.append(f"{arg}: this version builds {WHEEL}")
        elif source != "." and not source.startswith(CLONE):
            found.append(f"{arg}: a source is `.` or a clone, {CLONE}...")
    return found


def line_problems(command: str) -> list[str]:
    """What is wrong with one command of a shell block, checked without running it; the
    ``aparavi-dtc`` ones are run by :func:`test_shell_block_runs_against_the_fake`."""
    split = words(command)
    head = split[0] if split else ""
    if head == "make":
        targets = [word for word in split[1:] if not word.startswith("-") and "=" not in word]
        return [
            f"make {t}: no such target in the Makefile" for t in targets if t not in make_targets()
        ]
    if head == "pip":
        return pip_problems(split[1:])
    if head == "export":
        return [
            f"{command}: only APARAVI_* variables are set in the docs"
            for word in split[1:]
            if not word.startswith("APARAVI_")
        ]
    if head == "aparavi-dtc":
        return []
    return [f"{command}: a command this test neither runs nor checks (teach it, or drop it)"]


# -- which block runs how ----------------------------------------------------------------

Runner = Callable[[str, Path], None]
#: How each ```python block runs, by (doc, section, index among its section's Python blocks).
PYTHON_RUNS: dict[tuple[str, str, int], Runner] = {}
#: The blocks that do not run, each with the reason the mark above it gives.
NOT_RUN: dict[tuple[str, str, int], str] = {}


def runs(doc: str, section: str, index: int = 0) -> Callable[[Runner], Runner]:
    def register(runner: Runner) -> Runner:
        PYTHON_RUNS[(doc, section, index)] = runner
        return runner

    return register


def problems(blocks: list[Block]) -> list[str]:
    """Every block of ``blocks`` that nothing checks, and every check without its block."""
    found: list[str] = []
    for block in blocks:
        if block.lang not in KINDS:
            found.append(f"{block}: a block of a kind this test does not check ({KINDS})")
        elif block.lang == "python" and block.not_run is not None:
            if NOT_RUN.get(block.key) != block.not_run:
                found.append(f"{block}: marked not run, for a reason NOT_RUN does not give")
        elif block.lang == "python" and block.key not in PYTHON_RUNS:
            found.append(f"{block}: neither run by tests/test_readme.py nor marked not run")
        elif block.lang == "sh":
            found += [f"{block}: {p}" for c in commands(block.code) for p in line_problems(c)]
        elif block.lang == "json":
            try:
                json.loads(block.code)
            except ValueError as exc:
                found.append(f"{block}: not JSON ({exc})")
    docs = {block.doc for block in blocks}
    keys = {block.key for block in blocks if block.lang == "python"}
    for kind, table in (("a runner", PYTHON_RUNS), ("NOT_RUN", NOT_RUN)):
        found += [
            f"{key}: {kind} for a block the docs no longer have"
            for key in table
            if key[0] in docs and key not in keys
        ]
    return found


# -- running Python blocks ---------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}


def _run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args] if args else [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
        cwd=cwd,
    )


def _against_the_fake(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in ``cwd`` with the key and base URL of a fake served on loopback, which
    must be left with no task and no pipe; it must succeed."""
    harness = (
        "from aparavi_dtc.testing import FakeAparavi\n"
        f"fake = FakeAparavi(api_key={KEY!r})\n"
        "with fake.serve() as url:\n"
        "    import os; os.environ['APARAVI_BASE_URL'] = url\n"
        + textwrap.indent(code, "    ")
        + "\nassert fake.tasks == {}, fake.tasks\nassert fake.pipes == [], fake.pipes\n"
    )
    env = _clean_env() | {"APARAVI_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-c", harness],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr
    return done


def _with_a_client(code: str) -> str:
    """``code`` inside ``with AparaviDTC() as client:``, as a fragment of the docs reads."""
    return (
        "import aparavi_dtc\nfrom aparavi_dtc import AparaviDTC, pipelines\n"
        "with AparaviDTC() as client:\n" + textwrap.indent(code, "    ")
    )


def _comment(code: str, after: str) -> str:
    """The comment of the line of ``code`` that holds ``after``."""
    (line,) = [line for line in code.splitlines() if after in line]
    return _split_comment(line)[1]


def _first_quoted(comment: str) -> str:
    return re.findall(r'"([^"]+)"', comment)[0]


@runs("docs/index.md", "Quickstart")
def quickstart(code: str, tmp_path: Path) -> None:
    lines = _against_the_fake(code, tmp_path).stdout.splitlines()
    started = re.sub(r"\*\*\*\w{4}'", "***'", lines[0])
    assert started == "Task started: " + re.sub(
        r"\*\*\*\w{4}'", "***'", _comment(code, '"Task started:"')
    )
    assert lines[1] == "Task status: " + _first_quoted(_comment(code, '"Task status:"'))
    assert lines[2].startswith("Task details: TaskStatus(")
    assert len(lines) == 3


@runs("README.md", "Quickstart")
@runs("docs/guide/processing.md", "Process documents")
def process_documents(code: str, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7 quarterly")
    (tmp_path / "notes.txt").write_text("buy milk\n", encoding="utf-8")
    assert _against_the_fake(code, tmp_path).stdout.splitlines() == [
        "report.pdf [binary content of report.pdf: 18 bytes]",
        "notes.txt buy milk",
        "",
    ]


@runs("docs/guide/pipes.md", "Pipes")
def pipes(code: str, tmp_path: Path) -> None:
    for name in ("p1.png", "p2.png", "p3.png"):
        (tmp_path / name).write_bytes(b"\x89PNG " + name.encode())
    shown = "\n    print(sorted(o.name for o in result.objects.values()))\n"
    done = _against_the_fake(_with_a_client(code + shown), tmp_path)  # the pipe is deleted
    assert done.stdout == "['p3.png']\n"


def _many_files(tmp_path: Path) -> None:
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "b.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "recordings").mkdir()
    (tmp_path / "recordings" / "c.mp3").write_bytes(b"ID3 sound")


@runs("docs/guide/processing.md", "Many files: `process()`")
def many_files(code: str, tmp_path: Path) -> None:
    _many_files(tmp_path)
    assert sorted(_against_the_fake(code, tmp_path).stdout.splitlines()) == [
        "inbox/b.pdf [binary content of b.pdf: 8 bytes]",
        "scans/a.txt alpha",
    ]


@runs("docs/guide/processing.md", "Many files: `process()`", 1)
def many_files_async(code: str, tmp_path: Path) -> None:
    _many_files(tmp_path)
    body = (
        "import asyncio\nfrom aparavi_dtc import AsyncAparaviDTC\nasync def main():\n"
        + textwrap.indent(code, "    ")
        + "asyncio.run(main())\n"
    )
    assert _against_the_fake(body, tmp_path).stdout == "c.mp3 True\n"


@runs("README.md", "Async")
def readme_async(code: str, tmp_path: Path) -> None:
    (tmp_path / "inbox" / "sub").mkdir(parents=True)
    (tmp_path / "inbox" / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "inbox" / "sub" / "b.pdf").write_bytes(b"%PDF-1.7")
    lines = _against_the_fake(code, tmp_path).stdout.splitlines()
    assert sorted(lines) == ["a.txt True", "sub/b.pdf True"]


@runs("docs/guide/processing.md", "Resuming an interrupted run")
def resume(code: str, tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "archive" / "b.txt").write_text("beta", encoding="utf-8")
    code = "from aparavi_dtc import AparaviDTC\n" + code
    first = _against_the_fake(code, tmp_path)
    assert first.stdout == "2 to do, 0 done by an earlier run\n"
    again = _against_the_fake(code, tmp_path)
    assert again.stdout == "0 to do, 2 done by an earlier run\n"


@runs("docs/guide/processing.md", "Documents in object stores")
def object_stores(code: str, tmp_path: Path) -> None:
    import fsspec
    from s3_server import KEY as S3_KEY
    from s3_server import serving_s3, storage_options

    with serving_s3("bucket") as endpoint:
        store = fsspec.filesystem("s3", **storage_options(endpoint))
        store.pipe("bucket/reports/2026/q3.pdf", b"%PDF-1.7 q3")
        store.pipe("bucket/reports/notes.txt", b"not a pdf")
        aws = {  # where s3fs finds an endpoint and keys by itself
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        body = "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in aws.items())
        done = _against_the_fake("from aparavi_dtc import AparaviDTC\n" + body + code, tmp_path)
    assert done.stdout == "s3://bucket/reports/2026/q3.pdf True\n"


@runs("docs/guide/loaders.md", "Loaders for LangChain and LlamaIndex")
def loaders(code: str, tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "lease.txt").write_text("the lease", encoding="utf-8")
    done = _against_the_fake(code, tmp_path)
    assert done.stdout == "contracts/lease.txt the lease\n1 documents\n"


@runs("docs/guide/async.md", "Async")
def async_poll(code: str, tmp_path: Path) -> None:
    use = (
        "\nfrom aparavi_dtc import AparaviDTC, pipelines\n"
        "with AparaviDTC() as client:\n"
        "    tasks = [client.start_task(pipelines.simple_parser()) for _ in range(3)]\n"
        "    print(asyncio.run(poll([task.token for task in tasks])))\n"
        "    for task in tasks:\n"
        "        task.delete()\n"
    )
    assert _against_the_fake(code + use, tmp_path).stdout == "['Running', 'Running', 'Running']\n"


@runs("docs/guide/tasks.md", "Waiting and progress")
def waiting(code: str, tmp_path: Path) -> None:
    lines = _against_the_fake(code, tmp_path).stdout.splitlines()
    assert lines[-1] == _first_quoted(_comment(code, "print(final.status)"))
    progress = lines[:-1]
    assert progress, "on_progress was never called"
    assert [line.split()[0] for line in progress][-1] == lines[-1]


@runs("docs/guide/processing.md", "One call: `run()`")
def one_call(code: str, tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "pipeline.json").write_bytes(
        (ROOT / "examples" / "pipeline.json").read_bytes()
    )
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7 bb")
    done = _against_the_fake(_with_a_client(code), tmp_path)
    assert done.stdout == (
        "{'a.pdf': '[binary content of a.pdf: 10 bytes]', "
        "'b.pdf': '[binary content of b.pdf: 11 bytes]'}\n"
    )


@runs("docs/testing.md", "pytest fixtures")
def fixtures(code: str, tmp_path: Path) -> None:
    (tmp_path / "test_example.py").write_text(code, encoding="utf-8")
    done = _run("", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def _runs_alone(code: str, tmp_path: Path) -> None:
    done = _run(code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


runs("docs/testing.md", "The fake")(_runs_alone)
runs("docs/testing.md", "The spec, for your own contract tests")(_runs_alone)
runs("docs/testing.md", "respx")(_runs_alone)


@runs("docs/testing.md", "Raw responses")
def raw_responses(code: str, tmp_path: Path) -> None:
    done = _against_the_fake("from aparavi_dtc import AparaviDTC\n" + code, tmp_path)
    first, second = done.stdout.splitlines()
    assert first.startswith("200 application/json {'cpu': ")
    assert first.endswith("s")
    assert second


@runs("docs/testing.md", "Does the deployed service still keep the contract?")
def verify_contract(code: str, tmp_path: Path) -> None:
    done = _against_the_fake(code, tmp_path)
    assert done.stdout == "getVersion conforms\ngetStatus conforms\ngetServices conforms\n"


@runs("docs/configuration.md", "OpenTelemetry")
def telemetry(code: str, tmp_path: Path) -> None:
    done = _against_the_fake(code, tmp_path)
    assert done.stdout == _comment(code, "print([span.name") + "\n"


@runs("docs/errors.md", "Errors")
def errors(code: str, tmp_path: Path) -> None:
    done = _against_the_fake(_with_a_client('token = "tok-gone-0123456789"\n' + code), tmp_path)
    assert done.stdout == "getting task status 200 Task not found\n"


PYTHON_BLOCKS = [b for b in doc_blocks() if b.lang == "python" and b.key in PYTHON_RUNS]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=str)
def test_python_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    PYTHON_RUNS[block.key](block.code, tmp_path)


# -- running shell blocks ----------------------------------------------------------------

#: What the commands of the docs name, made in the directory they run in.
WORKSPACE = {
    "pipeline.json": (ROOT / "examples" / "pipeline.json").read_bytes(),
    "report.pdf": b"%PDF-1.7 report",
    "notes.txt": b"buy milk\n",
    "docs/a.txt": b"alpha\n",
    "docs/sub/b.md": b"# beta\n",
    "scans/2026/s1.pdf": b"%PDF-1.7 scan",
}

#: Commands of the docs that need a change being made beside this one (issue 27): each is
#: run, and must still fail or not end within PENDING_SECONDS; once one works, the test
#: fails until it is taken off this list, and from then on it runs as the others do.
PENDING: dict[str, str] = {}
PENDING_SECONDS = 10.0


def _shell(command: str, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run ``command`` as bash does; exit code -1 when it did not end within ``timeout``."""
    proc = subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return -1, out, err
    return proc.returncode, out, err


def _serve_mock(command: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a ``mock`` command: it must serve, with the key it prints (or the environment's),
    until SIGTERM stops it."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=60), f"{command}: printed nothing"
        printed = proc.stdout.readline() + proc.stdout.readline()
        (url,) = re.findall(r"export APARAVI_BASE_URL=(\S+)", printed)
        # the test key as an export beside the URL, or "# and use <which key>"
        (shown,) = re.findall(r" APARAVI_API_KEY=(\S+)|# and use (.+)", printed)
        exported, named = shown
        key = exported or env["APARAVI_API_KEY"]
        assert exported or named.strip() in (
            "the key in APARAVI_API_KEY",
            "the key given with --api-key",
            "any key",
        ), printed
        with AparaviDTC(key, base_url=url) as client:
            assert client.version().data.version
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


SHELL_BLOCKS = [
    b
    for b in doc_blocks()
    if b.lang == "sh" and any(words(c)[:1] == ["aparavi-dtc"] for c in commands(b.code))
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=str)
def test_shell_block_runs_against_the_fake(block: Block, tmp_path: Path) -> None:
    for name, content in WORKSPACE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    fake = FakeAparavi(api_key=KEY)
    env = _clean_env() | {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "APARAVI_API_KEY": KEY,
    }
    with fake.serve() as url:
        env["APARAVI_BASE_URL"] = url
        for command in commands(block.code):
            split = words(command)
            if split[0] == "export":
                for word in split[1:]:
                    name, _, value = word.partition("=")
                    env[name] = KEY if value == "..." else value
            elif split[0] != "aparavi-dtc":
                continue  # checked by test_every_block_of_the_docs_is_checked
            elif "mock" in split:
                _serve_mock(command, tmp_path, env)
            elif " ".join(split) in PENDING:
                code, out, err = _shell(command, tmp_path, env, PENDING_SECONDS)
                assert code != 0, f"{command} works now: take it off PENDING\n{out}{err}"
            else:
                code, out, err = _shell(command, tmp_path, env, 60)
                assert code == 0, f"{command} exited {code}\n{out}{err}"
                assert "Traceback" not in err
                assert KEY not in out + err
                if "--json" in split:  # strict JSON: an object per line
                    assert all(json.loads(line) is not None for line in out.splitlines())
    assert fake.tasks == {}, "the commands left a task behind"
    assert fake.pipes == [], "the commands left a pipe behind"


# -- every block is checked --------------------------------------------------------------


def test_every_block_of_the_docs_is_checked() -> None:
    blocks = doc_blocks()
    assert problems(blocks) == []
    named = {" ".join(words(c)) for b in blocks if b.lang == "sh" for c in commands(b.code)}
    assert set(PENDING) <= named, "PENDING names a command the docs no longer have"


def test_every_page_of_the_site_is_checked() -> None:
    from mkdocs_hooks import ROOT_PAGES

    pages = {path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("**/*.md")}
    assert pages | set(ROOT_PAGES) | {"README.md"} <= set(DOCS)


def test_make_test_builds_the_site_with_warnings_as_errors(tmp_path: Path) -> None:
    from .test_demo import _make_n

    for name in ("Makefile", "pyproject.toml", "requirements-dev.txt", "package.json"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / "package-lock.json").write_bytes((ROOT / "package-lock.json").read_bytes())
    assert "mkdocs build --strict" in _make_n(tmp_path, "docs")
    assert "mkdocs build --strict" in _make_n(tmp_path, "test")


def test_the_reference_shows_sphinx_roles_of_docstrings_as_code() -> None:
    from griffe_sphinx_roles import plain

    text = ":func:`spec_path` makes a :class:`~aparavi_dtc.testing.FakeAparavi`, :data:`NOT_RUN`"
    assert plain(text) == "`spec_path` makes a `FakeAparavi`, `NOT_RUN`"
    assert plain(":py:meth:`aparavi_dtc.Task.get`") == "`aparavi_dtc.Task.get`"


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200  # the rest is in docs/
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)", text)
    assert any(link.startswith("docs/") for link in links)
    assert [link for link in links if "://" not in link and not (ROOT / link).exists()] == []


def test_a_block_nobody_checks_fails_the_docs_check() -> None:
    text = (
        "## Here\n\n```python\nprint(1)\n```\n\n<!-- not run: it needs a GPU -->\n"
        "```python\nprint(2)\n```\n\n```bash\nls\n```\n\n```\nplain\n```\n\n"
        '```sh\nmake nowhere\npip install ".[nothing]"\ncurl https://example.com\n'
        "aparavi-dtc pipelines   # or: rm -rf x\n```\n\n```json\n{nope}\n```\n"
    )
    found = [line.split(": ", 1)[1] for line in problems(parse_blocks("X.md", text))]
    unknown = "a command this test neither runs nor checks (teach it, or drop it)"
    assert found == [
        "neither run by tests/test_readme.py nor marked not run",
        "marked not run, for a reason NOT_RUN does not give",
        f"a block of a kind this test does not check ({KINDS})",
        f"a block of a kind this test does not check ({KINDS})",
        "make nowhere: no such target in the Makefile",
        ".[nothing]: pyproject.toml has no extra 'nothing'",
        f"curl https://example.com: {unknown}",
        f"rm -rf x: {unknown}",
        "not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
    ]


def test_pip_and_make_commands_in_the_text_are_true_too() -> None:
    inline = [
        command
        for doc in DOCS
        if doc != "CHANGELOG.md"  # what was true of each version when it was released
        for command in re.findall(r"`((?:pip|make) [^`]+)`", (ROOT / doc).read_text("utf-8"))
    ]
    assert any(command.startswith("pip install") for command in inline)
    assert [problem for command in inline for problem in line_problems(command)] == []


def test_pip_lines_name_a_source_this_version_builds() -> None:
    assert pip_problems(["install", f"dist/{WHEEL}[testing]"]) == []
    assert pip_problems(["install", "dist/aparavi_dtc-0.0.1-py3-none-any.whl[testing]"]) == [
        f"dist/aparavi_dtc-0.0.1-py3-none-any.whl[testing]: this version builds {WHEEL}"
    ]
    assert pip_problems(["install", "aparavi-dtc[testing]"]) == [
        "aparavi-dtc[testing]: a source is `.` or a clone, /path/to/..."
    ]


# -- the printed key of `make mock`; TESTING.md's scores -----------------------------------


@pytest.mark.skipif(not PRISM.exists(), reason="node_modules is not installed")
@pytest.mark.timeout(120)
def test_make_mock_prints_a_key_the_sdk_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "prism.py"), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Prism mock of openapi.yaml on ")
        export = shlex.split(proc.stdout.readline())
        assert export[0] == "export"
        for word in export[1:]:
            monkeypatch.setenv(*word.split("=", 1))
        with AparaviDTC() as client:  # as a user who pasted the line
            assert client.version().data.version
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_testing_md_scores_show_each_modules_latest_run() -> None:
    text = (ROOT / "TESTING.md").read_text(encoding="utf-8")
    scores = text.split("### Scores\n", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(
        r"^\| `(\S+\.py)` \|(?:[^|]*\|)? (\d+) \| (\d+) \| (\d+) \| ([\d.]+)% \|$", scores, re.M
    )
    table = {module: tuple(map(int, numbers)) for module, *numbers, _ in rows}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mutated = [
        path.removeprefix("src/aparavi_dtc/")
        for path in pyproject["tool"]["mutmut"]["only_mutate"]
    ]
    assert sorted(table) == sorted(mutated)
    for module, mutants, killed, survived, score in rows:
        assert int(killed) + int(survived) == int(mutants), module
        assert round(100 * int(killed) / int(mutants), 1) == float(score), module
    (total,) = re.findall(
        r"^\| all \|(?:[^|]*\|)? (\d+) \| (\d+) \| (\d+) \| ([\d.]+)% \|$", scores, re.M
    )
    assert [int(n) for n in total[:3]] == [sum(row[i] for row in table.values()) for i in range(3)]
    # A module's figures given in the text are its row's: no later run is left out of it.
    stated = re.findall(r"`(_\S+\.py)`\s+(\d+)\s+mutants,\s+(\d+)\s+killed,\s+([\d.]+)%", scores)
    assert stated
    for module, mutants, killed, score in stated:
        assert (int(mutants), int(killed)) == table[module][:2], module
        assert float(score) == round(100 * int(killed) / int(mutants), 1), module
