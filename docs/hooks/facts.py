"""MkDocs hook: figures from the test run on the pages, and no figure typed by hand.

Replaces the ``{{ fact: name }}``, ``{{ runs: feature }}`` and ``{{ thresholds: tag }}``
placeholders of every page, and reports each figure typed by hand into a table or an
output block, and each measured-looking figure typed into prose, as a warning, which
fails ``mkdocs build --strict``. What each placeholder shows, what looks measured, and
how definitions, quotations and thresholds are marked, is in ``site_figures``.
"""

from __future__ import annotations

import logging

import site_figures
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.facts")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Rebuild ``mkdocs serve``'s pages when a test run records new figures."""
    path = site_figures.facts_path()
    if path.exists():
        config.watch.append(str(path))
    return config


@event_priority(100)  # before other hooks add generated tables of their own
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Generated pages (the Specification) quote the features; only written pages are scanned.
    if page.file.abs_src_path is not None:
        report = log.info if page.file.src_uri in site_figures.PENDING else log.warning
        for figure in site_figures.typed_figures(markdown):
            report(
                "%s: a number typed by hand (%s); show it with {{ fact: name }} or an exec "
                "block, or mark it with <!-- numbers: definition|quoted|threshold, reason -->",
                page.file.src_uri,
                figure,
            )
    facts = site_figures.load_facts(site_figures.facts_path())
    return site_figures.render(markdown, page.file.src_uri, facts, site_figures.head_commit())
