"""Record what ``mutmut run`` measured, module by module, in ``mutation/results.json``.

    mutmut run --max-children 1 "scratchnet.losses*"
    python mutation/record.py losses          # or several modules; none: every module run

Reads mutmut's state in ``mutants/`` (``mutants/scratchnet/<module>.py.meta``: the exit
code of every mutant, ``None`` when not run, and mutmut's hash of every mutated function)
and replaces that module's entry of the results file with: the commit and whether the
working tree had uncommitted changes, the SHA-256 of the module's source, mutmut's and
Python's versions, when the run last wrote a result, the tests selected
(``[tool.mutmut]`` of ``pyproject.toml``, checked against the selection the run used),
the counts by mutmut's status, the seconds spent testing mutants, the survivors (and
which of them no scenario of the selection reached), the mutants not run, and which
survivors ``equivalent.toml`` judges equivalent on the functions measured. Other
modules' entries are kept.

It refuses, and records nothing for that module, when the source was changed after mutmut
made its mutants, when the test selection changed since the run, or when no mutant of the
module was run. A module with mutants not run is recorded as it is; the site shows it as
partial, without a score.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mutation.outcomes import (  # noqa: E402
    EQUIVALENT_FILE,
    NOT_REACHED,
    NOT_RUN,
    PACKAGE,
    RESULTS_FILE,
    SURVIVED,
    judgements,
    load_groups,
    sort_survivors,
    tomllib,
)


class RecordError(Exception):
    """The state in ``mutants/`` cannot be recorded as a run of the current code."""


def fingerprint(arguments: list[str]) -> str:
    """mutmut's hash of a list of pytest arguments (``Config.config_fingerprint``)."""
    return hashlib.sha256(repr(tuple(arguments)).encode()).hexdigest()[:12]


