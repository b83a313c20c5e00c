"""Query strings (``_url``): encoded as ``urlencode(quote_via=quote)`` does."""

from __future__ import annotations

import urllib.parse

import pytest

from aparavi_dtc._url import query, unreserved

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
