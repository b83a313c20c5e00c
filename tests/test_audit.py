"""Promises a mutation audit found untested: each test here fails when its promise is broken.

Base URLs (loopback look-alikes, credentials), masking (short secrets, secrets in JSON
keys), run()'s one deadline, and the command line's session file and timeout exit code.
The pure modules (_redact, _retry, _url, _polling) are also tested directly, so that
``make mutate`` can tell what each line of them is for (TESTING.md).
"""

from __future__ import annotations

import email.utils
import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    APIStatusError,
    ServerError,
    TaskFailedError,
    TaskTimeoutError,
    _checks,
    _polling,
    _retry,
)
from aparavi_dtc._config import (
    INITIAL_RETRY_DELAY,
    MAX_POLL_INTERVAL,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    POLL_BACKOFF,
)
from aparavi_dtc._redact import MIN_SECRET_LENGTH, Redactor, mask
from aparavi_dtc._url import query, unreserved
from aparavi_dtc_api.models import TaskStatus

from .conftest import API_KEY, TOKEN, MakeClient, started, status_body
from .loopback import LoopbackServer, loopback_server, respond

ROOT = Path(__file__).resolve().parent.parent
NOT_WEBHOOK = {"source": "src", "components": [{"id": "src", "provider": "file", "config": {}}]}
OK: dict[str, Any] = {"status": "OK", "data": {}}

# -- base URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost.evil.com",
        "http://localhost.evil.com:4010/api",
        "http://127.0.0.1.evil.com",
        "http://evil.com/localhost",
        "http://notlocalhost",
        "http://0.0.0.0:8080",
        "http://[::2]:80",
    ],
)
def test_a_host_that_only_looks_like_loopback_gets_no_plain_http(
    make_client: MakeClient, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="plain http to a host that is not loopback"):
        make_client(base_url=url)
    monkeypatch.setenv("APARAVI_BASE_URL", url)
    with pytest.raises(ValueError, match="plain http"):
        make_client(base_url=None)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost",
        "http://LOCALHOST:4010",
        "http://127.0.0.1",
        "http://127.3.4.5:8080",
        "http://[::1]",
        "https://localhost.evil.com",
    ],
)
def test_loopback_and_https_are_accepted(make_client: MakeClient, url: str) -> None:
    assert make_client(base_url=url).base_url == url
    assert make_client(base_url=url + "/").base_url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pass-9f8e7d@api.test",
        "https://user@api.test",
        "https://:pass-9f8e7d@api.test",
        "http://admin:pass-9f8e7d@localhost:4010",
    ],
)
def test_credentials_in_the_base_url_are_refused(make_client: MakeClient, url: str) -> None:
    with pytest.raises(ValueError, match="must not contain credentials") as info:
        make_client(base_url=url)
    assert "pass-9f8e7d" not in str(info.value)


@pytest.mark.parametrize("url", ["ftp://api.test", "https://", "api.test", "https:///task", ""])
def test_a_base_url_needs_http_and_a_host(make_client: MakeClient, url: str) -> None:
    if url == "":  # empty means "not given": the environment, then production
        assert make_client(base_url=url).base_url == "https://eaas.aparavi.com"
        return
    with pytest.raises(ValueError, match="http"):
        make_client(base_url=url)


# -- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ("", "***"),
        ("abc", "***"),
        ("a" * 8, "***"),
        ("0123456789abcde", "***"),  # 15: too short to show any of it
        ("0123456789abcdef", "***cdef"),  # 16
        (TOKEN, f"***{TOKEN[-4:]}"),
    ],
)
def test_mask_shows_a_tail_only_of_long_secrets(secret: str, shown: str) -> None:
    assert mask(secret) == shown


def test_short_tokens_are_masked_whole_in_reprs_and_timeouts(
    client: Any, router: Any, make_client: MakeClient
) -> None:
    short = "tok-12345678"  # 12 characters
    task = client.task(short, "cpu")
    assert repr(task).endswith("Task(token='***', type='cpu')")  # AsyncTask too
    router.get("/task").respond(200, json=status_body("Running"))
    with pytest.raises(TaskTimeoutError) as info:
        task.wait(timeout=0, poll_interval=0)
    assert "5678" not in str(info.value)
    assert info.value.task.token == short  # the handle to resume with


