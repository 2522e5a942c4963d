"""Replay the catalogue of hand-planted semantic bugs and report which scenarios kill them.

Each ``[[bug]]`` in ``planted_bugs/catalogue.toml`` names a file, an exact piece of
text in it (``old``, which must occur exactly once) and its buggy replacement
(``new``), and the stages (feature-file stems) whose scenarios must notice. For
each bug this script copies the checkout (the files ``git ls-files`` lists plus
untracked files that are not ignored) to a temporary folder, plants the bug
there, and runs ``pytest steps/test_<stem>.py`` for each stage in full, slow
scenarios included, and the @browser and @mnist ones where the machine has Chromium
and the MNIST files (the table says which were left out). A bug is *killed* when a
stage fails (the later stages are then not run), and *survived* when every stage
passes. Before the bugs, each
stage runs once unplanted: a stage that already fails would kill every bug for
nothing, so the replay stops.

Usage::

    python planted_bugs/replay.py                 # every bug
    python planted_bugs/replay.py --id dropout-mask-reused --stage training
    python planted_bugs/replay.py -j 2 --write planted_bugs/last_replay.md

Exit status: 0 when every bug was killed, 1 when one survived (or timed out),
2 when the catalogue or the checkout is unusable.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, under its own name
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"
FIELDS = {"id", "stage", "file", "old", "new", "what"}
#: Every stage runs in full: slow scenarios included, in file order, stopping at the first failure.
PYTEST_ARGS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-x", "-q", "-rf", "-m", ""]
#: Where .ci/run keeps the MNIST files when SCRATCHNET_MNIST_DIR does not name them.
MNIST_CACHE = Path.home() / ".cache" / "scratchnet" / "mnist"


class CatalogueError(Exception):
    """The catalogue, or a bug in it, cannot be planted as written."""


@dataclass(frozen=True)
class Bug:
    """One planted bug: replace ``old`` by ``new`` in ``file``; ``stage`` must notice."""

    id: str
    stage: tuple[str, ...]
    file: str
    old: str
    new: str
    what: str


@dataclass
class Outcome:
    """What replaying one bug (or running one stage unplanted) gave."""

    bug: Bug | None
    stage: str  # the stage that killed the bug, or every stage run when it survived
    status: str  # "killed", "survived", "timeout" (or "passed"/"failed" for a baseline)
    killed_by: str  # the first failing scenario
    seconds: float


def read_catalogue(path: Path = CATALOGUE) -> list[Bug]:
    """The bugs of the catalogue, each checked for its fields and its stages' test modules."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("bug", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"cannot read {path.name}: {error}") from None
    bugs, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        missing, extra = FIELDS - entry.keys(), entry.keys() - FIELDS
        if missing or extra:
            raise CatalogueError(
                f"bug #{number} ({entry.get('id', '?')}): missing {sorted(missing)}, "
                f"unknown {sorted(extra)}"
            )
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"]):
            raise CatalogueError(f"bug #{number}: id {entry['id']!r} is not kebab-case")
        if entry["id"] in seen:
            raise CatalogueError(f"bug id {entry['id']!r} appears twice")
        seen.add(entry["id"])
        stages = entry["stage"]
        if not isinstance(stages, list) or not stages:
            raise CatalogueError(f"bug {entry['id']}: stage must be a non-empty list of stems")
        for stem in stages:
            if not (ROOT / "steps" / f"test_{stem}.py").is_file():
                raise CatalogueError(f"bug {entry['id']}: no steps/test_{stem}.py for stage {stem}")
        bugs.append(Bug(**{**entry, "stage": tuple(stages)}))
    return bugs


def check_plantable(bug: Bug) -> None:
    """Raise unless ``bug.old`` occurs exactly once in ``bug.file`` of the checkout."""
    path = ROOT / bug.file
    if not path.is_file():
        raise CatalogueError(f"bug {bug.id}: {bug.file} does not exist")
    count = path.read_text(encoding="utf-8").count(bug.old)
    if count != 1:
        raise CatalogueError(
            f"bug {bug.id}: its old text occurs {count} times in {bug.file}, expected exactly once"
        )
    if bug.old == bug.new:
        raise CatalogueError(f"bug {bug.id}: new is the same as old")


