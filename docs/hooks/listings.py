"""MkDocs hook: code listings show docstrings and comments without reStructuredText markup.

scratchnet's docstrings mark code with reStructuredText's double backticks
(``like this``), which mkdocstrings renders as code on the Reference pages. In a
listing included on a page they would show as literal backticks, so in the
highlighted docstrings and comments of listings they are shown as Markdown's
single backticks. Only the display changes; the included files are untouched.
"""

from __future__ import annotations

import re

from mkdocs.structure.pages import Page

# Pygments' spans for docstrings and comments.
PROSE_SPAN = re.compile(r'(<span class="(?:sd|c1)">)([^<]*)(</span>)')


def plain_backticks(content: str) -> str:
    """Double backticks inside highlighted docstrings and comments → single ones."""
    return PROSE_SPAN.sub(
        lambda match: match.group(1) + match.group(2).replace("``", "`") + match.group(3),
        content,
    )


def on_page_content(content: str, page: Page, **kwargs: object) -> str:
    return plain_backticks(content)
