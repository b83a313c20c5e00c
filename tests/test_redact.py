"""Masking (``_redact``): the API key and task tokens in every spelling a server may echo them, in
text, in JSON keys and values, and through the clients.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from aparavi_dtc import (
    ServerError,
    TaskTimeoutError,
)
from aparavi_dtc._redact import MIN_SECRET_LENGTH, Redactor, mask

from .conftest import API_KEY, TOKEN, MakeClient, status_body

OK: dict[str, Any] = {"status": "OK", "data": {}}


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


def test_a_redactor_without_secrets_needs_nothing() -> None:
    assert Redactor().needed(b"plain text") is False
    assert Redactor("short").needed(b"short") is False  # too short to be masked everywhere
    assert Redactor().text("plain text") == "plain text"
