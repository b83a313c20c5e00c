"""Whatever the server answers, every public method returns a typed result or raises an
``AparaviError``: never KeyError, ValueError, JSONDecodeError or anything else."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aparavi_dtc import AparaviError
from aparavi_dtc._url import query

from .conftest import BASE_URL, PIPELINE, TOKEN, MakeClient
from .schema_strategies import JSON, component


def _mutate(body: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Put an arbitrary JSON value in one place of a valid body."""
    target = (
        body["data"] if isinstance(body.get("data"), dict) and data.draw(st.booleans()) else body
    )
    key = data.draw(st.sampled_from(sorted(target) or ["data"]))
    target[key] = data.draw(JSON)
    return body


envelopes = st.fixed_dictionaries(
    {"data": JSON}, optional={"status": st.sampled_from(["OK", "Error", "ok"]) | st.text()}
)
mutated = st.builds(
    _mutate,
    st.sampled_from(["TaskStatusResponse", "StartTaskResponse"]).flatmap(component),
    st.data(),
)

bodies = st.one_of(
    envelopes.map(lambda v: json.dumps(v).encode()),
    mutated.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=100),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(
        ["TaskStatusResponse", "StartTaskResponse", "Envelope", "ErrorEnvelope", "ErrorResponse"]
    )
    .flatmap(component)
    .map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda body, cut: body[:cut],
        component("TaskStatusResponse").map(lambda v: json.dumps(v).encode()),
        st.integers(0, 40),
    ),
)
codes = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 408, 422, 429, 500, 502, 503])

METHODS = {
    "start_task": lambda c: c.start_task(PIPELINE),
    "get_task": lambda c: c.task(TOKEN, "cpu").get(),
    "delete_task": lambda c: c.task(TOKEN, "cpu").delete(),
    "validate": lambda c: c.validate(PIPELINE),
    "send_to_webhook": lambda c: c.task(TOKEN, "cpu").send_to_webhook(text="x"),
    "version": lambda c: c.version(),
    "status": lambda c: c.status(),
    "wait": lambda c: c.task(TOKEN, "cpu").wait(timeout=0, poll_interval=0),
    "run": lambda c: c.run({"components": [{"provider": "file"}]}, timeout=0, poll_interval=0),
}


@pytest.mark.respx
def test_any_response_ends_typed(make_client: MakeClient) -> None:
    client = make_client(max_retries=1)

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(method=st.sampled_from(sorted(METHODS)), code=codes, body=bodies)
    def check(method: str, code: int, body: bytes) -> None:
        with respx.mock(base_url=BASE_URL) as router:
            router.route().mock(return_value=httpx.Response(code, content=body))
            try:
                result: Any = METHODS[method](client)
            except AparaviError:
                return
        assert result is not None
        assert 200 <= code < 300

    check()


@given(st.dictionaries(st.text(min_size=1), st.one_of(st.text(), st.integers())))
def test_query_encoding_matches_the_standard_library(params: dict[str, Any]) -> None:
    assert query(params) == urlencode(params, quote_via=quote)
