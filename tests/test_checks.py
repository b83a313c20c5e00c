"""The checks of what callers pass (``_checks``): base URLs, timeouts, tokens, names, concurrency;
each refusal in its exact words, before anything is sent.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from aparavi_dtc import (
    _checks,
)
from aparavi_dtc._checks import check_concurrency

from .conftest import MakeClient


def raises(error: type[Exception], message: str) -> Any:
    return pytest.raises(error, match=f"^{re.escape(message)}$")


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


@pytest.mark.parametrize("url", ["ftp://api.test", "https://", "api.test", "https:///task"])
def test_a_base_url_needs_http_and_a_host(make_client: MakeClient, url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        make_client(base_url=url)


@pytest.mark.parametrize("url", ["", "  "])
def test_an_empty_base_url_is_refused_given_or_from_the_environment(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    # A script whose variable is unset must not send its key to production.
    with pytest.raises(ValueError, match=r"^base_url is empty: pass None for"):
        make_client(base_url=url)
    monkeypatch.setenv("APARAVI_BASE_URL", url)
    with pytest.raises(ValueError, match=r"^APARAVI_BASE_URL is empty: unset it for https://"):
        make_client(base_url=None)
    monkeypatch.delenv("APARAVI_BASE_URL")
    assert make_client(base_url=None).base_url == "https://eaas.aparavi.com"


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
        "max_retries must be a whole number from 0 to 10, not -1",
    ),
    (
        lambda: _checks.check_max_retries(True),
        ValueError,
        "max_retries must be a whole number from 0 to 10, not True",
    ),
    (
        lambda: _checks.check_max_retries(1.0),
        ValueError,
        "max_retries must be a whole number from 0 to 10, not 1.0",
    ),
    (
        lambda: _checks.check_timeout(-1),
        ValueError,
        "timeout must be seconds above 0 (at most 1e9), an httpx.Timeout of such seconds, "
        "or None for no timeout; not -1",
    ),
    (
        lambda: _checks.check_timeout(float("nan")),
        ValueError,
        "timeout must be seconds above 0 (at most 1e9), an httpx.Timeout of such seconds, "
        "or None for no timeout; not nan",
    ),
    (
        lambda: _checks.check_timeout(True),
        ValueError,
        "timeout must be seconds above 0 (at most 1e9), an httpx.Timeout of such seconds, "
        "or None for no timeout; not True",
    ),
    (
        lambda: _checks.check_timeout("1"),
        ValueError,
        "timeout must be seconds above 0 (at most 1e9), an httpx.Timeout of such seconds, "
        "or None for no timeout; not '1'",
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
        "base_url has a bad port (0 to 65535): 'https://api.test:99999'",
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
    assert [_checks.check_timeout(t) for t in (None, 0.001, 2.5)] == [None, 0.001, 2.5]
    assert [_checks.check_max_retries(n) for n in (0, 10)] == [0, 10]
    assert _checks.check_api_key(" key-1234\n", "x") == "key-1234"
    assert _checks.check_base_url("https://api.test:8443/v1/") == "https://api.test:8443/v1"


@pytest.mark.parametrize("phase", ["connect", "read", "write", "pool"])
def test_every_phase_of_an_httpx_timeout_is_checked(phase: str) -> None:
    for bad in (float("inf"), 0):
        with pytest.raises(ValueError, match="timeout must be seconds above 0"):
            _checks.check_timeout(httpx.Timeout(5.0, **{phase: bad}))


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


@pytest.mark.parametrize(
    ("concurrency", "error", "message"),
    [
        ("4", TypeError, "concurrency must be an int, not str"),
        (True, TypeError, "concurrency must be an int, not bool"),
        (4.0, TypeError, "concurrency must be an int, not float"),
        (0, ValueError, "concurrency must be from 1 to 32 (a client's connections), not 0"),
        (33, ValueError, "concurrency must be from 1 to 32 (a client's connections), not 33"),
    ],
)
def test_concurrency_is_checked_in_words(
    concurrency: object, error: type[Exception], message: str
) -> None:
    with raises(error, message):
        check_concurrency(concurrency)


def test_concurrency_from_1_to_32_is_accepted() -> None:
    assert [check_concurrency(n) for n in (1, 4, 32)] == [1, 4, 32]


# -- found by the whole run ---------------------------------------------------------------


def test_credentials_in_the_base_url_are_refused_in_words() -> None:
    from aparavi_dtc._checks import check_base_url

    with raises(ValueError, "base_url must not contain credentials: the API key goes apart"):
        check_base_url("https://user:secret@api.test")
    assert check_base_url("https://api.test/pathX/") == "https://api.test/pathX"
    assert check_base_url("https://api.test/X//") == "https://api.test/X"


def test_seconds_are_checked_up_to_their_bound_and_named_in_words() -> None:
    assert _checks.is_seconds(_checks.MAX_SECONDS)
    assert not _checks.is_seconds(_checks.MAX_SECONDS * 1.0000001)
    exactly = "poll_interval must be finite seconds >= 0 (at most 1e9), not -1"
    with pytest.raises(ValueError, match=f"^{re.escape(exactly)}$"):
        _checks.check_seconds(-1, "poll_interval", none_allowed=False)
    exactly = "poll_interval must be finite seconds >= 0 (at most 1e9), not None"
    with pytest.raises(ValueError, match=f"^{re.escape(exactly)}$"):
        _checks.check_wait_args(None, None)  # a timeout may be None, a poll interval not


def test_a_file_name_must_be_a_string_and_its_type_guessed_from_all_its_suffixes() -> None:
    with pytest.raises(TypeError) as refused:
        _checks.check_file_name(b"a.txt")
    assert str(refused.value) == "a file's name must be a string, not bytes"
    assert _checks.guess_content_type("backup.tar.gz") == "application/x-tar"
    assert _checks.guess_content_type("report.pdf") == "application/pdf"
    assert _checks.guess_content_type("README") == "application/octet-stream"