def test_secrets_in_json_keys_are_masked(client: Any, router: Any) -> None:
    """A service that echoes the key or the token as an object key (a map by token, a URL
    used as a key) gets them masked in keys as in values."""
    echoed = {
        "status": "Running",
        TOKEN: {API_KEY: [f"apikey={API_KEY}"]},
        f"https://hook.test/?token={TOKEN}": True,
    }
    router.get("/task").respond(200, json={"status": "OK", "data": echoed})
    result = client.task(TOKEN, "cpu").get()
    dumped = json.dumps(result.to_dict())
    assert API_KEY not in dumped
    assert TOKEN not in dumped
    # The key is masked, then its assignment: "apikey=***6f70" becomes "apikey=***".
    assert result.data[f"***{TOKEN[-4:]}"] == {f"***{API_KEY[-4:]}": ["apikey=***"]}
    assert result.data["https://hook.test/?token=***"] is True


def test_secrets_in_json_keys_of_error_bodies_are_masked(client: Any, router: Any) -> None:
    body = {"status": "Error", "error": "engine down", "echo": {API_KEY: 1, "n": {TOKEN: 2}}}
    router.get("/task").respond(500, json=body)
    with pytest.raises(ServerError) as info:
        client.task(TOKEN, "cpu").get()
    assert info.value.body == {
        "status": "Error",
        "error": "engine down",
        "echo": {f"***{API_KEY[-4:]}": 1, "n": {f"***{TOKEN[-4:]}": 2}},
    }


def test_redactor_masks_keys_values_and_nothing_else() -> None:
    redactor = Redactor(API_KEY)
    value = {API_KEY: [API_KEY, 1, 2.5, None, True, {"k": f"x{API_KEY}y"}], "plain": "text"}
    assert redactor.data(value) == {
        f"***{API_KEY[-4:]}": [
            f"***{API_KEY[-4:]}",
            1,
            2.5,
            None,
            True,
            {"k": f"x***{API_KEY[-4:]}y"},
        ],
        "plain": "text",
    }
    assert redactor.data(7) == 7
    assert redactor.data(None) is None


def test_redactor_ignores_secrets_too_short_to_mask_everywhere() -> None:
    short = "x" * (MIN_SECRET_LENGTH - 1)
    exact = "y" * MIN_SECRET_LENGTH
    redactor = Redactor(short, exact)
    assert redactor.text(f"{short} {exact}") == f"{short} ***"
    assert repr(redactor) == "Redactor(<1 forms>)"
    assert repr(Redactor()) == "Redactor(<0 forms>)"


def test_redactor_masks_every_url_spelling_of_a_secret() -> None:
    secret = "s3cr3t/key+with space"
    forms = {
        secret,
        "s3cr3t%2Fkey%2Bwith%20space",
        "s3cr3t/key%2Bwith%20space",
        "s3cr3t%2Fkey%2Bwith+space",
        "s3cr3t/key%2Bwith+space",
        "s3cr3t%2fkey%2bwith%20space",
        "s3cr3t/key%2bwith%20space",
        "s3cr3t%2fkey%2bwith+space",
        "s3cr3t/key%2bwith+space",
    }
    assert urllib.parse.quote(secret, safe="") in forms
    redactor = Redactor(secret)
    assert repr(redactor) == f"Redactor(<{len(forms)} forms>)"
    for form in forms:
        assert redactor.text(f"<{form}>") == f"<{mask(secret)}>"
        assert redactor.needed(form.encode())
    assert repr(Redactor("unreserved-secret_1.0~")) == "Redactor(<1 forms>)"


def test_redactor_reads_json_escapes_first() -> None:
    redactor = Redactor("key/with-slash-0042")
    escaped = "key\\/with-sl\\u0061sh-0042"
    assert redactor.needed(escaped.encode())
    assert redactor.text(f"[{escaped}]") == f"[{mask('key/with-slash-0042')}]"
    # Text that holds no secret keeps its backslashes: they are data, not JSON syntax.
    assert redactor.text("a\\u0041\\/b") == "a\\u0041\\/b"
    assert redactor.data({"k\\/": ["\\/"]}) == {"k\\/": ["\\/"]}
    assert redactor.text("token=a\\/b") == "token=***"
    assert redactor.text("plain\\n") == "plain\\n"


def test_any_percent_spelling_of_a_secret_is_masked() -> None:
    secret = "s3cr3t/key+with-0042"
    redactor = Redactor(secret)
    every = "".join(f"%{ord(c):02X}" for c in secret)  # unreserved characters too
    for form in (
        "s3cr3t%2fkey%2Bwith-0042",  # both cases in one secret
        "%73%33cr3t%2Fkey%2Bwith-0042",
        every,
        every.lower(),
        "s3cr3t\\u002fkey%2Bwith-0042",  # an escape and a percent in one
    ):
        assert redactor.needed(form.encode())
        assert redactor.text(f"<{form}>") == f"<{mask(secret)}>", form
    # Text without a secret keeps its percent signs and plus signs as they were.
    assert redactor.text("50%2F100 a+b %zz") == "50%2F100 a+b %zz"


