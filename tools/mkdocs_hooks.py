"""mkdocs hooks (mkdocs.yml): the Markdown files at the repository's root that the docs
link to are pages of the site too.

The docs link to them as GitHub shows the repository (``../TESTING.md`` from
``docs/index.md``), so that the same links work there and on the site: here each such
file is added at the site's root, and each link to it is rewritten to where the site has
it before mkdocs checks the links.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

#: The root files the site holds, beside the pages of docs/.
ROOT_PAGES = ("CONTRIBUTING.md", "TESTING.md", "BENCHMARKS.md", "CHANGELOG.md")
LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_files(files: Files, config: Any) -> Files:
    for name in ROOT_PAGES:
        files.append(File(name, str(_root(config)), config.site_dir, config.use_directory_urls))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Links from a page to a root page, or from a root page to docs/, as the site has them."""
    root, docs = _root(config), Path(config.docs_dir).resolve()
    here = Path(page.file.abs_src_path).parent
    site_here = os.path.dirname(page.file.src_uri)

    def rewrite(link: re.Match[str]) -> str:
        target = (here / link.group(1)).resolve()
        if target.parent == root and target.name in ROOT_PAGES:
            uri = target.name
        elif target.is_relative_to(docs):
            uri = target.relative_to(docs).as_posix()
        else:
            return link.group(0)
        path = os.path.relpath(uri, site_here or ".").replace(os.sep, "/")
        return f"]({path}{link.group(2) or ''})"

    return LINK.sub(rewrite, markdown)
