"""MkDocs hook: the pages' mathematics typeset as MathML while the site is built.

``pymdownx.arithmatex`` (generic mode) finds ``$...$`` and ``$$...$$`` in the
Markdown, leaving code alone, and wraps the LaTeX in
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``.
This hook turns each of those into MathML with ``latex2mathml``. Browsers draw
MathML themselves, so the site shows its equations with no JavaScript and
nothing fetched from the network. LaTeX that ``latex2mathml`` cannot read stops
the build with the page and the formula named.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.DOTALL)


def mathml(latex: str, display: str, where: str) -> str:
    """One formula, HTML-escaped as arithmatex leaves it, as a ``<math>`` element."""
    source = html.unescape(latex).strip()
    try:
        return convert(source, display=display)
    except Exception as error:  # latex2mathml raises many kinds of errors for bad LaTeX
        raise PluginError(f"{where}: cannot typeset {source!r}: {error}") from error


def typeset(content: str, where: str = "page") -> str:
    """Every arithmatex span and div in ``content`` replaced by MathML."""
    content = BLOCK.sub(
        lambda match: (
            '<div class="math-display">' + mathml(match.group(1), "block", where) + "</div>"
        ),
        content,
    )
    return INLINE.sub(lambda match: mathml(match.group(1), "inline", where), content)


def on_page_content(content: str, page: Page, **kwargs: object) -> str:
    return typeset(content, page.file.src_uri)
