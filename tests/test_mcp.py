"""`aparavi-dtc mcp` driven as a host drives it: the `mcp` package's client over stdio, the
server in a subprocess, the SDK's fake of the service behind it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import jsonschema
import pytest

from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY

mcp = pytest.importorskip("mcp")
from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402
from mcp.types import CallToolResult, ListRootsResult, Root  # noqa: E402

WRITING_TOOLS = {"process_documents", "start_task", "send_to_task", "delete_task"}
READING_TOOLS = {"list_pipelines", "validate_pipeline", "service_status", "get_task"}


@pytest.fixture
def config_home() -> Path:
    """Where the servers these tests start keep their record of tasks (conftest's)."""
    return Path(os.environ["XDG_CONFIG_HOME"])


def environment(url: str) -> dict[str, str]:
    return {
        "APARAVI_API_KEY": API_KEY,
        "APARAVI_BASE_URL": url,
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
    }


@pytest.fixture
def fake() -> Iterator[tuple[FakeAparavi, str]]:
    service = FakeAparavi(api_key=API_KEY)
    with service.serve() as url:
        yield service, url


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(3):
        (folder / f"note{number}.txt").write_text(f"note number {number}\n" * 3)
    return folder


@contextlib.asynccontextmanager
async def connect(
    url: str, *args: str, errlog: Path, roots: list[Path] | None = None
) -> AsyncIterator[ClientSession]:
    """A session with `aparavi-dtc mcp ARGS` (the host shares ``roots``, if given)."""

    async def list_roots(context: Any) -> ListRootsResult:
        return ListRootsResult(roots=[Root(uri=p.as_uri()) for p in roots or []])

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "aparavi_dtc", "mcp", *args], env=environment(url)
    )
    with errlog.open("a") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(
                read, write, list_roots_callback=list_roots if roots is not None else None
            ) as session,
        ):
            await session.initialize()
            yield session


def no_secrets(*texts: str, tokens: list[str]) -> None:
    for text in texts:
        assert API_KEY not in text
        for token in tokens:
            assert token not in text


