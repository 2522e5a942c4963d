"""MkDocs hook: the pictures under ``images/``, drawn from real runs during the build.

Each picture in :data:`scratchnet.plots.PICTURES` is drawn from a training
run of the current code and added to the site as a generated file, so
``mkdocs build --strict`` checks the pages' links to it and nothing drawn is
ever committed. Runs and pictures are cached for the life of the process, so
``mkdocs serve`` draws them once. ``python -m scratchnet.plots OUTDIR``
writes the same pictures to a folder. The tutorial's pictures of ideas
(``ideas.py``: the network, the activations, softmax, the backward pass, XOR,
learning rates) are drawn from the code the same way.
"""

from __future__ import annotations

from ideas import IDEAS, idea_png
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from scratchnet.plots import PICTURES, picture

FOLDER = "images"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add ``images/<name>.png`` for every picture."""
    drawers = {name: picture for name in PICTURES} | {name: idea_png for name in IDEAS}
    for name, draw in drawers.items():
        uri = f"{FOLDER}/{name}"
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=draw(name)))
    return files
