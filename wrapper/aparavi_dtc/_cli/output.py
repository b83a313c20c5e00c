"""What ``aparavi-dtc`` writes: results on stdout, errors on stderr, as text or JSON."""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING, Any

from .display import clean, to_json
from .status import CLIError, ExitCode, error_message, exit_code_for

if TYPE_CHECKING:
    from .._redact import Redactor

__all__ = ["Reporter"]


class Reporter:
    """Writes what the CLI has to say: results on stdout, errors on stderr, as text or JSON.

    Every secret the command knows (the API key, task tokens) is masked in what it writes,
    as a backstop to the SDK's own masking.
    """

    def __init__(self, *, json_mode: bool, debug: bool) -> None:
        self.json_mode = json_mode
        self.debug = debug
        self.base_url: str | None = None
        self._redactor: Redactor | None = None
        self._secrets: list[str] = []

    @property
    def redactor(self) -> Redactor:
        """Masks what the command writes; :meth:`secret` adds to what it knows. Made on
        first use: it loads the models' masking, which ``--help`` does without."""
        if self._redactor is None:
            from .._redact import Redactor

            self._redactor = Redactor()
        return self._redactor

    def secret(self, value: str | None) -> None:
        """Mask ``value`` wherever it would appear."""
        if value:
            self.redactor.add(value)
            self._secrets.append(value)

    def out(
        self, text: str, data: Any, *, neutralised: bool = False, reveal: str | None = None
    ) -> None:
        """One line of text, or ``data`` as strict JSON with ``--json``.

        ``neutralised``: ``text`` is several lines already made safe (by ``clean``), to
        print as they are. ``reveal``: a secret the user asked to see, left unmasked here
        (and only here); every other secret is masked.
        """
        redactor = self.redactor
        if reveal is not None:
            from .._redact import Redactor

            redactor = Redactor(*(each for each in self._secrets if each != reveal))
        if self.json_mode:
            try:
                encoded = to_json(data)
            except RecursionError:
                raise CLIError(
                    "the service's answer is nested too deeply to print as JSON",
                    ExitCode.API_ERROR,
                ) from None
            print(redactor.text(encoded))
        else:
            print(redactor.text(text if neutralised else clean(text)))

    def note(self, text: str) -> None:
        """A line on stderr for people (left out with ``--json``, whose stderr is JSON)."""
        if not self.json_mode:
            print(self.redactor.text(clean(text)), file=sys.stderr)

    def fail(self, exc: BaseException) -> ExitCode:
        """Report ``exc`` in one line (a JSON object with ``--json``); return the exit code."""
        code = exit_code_for(exc)
        message = self.redactor.text(error_message(exc, self.base_url))
        if self.json_mode:
            report: dict[str, Any] = {"error": message, "code": int(code), "exit": code.name}
            status = getattr(exc, "status_code", None)
            if isinstance(status, int):
                report["status_code"] = status
            print(to_json(report), file=sys.stderr)
        else:
            print(f"aparavi-dtc: error: {clean(message)}", file=sys.stderr)
        if self.debug:
            detail = "".join(traceback.format_exception(exc))
            print(self.redactor.text(clean(detail, multiline=True)), file=sys.stderr)
        return code
