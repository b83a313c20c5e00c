"""Where the shipped ``openapi.yaml`` is: in the wheel, or at a checkout's root."""

from __future__ import annotations

from pathlib import Path

__all__ = ["spec_path"]


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
