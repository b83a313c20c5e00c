"""``aparavi-dtc mcp``: a Model Context Protocol server over the SDK, for LLM applications.

``command`` parses nothing and imports nothing of ``mcp`` until the command runs, so that
``import aparavi_dtc`` and the rest of the command line never load it; ``_roots`` decides
which files may be read; ``_server`` holds the tools (it needs the ``mcp`` extra).
"""

from .command import cmd_mcp

__all__ = ["cmd_mcp"]
