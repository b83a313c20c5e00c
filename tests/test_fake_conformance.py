"""The fake is proven against the spec: schemathesis drives ``FakeAparavi`` over loopback.

Every answer the fake sends is checked against ``openapi.yaml`` (the status code is
documented, the content type and the body match it, so do the headers): for generated
inputs to every operation, valid and invalid, with the right key and a wrong one, and along
the spec's links in stateful sequences (start a task, get it, upload to it, delete it;
create a pipe, process through it, delete it). What the fake received shows that those
sequences happened, with the tokens it had issued.

Generation is seeded, with no example database, so a run does not depend on an earlier one
or on the machine. A stateful run that has not yet shown its whole sequence is followed by
another, seeded after it, up to ``MAX_RUNS``: one run usually suffices.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import yaml
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aparavi_dtc.testing import FakeAparavi

Case = schemathesis.Case[Any]

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"
#: What an operation without a `security` of its own needs: the spec's default.
DEFAULT_SECURITY = yaml.safe_load(SPEC.read_text(encoding="utf-8")).get("security")
API_KEY = "conformance-key-5b1e9d0c7a2f4e6b8d3c1a0f9e8d7c6b"
AUTH = {"Authorization": API_KEY}
WRONG_AUTH = {"Authorization": "Bearer not-the-key-0000000000000000"}
SEED = 1
TIMEOUT = 10  # seconds, per request

#: Conformance of each answer to the spec. Not ``not_a_server_error``: the spec documents
#: 500 answers (an upload to a task that is not a webhook, a failed service), and the fake
#: sends them.
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _config(mode: str, max_examples: int) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": mode,
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
            },
            # the spec's examples, generated inputs, and boundary values
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}},
        }
    )


schema = schemathesis.openapi.from_path(SPEC, config=_config("positive", 10))
# (GET /version and GET /status take no input that could be invalid.)
invalid = schemathesis.openapi.from_path(SPEC, config=_config("negative", 5)).exclude(
    operation_id=["getVersion", "getStatus"]
)


@pytest.fixture(scope="module")
def fake() -> FakeAparavi:
    return FakeAparavi(api_key=API_KEY)


@pytest.fixture(scope="module")
def base_url(fake: FakeAparavi) -> Iterator[str]:
    with fake.serve() as url:
        yield url


# -- every operation, one call at a time ------------------------------------------------------


@schema.parametrize()
def test_every_answer_to_valid_input_conforms(case: Case, base_url: str) -> None:
    response = case.call_and_validate(
        base_url=base_url, headers=AUTH, checks=CHECKS, timeout=TIMEOUT
    )
    assert response.status_code != 401  # the key went with it


@schema.parametrize()
@hypothesis.settings(max_examples=2)
def test_every_answer_to_a_wrong_key_conforms(case: Case, base_url: str) -> None:
    response = case.call_and_validate(
        base_url=base_url, headers=WRONG_AUTH, checks=CHECKS, timeout=TIMEOUT
    )
    # An operation without its own `security` takes the spec's (which needs the key).
    if case.operation.definition.raw.get("security", DEFAULT_SECURITY):
        assert response.status_code == 401


@invalid.parametrize()
def test_every_answer_to_invalid_input_conforms(case: Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, headers=AUTH, checks=CHECKS, timeout=TIMEOUT)


@pytest.mark.parametrize("path", ["/chat", "/dropper"])
def test_the_pages_of_a_live_task_redirect_as_documented(base_url: str, path: str) -> None:
    start = schema["/task"]["PUT"].Case(body={"pipeline": {"components": []}})
    handle = start.call_and_validate(
        base_url=base_url, headers=AUTH, checks=CHECKS, timeout=TIMEOUT
    ).json()["data"]
    page = schema[path]["GET"].Case(query={**handle, "apikey": API_KEY})
    response = page.call_and_validate(
        base_url=base_url, checks=CHECKS, timeout=TIMEOUT, allow_redirects=False
    )
    assert (response.status_code, response.headers.get("location")) == (
        302,
        [f"{path}/pages/index.html"],
    )


# -- the spec's links, in stateful sequences ---------------------------------------------------

STATEFUL_SETTINGS = hypothesis.settings(
    # Each run is seeded below (hypothesis.seed), also under CI's derandomized profile,
    # which would otherwise give every run the same examples.
    derandomize=False,
    max_examples=12,
    stateful_step_count=10,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.generate],
)
#: The most runs (each seeded after the last) a workflow gets to show its chain. One
#: usually does; the others are a margin for when a change to the spec or the fake moves
#: the seeded exploration (schemathesis also follows a link with a generated value instead
#: of the linked one, 7.5% of the time, outside Hypothesis's seed).
MAX_RUNS = 10

#: One step of a workflow: (operationId, the token sent, HTTP status, JSON body or None).
Answer = tuple[str, str, int, Any]
#: A chain of steps on one token: each step's operationId and what its answer must be.
Chain = list[tuple[str, Callable[[Answer], bool]]]


def _data(answer: Answer) -> Any:
    """The ``data`` of an OK envelope under HTTP 200, else None."""
    _, _, status, body = answer
    if status == 200 and isinstance(body, dict) and body.get("status") == "OK":
        return body.get("data")
    return None


def _is_task_status(answer: Answer) -> bool:
    data = _data(answer)
    return isinstance(data, dict) and isinstance(data.get("status"), str)


def _is_webhook_result(answer: Answer) -> bool:
    data = _data(answer)
    if not (isinstance(data, dict) and isinstance(data.get("objects"), dict)):
        return False
    return bool(data.get("objectsCompleted") == len(data["objects"]) > 0)


def _is_deleted(answer: Answer) -> bool:
    return bool(_data(answer) == {})


TASK_CHAIN: Chain = [
    ("getTask", _is_task_status),
    ("sendToWebhook", _is_webhook_result),
    ("deleteTask", _is_deleted),
]
PIPE_CHAIN: Chain = [("processPipe", _is_webhook_result), ("deletePipe", _is_deleted)]


def _issued(answers: list[Answer]) -> set[str]:
    """The tokens the fake answered to startTask or createPipe."""
    return {
        data["token"] for a in answers if isinstance(data := _data(a), dict) and "token" in data
    }


def _went_through(answers: list[Answer], token: str, chain: Chain) -> bool:
    """Whether ``token`` went through every step of ``chain``, in its order."""
    position = 0
    for answer in answers:
        operation, answered = chain[position]
        if answer[:2] == (operation, token) and answered(answer):
            position += 1
            if position == len(chain):
                return True
    return False


def _counts(answers: list[Answer], chain: Chain) -> dict[str, int]:
    """Per step of ``chain``: how often it was answered as it should be, on issued tokens."""
    issued = _issued(answers)
    return {
        operation: sum(a[0] == operation and a[1] in issued and answered(a) for a in answers)
        for operation, answered in chain
    }


def _with_webhook_source(body: Any) -> Any:
    body = copy.deepcopy(body)
    pipeline = body["pipeline"]
    pipeline["components"] = [{"id": "webhook_1", "provider": "webhook"}, *pipeline["components"]]
    pipeline["source"] = "webhook_1"
    return body


def _workflow(*operation_ids: str) -> Any:
    """The spec cut to one workflow's operations, so that its producer starts the scenarios.

    (Over the whole spec, schemathesis starts scenarios only from POST operations: PUT /task
    would never start one.)
    """
    spec = schemathesis.openapi.from_path(SPEC, config=_config("positive", 12))
    workflow = spec.include(operation_id=list(operation_ids))

    def mostly_webhook_tasks(context: schemathesis.HookContext, body: Any) -> Any:
        # Only a task whose source is a webhook takes uploads, and generated pipelines
        # never have one: two started tasks in three get one put in front.
        return st.sampled_from([_with_webhook_source(body), body, _with_webhook_source(body)])

    register: Any = workflow.hook("flatmap_body")
    register.apply_to(operation_id="startTask")(mostly_webhook_tasks)
    return workflow


def _run(workflow: Any, fake: FakeAparavi, base_url: str, seed: int) -> list[Answer]:
    """Run the workflow's state machine once; every step checked, and as the fake saw it."""
    answers: list[Answer] = []

    class Workflow(workflow.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"base_url": base_url, "headers": AUTH, "timeout": TIMEOUT}

        def after_call(self, response: schemathesis.Response, case: Case) -> None:
            super().after_call(response, case)
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            operation = case.operation.definition.raw["operationId"]
            token = str((case.query or {}).get("token", ""))
            answers.append((operation, token, response.status_code, body))

        def validate_response(
            self,
            response: schemathesis.Response,
            case: Case,
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            case.validate_response(
                response, checks=CHECKS, transport_kwargs=kwargs, recorder=self.recorder
            )

    before = len(fake.requests)
    hypothesis.seed(seed)(Workflow)
    Workflow.run(settings=STATEFUL_SETTINGS)
    received = fake.requests[before:]
    # Every step reached the fake, in this order, for this operation and token.
    assert [(r.operation, r.query.get("token", "")) for r in received] == [
        answer[:2] for answer in answers
    ]
    return answers


def _explore(
    operation_ids: tuple[str, ...], chain: Chain, fake: FakeAparavi, base_url: str
) -> tuple[list[Answer], int]:
    """Run the workflow until some issued token went through ``chain`` and every step
    was answered as it should be at least 3 times; answer all steps and the runs taken."""
    workflow = _workflow(*operation_ids)
    answers: list[Answer] = []
    for run in range(1, MAX_RUNS + 1):
        answers += _run(workflow, fake, base_url, SEED + run)
        done = any(_went_through(answers, t, chain) for t in _issued(answers))
        if done and min(_counts(answers, chain).values()) >= 3:
            break
    return answers, run


def test_task_workflow_conforms(fake: FakeAparavi, base_url: str) -> None:
    operations = ("startTask", "getTask", "sendToWebhook", "deleteTask")
    answers, runs = _explore(operations, TASK_CHAIN, fake, base_url)
    issued = _issued(answers)
    through = sorted(t for t in issued if _went_through(answers, t, TASK_CHAIN))
    counts = _counts(answers, TASK_CHAIN)
    summary = f"{runs} runs, {len(issued)} tasks, {len(through)} went through, {counts}"
    # start -> get (a status) -> upload (a WebhookResult) -> delete, on the same task
    assert through, summary
    assert min(counts.values()) >= 3, summary
    # and what was deleted is gone
    deleted = {a[1] for a in answers if a[0] == "deleteTask" and _is_deleted(a)}
    assert deleted <= issued
    assert not deleted & set(fake.tasks)


def test_pipe_workflow_conforms(fake: FakeAparavi, base_url: str) -> None:
    operations = ("createPipe", "processPipe", "deletePipe")
    answers, runs = _explore(operations, PIPE_CHAIN, fake, base_url)
    issued = _issued(answers)
    through = sorted(t for t in issued if _went_through(answers, t, PIPE_CHAIN))
    counts = _counts(answers, PIPE_CHAIN)
    summary = f"{runs} runs, {len(issued)} pipes, {len(through)} went through, {counts}"
    # create -> process (a WebhookResult) -> delete, on the same pipe
    assert through, summary
    assert min(counts.values()) >= 3, summary
    deleted = {a[1] for a in answers if a[0] == "deletePipe" and _is_deleted(a)}
    assert deleted <= issued
    assert not deleted & set(fake.pipes)