def test_a_secret_holding_a_json_escape_is_masked_beside_other_secrets() -> None:
    key = "ak_live\\/ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    redactor = Redactor(key)
    for text in (f"key {key} refused; see /help?token=abcdef", f"{key} and \\u0041"):
        masked = redactor.text(text)
        assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ0" not in masked, masked
        assert mask(key) in masked


def test_redactor_masks_the_longest_secret_first() -> None:
    inner = "abcdefgh1234"
    outer = f"zz{inner}zzzz-long-tail-9876"
    for redactor in (Redactor(inner, outer), Redactor(outer, inner)):
        assert redactor.text(outer) == mask(outer)
        assert redactor.text(inner) == mask(inner)


def test_redactor_plus_adds_a_secret_without_changing_the_original() -> None:
    base = Redactor(API_KEY)
    wider = base.plus(TOKEN)
    assert wider.text(f"{API_KEY} {TOKEN}") == f"{mask(API_KEY)} {mask(TOKEN)}"
    assert base.text(TOKEN) == TOKEN
    assert wider.needed(TOKEN.encode())
    assert not base.needed(TOKEN.encode())


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("apikey=abc&token=abcdefghijklmnopqrst", "apikey=***&token=***qrst"),
        ("api_key=abc api-key=def", "api_key=*** api-key=***"),
        ("Authorization=Bearer", "Authorization=***"),
        ("TOKEN=x'rest", "TOKEN=***'rest"),
        ('{"u": "?token=abc"}', '{"u": "?token=***"}'),
        ("mytoken=abc", "mytoken=abc"),  # not a word of its own
        ("token= abc", "token= abc"),  # nothing assigned
        ("no assignment here", "no assignment here"),
    ],
)
def test_assigned_secrets_are_masked(text: str, masked: str) -> None:
    assert Redactor().text(text) == masked


def test_needed_says_when_text_may_need_masking() -> None:
    redactor = Redactor(API_KEY)
    assert not redactor.needed(b'{"status": "OK"}')
    assert redactor.needed(b'{"u": "a=b"}')
    assert redactor.needed(f'"{API_KEY}"'.encode())


# -- retry timing (pure) ------------------------------------------------------------------


@pytest.mark.real_delays
def test_retry_after_is_read_trimmed_and_against_the_clock() -> None:
    assert _retry.parse_retry_after({"retry-after": " 3 "}) == 3.0
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert _retry.parse_retry_after({"retry-after": soon}) == pytest.approx(30, abs=2)
    assert _retry.retry_delay(0, {"retry-after": soon}) == pytest.approx(30, abs=2)
    assert _retry.retry_delay(0, {"retry-after": "61"}) == MAX_RETRY_AFTER
    assert _retry.retry_delay(0, {"retry-after": "59"}) == 59.0


@pytest.mark.real_delays
def test_backoff_jitter_takes_off_at_most_a_quarter() -> None:
    for attempt in range(6):
        base = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        delays = {_retry.retry_delay(attempt) for _ in range(50)}
        assert all(0.75 * base <= d <= base for d in delays)
        assert len(delays) > 1  # random, so that clients do not retry in step
    assert _retry.retry_delay(2, {}, jitter=0.5) == pytest.approx(4 * INITIAL_RETRY_DELAY * 0.875)
    assert _retry.retry_delay(10, None, jitter=0.0) == MAX_RETRY_DELAY


def test_retries_stop_after_max_retries_for_errors_too() -> None:
    refused = httpx.ConnectError("refused", request=httpx.Request("GET", "https://api.test"))
    assert _retry.should_retry(idempotent=False, attempt=2, max_retries=3, error=refused)
    assert not _retry.should_retry(idempotent=False, attempt=3, max_retries=3, error=refused)
    assert not _retry.should_retry(idempotent=True, attempt=0, max_retries=2)


# -- query strings (pure) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("", True),
        ("Az09_.~-", True),
        ("a b", False),
        ("a/b", False),
        ("a+b", False),
        ("é", False),
        ("ab\n", False),
    ],
)
def test_unreserved(text: str, plain: bool) -> None:
    assert unreserved(text) is plain


