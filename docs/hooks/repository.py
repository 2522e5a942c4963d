"""MkDocs hook: the repository's address and the site's, taken from GitHub Actions.

The project does not name its owner, so ``mkdocs.yml`` leaves ``repo_url``,
``edit_uri`` and ``site_url`` unset. In GitHub Actions, where the site is
published, ``GITHUB_SERVER_URL`` and ``GITHUB_REPOSITORY`` say where the
repository lives; this hook fills the three settings in from them (a value set
in ``mkdocs.yml`` always wins). Built elsewhere, the site has no repository link
and is served from its root, where it needs no ``site_url``.

It also puts the project's root on ``sys.path`` for the whole build (MkDocs
takes back what hooks add while they load), so the ``exec="on"`` code blocks
that markdown-exec runs can import the repository's ``examples``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def repository_settings(environment: dict[str, str]) -> dict[str, str]:
    """``repo_url``, ``edit_uri`` and ``site_url`` for the repository GitHub names, if any."""
    repository = environment.get("GITHUB_REPOSITORY", "")
    if "/" not in repository:
        return {}
    owner, name = repository.split("/", 1)
    server = environment.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return {
        "repo_url": f"{server}/{repository}",
        "edit_uri": "edit/main/docs/",
        "site_url": f"https://{owner.lower()}.github.io/{name}/",
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = str(Path(config.config_file_path).resolve().parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    for key, value in repository_settings(dict(os.environ)).items():
        if not config[key]:
            config[key] = value
    return config
