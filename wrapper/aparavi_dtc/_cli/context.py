"""What every command of ``aparavi-dtc`` needs: the client, the output, the chosen task."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from .output import Reporter
from .session import load_session
from .status import CLIError, ExitCode

if TYPE_CHECKING:
    from aparavi_dtc import AparaviDTC, Task

    from .display import Display

__all__ = ["Context"]


class Context:
    """What every command needs: the client, the output, the chosen task."""

    def __init__(self, args: argparse.Namespace, report: Reporter) -> None:
        self.args = args
        self.report = report
        self._client: AparaviDTC | None = None

    @property
    def client(self) -> AparaviDTC:
        """The client, made on first use (``pipelines`` needs none)."""
        if self._client is None:
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
            args = self.args
            options: dict[str, Any] = {}  # what is not given comes from the environment
            if args.request_timeout is not None:
                options["timeout"] = args.request_timeout
            if args.max_retries is not None:
                options["max_retries"] = args.max_retries
            try:
                if args.base_url is not None:
                    from aparavi_dtc._checks import check_base_url
                    from aparavi_dtc._config import DEFAULT_BASE_URL

                    check_base_url(
                        args.base_url,
                        "--base-url",
                        if_empty=f"leave it out for $APARAVI_BASE_URL, else {DEFAULT_BASE_URL}; "
                        "or give the service URL",
                    )
                self._client = AparaviDTC(key, base_url=args.base_url, **options)
            except ValueError as exc:
                raise CLIError(str(exc)) from None
            self.report.base_url = self._client.base_url
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

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

    def wait(self, task: Task) -> Any:
        display = self.display()
        try:
            final = task.wait(on_progress=display.update)
        except KeyboardInterrupt:
            raise CLIError(
                "interrupted; the task is still running. Follow it with "
                "`aparavi-dtc status --watch` or cancel it with `aparavi-dtc delete`.",
                ExitCode.INTERRUPTED,
            ) from None
        finally:
            display.close()
        return final