def test_query_encodes_as_urlencode_with_quote() -> None:
    params = {"token": "a b/c+d=é&", "type": "cpu", "n": 3}
    expected = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    assert query(params) == expected == "token=a%20b%2Fc%2Bd%3D%C3%A9%26&type=cpu&n=3"
    assert query({"a/b": "x"}) == "a%2Fb=x"
    assert query({}) == ""


# -- waiting (pure) -----------------------------------------------------------------------


def _waiter(timeout: float | None = None, interval: float = 1.0, **kwargs: Any) -> Any:
    return _polling.Waiter(
        task=None,
        token=TOKEN,
        type_="cpu",
        timeout=timeout,
        poll_interval=interval,
        on_progress=kwargs.pop("on_progress", None),
        redactor=kwargs.pop("redactor", Redactor()),
        **kwargs,
    )


def test_waiting_for_running() -> None:
    waiter = _waiter(target="running")
    assert waiter.observe(TaskStatus(status="Created")) == 1.0
    assert waiter.observe(TaskStatus(status="Running")) is None
    completed = TaskStatus(status="Completed")
    with pytest.raises(
        TaskFailedError, match=r"^Task ended Completed before it was Running$"
    ) as info:
        _waiter(target="running").observe(completed)
    assert info.value.status is completed
    assert info.value.errors == []
    with pytest.raises(TaskFailedError, match=r"^Task ended Failed: boom$"):
        _waiter(target="running").observe(TaskStatus(status="Failed", errors=["boom"]))


def test_timeout_messages_for_each_kind_of_wait() -> None:
    running = TaskStatus(status="Created")
    cases = [
        (
            {},
            "Task did not finish within 0s (last status: Created). It is still running: "
            "resume with error.task.wait() or cancel it with error.task.delete(), where error "
            "is this TaskTimeoutError.",
        ),
        (
            {"target": "running", "left_running": False},
            "Task was not Running within 0s (last status: Created). The task has been deleted.",
        ),
    ]
    for kwargs, message in cases:
        waiter = _waiter(0, 0, **kwargs)
        with pytest.raises(TaskTimeoutError) as info:
            waiter.observe(running)
        assert str(info.value) == message
        assert info.value.status is running
    assert "last status: unknown" in str(_waiter(1.5).timed_out())
    assert "within 1.5s" in str(_waiter(1.5).timed_out())


def test_progress_is_reported_with_elapsed_time() -> None:
    seen: list[_polling.Progress] = []
    waiter = _waiter(on_progress=seen.append)
    time.sleep(0.05)
    waiter.observe(TaskStatus(status="Running"))
    (progress,) = seen
    assert 0.05 <= progress.elapsed < 1.05
    assert progress.status == "Running"


def test_failure_reasons_are_masked_and_trimmed() -> None:
    waiter = _waiter(redactor=Redactor(API_KEY))
    errors = [f"key {API_KEY}", "x" * 600]
    with pytest.raises(TaskFailedError) as info:
        waiter.observe(TaskStatus(status="Completed", errors=errors))
    assert info.value.errors == [f"key ***{API_KEY[-4:]}", "x" * 600]
    joined = f"key ***{API_KEY[-4:]}; " + "x" * 600
    assert str(info.value) == f"Task ended Completed: {joined[:500]}"


@pytest.mark.parametrize(
    ("fields", "reasons"),
    [
        ({"status": "Failed", "error": "  disk full  "}, ["disk full"]),
        ({"status": "Failed", "error": "   ", "exitMsg": "oom"}, ["oom"]),
        ({"status": "Error", "exitMsg": " killed "}, ["killed"]),
        ({"status": "Failed", "error": {"message": " no space "}}, ["no space"]),
        ({"status": "Failed", "error": {"message": "  "}, "exitMsg": "oom"}, ["oom"]),
        ({"status": "Failed", "error": "first", "exitMsg": "second"}, ["first"]),
        ({"status": "Failed", "errors": ["a"], "error": "b"}, ["a"]),
        ({"status": "Cancelled"}, ["the task ended Cancelled"]),
        ({"status": "Completed", "errors": []}, None),
        ({"status": "Completed", "errors": [1, "two"]}, ["1", "two"]),
        ({"status": "Completed", "error": "ignored when not failed"}, None),
    ],
)
def test_failure_reasons(fields: dict[str, Any], reasons: list[str] | None) -> None:
    assert _polling.failure(TaskStatus.from_dict(fields)) == reasons


