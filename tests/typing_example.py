"""How users type against the SDK; checked by `mypy --strict` in `make lint`, never run.

A change that loosens a public type (to Any, or to a union users must narrow) fails here.
"""

from __future__ import annotations

from typing import assert_type

from aparavi_dtc import (
    AparaviDTC,
    AparaviError,
    AsyncAparaviDTC,
    AsyncTask,
    Pipe,
    ProcessedObject,
    Progress,
    RunResult,
    Task,
    TaskStatus,
    TaskStatusResponse,
    WebhookResponse,
    WebhookResult,
    pipelines,
)


def sync_usage(client: AparaviDTC) -> str:
    task = client.start_task({"components": [{"provider": "webhook"}]}, name="n", threads=2)
    assert_type(task, Task)
    assert_type(task.token, str)
    response = client.get_task()
    assert_type(response, TaskStatusResponse)
    assert_type(response.data, TaskStatus)
    assert_type(response.data.status, str)
    assert_type(client.token, str | None)

    def show(progress: Progress) -> None:
        assert_type(progress.percent, float | None)

    final = task.wait(timeout=60, on_progress=show)
    assert_type(final, TaskStatus)
    assert_type(client.send_to_webhook(["a.pdf", ("b.csv", b"x")]), WebhookResponse)
    result = client.run(pipelines.simple_parser(), ["a.pdf"])
    assert_type(result, RunResult)
    assert_type(result.results, WebhookResult | None)
    assert_type(result.texts, dict[str, str])
    with client.create_pipe(pipelines.get("simple-ocr"), name="scans") as pipe:
        assert_type(pipe, Pipe)
        answer = pipe.process(["scan.png"])
        assert_type(answer, WebhookResult)
        for object_id, obj in answer.objects.items():  # a map of the processed objects
            assert_type(object_id, str)
            assert_type(obj, ProcessedObject)
        assert_type(len(answer.objects), int)
        assert_type(list(answer.objects), list[str])
        assert_type(answer.objects.get("id"), ProcessedObject | None)
    assert_type(task.chat_url(), str)
    try:
        client.delete_task()
    except AparaviError as error:
        return error.message
    return response.data.status


async def async_usage(client: AsyncAparaviDTC) -> TaskStatus:
    task = client.task("token", "cpu")
    assert_type(task, AsyncTask)
    status = await task.get(timeout=None, max_retries=0)
    assert_type(status, TaskStatusResponse)
    return await client.wait_for_task(poll_interval=0.5)