def checkout_files() -> list[str]:
    """Tracked files, and untracked ones git does not ignore, relative to the root."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted({name for name in listed.split("\0") if name and (ROOT / name).is_file()})


def copy_checkout(files: list[str], target: Path) -> None:
    for name in files:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)


def plant(bug: Bug, copy: Path) -> None:
    path = copy / bug.file
    text = path.read_text(encoding="utf-8")
    if text.count(bug.old) != 1:  # checked before, but the copy is what runs
        raise CatalogueError(f"bug {bug.id}: old text not found exactly once in the copy")
    path.write_text(text.replace(bug.old, bug.new), encoding="utf-8")


@functools.cache  # asked by every stage run; the machine does not change during a replay
def optional_scenarios() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The options that switch on the @browser and @mnist scenarios where this machine can
    run them, and a note for each kind it cannot (those scenarios are then skipped)."""
    options, left_out = [], []
    if os.environ.get("CHROMIUM") or shutil.which("chromium"):
        options.append("--browser")
    else:
        left_out.append("the @browser scenarios (no Chromium: apt-get install chromium)")
    mnist = Path(os.environ.get("SCRATCHNET_MNIST_DIR") or MNIST_CACHE)
    if all((mnist / name).is_file() for name in ("mnist_train.csv", "mnist_test.csv")):
        options.append(f"--mnist-dir={mnist}")
    else:
        left_out.append(f"the @mnist scenarios (no mnist_train.csv and mnist_test.csv in {mnist})")
    return tuple(options), tuple(left_out)


def run_stage(copy: Path, stage: str, timeout: float) -> tuple[str, str]:
    """Run one stage in ``copy``: ("passed" | "failed" | "timeout", first failing test)."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(copy),  # the copy's scratchnet, not the installed checkout's
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    extra, _ = optional_scenarios()
    command = [sys.executable, "-m", "pytest", f"steps/test_{stage}.py", *PYTEST_ARGS, *extra]
    try:
        result = subprocess.run(
            command, cwd=copy, env=environment, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout", f"no verdict within {timeout:g} s"
    if result.returncode == 0:
        return "passed", ""
    failed = re.findall(
        r"^(?:FAILED|ERROR) ([^\[\s]+(?:\[[^\]]*\])?)", result.stdout, flags=re.MULTILINE
    )
    if result.returncode not in (1,) or not failed:  # not a test failure: collection, usage...
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return "failed", f"pytest exit {result.returncode}: {' / '.join(tail)}"
    return "failed", failed[0].split("::", 1)[-1]


def assert_imports_copy(copy: Path) -> None:
    """Make sure a process started in ``copy`` imports the copy's scratchnet."""
    found = subprocess.run(
        [sys.executable, "-c", "import scratchnet; print(scratchnet.__file__)"],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(copy.resolve()):
        raise CatalogueError(f"the copy imports scratchnet from {found}, not from the copy")


def replay_bug(bug: Bug, snapshot: Path, workdir: Path, timeout: float) -> Outcome:
    """Plant ``bug`` in a fresh copy of ``snapshot`` and run its stages until one fails."""
    copy = Path(tempfile.mkdtemp(prefix=f"{bug.id}-", dir=workdir)) / "checkout"
    start = time.monotonic()
    try:
        shutil.copytree(snapshot, copy)
        plant(bug, copy)
        for stage in bug.stage:
            verdict, detail = run_stage(copy, stage, timeout)
            if verdict != "passed":
                status = "killed" if verdict == "failed" else verdict
                return Outcome(bug, stage, status, detail, time.monotonic() - start)
        return Outcome(bug, ", ".join(bug.stage), "survived", "", time.monotonic() - start)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def baseline(stages: list[str], snapshot: Path, workdir: Path, timeout: float, jobs: int):
    """Each stage once, unplanted; every one must pass for a kill to mean anything."""
    copy = workdir / "unplanted"
    shutil.copytree(snapshot, copy)

    def one(stage: str) -> Outcome:
        start = time.monotonic()
        verdict, detail = run_stage(copy, stage, timeout)
        return Outcome(None, stage, verdict, detail, time.monotonic() - start)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, stages))