@pytest.mark.parametrize(
    ("fields", "finished"),
    [
        ({"status": "Running", "completed": True}, True),
        ({"status": "Running", "completed": 2}, True),
        ({"status": "Running", "completed": 0}, False),
        ({"status": "Running", "completed": False}, False),
        ({"status": "Running"}, False),
        ({"status": "Error"}, True),
        ({"status": "Cancelled"}, True),
        ({"status": "Failed"}, True),
        ({"status": "completed"}, False),  # the service's values are case-sensitive
    ],
)
def test_is_finished(fields: dict[str, Any], finished: bool) -> None:
    assert _polling.is_finished(TaskStatus.from_dict(fields)) is finished


@pytest.mark.parametrize(
    ("fields", "percent", "completed", "total", "failed"),
    [
        ({"progress": -5}, 0.0, None, None, None),
        ({"progress": 37.5}, 37.5, None, None, None),
        ({"progress": float("nan"), "completedCount": 1, "totalCount": 4}, 25.0, 1, 4, None),
        ({"progress": True, "completedCount": 1, "totalCount": 2}, 50.0, 1, 2, None),
        ({"completedCount": 5, "totalCount": 4}, 100.0, 5, 4, None),
        ({"completedCount": -1, "totalCount": 4}, 0.0, -1, 4, None),
        ({"completedCount": 1, "totalCount": -4}, None, 1, -4, None),
        ({"completedCount": "1", "totalCount": 4}, None, None, 4, None),
        (
            {"completedCount": 1, "totalCount": 4, "completedSize": 3, "totalSize": 4},
            25.0,
            1,
            4,
            None,
        ),
        ({"completedSize": 0, "totalSize": 0}, None, None, None, None),
        ({"files_processed": 7.9, "total_files": 9, "failedCount": 2}, None, 7, 9, 2),
        ({"completedCount": 2, "files_processed": 7}, None, 2, None, None),
    ],
)
def test_progress_fields(
    fields: dict[str, Any],
    percent: float | None,
    completed: int | None,
    total: int | None,
    failed: int | None,
) -> None:
    status = TaskStatus.from_dict({"status": "Running", **fields})
    progress = _polling.Progress.from_status(status, 2.5)
    assert progress.percent == (None if percent is None else pytest.approx(percent))
    assert (progress.completed, progress.total, progress.failed) == (completed, total, failed)
    assert progress.elapsed == 2.5
    assert progress.task_status is status
    assert _polling.Progress.from_status(status).elapsed == 0.0


@pytest.mark.parametrize(
    ("timeout", "interval"),
    [(-0.1, 1), (1, -0.1), ("1", 1), (1, "1"), (1, None)],
)
def test_wait_arguments_are_checked(timeout: Any, interval: Any) -> None:
    with pytest.raises(ValueError, match=r"^(timeout|poll_interval) must be finite seconds >= 0"):
        _checks.check_wait_args(timeout, interval)


def test_wait_arguments_at_their_bounds_are_accepted() -> None:
    _checks.check_wait_args(None, 0)
    _checks.check_wait_args(0, 0.0)
    _checks.check_wait_args(2.5, 15)


def test_poll_intervals_grow_by_the_backoff_to_the_cap() -> None:
    waiter = _waiter(None, 4.0)
    delays = [waiter.observe(TaskStatus(status="Running")) for _ in range(6)]
    assert delays == pytest.approx(
        [min(4.0 * POLL_BACKOFF**n, MAX_POLL_INTERVAL) for n in range(6)]
    )


# -- run(): one deadline for the whole run --------------------------------------------------


def _run_routes(router: Any, status: Any) -> Any:
    router.post("/pipe/validate").respond(200, json={"status": "OK", "data": {}})
    router.put("/task").respond(200, json=started())
    router.get("/task").mock(side_effect=status)
    router.put("/webhook").respond(200, json=OK)
    return router.delete("/task").respond(200, json=OK)


