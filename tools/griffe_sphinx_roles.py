"""A griffe extension (mkdocs.yml): Sphinx roles in docstrings read as code on the site.

The docstrings name other objects as Sphinx does (``:class:`FakeAparavi```,
``:func:`~aparavi_dtc.testing.verify```), which Markdown would show as typed; here each
becomes the name in code: ``FakeAparavi``, ``verify`` (a ``~`` keeps the last part only).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|data|mod|meth|attr|exc|obj|const):`(~?)([^`]+)`")


def plain(text: str) -> str:
    """``text`` with every Sphinx role as the name it names, in code."""
    return ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


class SphinxRoles(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        objects: list[griffe.Object] = [pkg]
        while objects:
            obj = objects.pop()
            if obj.docstring is not None:
                obj.docstring.value = plain(obj.docstring.value)
            objects += [m for m in obj.members.values() if isinstance(m, griffe.Object)]
