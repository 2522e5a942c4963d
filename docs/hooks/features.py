"""MkDocs hook: the Specification section, generated from ``features/*.feature``.

Every feature file becomes a page ``spec/<name>.md`` and ``spec/index.md``
sums them up, with the outcomes of the test runs read from
``build/results.json`` (or the file named by ``SCRATCHNET_RESULTS``) and the
``results-*.json`` beside it. Only results of scratchnet's own network, at the
commit being built, for the feature text being shown, are shown (see
``gherkin_pages``). The nav entry ``Specification: spec/index.md`` grows into a
section listing every feature, so a new feature file appears without touching
``mkdocs.yml``. The placeholder ``<!-- generated: estimator-checks -->`` on a page
becomes the table of scikit-learn's estimator checks from the same runs.
The rendering itself lives in ``gherkin_pages``; this hook only feeds MkDocs.
"""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# gherkin_pages walks feature files with the walker the test results plugin uses
# (steps/support/gherkin.py), so the project's root must be importable.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gherkin_pages  # noqa: E402

from steps.support import provenance  # noqa: E402

FEATURES_DIR = "features"
RESULTS_FILE = "build/results.json"
SECTION = "Specification"
OVERVIEW = "spec/index.md"


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def results_path(root: Path) -> Path:
    """``build/results.json``, unless ``SCRATCHNET_RESULTS`` names another file."""
    return root / os.environ.get("SCRATCHNET_RESULTS", RESULTS_FILE)


def runs(root: Path) -> list[gherkin_pages.Run]:
    """The results files, each with why it may not be shown (another class or commit)."""
    return gherkin_pages.load_runs(results_path(root), root, provenance.head_commit(root))


def page_uri(feature_path: str) -> str:
    """``softmax.feature`` → ``spec/softmax.md`` (a feature called ``index`` keeps clear of
    the overview)."""
    uri = "spec/" + feature_path.removesuffix(".feature") + ".md"
    return "spec/index-feature.md" if uri == OVERVIEW else uri


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Rebuild ``mkdocs serve``'s pages when a feature or the results change."""
    root = project_root(config)
    watched = gherkin_pages.results_files(results_path(root))
    for path in (root / FEATURES_DIR, *watched):
        if path.exists():
            config.watch.append(str(path))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add one page per feature and the overview, and list them in the nav.

    Features named like a page of the nav (``softmax`` for ``tutorial/softmax.md``)
    come first, in the nav's order; the others follow in alphabetical order.
    """
    root = project_root(config)
    results = runs(root)
    pages = []
    for relative, (feature, markdown) in gherkin_pages.feature_pages(
        root / FEATURES_DIR, results
    ).items():
        uri = page_uri(relative)
        content = with_related_links(markdown, relative, root, config.repo_url)
        files.append(File.generated(config, uri, content=content))
        pages.append((feature, uri))
    order: dict[str, int] = {}
    for index, uri in enumerate(nav_pages(config.nav)):
        order.setdefault(posixpath.splitext(posixpath.basename(uri))[0], index)
    pages.sort(key=lambda page: order.get(Path(page[1]).stem, len(order)))
    links = [
        (feature, posixpath.relpath(uri, posixpath.dirname(OVERVIEW))) for feature, uri in pages
    ]
    files.append(
        File.generated(config, OVERVIEW, content=gherkin_pages.overview_page(links, results))
    )
    section = [OVERVIEW, *({feature.name: uri} for feature, uri in pages)]
    config.nav = [
        {SECTION: section} if isinstance(entry, dict) and SECTION in entry else entry
        for entry in config.nav or []
    ] or None
    return files


# Where a feature is explained in prose (folder of docs/ → label), by the stem of its file.
EXPLAINED_IN = {"tutorial": "Tutorial stage", "beyond": "Explained in"}


def related_links(feature_path: str, root: Path, repo_url: str | None) -> str:
    """A line linking a feature's page to the page that explains it and to its step code."""
    stem = feature_path.removesuffix(".feature")
    parts = []
    for folder, label in EXPLAINED_IN.items():
        if (root / "docs" / folder / f"{stem}.md").exists():
            title = stem.replace("_", " ").capitalize()
            parts.append(f"{label}: [{title}](../{folder}/{stem}.md)")
    steps = f"steps/test_{stem.replace('/', '_')}.py"
    if (root / steps).exists():
        link = f"{repo_url.rstrip('/')}/blob/main/{steps}" if repo_url else None
        parts.append(
            f"Step definitions: [`{steps}`]({link})" if link else f"Step definitions: `{steps}`"
        )
    return " · ".join(parts)


def with_related_links(page: str, feature_path: str, root: Path, repo_url: str | None) -> str:
    """``page`` with :func:`related_links` under its title."""
    title, _, rest = page.partition("\n")
    links = related_links(feature_path, root, repo_url)
    return f"{title}\n\n{links}\n{rest}" if links else page


def nav_pages(nav: object) -> list[str]:
    """The page paths in a nav, in reading order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    if isinstance(nav, list):
        return [page for entry in nav for page in nav_pages(entry)]
    return []


# The estimator checks' table (a separate piece: other hooks may edit the functions above).

#: Where a page wants the table of scikit-learn's estimator checks.
ESTIMATOR_CHECKS_PLACEHOLDER = "<!-- generated: estimator-checks -->"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the estimator checks' placeholder with their results, marked as generated."""
    if ESTIMATOR_CHECKS_PLACEHOLDER not in markdown:
        return markdown
    root = project_root(config)
    source = gherkin_pages.read_source(root / gherkin_pages.ESTIMATOR_CHECKS)
    table = gherkin_pages.estimator_checks_markdown(runs(root), source)
    block = f'<div class="generated" markdown="1">\n\n{table}\n\n</div>'
    return markdown.replace(ESTIMATOR_CHECKS_PLACEHOLDER, block)
