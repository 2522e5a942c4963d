"""MkDocs hook: every search result names the part of the site its page belongs to.

Material's search shows each result's title, its text and its page's tags. This
hook gives every page one tag, the part of the site it sits in: the tab along the
top (Tutorial, Beyond, Specification, Reference, Development), or Home. Without
Material's tags plugin, tags show only in search results, never on the pages.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page


def part_of(page: Page) -> str:
    """The title of the top-level section that holds ``page``, or "Home" outside any."""
    return page.ancestors[-1].title if page.ancestors else "Home"


def on_page_markdown(markdown: str, page: Page, **kwargs: object) -> str:
    # Before the search plugin reads the page (on_page_context), which indexes its tags.
    page.meta["tags"] = [part_of(page)]
    return markdown