def mutmut_settings(root: Path) -> dict[str, Any]:
    """``[tool.mutmut]`` of the project's ``pyproject.toml``."""
    with open(root / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["mutmut"]


def git(root: Path, *arguments: str) -> str | None:
    """A git command's output at ``root``, or None outside a repository."""
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def read_stats(mutants: Path) -> dict[str, Any]:
    """mutmut's stats of its last run: the tests it used, and which test reaches which function."""
    try:
        return json.loads((mutants / "mutmut-stats.json").read_text())
    except FileNotFoundError as error:
        raise RecordError(f"no {mutants.name}/mutmut-stats.json: run mutmut first") from error


def checked_selection(root: Path, stats: dict[str, Any]) -> dict[str, list[str]]:
    """The pytest arguments of ``[tool.mutmut]``, if they are the ones the run used."""
    settings = mutmut_settings(root)
    selection = {
        "test_selection": list(settings.get("pytest_add_cli_args_test_selection", [])),
        "test_execution": list(settings.get("pytest_add_cli_args", [])),
    }
    used = stats.get("config_fingerprint", {})
    for key, arguments in selection.items():
        if used.get(key) != fingerprint(arguments):
            raise RecordError(
                f"pyproject.toml's [tool.mutmut] {key.replace('_', ' ')} is not the one the "
                "run used: run mutmut again"
            )
    return selection


def mutant_order(mutant: str) -> tuple[str, int]:
    """Mutants of a function in mutmut's order: ``..._mutmut_2`` before ``..._mutmut_11``."""
    function, _, number = mutant.partition("__mutmut_")
    return function, int(number)


def function_hashes(source: str) -> dict[str, str]:
    """mutmut's hash of every function of a module (mutmut's own code computes it)."""
    from mutmut.mutation.file_mutation import compute_function_hashes

    return compute_function_hashes(source)


def record_module(
    module: str, root: Path, mutants: Path, selection: dict[str, list[str]], stats: dict[str, Any]
) -> dict[str, Any]:
    """One module's entry of the results file, from mutmut's state."""
    from mutmut.stats import status_by_exit_code

    source_path = root / PACKAGE / f"{module}.py"
    meta_path = mutants / PACKAGE / f"{module}.py.meta"
    if not meta_path.exists():
        raise RecordError(f"{module}: mutmut has no state for it in {mutants.name}/")
    if not source_path.exists():
        raise RecordError(f"{module}: there is no {PACKAGE}/{module}.py")
    meta = json.loads(meta_path.read_text())
    source = source_path.read_text(encoding="utf-8")
    measured = meta["hash_by_function_name"]
    now = function_hashes(source)
    changed = sorted(name for name, value in measured.items() if now.get(name) != value)
    mutated = mutants / PACKAGE / f"{module}.py"
    if changed or (mutated.exists() and source_path.stat().st_mtime > mutated.stat().st_mtime):
        raise RecordError(
            f"{module}: the source changed after mutmut made its mutants "
            f"({', '.join(changed) or 'outside its functions'}): run mutmut again"
        )
    codes = dict(meta["exit_code_by_key"])
    # mutmut keeps "no tests" for a mutant until it runs it again, even once its latest
    # stats show scenarios reaching the mutant's function: such a mutant has not been run
    # against those scenarios, so it is not run, not unreached.
    reached = {name for name, tests in stats["tests_by_mangled_function_name"].items() if tests}
    for name, code in codes.items():
        if status_by_exit_code[code] in NOT_REACHED and mutant_order(name)[0] in reached:
            codes[name] = None
    by_status = Counter(status_by_exit_code[code] for code in codes.values())
    if by_status["not checked"] == len(codes):
        raise RecordError(f"{module}: none of its {len(codes)} mutants was run")
    survivors = sorted(
        (name for name, code in codes.items() if status_by_exit_code[code] in SURVIVED),
        key=mutant_order,
    )
    not_reached = [name for name in survivors if status_by_exit_code[codes[name]] in NOT_REACHED]
    not_run = sorted(
        (name for name, code in codes.items() if status_by_exit_code[code] in NOT_RUN),
        key=mutant_order,
    )
    judged = sort_survivors(survivors, measured, judgements(load_groups(EQUIVALENT_FILE)))
    last_result = datetime.fromtimestamp(meta_path.stat().st_mtime, tz=timezone.utc)
    return {
        "commit": git(root, "rev-parse", "HEAD"),
        "dirty": bool(git(root, "status", "--porcelain", "--untracked-files=no")),
        "source": f"{PACKAGE}/{module}.py",
        "source_sha256": hashlib.sha256(source_path.read_bytes()).hexdigest(),
        "mutmut": version("mutmut"),
        "python": ".".join(map(str, sys.version_info[:3])),
        "measured": last_result.isoformat(timespec="seconds"),
        "recorded": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **selection,
        "mutants": len(codes),
        "partial": bool(not_run),
        "seconds_testing": round(sum(meta.get("durations_by_key", {}).values()), 1),
        "by_status": dict(sorted(by_status.items())),
        "function_hashes": dict(sorted(measured.items())),
        "survivors": survivors,
        "not_reached": not_reached,
        "equivalent": judged.equivalent,
        "to_check_again": judged.to_check_again,
        "not_run": not_run,
    }


def modules_run(mutants: Path) -> list[str]:
    """The modules of which mutmut has run at least one mutant."""
    found = []
    for meta_path in sorted((mutants / PACKAGE).glob("*.py.meta")):
        codes = json.loads(meta_path.read_text())["exit_code_by_key"]
        if any(code is not None for code in codes.values()):
            found.append(meta_path.name.removesuffix(".py.meta"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="e.g. losses; none: every module run")
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="mutmut's state")
    parser.add_argument("--results", type=Path, default=RESULTS_FILE, help="the file to update")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project measured")
    args = parser.parse_args(argv)
    try:
        stats = read_stats(args.mutants)
        selection = checked_selection(args.root, stats)
    except RecordError as error:
        print(f"record.py: {error}", file=sys.stderr)
        return 1
    results = json.loads(args.results.read_text()) if args.results.exists() else {"modules": {}}
    failed, recorded = False, False
    for module in args.modules or modules_run(args.mutants):
        try:
            entry = record_module(module, args.root, args.mutants, selection, stats)
        except RecordError as error:
            print(f"record.py: {error}; nothing recorded for it", file=sys.stderr)
            failed = True
            continue
        results["modules"][module] = entry
        recorded = True
        counts = ", ".join(f"{count} {status}" for status, count in entry["by_status"].items())
        print(f"{module}: {entry['mutants']} mutants, {counts}")
    if recorded:
        results["modules"] = dict(sorted(results["modules"].items()))
        args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
