"""Generated models against the spec: round trips, and the SDK parses every valid body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import aparavi_dtc_api.models as models
from aparavi_dtc import AparaviDTC

from .conftest import API_KEY, BASE_URL, TOKEN
from .schema_strategies import component

SCHEMAS = [
    "TaskStatusResponse",
    "TaskStatus",
    "StartTaskResponse",
    "Envelope",
    "ErrorEnvelope",
    "ErrorResponse",
    "ValidationErrorResponse",
    "PipelineRequest",
    "Metrics",
]


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_models_round_trip(name: str, data: st.DataObject) -> None:
    model = getattr(models, name)
    body = data.draw(component(name))
    parsed = model.from_dict(body)
    assert parsed.to_dict() == body
    assert model.from_dict(parsed.to_dict()) == parsed


@pytest.fixture(scope="module")
def shared_client() -> Iterator[AparaviDTC]:
    with AparaviDTC(API_KEY, base_url=BASE_URL) as client:
        yield client


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(body=component("TaskStatusResponse"))
def test_every_valid_status_body_parses(shared_client: AparaviDTC, body: dict[str, Any]) -> None:
    assume(body.get("status") != "Error" and "=" not in json.dumps(body))
    with respx.mock(base_url=BASE_URL) as router:
        router.get("/task").mock(return_value=httpx.Response(200, json=body))
        result = shared_client.task(TOKEN, "cpu").get()
    assert result == models.TaskStatusResponse.from_dict(body)
    assert result.data.status == body["data"]["status"]
