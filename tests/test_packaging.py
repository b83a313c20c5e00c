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


def installed(wheel: Path, where: Path, extra: str = "") -> Path:
    """A fresh virtualenv in ``where`` with the wheel (and ``extra``) installed: its python."""
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"{wheel}{extra}"], check=True, capture_output=True)
    return python


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "aparavi_dtc/__init__.py" in names
    assert "aparavi_dtc/py.typed" in names
    assert "aparavi_dtc_api/py.typed" in names  # the models are typed for users' checkers
    assert "aparavi_dtc_api/models/task_status.py" in names
    assert "aparavi_dtc_api/api/tasks/get_task.py" in names  # its request builder
    assert "aparavi_dtc_api/client.py" not in names  # the SDK sends its requests itself
    assert not any(n.startswith(("tests/", "tools/")) for n in names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    requires = sorted(line for line in text.splitlines() if line.startswith("Requires-Dist"))
    assert requires == [
        "Requires-Dist: aiohttp<4,>=3.11; extra == 'aiohttp'",
        "Requires-Dist: attrs<27,>=23.1",
        "Requires-Dist: fsspec>=2023.1; extra == 'fsspec'",
        "Requires-Dist: httpx<0.29,>=0.27",
        "Requires-Dist: langchain-core>=0.3; extra == 'langchain'",
        "Requires-Dist: llama-index-core>=0.12; extra == 'llama-index'",
        "Requires-Dist: mcp<3,>=2.3; extra == 'mcp'",
        "Requires-Dist: opentelemetry-api<2,>=1.27; extra == 'otel'",
        "Requires-Dist: pytest<10,>=8; extra == 'testing'",
        "Requires-Dist: pyyaml<7,>=6; extra == 'testing'",
        "Requires-Dist: rich<16,>=13; extra == 'cli'",
    ]
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(entry).decode()
    assert "aparavi-dtc = aparavi_dtc._cli:run" in entry_points
    assert "[pytest11]\naparavi_dtc = aparavi_dtc.testing.pytest_plugin" in entry_points


def test_the_spec_ships_byte_for_byte(wheel: Path) -> None:
    shipped = zipfile.ZipFile(wheel).read("aparavi_dtc/testing/openapi.yaml")
    assert shipped == (ROOT / "openapi.yaml").read_bytes()


def test_spec_path_is_the_repositorys_spec_in_a_checkout() -> None:
    from aparavi_dtc.testing import spec_path

    assert spec_path().read_bytes() == (ROOT / "openapi.yaml").read_bytes()


ASYNC_CHECK = """
import asyncio, importlib.util, sys
from aparavi_dtc import AsyncAparaviDTC, pipelines
from aparavi_dtc.testing import FakeAparavi

fake = FakeAparavi(api_key="packaging-key-0123456789")

async def main(url):
    async with AsyncAparaviDTC("packaging-key-0123456789", base_url=url) as client:
        result = await client.run(pipelines.simple_parser(), text="hello", poll_interval=0)
        return type(client._sender).__name__, result.texts

with fake.serve() as url:
    sender, texts = asyncio.run(main(url))
assert texts == {"text": "hello"}, texts
print(sender, importlib.util.find_spec("aiohttp") is not None)
"""


def async_stack(python: Path) -> str:
    """Run the async client against the fake in that environment: which stack, and aiohttp?"""
    done = subprocess.run([str(python), "-c", ASYNC_CHECK], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.timeout(300)  # installs from the package index
def test_wheel_installs_into_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    python = installed(wheel, env_dir)
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
    assert async_stack(python) == "HttpxSender False"  # no aiohttp: httpx's async stack
    # A user's type checker, reading the installed wheel (not this repository's paths),
    # sees the results' types, not Any.
    (tmp_path / "user.py").write_text(USER_TYPES)
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    checked = subprocess.run(
        [*mypy, "--python-executable", str(python), "user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    revealed = [
        line.split("Revealed type is ", 1)[1]
        for line in checked.stdout.splitlines()
        if "Revealed type is" in line
    ]
    assert revealed == [
        '"str"',
        '"aparavi_dtc_api.models.processed_object.ProcessedObject"',
        '"str"',
    ], checked.stdout


#: What a user writes and a type checker reads: each revealed type must be the model's.
USER_TYPES = """
from aparavi_dtc import AparaviDTC, pipelines

def use(client: AparaviDTC) -> None:
    reveal_type(client.get_task().data.status)
    with client.create_pipe(pipelines.simple_parser()) as pipe:
        for object_id, obj in pipe.process(["a.txt"]).objects.items():
            reveal_type(obj)
            reveal_type(object_id)
"""


USER_TESTS = """
import asyncio

import httpx
from aparavi_dtc import AparaviDTC, AsyncAparaviDTC, TaskNotFoundError, pipelines
from aparavi_dtc.testing import FakeAparavi, spec_path


def test_run_with_the_fake(aparavi_client: AparaviDTC, aparavi_fake: FakeAparavi) -> None:
    result = aparavi_client.run(pipelines.simple_parser(), [("a.txt", b"hello")])
    assert result.texts == {"a.txt": "hello"}
    assert aparavi_fake.tasks == {}
    assert [r.operation for r in aparavi_fake.requests][-1] == "deleteTask"


def test_scripted_failure(aparavi_client: AparaviDTC, aparavi_fake: FakeAparavi) -> None:
    task = aparavi_client.start_task(pipelines.simple_parser())
    gone = {"status": "Error", "error": "Task not found"}
    aparavi_fake.fail_next("getTask", status=200, body=gone)
    try:
        task.get()
    except TaskNotFoundError:
        pass
    else:
        raise AssertionError("no error")


def test_async_client(aparavi_async_client: AsyncAparaviDTC) -> None:
    async def go() -> str:
        return (await aparavi_async_client.version()).data.version

    assert asyncio.run(go()) == "3.0.0.9999"


def test_server(aparavi_server: str, aparavi_api_key: str) -> None:
    answer = httpx.get(aparavi_server + "/services", timeout=5).json()
    assert "parse" in answer["data"]
    with AparaviDTC(aparavi_api_key, base_url=aparavi_server) as client:
        assert client.services("ocr").data["ocr"]


def test_spec_is_shipped() -> None:
    assert spec_path().read_text(encoding="utf-8").startswith("openapi: 3.1.0")
"""


@pytest.mark.timeout(300)  # installs from the package index
def test_a_users_tests_pass_with_the_testing_extra(wheel: Path, tmp_path: Path) -> None:
    python = installed(wheel, tmp_path / "venv", "[testing,aiohttp]")
    assert async_stack(python) == "AiohttpSender True"
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_mine.py").write_text(USER_TESTS, encoding="utf-8")
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
