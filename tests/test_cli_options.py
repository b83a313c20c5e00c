"""The command line's options, run in process: how long a request may take and how often it
is tried (``--request-timeout``, ``--max-retries`` and their environment variables), and
bad values of every option, each refused with exit 2 in the option's own words."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aparavi_dtc._cli import main
from aparavi_dtc.testing import FakeAparavi

from .conftest import API_KEY
from .loopback import LoopbackServer, loopback_server, respond

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = str(ROOT / "examples" / "pipeline.json")
VERSION = {"status": "OK", "data": {"version": "1.4.2"}}
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APARAVI_API_KEY", API_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``aparavi-dtc ARGV`` in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


# -- how long a request may take, how often it is tried ---------------------------------


def test_request_timeout_bounds_each_request(
    server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(respond(200, VERSION, delay=1.5))
    began = time.monotonic()
    code, _, err = run(
        capsys,
        "--base-url",
        server.url,
        "--request-timeout",
        "0.3",
        "--max-retries",
        "0",
        "version",
    )
    assert code == 5, err
    assert time.monotonic() - began < 1.2
    assert "no answer in time" in err
    code, out, err = run(capsys, "version", "--base-url", server.url, "--request-timeout", "5")
    assert (code, err) == (0, "")
    assert "1.4.2" in out


def test_request_timeout_bounds_uploads_and_lets_a_slow_document_through(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    document = tmp_path / "scan.pdf"
    document.write_bytes(b"%PDF-1.7 a scanned page")
    fake = FakeAparavi(api_key=API_KEY)
    fake.delay("sendToWebhook", 1.0)  # the service answers once it has processed the file
    with fake.serve() as url:
        monkeypatch.setenv("APARAVI_BASE_URL", url)
        code, _, err = run(capsys, "--request-timeout", "0.3", "process", str(document))
        assert code == 7, err
        assert "no answer in time" in err
        code, out, err = run(capsys, "process", str(document), "--request-timeout", "3")
        assert code == 0, err
        assert "scan.pdf" in out


@pytest.mark.parametrize(
    ("options", "env", "attempts"),
    [
        ((), {}, 3),
        (("--max-retries", "0"), {}, 1),
        (("--max-retries", "4"), {}, 5),
        ((), {"APARAVI_MAX_RETRIES": "1"}, 2),
        (("--max-retries", "0"), {"APARAVI_MAX_RETRIES": "5"}, 1),  # the option wins
    ],
)
def test_max_retries_from_the_option_or_the_environment(
    server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    options: tuple[str, ...],
    env: dict[str, str],
    attempts: int,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    server.script(respond(503, {"error": "busy"}))
    code, _, err = run(capsys, "--base-url", server.url, *options, "version")
    assert code == 6, err
    assert len(server.requests) == attempts


def test_request_timeout_from_the_environment(
    server: LoopbackServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APARAVI_TIMEOUT", "0.3")
    server.script(respond(200, VERSION, delay=1.5))
    code, _, err = run(capsys, "--base-url", server.url, "--max-retries", "0", "version")
    assert code == 5, err
    server.script(respond(200, VERSION, delay=0.5))
    code, _, err = run(capsys, "--base-url", server.url, "--request-timeout", "3", "version")
    assert code == 0, err  # the option wins over the environment


def test_an_empty_base_url_is_an_error_and_an_unset_one_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APARAVI_BASE_URL", "")
    code, _, err = run(capsys, "version")
    assert code == 2
    assert "APARAVI_BASE_URL is empty" in err
    assert "unset it" in err
    code, _, err = run(capsys, "--base-url", "", "version")
    assert code == 2
    assert "--base-url is empty" in err


# -- bad values, each refused in the option's words ----------------------------------------

#: Words of Python, not of a shell: a message with one speaks of the code, not the option.
PYTHON_WORDS = re.compile(
    r"\b(None|True|False|int|float|str|bool|NoneType|httpx|Timeout|Traceback|ValueError|"
    r"TypeError|base_url|api_key|max_retries|poll_interval|not (list|dict|tuple))\b|''|"
    r"<class|__|"
    r"aparavi_dtc\.|\w\(\)|\w=\.\.\."  # a module, a call, a keyword argument
)

BAD = [
    # (arguments, environment, what the message must name)
    (("start", PIPELINE, "--threads", "0"), {}, "--threads"),
    (("start", PIPELINE, "--threads", "17"), {}, "--threads"),
    (("start", PIPELINE, "--threads", "x"), {}, "--threads"),
    (("start", PIPELINE, "--threads", "2.5"), {}, "--threads"),
    (("start", PIPELINE, "--name", ""), {}, "--name"),
    (("start", PIPELINE, "--name", " "), {}, "--name"),
    (("process", "x", "--concurrency", "0"), {}, "--concurrency"),
    (("process", "x", "--concurrency", "99"), {}, "--concurrency"),
    (("process", "x", "--concurrency", "many"), {}, "--concurrency"),
    (("process", "x", "--threads", "0"), {}, "--threads"),
    (("process", "x", "--timeout", "-1"), {}, "--timeout"),
    (("process", "x", "--timeout", "0"), {}, "--timeout"),
    (("process", "x", "--timeout", "nan"), {}, "--timeout"),
    (("process", "x", "--timeout", "inf"), {}, "--timeout"),
    (("process", "x", "--timeout", "soon"), {}, "--timeout"),
    (("mock", "--port", "70000"), {}, "--port"),
    (("mock", "--port", "-1"), {}, "--port"),
    (("mock", "--port", "http"), {}, "--port"),
    (("--request-timeout", "0", "version"), {}, "--request-timeout"),
    (("--request-timeout", "-1", "version"), {}, "--request-timeout"),
    (("--request-timeout", "nan", "version"), {}, "--request-timeout"),
    (("--request-timeout", "inf", "version"), {}, "--request-timeout"),
    (("--request-timeout", "1e10", "version"), {}, "--request-timeout"),
    (("version", "--request-timeout", "soon"), {}, "--request-timeout"),
    (("--max-retries", "-1", "version"), {}, "--max-retries"),
    (("--max-retries", "11", "version"), {}, "--max-retries"),
    (("version", "--max-retries", "1.5"), {}, "--max-retries"),
    (("--base-url", "", "version"), {}, "--base-url"),
    (("--base-url", "  ", "version"), {}, "--base-url"),
    (("--base-url", "ftp://x", "version"), {}, "--base-url"),
    (("--base-url", "eaas.aparavi.com", "version"), {}, "--base-url"),
    (("--base-url", "http://example.com", "version"), {}, "--base-url"),
    (("--base-url", "http://127.0.0.1:99999", "version"), {}, "--base-url"),
    (("--base-url", "https://user:pw@x.test", "version"), {}, "--base-url"),
    (("--base-url", "https://x.test?a=1", "version"), {}, "--base-url"),
    (("--base-url", "https://x .test", "version"), {}, "--base-url"),
    (("version",), {"APARAVI_BASE_URL": ""}, "APARAVI_BASE_URL"),
    (("version",), {"APARAVI_BASE_URL": "ftp://x"}, "APARAVI_BASE_URL"),
    (("version",), {"APARAVI_TIMEOUT": "soon"}, "APARAVI_TIMEOUT"),
    (("version",), {"APARAVI_TIMEOUT": "0"}, "APARAVI_TIMEOUT"),
    (("version",), {"APARAVI_MAX_RETRIES": "99"}, "APARAVI_MAX_RETRIES"),
    (("version",), {"APARAVI_API_KEY": ""}, "APARAVI_API_KEY"),
    (("version", "--api-key", "short"), {}, "API key"),
    (("status", "--token", "", "--type", "cpu"), {}, "--token"),
    (("status", "--token", "t", "--type", " "), {}, "--type"),
    (("upload", "--token", "t", "--type", "cpu", "--text", ""), {}, "--text"),
    (("start", PIPELINE, "--name", "a\nb"), {}, "--name"),
    (("start", PIPELINE, "--name", "x" * 1001), {}, "--name"),
    (("--base-url", "http://[::1", "version"), {}, "--base-url"),
    (("run", "--pipeline", "simple-parser", "a.txt", "--text", "hi"), {}, "--text"),
    (("run", "--pipeline", "simple-parser"), {}, "files or text"),
    (("validate", "LIST"), {}, "JSON object"),
    (("validate", "NO-COMPONENTS"), {}, "components"),
    (("validate", "NUMBER-PROVIDER"), {}, "provider is a number where a string belongs"),
    (("pipelines", "nosuch"), {}, "nosuch"),
    (("tasks", "--delete", "x"), {}, "--delete"),
    (("tasks", "--delete", "1", "0"), {}, "--delete"),
    (("verify", "--token", "t" * 24), {}, "--token and --type"),
]


@pytest.mark.parametrize(("argv", "env", "named"), BAD, ids=[" ".join(b[0])[:60] for b in BAD])
def test_a_bad_value_exits_2_naming_the_option_in_plain_words(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: tuple[str, ...],
    env: dict[str, str],
    named: str,
) -> None:
    monkeypatch.setenv("APARAVI_BASE_URL", UNREACHABLE)  # nothing may be sent
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "a.txt").write_text("a document")
    (tmp_path / "LIST").write_text("[1, 2]")
    (tmp_path / "NO-COMPONENTS").write_text('{"components": 5}')
    (tmp_path / "NUMBER-PROVIDER").write_text('{"components": [{"provider": 5}]}')
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    message = err.strip().splitlines()[-1]  # argparse puts its usage above
    assert named in message
    assert not PYTHON_WORDS.search(message), message
    assert API_KEY not in err