@pytest.mark.timeout(15)
def test_run_stops_at_its_deadline(client: Any, router: Any) -> None:
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body()))
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="did not finish within"):
        client.run(NOT_WEBHOOK, timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1


@pytest.mark.timeout(15)
def test_run_deadline_counts_the_time_before_waiting(client: Any, router: Any) -> None:
    """Validating takes 1 s here: waiting gets what is left of the run's timeout."""
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body()))

    def slow_validation(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return httpx.Response(200, json={"status": "OK", "data": {}})

    router.post("/pipe/validate").mock(side_effect=slow_validation)
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="did not finish within"):
        client.run(NOT_WEBHOOK, timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1


@pytest.mark.timeout(15)
def test_run_deadline_bounds_waiting_for_running(client: Any, router: Any) -> None:
    delete = _run_routes(router, lambda request: httpx.Response(200, json=status_body("Created")))
    webhook = {"source": "hook", "components": [{"id": "hook", "provider": "webhook"}]}
    timeout = 1.5
    began = time.monotonic()
    with pytest.raises(TaskTimeoutError, match="was not Running within"):
        client.run(webhook, text="hello", timeout=timeout, poll_interval=0.05)
    assert timeout <= time.monotonic() - began < timeout + 1.0
    assert delete.call_count == 1
    assert not router.routes[3].called  # nothing was uploaded


# -- the command line ---------------------------------------------------------------------

SCRIPT = str(Path(sys.executable).parent / "aparavi-dtc")  # the console script pip made
PIPELINE_FILE = str(ROOT / "examples" / "pipeline.json")


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with loopback_server() as running:
        yield running


def cli(
    *args: str, home: Path, url: str, pythonpath: str | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("APARAVI_")}
    environ |= {"APARAVI_API_KEY": API_KEY, "APARAVI_BASE_URL": url, "XDG_CONFIG_HOME": str(home)}
    if pythonpath is not None:
        environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (pythonpath, environ.get("PYTHONPATH")) if p
        )
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=environ, timeout=30, check=False
    )


# Started before the console script: for the waiting code alone, every reading of the
# monotonic clock is an hour and a bit later than the one before, so a wait reaches its
# (default, one hour) deadline at once, with nothing else about the command changed.
FAST_CLOCK = """
import sys, time
_real, _skew = time.monotonic, [0.0]
def _fast():
    if sys._getframe(1).f_globals.get("__name__") != "aparavi_dtc._polling":
        return _real()
    _skew[0] += 4000.0
    return _real() + _skew[0]
time.monotonic = _fast
"""


@pytest.mark.parametrize("command", [["status", "--watch"], ["start", PIPELINE_FILE, "--wait"]])
def test_a_wait_that_times_out_exits_5_and_says_how_to_go_on(
    server: LoopbackServer, tmp_path: Path, command: list[str]
) -> None:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(FAST_CLOCK, encoding="utf-8")
    if command[0] == "status":
        server.script(respond(200, status_body("Running")))
        args = [*command, "--token", TOKEN, "--type", "cpu"]
    else:
        server.script(respond(200, started()), respond(200, status_body("Running")))
        args = command
    done = cli(*args, home=tmp_path / "config", url=server.url, pythonpath=str(shim))
    assert done.returncode == 5, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "error" in line]
    assert line.startswith("aparavi-dtc: error: Task did not finish within ")
    assert "(last status: Running)" in line
    assert "It is still running: follow it with `aparavi-dtc status --watch`" in line
    assert "error.task" not in line  # Python advice has no place in a shell
    assert TOKEN not in done.stdout + done.stderr
    assert API_KEY not in done.stdout + done.stderr


def test_a_failed_status_code_is_not_mistaken_for_a_timeout(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.script(respond(500, {"status": "Error", "error": "engine down"}))
    done = cli("status", "--token", TOKEN, "--type", "cpu", home=tmp_path, url=server.url)
    assert done.returncode == 6, done.stderr
    assert "engine down" in done.stderr
    assert isinstance(APIStatusError("x", status_code=500, body=None), APIStatusError)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (0.05, "0.05s"),
        (0.123, "0.12s"),
        (0.5, "0.5s"),
        (1, "1s"),
        (1.5, "1.5s"),
        (3.0, "3s"),
        (9.94, "9.9s"),
        (10, "10s"),
        (10.4, "10s"),
        (59.4, "59s"),
        (59.6, "1m 0s"),
        (60, "1m 0s"),
        (125, "2m 5s"),
        (3599.4, "59m 59s"),
        (3600, "1h 0m"),
        (3725, "1h 2m"),
        (86400, "24h 0m"),
    ],
)
def test_durations_in_messages(seconds: float, shown: str) -> None:
    assert _polling.duration(seconds) == shown


def test_progress_of_a_single_object() -> None:
    status = TaskStatus.from_dict({"status": "Running", "completedCount": 1, "totalCount": 1})
    assert _polling.Progress.from_status(status).percent == 100.0
    half = TaskStatus.from_dict({"status": "Running", "completedSize": 1, "totalSize": 2})
    assert _polling.Progress.from_status(half).percent == 50.0


@pytest.mark.parametrize(
    ("fields", "up"),
    [
        ({"status": "Created"}, False),
        ({"status": "Created", "serviceUp": 0}, False),
        ({"status": "Created", "serviceUp": False}, False),
        ({"status": "Created", "serviceUp": 1}, True),
        ({"status": "Running", "serviceUp": 0}, True),
    ],
)
def test_ready_for_uploads(fields: dict[str, Any], up: bool) -> None:
    waiter = _waiter(target="running")
    delay = waiter.observe(TaskStatus.from_dict(fields))
    assert (delay is None) is up