def table(outcomes: list[Outcome], commit: str, catalogued: int, selection: str) -> str:
    """The outcomes as a Markdown table, with the commit and time it ran on and which
    of the ``catalogued`` bugs were replayed (``selection``: the options that chose them)."""
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    chosen = f" (chosen with {selection})" if selection else ""
    lines = [
        f"Replayed on commit `{commit}` at {when}: {len(outcomes)} of the catalogue's "
        f"{catalogued} bugs{chosen}, {sum(o.status == 'killed' for o in outcomes)} killed.",
        *[f"Not run on that machine: {what}." for what in optional_scenarios()[1]],
        "",
        "| bug | stage run | result | first failing scenario | seconds |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for outcome in outcomes:
        scenario = outcome.killed_by.replace("|", "\\|")
        lines.append(
            f"| `{outcome.bug.id}` | {outcome.stage} | {outcome.status} | "
            f"{f'`{scenario}`' if scenario else ''} | {outcome.seconds:.0f} |"
        )
    return "\n".join(lines) + "\n"


def current_commit() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{commit}{' with uncommitted changes' if dirty else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--id", action="append", default=[], help="replay only this bug (repeat)")
    parser.add_argument(
        "--stage", action="append", default=[], help="replay only bugs of this stage (repeat)"
    )
    parser.add_argument("-j", "--jobs", type=int, default=1, help="bugs replayed at once")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds allowed per stage run"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the unplanted run of each stage"
    )
    parser.add_argument("--write", type=Path, help="also write the result table to this file")
    parser.add_argument("--list", action="store_true", help="list the selected bugs and stop")
    options = parser.parse_args(argv)
    if options.jobs < 1:
        parser.error(f"-j must be at least 1, got {options.jobs}")

    try:
        bugs = read_catalogue()
        catalogued = len(bugs)
        known = {bug.id for bug in bugs}
        unknown = [bug_id for bug_id in options.id if bug_id not in known]
        if unknown:
            raise CatalogueError(f"no bug with id {', '.join(unknown)} in the catalogue")
        if options.id:
            bugs = [bug for bug in bugs if bug.id in options.id]
        if options.stage:
            bugs = [
                Bug(**{**bug.__dict__, "stage": tuple(s for s in bug.stage if s in options.stage)})
                for bug in bugs
                if set(bug.stage) & set(options.stage)
            ]
        if not bugs:
            raise CatalogueError("no bug matches the selection")
        for bug in bugs:
            check_plantable(bug)
    except CatalogueError as error:
        print(f"replay: {error}", file=sys.stderr)
        return 2
    if options.list:
        for bug in bugs:
            print(f"{bug.id:32} {','.join(bug.stage):24} {bug.what}")
        return 0

    commit = current_commit()
    stages = sorted({stage for bug in bugs for stage in bug.stage})
    with tempfile.TemporaryDirectory(prefix="planted-bugs-") as folder:
        workdir = Path(folder)
        # One snapshot of the checkout, taken now: later edits do not reach the replay.
        snapshot = workdir / "snapshot"
        copy_checkout(checkout_files(), snapshot)
        try:
            assert_imports_copy(snapshot)
        except CatalogueError as error:
            print(f"replay: {error}", file=sys.stderr)
            return 2
        if not options.no_baseline:
            print(f"unplanted run of {', '.join(stages)} ...", flush=True)
            broken = [
                o
                for o in baseline(stages, snapshot, workdir, options.timeout, options.jobs)
                if o.status != "passed"
            ]
            if broken:
                for outcome in broken:
                    print(
                        f"replay: stage {outcome.stage} {outcome.status} without any bug "
                        f"planted ({outcome.killed_by}); fix it first",
                        file=sys.stderr,
                    )
                return 2
        outcomes: list[Outcome] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
            futures = {
                pool.submit(replay_bug, bug, snapshot, workdir, options.timeout): bug
                for bug in bugs
            }
            for future in concurrent.futures.as_completed(futures):
                outcome = future.result()
                print(f"{outcome.bug.id}: {outcome.status} ({outcome.stage})", flush=True)
                outcomes.append(outcome)
    order = {bug.id: index for index, bug in enumerate(bugs)}
    outcomes.sort(key=lambda o: order[o.bug.id])
    selection = " ".join(
        [f"--id {bug_id}" for bug_id in options.id]
        + [f"--stage {stage}" for stage in options.stage]
    )
    report = table(outcomes, commit, catalogued, selection)
    print()
    print(report)
    if options.write:
        options.write.write_text(report, encoding="utf-8")
    return 0 if all(o.status == "killed" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
