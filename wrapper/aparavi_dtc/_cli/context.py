"""What every command of ``aparavi-dtc`` needs: the client, the output, the chosen task."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from .output import Reporter
from .record import TaskLog
from .session import load_session
from .status import CLIError, ExitCode

if TYPE_CHECKING:
    from collections.abc import Callable

    from aparavi_dtc import AparaviDTC, Progress, Task, TaskStatus

    from .display import Display

__all__ = ["Context"]


class _Ready(Exception):
    """Raised by the progress callback to end a wait early, with the status that did."""

    def __init__(self, status: TaskStatus) -> None:
        super().__init__()
        self.status = status


class Context:
    """What every command needs: the client, the output, the chosen task."""

    def __init__(self, args: argparse.Namespace, report: Reporter, command: str = "") -> None:
        self.args = args
        self.report = report
        self.tasks = TaskLog(report, command)
        """The record of the tasks this command starts and deletes (``aparavi-dtc tasks``)."""
        self._client: AparaviDTC | None = None
        self._clients: dict[str, AparaviDTC] = {}

    @property
    def client(self) -> AparaviDTC:
        """The client, made on first use (``pipelines`` needs none)."""
        if self._client is None:
            base_url = self.args.base_url
            if base_url is not None:
                from aparavi_dtc._checks import check_base_url
                from aparavi_dtc._config import DEFAULT_BASE_URL

                try:
                    check_base_url(
                        base_url,
                        "--base-url",
                        if_empty=f"leave it out for $APARAVI_BASE_URL, else {DEFAULT_BASE_URL}; "
                        "or give the service URL",
                    )
                except ValueError as exc:
                    raise CLIError(str(exc)) from None
            self._client = self.client_for(base_url)
            self.report.base_url = self._client.base_url
        return self._client

    def client_options(self) -> dict[str, Any]:
        """The client's ``timeout`` and ``max_retries`` the options give; what they do not
        give comes from the environment (``APARAVI_TIMEOUT``, ``APARAVI_MAX_RETRIES``)."""
        options: dict[str, Any] = {}
        if self.args.request_timeout is not None:
            options["timeout"] = self.args.request_timeout
        if self.args.max_retries is not None:
            options["max_retries"] = self.args.max_retries
        return options

    def client_for(self, base_url: str | None) -> AparaviDTC:
        """A client for ``base_url`` (None: ``APARAVI_BASE_URL`` or the default), one per
        URL, recording the tasks it starts and deletes."""
        made = self._clients.get(base_url or "")
        if made is not None:
            return made
        from aparavi_dtc import AparaviDTC

        key = self.args.api_key
        if key is None:
            key = os.environ.get("APARAVI_API_KEY")
        if not key or not key.strip():
            raise CLIError(
                "no API key: set APARAVI_API_KEY in the environment, or pass --api-key "
                "(other users can see a process's arguments)"
            )
        self.report.secret(key)
        try:
            made = AparaviDTC(key, base_url=base_url, **self.client_options())
        except ValueError as exc:
            raise CLIError(str(exc)) from None
        made.on_task(self.tasks.heard)
        self._clients[base_url or ""] = self._clients[made.base_url] = made
        return made

    def close(self) -> None:
        for each in set(self._clients.values()):
            each.close()

    def task(self) -> Task:
        token, type_ = getattr(self.args, "token", None), getattr(self.args, "type", None)
        if (token is None) != (type_ is None):
            raise CLIError("--token and --type go together")
        if token is not None and type_ is not None:
            self.report.secret(token)
            try:
                return self.client.task(token, type_)
            except ValueError as exc:
                raise CLIError(str(exc)) from None
        saved = load_session(self.client.base_url)
        if saved is None:
            raise CLIError(
                "no current task: run `aparavi-dtc start PIPELINE` first, "
                "or pass --token and --type"
            )
        self.report.secret(saved[0])
        return self.client.task(*saved)

    def pipeline(self) -> str | dict[str, Any]:
        """The pipeline to use: a file's path, or the predefined one ``--pipeline`` names."""
        path, name = self.args.pipeline, self.args.pipeline_name
        if name is None:
            if path is None:
                raise CLIError(
                    "a pipeline is needed: a pipeline JSON file, or --pipeline NAME "
                    "(`aparavi-dtc pipelines` lists the names)"
                )
            return str(path)
        if path is not None:
            raise CLIError("give a pipeline file or --pipeline NAME, not both")
        from aparavi_dtc import pipelines

        try:
            return pipelines.get(name)
        except ValueError as exc:
            raise CLIError(str(exc)) from None

    def display(self) -> Display:
        from .display import display_for

        return display_for(sys.stdout, quiet=self.report.json_mode)

    def out(self, text: str, data: Any, *, neutralised: bool = False) -> None:
        self.report.out(text, data, neutralised=neutralised)

    def wait(self, task: Task, ready: Callable[[TaskStatus], bool] | None = None) -> Any:
        """Wait for ``task`` to finish, or (with ``ready``) until a status satisfies it;
        return the last status."""
        display = self.display()

        def update(progress: Progress) -> None:
            display.update(progress)
            if ready is not None and ready(progress.task_status):
                raise _Ready(progress.task_status)  # ends the SDK's wait with this status

        try:
            final = task.wait(on_progress=update)
        except _Ready as stop:
            final = stop.status
        except KeyboardInterrupt:
            raise CLIError(
                "interrupted; the task is still running. Follow it with "
                "`aparavi-dtc status --watch` or cancel it with `aparavi-dtc delete`.",
                ExitCode.INTERRUPTED,
            ) from None
        finally:
            display.close()
        return final