def test_the_deadline_itself_is_too_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the very instant of the deadline waiting is over (a frozen clock shows it)."""
    monkeypatch.setattr(_polling.time, "monotonic", lambda: 1000.0)
    waiter = _waiter(0, 0)
    with pytest.raises(TaskTimeoutError):
        waiter.observe(TaskStatus(status="Running"))
    assert _waiter(0.5, 1.0).observe(TaskStatus(status="Running")) == 0.5


# -- input checks (pure), with their exact messages -----------------------------------------

CHECK_ERRORS = [
    (lambda: _checks.check_token(5), TypeError, "task token must be a string, not int"),
    (lambda: _checks.check_token(" \t"), ValueError, "task token must not be empty"),
    (
        lambda: _checks.check_token(5, "pipe token"),
        TypeError,
        "pipe token must be a string, not int",
    ),
    (lambda: _checks.check_task_id(5, "cpu"), TypeError, "task token must be a string, not int"),
    (lambda: _checks.check_task_id("", "cpu"), ValueError, "task token must not be empty"),
    (
        lambda: _checks.check_task_id("t", None),
        TypeError,
        "task type must be a string, not NoneType",
    ),
    (lambda: _checks.check_task_id("t", " "), ValueError, "task type must not be empty"),
    (
        lambda: _checks.check_name(""),
        ValueError,
        "name must be a non-empty string or None, not ''",
    ),
    (lambda: _checks.check_name(5), ValueError, "name must be a non-empty string or None, not 5"),
    (
        lambda: _checks.check_name("x" * 1001),
        ValueError,
        "name is 1001 characters long; at most 1000",
    ),
    (
        lambda: _checks.check_name("a\nb"),
        ValueError,
        "name must not contain control characters: 'a\\nb'",
    ),
    (
        lambda: _checks.check_name("a\x7f"),
        ValueError,
        "name must not contain control characters: 'a\\x7f'",
    ),
    (lambda: _checks.check_threads(0), ValueError, "threads must be from 1 to 16, not 0"),
    (lambda: _checks.check_threads(17), ValueError, "threads must be from 1 to 16, not 17"),
    (
        lambda: _checks.check_threads(True),
        TypeError,
        "threads must be an int from 1 to 16, not True",
    ),
    (
        lambda: _checks.check_threads(2.0),
        TypeError,
        "threads must be an int from 1 to 16, not 2.0",
    ),
    (
        lambda: _checks.check_max_retries(-1),
        ValueError,
        "max_retries must be a whole number >= 0, not -1",
    ),
    (
        lambda: _checks.check_max_retries(True),
        ValueError,
        "max_retries must be a whole number >= 0, not True",
    ),
    (
        lambda: _checks.check_max_retries(1.0),
        ValueError,
        "max_retries must be a whole number >= 0, not 1.0",
    ),
    (
        lambda: _checks.check_timeout(-1),
        ValueError,
        "timeout must be finite seconds >= 0 (at most 1e9), an httpx.Timeout or None, not -1",
    ),
    (
        lambda: _checks.check_timeout(float("nan")),
        ValueError,
        "timeout must be finite seconds >= 0 (at most 1e9), an httpx.Timeout or None, not nan",
    ),
    (
        lambda: _checks.check_timeout(True),
        ValueError,
        "timeout must be finite seconds >= 0 (at most 1e9), an httpx.Timeout or None, not True",
    ),
    (
        lambda: _checks.check_timeout("1"),
        ValueError,
        "timeout must be finite seconds >= 0 (at most 1e9), an httpx.Timeout or None, not '1'",
    ),
    (
        lambda: _checks.check_headers([]),
        TypeError,
        "headers must be a mapping of str to str, not list",
    ),
    (
        lambda: _checks.check_headers({"a": 1}),
        TypeError,
        "headers must map str to str, not 'a': int",
    ),
    (
        lambda: _checks.check_headers({1: "a"}),
        TypeError,
        "headers must map str to str, not 1: str",
    ),
    (
        lambda: _checks.check_headers({"bad name": "x"}),
        ValueError,
        "header name 'bad name' is not a valid HTTP header name (no spaces, colons or control "
        "characters)",
    ),
    (
        lambda: _checks.check_headers({"X:Y": "x"}),
        ValueError,
        "header name 'X:Y' is not a valid HTTP header name (no spaces, colons or control "
        "characters)",
    ),
    (
        lambda: _checks.check_headers({"X-A": "a\nb"}),
        ValueError,
        "header 'X-A' has a line break or a control character",
    ),
    (
        lambda: _checks.check_headers({"X-A": "a\x7f"}),
        ValueError,
        "header 'X-A' has a line break or a control character",
    ),
    (
        lambda: _checks.check_api_key(None, "pass api_key"),
        ValueError,
        "an API key is needed: pass api_key",
    ),
    (lambda: _checks.check_api_key(" \n", "set it"), ValueError, "an API key is needed: set it"),
    (
        lambda: _checks.check_api_key("key with-space", "x"),
        ValueError,
        "the API key contains a character that cannot go in an HTTP header (a space, a line "
        "break, a control or a non-ASCII character): check how it was copied",
    ),
    (
        lambda: _checks.check_api_key("kéy-12345678", "x"),
        ValueError,
        "the API key contains a character that cannot go in an HTTP header",
    ),
    (
        lambda: _checks.check_api_key("k" * 7, "x"),
        ValueError,
        "the API key is shorter than 8 characters: it cannot be real, and could not be "
        "masked safely",
    ),
    (lambda: _checks.check_base_url(5), TypeError, "base_url must be a string, not int"),
    (
        lambda: _checks.check_base_url("https://api.test/a b"),
        ValueError,
        "base_url must not contain spaces or control characters: 'https://api.test/a b'",
    ),
    (
        lambda: _checks.check_base_url("https://api.test\t"),
        ValueError,
        "base_url must not contain spaces or control characters",
    ),
    (
        lambda: _checks.check_base_url("https://api.test:99999"),
        ValueError,
        "base_url has a bad port: 'https://api.test:99999'",
    ),
    (
        lambda: _checks.check_base_url("https://api.test?x=1"),
        ValueError,
        "base_url must not have a query or a fragment: 'https://api.test?x=1'",
    ),
    (
        lambda: _checks.check_base_url("https://api.test/#top"),
        ValueError,
        "base_url must not have a query or a fragment: 'https://api.test/#top'",
    ),
    (
        lambda: _checks.check_base_url("ftp://api.test"),
        ValueError,
        "base_url must be an http(s) URL with a host, not 'ftp://api.test'",
    ),
    (
        lambda: _checks.check_base_url("http://example.com"),
        ValueError,
        "base_url 'http://example.com' uses plain http to a host that is not loopback: the "
        "API key would travel in clear. Use https.",
    ),
]


@pytest.mark.parametrize(("check", "error", "message"), CHECK_ERRORS)
def test_input_checks_say_what_is_wrong(check: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        check()
    assert type(info.value) is error
    assert str(info.value).startswith(message)


def test_input_checks_return_what_they_accept() -> None:
    headers = {"X-Trace": "a\tb", "!#$%&'*+.^_`|~": "v"}
    assert _checks.check_headers(headers) is headers
    assert _checks.check_headers(None) == {}
    assert _checks.check_token("tok") == "tok"
    assert _checks.check_task_id("tok", "cpu") == ("tok", "cpu")
    assert _checks.check_name(None) is None
    assert _checks.check_name("x" * 1000) == "x" * 1000
    assert [_checks.check_threads(n) for n in (None, 1, 16)] == [None, 1, 16]
    assert [_checks.check_max_retries(n) for n in (0, 5)] == [0, 5]
    timeout = httpx.Timeout(5.0, connect=None)
    assert _checks.check_timeout(timeout) is timeout
    assert [_checks.check_timeout(t) for t in (None, 0, 2.5)] == [None, 0, 2.5]
    assert _checks.check_api_key(" key-1234\n", "x") == "key-1234"
    assert _checks.check_base_url("https://api.test:8443/v1/") == "https://api.test:8443/v1"


@pytest.mark.parametrize("phase", ["connect", "read", "write", "pool"])
def test_every_phase_of_an_httpx_timeout_is_checked(phase: str) -> None:
    with pytest.raises(ValueError, match="timeout must be finite seconds"):
        _checks.check_timeout(httpx.Timeout(5.0, **{phase: float("inf")}))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (0, True),
        (0.0, True),
        (3, True),
        (2.5, True),
        (-0.001, False),
        (float("inf"), False),
        (float("nan"), False),
        (True, False),
        (False, False),
        ("1", False),
        (None, False),
    ],
)
def test_is_seconds(value: object, seconds: bool) -> None:
    assert _checks.is_seconds(value) is seconds
