"""MkDocs hook: the mutation-testing tables, made from ``mutation/results.json``.

``python mutation/record.py MODULE`` writes that file after ``mutmut run``; the
judgements of equivalent mutants are in ``mutation/equivalent.toml``. On a page,

- ``<!-- mutation: table -->`` becomes one row per module of the package: the commit
  measured, whether the module's source changed since (its SHA-256 now against the
  recorded one), the counts (the survivors no scenario reached apart from the others),
  and killed ÷ (mutants − equivalent) only for a run in which every mutant ran; a
  module never recorded reads "not run";
- ``<!-- mutation: equivalent -->`` the equivalent mutants by reason, each marked when
  it does not count (its function changed since it was judged, its module not run, …);
- ``<!-- mutation: survivors -->`` the survivors not judged equivalent: by name those a
  scenario reached, by function those none reached.

A survivor counts as equivalent only if it was judged on the version of its function
the run measured (mutmut's hash of it), so a judgement never outlives the code. The
rendering functions are plain Python, checked by the documentation-site feature.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the specification renders the tables without MkDocs installed
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mutation import outcomes  # noqa: E402

NOT_RUN = "not run"


def current_sources(root: Path = ROOT) -> dict[str, str]:
    """The SHA-256 of every module of the package, by module name."""
    return {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / outcomes.PACKAGE).glob("*.py"))
        if path.stem != "__init__"
    }


def load_results(path: Path = outcomes.RESULTS_FILE) -> dict[str, Any]:
    """The recorded runs; none recorded yet is an empty record, every module "not run"."""
    return json.loads(path.read_text()) if path.exists() else {"modules": {}}


def measured_at(entry: Mapping[str, Any]) -> str:
    """``13e9644`` (with uncommitted changes), 2026-12-06."""
    commit = f"`{entry['commit'][:7]}`" if entry.get("commit") else "no commit"
    dirty = ", with uncommitted changes" if entry.get("dirty") else ""
    return f"{commit}{dirty}, {entry['measured'][:10]}"


def module_row(
    module: str,
    entry: Mapping[str, Any] | None,
    judged: Mapping[str, outcomes.Judgement],
    source_sha256: str | None,
) -> list[str]:
    """The cells of one module's row."""
    if entry is None:
        return [f"`{module}`", NOT_RUN, *["—"] * 8]
    counts = outcomes.columns(entry["by_status"])
    equivalent = outcomes.sort_survivors(
        entry["survivors"], entry["function_hashes"], judged
    ).equivalent
    not_reached = set(entry.get("not_reached", []))
    equivalent_not_reached = sum(mutant in not_reached for mutant in equivalent)
    if source_sha256 is None:
        source = "removed since"
    elif source_sha256 == entry["source_sha256"]:
        source = "unchanged"
    else:
        source = "**changed since the run**"
    if counts["not run"]:
        score = "partial: no score"
    elif entry["mutants"] > len(equivalent):
        score = f"{counts['killed'] / (entry['mutants'] - len(equivalent)):.1%}"
    else:
        score = "—"
    return [
        f"`{module}`",
        measured_at(entry),
        source,
        str(entry["mutants"]),
        str(counts["killed"]),
        str(counts["survived"] - (len(equivalent) - equivalent_not_reached)),
        str(counts["not reached"] - equivalent_not_reached),
        str(len(equivalent)),
        str(counts["not run"]),
        score,
    ]


