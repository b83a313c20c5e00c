"""Test helpers for code built on aparavi-dtc: the spec, a stateful fake, a pytest plugin.

>>> from aparavi_dtc import AparaviDTC, pipelines
>>> from aparavi_dtc.testing import FakeAparavi
>>> fake = FakeAparavi(api_key="key-for-tests-0000")
>>> with AparaviDTC("key-for-tests-0000", transport=fake.transport()) as client:
...     client.run(pipelines.simple_parser(), [("a.txt", b"hello")]).texts
{'a.txt': 'hello'}

* :func:`spec_path`: the ``openapi.yaml`` this SDK was built from, for Prism,
  schemathesis or your own contract tests.
* :class:`FakeAparavi`: the service's behaviour in memory, as an httpx transport or a
  loopback server (``aparavi-dtc mock`` runs it from the command line).
* :func:`running_prism`: Prism serving the shipped spec on a free loopback port, and
  :func:`stop_on_signals`, which makes SIGTERM and SIGHUP stop a mock as Ctrl-C does.
* :func:`verify`: whether a deployed service still answers as the spec says (new,
  missing and mistyped fields, unknown enum values, status codes, bodies that are not
  JSON), with :class:`VerifyReport`; it can record what it saw for :class:`FakeAparavi`.
* The pytest plugin (installed with ``aparavi-dtc[testing]``): fixtures ``aparavi_fake``,
  ``aparavi_client``, ``aparavi_async_client``, ``aparavi_server`` and ``aparavi_prism``.

``import aparavi_dtc`` never loads this module.
"""

from __future__ import annotations

from pathlib import Path

from ._fake import FakeAparavi, Received
from ._prism import PrismUnavailable, running_prism, stop_on_signals
from ._verify import Drift, OperationReport, VerifyReport, verify

__all__ = [
    "Drift",
    "FakeAparavi",
    "OperationReport",
    "PrismUnavailable",
    "Received",
    "VerifyReport",
    "running_prism",
    "spec_path",
    "stop_on_signals",
    "verify",
]


def spec_path() -> Path:
    """The path of ``openapi.yaml``, the wire contract this version of the SDK follows.

    The wheel ships it next to this module; a source checkout has it at its root.
    """
    shipped = Path(__file__).with_name("openapi.yaml")
    if shipped.is_file():
        return shipped
    checkout = Path(__file__).resolve().parents[3] / "openapi.yaml"  # wrapper/aparavi_dtc/testing
    if checkout.is_file():
        return checkout
    raise FileNotFoundError("openapi.yaml is missing from this installation of aparavi-dtc")
