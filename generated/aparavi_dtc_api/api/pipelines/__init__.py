"""Contains endpoint functions for accessing the API"""

from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import validate_pipeline

__all__ = ("validate_pipeline",)


def __getattr__(name: str) -> ModuleType:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # import_module binds the module here too: found directly from now on
    return import_module(f".{name}", __name__)