def answer(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def error_text(result: CallToolResult) -> str:
    assert result.is_error
    return " ".join(getattr(part, "text", "") for part in result.content)


async def wait_until(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await anyio.sleep(0.02)


async def test_lists_its_tools_with_valid_schemas_and_annotations(fake, tmp_path) -> None:
    _, url = fake
    async with connect(url, errlog=tmp_path / "err") as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert set(tools) == WRITING_TOOLS | READING_TOOLS
    for tool in tools.values():
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
        assert tool.output_schema is not None
        jsonschema.Draft202012Validator.check_schema(tool.output_schema)
        assert tool.description
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is (tool.name in READING_TOOLS)
    assert tools["delete_task"].annotations.destructive_hint is True
    assert tools["process_documents"].annotations.destructive_hint is False


async def test_processes_a_folder_with_progress_and_deletes_its_task(fake, docs, tmp_path) -> None:
    service, url = fake
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        result = await session.call_tool(
            "process_documents", {"inputs": ["."]}, progress_callback=on_progress
        )
    data = answer(result)
    assert data["total"] == 3
    assert data["failed"] == 0
    assert [Path(f["file"]).name for f in data["files"]] == ["note0.txt", "note1.txt", "note2.txt"]
    assert "note number 1" in data["files"][1]["objects"][0]["text"]
    assert progress[-1][:2] == (3, 3)
    assert service.tasks == {}
    puts = [r for r in service.requests if r.method == "PUT" and r.path == "/task"]
    assert len(puts) == 1  # one task for the folder
    no_secrets(json.dumps(data), (tmp_path / "err").read_text(), tokens=[])


async def test_long_text_is_cut_and_the_rest_read_as_a_resource(fake, docs, tmp_path) -> None:
    _, url = fake
    async with connect(
        url, "--root", str(docs), "--max-text", "30", errlog=tmp_path / "err"
    ) as session:
        data = answer(await session.call_tool("process_documents", {"inputs": ["*.txt"]}))
        first, second = (f["objects"][0] for f in data["files"][:2])
        assert len(first["text"]) + len(second["text"]) <= 30
        assert second["rest"] is not None
        whole = await session.read_resource(second["rest"])
    assert whole.contents[0].text.count("note number 1") == 3
    assert len(whole.contents[0].text) == second["chars"]


async def test_refuses_what_is_outside_the_roots(fake, docs, tmp_path) -> None:
    service, url = fake
    outside = tmp_path / "outside.txt"
    outside.write_text("a secret")
    (docs / "link.txt").symlink_to(outside)
    (docs / "linked").symlink_to(tmp_path, target_is_directory=True)
    escapes = ["../outside.txt", str(outside), "link.txt", f"{docs}/linked/", "/**/*.txt"]
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        for path in escapes:
            result = await session.call_tool("process_documents", {"inputs": ["note0.txt", path]})
            assert "outside the roots" in error_text(result), path
    assert service.requests == []  # nothing was sent, not even the pipeline


async def test_a_folder_whose_link_escapes_is_refused_whole(fake, docs, tmp_path) -> None:
    service, url = fake
    (tmp_path / "secret.txt").write_text("a secret")
    (docs / "zz.txt").symlink_to(tmp_path / "secret.txt")
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        result = await session.call_tool("process_documents", {"inputs": [str(docs)]})
    assert "zz.txt: leads outside the roots" in error_text(result)
    assert service.requests == []


async def test_refuses_a_file_over_the_size_cap(fake, docs, tmp_path) -> None:
    service, url = fake
    (docs / "big.txt").write_text("x" * 101)
    async with connect(
        url, "--root", str(docs), "--max-file-size", "100", errlog=tmp_path / "err"
    ) as session:
        result = await session.call_tool("process_documents", {"inputs": ["big.txt"]})
    assert "over the cap of 100 bytes" in error_text(result)
    assert service.requests == []


async def test_without_root_it_reads_under_the_hosts_roots_only(fake, docs, tmp_path) -> None:
    _, url = fake
    (tmp_path / "other.txt").write_text("elsewhere")
    async with connect(url, errlog=tmp_path / "err", roots=[docs]) as session:
        ok = answer(await session.call_tool("process_documents", {"inputs": [str(docs)]}))
        refused = await session.call_tool(
            "process_documents", {"inputs": [str(tmp_path / "other.txt")]}
        )
    assert ok["total"] == 3
    assert "outside the roots" in error_text(refused)
    async with connect(url, errlog=tmp_path / "err") as session:  # no roots at all
        nothing = await session.call_tool("process_documents", {"inputs": [str(docs)]})
    assert "--root" in error_text(nothing)


async def test_read_only_offers_only_what_starts_and_uploads_nothing(fake, tmp_path) -> None:
    _, url = fake
    async with connect(url, "--read-only", errlog=tmp_path / "err") as session:
        names = {tool.name for tool in (await session.list_tools()).tools}
        refused = await session.call_tool("process_documents", {"inputs": ["x"]})
        status = answer(await session.call_tool("service_status", {}))
        listed = answer(await session.call_tool("list_pipelines", {}))
    assert names == READING_TOOLS
    assert refused.is_error
    assert "version" in status["version"]
    assert "simple-parser" in listed["pipelines"]


async def test_tasks_it_started_by_ids_never_tokens(fake, docs, tmp_path) -> None:
    service, url = fake
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        started = answer(await session.call_tool("start_task", {"pipeline": "simple-parser"}))
        tokens = list(service.tasks)
        status = answer(await session.call_tool("get_task", {"task": started["task"]}))
        sent = answer(
            await session.call_tool(
                "send_to_task", {"task": started["task"], "inputs": ["note0.txt"]}
            )
        )
        other = await session.call_tool("get_task", {"task": "task-99"})
        deleted = answer(await session.call_tool("delete_task", {"task": started["task"]}))
        assert service.tasks == {}
    assert started["task"] == "task-1"
    assert status["status"]
    assert "note number 0" in sent["objects"][0]["text"]
    assert "no task 'task-99' started by this server" in error_text(other)
    assert deleted["status"] == {"deleted": True}
    no_secrets(
        json.dumps([started, status, sent, deleted]),
        (tmp_path / "err").read_text(),
        tokens=tokens,
    )


async def test_errors_say_what_failed_and_why(fake, docs, tmp_path) -> None:
    service, url = fake
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        service.fail_next("startTask", status=401)
        refused = error_text(await session.call_tool("process_documents", {"inputs": ["."]}))
        unknown = error_text(
            await session.call_tool("process_documents", {"inputs": ["."], "pipeline": "nope"})
        )
        missing = error_text(await session.call_tool("process_documents", {"inputs": ["gone"]}))
    assert "HTTP 401" in refused
    assert "nope" in unknown
    assert "no such file or directory" in missing
    assert API_KEY not in refused + unknown + missing
    assert service.tasks == {}


async def test_cancelling_a_call_deletes_its_task(fake, docs, tmp_path) -> None:
    service, url = fake
    service.delay("sendToWebhook", 30)
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        with anyio.move_on_after(20):
            async with anyio.create_task_group() as group:
                group.start_soon(session.call_tool, "process_documents", {"inputs": ["."]})
                await wait_until(lambda: service.tasks)
                group.cancel_scope.cancel()
        await wait_until(lambda: not service.tasks)
        # the server goes on serving
        assert answer(await session.call_tool("list_pipelines", {}))


async def test_closing_stdin_deletes_every_task(fake, docs, tmp_path) -> None:
    service, url = fake
    service.delay("sendToWebhook", 30)
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        answer(await session.call_tool("start_task", {}))
        async with anyio.create_task_group() as group:
            group.start_soon(session.call_tool, "process_documents", {"inputs": ["."]})
            await wait_until(lambda: len(service.tasks) == 2)
            group.cancel_scope.cancel()  # leaves the call running in the server
    assert service.tasks == {}  # the session closed stdin and waited for the server


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_deletes_every_task(fake, docs, signum: int) -> None:
    service, url = fake
    service.delay("sendToWebhook", 30)
    proc = _serving(docs, url)
    _initialized(
        proc,
        {"name": "process_documents", "arguments": {"inputs": ["."]}},
        {"name": "start_task", "arguments": {}},
    )
    deadline = time.monotonic() + 15
    while len(service.tasks) < 2:  # the batch's task, and one start_task left running
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signum)
    deadline = time.monotonic() + 10
    while service.tasks:  # deleted at once, while the host still holds stdin open
        assert time.monotonic() < deadline, "a stop signal left tasks while stdin was open"
        time.sleep(0.02)
    try:  # and it ends, without waiting for the host to write or close stdin
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("the server went on after a stop signal until stdin was closed")
    finally:
        _, err = proc.communicate(timeout=15)
    assert service.tasks == {}
    assert proc.returncode == 128 + signum
    assert API_KEY not in err


def _initialized(proc: subprocess.Popen[str], *calls: dict[str, Any]) -> None:
    """Write the host's first messages, then ``calls`` (tools/call params), to ``proc``."""
    assert proc.stdin is not None
    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    messages += [
        {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": call}
        for n, call in enumerate(calls, 1)
    ]
    for message in messages:
        proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()


def _answer(proc: subprocess.Popen[str], call: int) -> dict[str, Any]:
    """The server's answer to the host's message ``call``, once it has come."""
    assert proc.stdout is not None
    for line in proc.stdout:
        message: dict[str, Any] = json.loads(line)
        if message.get("id") == call:
            return message
    raise AssertionError(f"the server ended without answering message {call}")


def _serving(docs: Path, url: str) -> subprocess.Popen[str]:
    """``aparavi-dtc mcp`` over stdio, its record of tasks in the tests' config home."""
    return subprocess.Popen(
        [sys.executable, "-m", "aparavi_dtc", "mcp", "--root", str(docs)],
        env={**os.environ, **environment(url)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_task_a_killed_server_leaves_is_in_the_record_of_tasks(fake, docs, config_home) -> None:
    from .test_cli import cli

    service, url = fake
    proc = _serving(docs, url)
    try:
        _initialized(proc, {"name": "start_task", "arguments": {}})
        _answer(proc, 1)
    finally:
        proc.kill()  # no clean-up runs
        proc.communicate(timeout=15)
    (token,) = service.tasks
    listed = cli("tasks", home=config_home, url=url)
    assert f"1. cpu task on {url}: Running" in listed.stdout
    assert f"by `aparavi-dtc mcp --root {docs}`" in listed.stdout
    assert token not in listed.stdout + listed.stderr
    deleted = cli("tasks", "--delete", home=config_home, url=url)
    assert deleted.returncode == 0, deleted.stderr
    assert service.tasks == {}


def test_a_task_the_server_deletes_is_struck_out_of_the_record(fake, docs, config_home) -> None:
    from .test_cli import cli

    service, url = fake
    proc = _serving(docs, url)
    _initialized(proc, {"name": "start_task", "arguments": {}})
    _answer(proc, 1)
    assert service.tasks
    assert (config_home / "aparavi-dtc" / "tasks.json").exists()
    proc.communicate(timeout=15)  # the end of stdin: every task is deleted
    assert service.tasks == {}
    assert cli("tasks", home=config_home, url=url).stdout.startswith("No task recorded")


def test_the_key_comes_from_the_environment_only(fake) -> None:
    _, url = fake
    done = subprocess.run(
        [sys.executable, "-m", "aparavi_dtc", "mcp", "--api-key", API_KEY],
        env={**os.environ, **environment(url)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert done.returncode == 2
    assert "APARAVI_API_KEY" in done.stderr
    assert API_KEY not in done.stderr + done.stdout


def test_without_the_extra_it_says_how_to_install_it(tmp_path) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "mcp.py").write_text("raise ModuleNotFoundError(name='mcp')\n")
    done = subprocess.run(
        [sys.executable, "-m", "aparavi_dtc", "mcp"],
        env={
            **os.environ,
            **environment("http://127.0.0.1:9"),
            "PYTHONPATH": f"{blocker}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        },
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert done.returncode == 2
    assert 'pip install "aparavi-dtc[mcp]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_import_aparavi_dtc_never_loads_mcp() -> None:
    code = "import sys, aparavi_dtc, aparavi_dtc._cli.definition; print('mcp' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def readme_configurations() -> list[dict[str, Any]]:
    from .test_readme import ROOT, parse_blocks

    page = "docs/mcp.md"
    blocks = parse_blocks(page, (ROOT / page).read_text(encoding="utf-8"))
    return [
        json.loads(block.code)
        for block in blocks
        if block.section == "MCP server for LLM applications" and block.lang == "json"
    ]


def test_the_readme_has_the_three_hosts_configurations() -> None:
    found = readme_configurations()
    assert len(found) == 3  # Claude Desktop, Cursor, VS Code
    assert [("mcpServers" in c, "servers" in c) for c in found] == [
        (True, False),
        (True, False),
        (False, True),
    ]


@pytest.mark.parametrize("number", range(3))
async def test_each_readme_configuration_starts_the_server(fake, docs, tmp_path, number) -> None:
    service, url = fake
    configuration = readme_configurations()[number]
    entry = (configuration.get("mcpServers") or configuration["servers"])["aparavi"]
    assert entry["command"] == "aparavi-dtc"
    assert entry.get("type", "stdio") == "stdio"
    assert set(entry["env"]) == {"APARAVI_API_KEY"}
    args = list(entry["args"])
    args[args.index("--root") + 1] = str(docs)  # the user's folder, or ${workspaceFolder}
    params = StdioServerParameters(
        command=str(Path(sys.executable).parent / "aparavi-dtc"), args=args, env=environment(url)
    )
    with (tmp_path / "err").open("w") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            names = {tool.name for tool in (await session.list_tools()).tools}
            status = await session.call_tool("service_status", {})
    assert names >= READING_TOOLS
    assert not status.is_error
    assert [r.path for r in service.requests] == ["/version", "/status"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_streamable_http_on_loopback_and_sigterm_deletes_its_tasks(fake, docs) -> None:
    from mcp.client.streamable_http import streamable_http_client

    service, url = fake
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aparavi_dtc", "mcp", "--http", str(port), "--root", str(docs)],
        env={**os.environ, **environment(url)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def listening() -> bool:
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        await wait_until(listening, 30)
        async with (
            streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            data = answer(await session.call_tool("process_documents", {"inputs": ["."]}))
            answer(await session.call_tool("start_task", {}))
        assert data["total"] == 3
        assert len(service.tasks) == 1  # start_task's, until the server stops
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert service.tasks == {}
    assert API_KEY not in out + err


def test_urls_only_under_a_url_root() -> None:
    fsspec = pytest.importorskip("fsspec")
    from aparavi_dtc._mcp._roots import OutsideRoots, Roots

    memory = fsspec.filesystem("memory")
    memory.pipe({"/mcp-b/docs/a.txt": b"aa", "/mcp-b/docs/b.txt": b"bbbb", "/mcp-b/x.txt": b"x"})
    roots = Roots.parse(["memory://mcp-b/docs"])
    assert roots.files(["memory://mcp-b/docs/*.txt"], 10) == [
        "memory:///mcp-b/docs/a.txt",
        "memory:///mcp-b/docs/b.txt",
    ]
    for outside in ("memory://mcp-b/x.txt", "memory://mcp-b/docs/../x.txt", "/etc/passwd"):
        with pytest.raises(OutsideRoots):
            roots.files([outside], 10)
    with pytest.raises(OutsideRoots, match="over the cap of 3 bytes"):
        roots.files(["memory://mcp-b/docs/b.txt"], 3)


async def test_a_pipeline_file_is_read_under_the_roots_only(fake, docs, tmp_path) -> None:
    service, url = fake
    pipeline = json.dumps(pipelines_simple())
    (tmp_path / "pipeline.json").write_text(pipeline)
    (docs / "pipeline.json").write_text(pipeline)
    async with connect(url, "--root", str(docs), errlog=tmp_path / "err") as session:
        refused = await session.call_tool(
            "validate_pipeline", {"pipeline_file": str(tmp_path / "pipeline.json")}
        )
        valid = answer(
            await session.call_tool("validate_pipeline", {"pipeline_file": "pipeline.json"})
        )
        folder = await session.call_tool("validate_pipeline", {"pipeline_file": "."})
    assert "outside the roots" in error_text(refused)
    assert "a pipeline file is one file, not 4" in error_text(folder)
    assert valid == {"valid": True, "errors": [], "warnings": []}
    assert [r.path for r in service.requests] == ["/pipe/validate"]


def pipelines_simple() -> dict[str, Any]:
    from aparavi_dtc import pipelines

    return dict(pipelines.simple_parser())


async def test_the_hosts_lines_are_read_whole_across_reads() -> None:
    from aparavi_dtc._mcp._server import _lines

    long = json.dumps({"text": "é" * 100_000})  # 200 KB of two-byte characters
    read_fd, write_fd = os.pipe()
    sent = (long + "\n" + "short\n" + "no newline").encode()

    async def write() -> None:
        for start in range(0, len(sent), 4099):  # cut inside characters and lines
            os.write(write_fd, sent[start : start + 4099])
            await anyio.sleep(0)
        os.close(write_fd)

    got = []
    async with anyio.create_task_group() as group:
        group.start_soon(write)
        async for line in _lines(read_fd):
            got.append(line)
    os.close(read_fd)
    assert got == [long + "\n", "short\n", "no newline"]