def table(
    results: Mapping[str, Any], groups: list[outcomes.Group], sources: Mapping[str, str]
) -> str:
    """One row per module of the package, and per module recorded that no longer exists."""
    judged = outcomes.judgements(groups)
    recorded = results.get("modules", {})
    lines = [
        "| module | measured at | source | mutants | killed | survived | not reached "
        "| equivalent | not run | killed ÷ (mutants − equivalent) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module in sorted(set(sources) | set(recorded)):
        row = module_row(module, recorded.get(module), judged, sources.get(module))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n\n" + selections(recorded)


def selections(recorded: Mapping[str, Any]) -> str:
    """Which tests each recorded run tested its mutants with, as its record says."""
    modules_by_selection: dict[str, list[str]] = {}
    for module, entry in sorted(recorded.items()):
        command = " ".join(
            shlex.quote(argument) for argument in ["pytest", *entry["test_selection"]]
        )
        modules_by_selection.setdefault(command, []).append(f"`{module}`")
    return "\n\n".join(
        f"The mutants of {', '.join(modules)} were tested with the scenarios of "
        f"`{command}` that reached them."
        for command, modules in modules_by_selection.items()
    )


def judgement_state(mutant: str, entry: Mapping[str, Any], judgement: outcomes.Judgement) -> str:
    """Why a judged mutant does not count in its module's row, or "" when it does."""
    if entry["function_hashes"].get(outcomes.function_of(mutant)) != judgement.function_hash:
        return "to be checked again: its function changed since it was judged"
    if mutant in entry.get("not_run", []):
        return "not run"
    if mutant not in entry["survivors"]:
        return "rejected by a scenario in the run"
    return ""


def equivalent_list(results: Mapping[str, Any], groups: list[outcomes.Group]) -> str:
    """Every judgement of ``equivalent.toml``: module, reason, mutants and whether each counts."""
    judged = outcomes.judgements(groups)
    recorded = results.get("modules", {})
    items = []
    for group in groups:
        entry = recorded.get(group.module)
        if entry is None:
            names = [f"`{mutant}`" for mutant in group.mutants]
            status = " Its module has no recorded run, so none of them counts yet."
        else:
            names = []
            for mutant in group.mutants:
                state = judgement_state(mutant, entry, judged[mutant])
                names.append(f"`{mutant}`" + (f" ({state})" if state else ""))
            status = ""
        items.append(
            f"- `{group.module}`: {group.reason} (Judged at `{group.judged_at}`.){status} "
            f"Mutants: {', '.join(names)}."
        )
    return "\n".join(items) if items else "No mutant is judged equivalent."


def unreached_functions(mutants: list[str]) -> list[str]:
    """``x_markdown`` (82 mutants), …: the functions of mutants no scenario reached."""
    by_function = Counter(outcomes.function_of(mutant) for mutant in mutants)
    return [
        f"`{function}` ({count} mutant{'s' if count > 1 else ''})"
        for function, count in by_function.items()
    ]


def survivor_list(results: Mapping[str, Any], groups: list[outcomes.Group]) -> str:
    """Per module recorded, the survivors not judged equivalent on the code measured.

    Those a scenario reached are named one by one; those none reached, by function.
    """
    judged = outcomes.judgements(groups)
    items = []
    for module, entry in sorted(results.get("modules", {}).items()):
        survivors = outcomes.sort_survivors(entry["survivors"], entry["function_hashes"], judged)
        not_reached = set(entry.get("not_reached", []))
        unreached = [mutant for mutant in survivors.unsorted if mutant in not_reached]
        names = [f"    - `{mutant}`" for mutant in survivors.unsorted if mutant not in not_reached]
        names += [
            f"    - `{mutant}` (judged equivalent on an older version of its function)"
            for mutant in survivors.to_check_again
        ]
        if unreached:
            names.append(
                f"    - reached by no scenario of the selection: "
                f"{', '.join(unreached_functions(unreached))}"
            )
        if names:
            partial = " (so far: some of its mutants were not run)" if entry.get("not_run") else ""
            items += [f"- `{module}`{partial}:", *names]
    return "\n".join(items) if items else "No survivor is left unsorted in the modules recorded."


PLACEHOLDERS: dict[
    str, Callable[[Mapping[str, Any], list[outcomes.Group], Mapping[str, str]], str]
] = {
    "<!-- mutation: table -->": table,
    "<!-- mutation: equivalent -->": lambda results, groups, _: equivalent_list(results, groups),
    "<!-- mutation: survivors -->": lambda results, groups, _: survivor_list(results, groups),
}


def render(
    markdown: str,
    results: Mapping[str, Any],
    groups: list[outcomes.Group],
    sources: Mapping[str, str],
) -> str:
    """A page with every mutation placeholder replaced, indented as the placeholder is."""
    for marker, make in PLACEHOLDERS.items():
        if marker in markdown:
            lines = make(results, groups, sources).splitlines()
            markdown = re.sub(
                rf"^([ \t]*){re.escape(marker)}[ \t]*$",
                lambda found, lines=lines: "\n".join(
                    found[1] + line if line else line for line in lines
                ),
                markdown,
                flags=re.MULTILINE,
            )
    return markdown


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Rebuild ``mkdocs serve``'s pages when a run is recorded or a judgement changes."""
    config.watch.extend(
        str(path) for path in (outcomes.RESULTS_FILE, outcomes.EQUIVALENT_FILE) if path.exists()
    )
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not any(marker in markdown for marker in PLACEHOLDERS):
        return markdown
    return render(markdown, load_results(), outcomes.load_groups(), current_sources())
