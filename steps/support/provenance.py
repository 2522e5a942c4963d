"""What a run was about: the commit, whether it had uncommitted changes, a file's hash.

One definition for both sides: the pytest plugins that record results and facts
(``steps/support/results.py``, ``steps/support/facts.py``) and the docs hooks that
decide whether those may be shown (``docs/hooks/gherkin_pages.py``,
``docs/hooks/site_figures.py``), so what a run records and what the build compares
it with are computed the same way. Standard library only: the docs hooks import it
with the project's root on ``sys.path``.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from pathlib import Path

#: Seconds a git command may take before the answer is "unknown".
GIT_TIMEOUT = 10


def git(directory: Path, *args: str) -> str | None:
    """What ``git ARGS`` prints in ``directory``, stripped, or ``None`` if it fails."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def head_commit(directory: Path) -> str | None:
    """The commit checked out at ``directory``, or ``None`` outside a git repository."""
    return git(directory, "rev-parse", "HEAD") or None


def uncommitted_changes(directory: Path) -> bool | None:
    """Whether tracked files differ from the commit checked out at ``directory``
    (untracked files do not count), or ``None`` outside a git repository."""
    if head_commit(directory) is None:
        return None
    return bool(git(directory, "status", "--porcelain", "--untracked-files=no"))


def text_sha256(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8, as hex: a file's hash, given its text
    read exactly as its bytes are (no newline translation)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex (read once per version of the file)."""
    return _sha256(path.resolve(), path.stat().st_mtime_ns)


@functools.cache
def _sha256(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
