"""What a mutation run's statuses count as, and which survivors are judged equivalent.

Shared by ``mutation/record.py``, which writes ``mutation/results.json`` from mutmut's
state, and the docs hook that shows it (``docs/hooks/mutation_testing.py``), so both
read a run the same way. No mutmut in here: the site is built without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, under its own name
    import tomli as tomllib

FOLDER = Path(__file__).resolve().parent
EQUIVALENT_FILE = FOLDER / "equivalent.toml"
RESULTS_FILE = FOLDER / "results.json"
PACKAGE = "scratchnet"

#: mutmut's statuses (``mutmut.stats.status_by_exit_code``) by the column that counts them.
#: A scenario that ran out of time or crashed did not pass: the mutant is rejected.
KILLED = ("killed", "timeout", "segfault", "caught by type check")
#: Accepted: the scenarios passed with the mutant switched on, or none of them
#: reached it ("no tests").
SURVIVED = ("survived", "no tests")
#: The survivors no scenario of the selection reached: the table counts them apart.
NOT_REACHED = ("no tests",)
#: Not tested, or tested with an outcome mutmut does not understand ("suspicious"):
#: such a module's run is partial and gets no score.
NOT_RUN = ("not checked", "check was interrupted by user", "skipped", "suspicious")


def column_of(status: str) -> str:
    """``"killed"``, ``"survived"``, ``"not reached"`` or ``"not run"``: where a status counts."""
    if status in KILLED:
        return "killed"
    if status in NOT_REACHED:
        return "not reached"
    if status in SURVIVED:
        return "survived"
    return "not run"


def columns(by_status: Mapping[str, int]) -> dict[str, int]:
    """Counts by mutmut status → counts by column (killed, survived, not reached, not run)."""
    counts = {"killed": 0, "survived": 0, "not reached": 0, "not run": 0}
    for status, count in by_status.items():
        counts[column_of(status)] += count
    return counts


def function_of(mutant: str) -> str:
    """``scratchnet.data.xǁStandardizerǁfit__mutmut_5`` → ``xǁStandardizerǁfit``."""
    return mutant.partition("__mutmut_")[0].rpartition(".")[2]


def module_of(mutant: str) -> str:
    """``scratchnet.data.x_load_mnist__mutmut_16`` → ``data``."""
    return mutant.partition("__mutmut_")[0].rpartition(".")[0].removeprefix(f"{PACKAGE}.")


@dataclass(frozen=True)
class Group:
    """Mutants judged equivalent for one reason, on the functions as they were then."""

    module: str
    reason: str
    judged_at: str
    #: mutmut's hash of each function the mutants belong to, when they were judged.
    functions: dict[str, str]
    mutants: tuple[str, ...]


@dataclass(frozen=True)
class Judgement:
    """One mutant judged equivalent: its group, and its function's hash at the time."""

    mutant: str
    function_hash: str
    group: Group


def load_groups(path: Path = EQUIVALENT_FILE) -> list[Group]:
    """The groups of ``equivalent.toml``; a ValueError names an inconsistent one."""
    groups = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("group", []):
        group = Group(
            module=entry["module"],
            reason=entry["reason"],
            judged_at=entry["judged_at"],
            functions=dict(entry["functions"]),
            mutants=tuple(entry["mutants"]),
        )
        for mutant in group.mutants:
            if module_of(mutant) != group.module:
                raise ValueError(f"{path.name}: {mutant} is not in module {group.module}")
            if function_of(mutant) not in group.functions:
                raise ValueError(f"{path.name}: no hash of {function_of(mutant)} for {mutant}")
        groups.append(group)
    return groups


def judgements(groups: Iterable[Group]) -> dict[str, Judgement]:
    """Every judged mutant by its full name."""
    return {
        mutant: Judgement(mutant, group.functions[function_of(mutant)], group)
        for group in groups
        for mutant in group.mutants
    }


@dataclass
class SortedSurvivors:
    """A run's survivors: judged equivalent, judged on older code, or not judged."""

    equivalent: list[str] = field(default_factory=list)
    to_check_again: list[str] = field(default_factory=list)
    unsorted: list[str] = field(default_factory=list)


def sort_survivors(
    survivors: Iterable[str],
    function_hashes: Mapping[str, str],
    judged: Mapping[str, Judgement],
) -> SortedSurvivors:
    """A survivor is equivalent only if it was judged on the function the run measured."""
    result = SortedSurvivors()
    for mutant in survivors:
        judgement = judged.get(mutant)
        if judgement is None:
            result.unsorted.append(mutant)
        elif function_hashes.get(function_of(mutant)) == judgement.function_hash:
            result.equivalent.append(mutant)
        else:
            result.to_check_again.append(mutant)
    return result
