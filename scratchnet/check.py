"""``scratchnet check``: the tutorial's stages, run against someone else's network.

The stages are the ``@tutorial`` scenarios of the specification suite, which
lives in the repository (``features/`` and ``steps/``), not in the installed
package. The check runs that suite with pytest from a checkout: ``--specs DIR``,
else the current folder, else the folder the package was installed from in
editable mode (``pip install -e``).

Each class is checked in a pytest process of its own, started in an empty
temporary folder, so nothing one submission does (patching NumPy, writing
files, changing folder, exiting) reaches another. That process reports each
scenario as it ends, one JSON object a line, in a file this process reads;
the verdict is built here from those lines alone. A process that ends early,
or whose stage runs past the time limit, fails the stage it was in; the
stages after it are checked in a new process.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from scratchnet.validation import check_choice

#: The tutorial's stages, in the tutorial's order; each is one feature file.
STAGES = (
    "initialisation",
    "forward propagation",
    "softmax",
    "loss",
    "backpropagation",
    "training",
    "prediction",
    "complete example",
)
#: The packages the check needs beyond scratchnet's own.
NEEDED = {"pytest": "pytest", "pytest_bdd": "pytest-bdd"}
#: The class checked when a submission names only a file or a module.
DEFAULT_CLASS = "NeuralNetwork"
#: Seconds one stage of one class may take before its process is stopped.
DEFAULT_TIMEOUT = 300.0
#: Seeds of each scenario that trains once per seed, for other people's classes
#: (``--all-seeds`` runs every seed the scenario names).
CHECK_SEEDS = 3
#: Seconds a checking process may take to start, on top of the time limit of its first
#: stage: Python, pytest, the specification and the class's module are imported then.
STARTING = 60.0
#: How often the check looks at what the running processes reported, in seconds.
POLL = 0.1
#: Characters of a process's own output kept to explain why it stopped.
OUTPUT_TAIL = 1200


def find_specs(specs: str | None = None) -> Path:
    """The checkout that holds ``features/`` and ``steps/``.

    Raises:
        FileNotFoundError: none of the places looked in holds the suite.

    Args:
        specs: The folder named by ``--specs``, or ``None`` to look in the usual places.

    Returns:
        The checkout holding ``features/`` and ``steps/``.
    """
    here = Path(__file__).resolve().parents[1]
    candidates = [Path(specs)] if specs else [Path.cwd(), here]
    for candidate in candidates:
        if (candidate / "features").is_dir() and (candidate / "steps" / "conftest.py").is_file():
            return candidate.resolve()
    looked = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(
        f"the specification suite (features/ and steps/) is not in {looked}; run from a"
        " scratchnet checkout or pass --specs DIR"
    )


def stage_name(stage: str) -> str:
    """``forward_propagation``, ``forward-propagation`` or ``Forward Propagation`` → the
    stage's name as :data:`STAGES` spells it.

    Raises:
        ValueError: ``stage`` is none of :data:`STAGES`, however spelled.

    Args:
        stage: A stage's name as typed.

    Returns:
        The stage's name, e.g. ``"forward propagation"``.
    """
    spelled = " ".join(re.split(r"[\s_-]+", str(stage).strip().lower()))
    return check_choice(spelled if spelled in STAGES else stage, STAGES, "stage")


def stage_file(stage: str) -> str:
    """``forward propagation`` → ``steps/test_forward_propagation.py``.

    Raises:
        ValueError: ``stage`` is not one of :data:`STAGES`.

    Args:
        stage: A stage's name, e.g. ``"softmax"``.

    Returns:
        The test module that checks that stage.
    """
    return f"steps/test_{stage_name(stage).replace(' ', '_')}.py"


def split_submission(submission: str) -> tuple[str, str]:
    """Where a class is and its name: ``alice.py`` → ``("alice.py", "NeuralNetwork")``,
    ``pkg.mod:Net`` → ``("pkg.mod", "Net")``, ``alice`` → ``("alice", "NeuralNetwork")``.

    Raises:
        ValueError: the class's name is not a Python name.

    Args:
        submission: A file path or a module, optionally followed by ``:ClassName``.

    Returns:
        The file or module, and the class's name.
    """
    where, colon, name = submission.rpartition(":")
    if not colon or where.endswith(":") or not where or "/" in name or "\\" in name:
        where, name = submission, DEFAULT_CLASS  # no class named, or a Windows drive letter
    if not where or not name.isidentifier():
        raise ValueError(
            f"implementation must look like path/to/file.py, package.module or either of"
            f" them followed by :ClassName, got {submission!r}"
        )
    return where, name


def is_file(where: str) -> bool:
    """Whether a submission names a file (``alice.py``, ``work/alice``) rather than a module."""
    return where.endswith(".py") or "/" in where or os.sep in where


@dataclass
class Settings:
    """How the classes are checked: the options of ``scratchnet check``."""

    stages: tuple[str, ...] = STAGES
    specs: str | None = None
    workers: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    seeds: int | None = CHECK_SEEDS
    select: str | None = None
    verbose: bool = False

    def described(self) -> dict:
        """The settings as the JSON report states them."""
        return {
            "stages": list(self.stages),
            "seeds": "all" if self.seeds is None else self.seeds,
            "timeout": self.timeout,
            "workers": self.workers,
            "select": self.select,
        }


@dataclass
class Run:
    """What the processes checking one class reported, gathered as they report it."""

    name: str
    results: list[dict] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def child_command(root: Path, target: str, stages: Sequence[str], events: Path, settings: Settings):
    """The pytest command that checks one class at ``stages``, reporting into ``events``."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-s",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        f"--rootdir={root}",
        f"--implementation={target}",
        f"--implementation-events={events}",
        f"--bdd-results={events.with_suffix('.results.json')}",
    ]
    command.append(f"--implementation-seeds={settings.seeds or 'all'}")
    if settings.select:
        command += ["-k", settings.select]
    return command + [str(root / stage_file(stage)) for stage in stages]


def child_environment(folders: Sequence[str]) -> dict[str, str]:
    """The environment of a checking process: modules found from ``folders`` first, no
    bytecode written next to the specification or the submissions, one BLAS thread."""
    path = os.pathsep.join(filter(None, [*folders, os.environ.get("PYTHONPATH")]))
    threads = dict.fromkeys(
        ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"),
        "1",
    )
    return {
        **os.environ,
        **threads,
        "PYTHONPATH": path,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }


def read_events(path: Path, offset: int) -> tuple[list[dict], int]:
    """The complete lines written to ``path`` after ``offset``, and where they end."""
    try:
        with path.open("rb") as file:
            file.seek(offset)
            data = file.read()
    except FileNotFoundError:
        return [], offset
    end = data.rfind(b"\n") + 1
    events = []
    for line in data[:end].splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                events.append(event)
    return events, offset + end


def output_tail(path: Path) -> str:
    """The last characters a process printed, for a report on why it stopped."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - OUTPUT_TAIL))
            text = file.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return text.strip()


def wait(process: subprocess.Popen, seconds: float) -> float | None:
    """Wait up to ``seconds`` for ``process`` to end: the CPU seconds it used (0 where the
    system does not say), or ``None`` while it still runs."""
    if not hasattr(os, "wait4"):
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None
        return 0.0
    deadline = time.monotonic() + seconds
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL / 5)


def stop(process: subprocess.Popen) -> float:
    """Stop a checking process and whatever it started (its own process group); the CPU
    seconds it used."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    elif process.returncode is None:
        process.kill()
    if process.returncode is not None:  # already ended and waited for
        return 0.0
    return wait(process, 60.0) or 0.0


class Checker:
    """Checks one class: a process per attempt, until every stage is reported on."""

    def __init__(self, submission: str, root: Path, settings: Settings, say: Callable) -> None:
        self.submission, self.root, self.settings, self.say = submission, root, settings, say
        self.run = Run(submission)

    def target(self) -> tuple[str, list[str]]:
        """What the checking process imports, and the folders it imports from."""
        where, name = split_submission(self.submission)
        if not is_file(where):
            return f"{where}:{name}", [os.getcwd()]
        path = Path(where).resolve()
        if path.suffix != ".py" and path.with_suffix(".py").is_file():
            path = path.with_suffix(".py")
        if not path.is_file():
            raise FileNotFoundError(f"there is no file {where}")
        return f"{path}:{name}", [str(path.parent), os.getcwd()]

    def check(self) -> Run:
        started = time.monotonic()
        try:
            target, folders = self.target()
        except (ValueError, FileNotFoundError) as error:
            self.run.error = str(error)
            return self.run
        remaining = list(self.settings.stages)
        with tempfile.TemporaryDirectory(
            prefix="scratchnet-check-", ignore_cleanup_errors=True
        ) as work:
            attempt = 0
            while remaining and self.run.error is None:
                attempt += 1
                remaining = self.attempt(Path(work), attempt, target, folders, remaining)
        self.run.seconds = time.monotonic() - started
        return self.run

    def attempt(
        self, work: Path, attempt: int, target: str, folders: list[str], stages: list[str]
    ) -> list[str]:
        """One process checking ``stages``; returns the stages still to check after it."""
        folder = work / f"run-{attempt}"
        folder.mkdir()
        events, log = work / f"events-{attempt}.jsonl", work / f"output-{attempt}.txt"
        command = child_command(self.root, target, stages, events, self.settings)
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=folder,
                env=child_environment(folders),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=os.name == "posix",
            )
        offset, loaded, finished, current, scenario = 0, False, False, None, None
        clock, timed_out = time.monotonic(), False
        used = None
        try:
            while True:
                used = wait(process, POLL)
                ended = used is not None
                new, offset = read_events(events, offset)
                for event in new:
                    kind = event.get("event")
                    if kind == "loaded":
                        loaded = True
                    elif kind == "unusable":
                        self.run.error = str(event.get("message"))
                    elif kind == "start" and event.get("stage") in stages:
                        scenario = event.get("scenario")
                        if event["stage"] != current:
                            self.stage_done(current)
                            current, clock = event["stage"], time.monotonic()
                    elif kind == "result" and event.get("stage") in stages:
                        if event.get("implementation") in (None, target):  # this class's
                            self.run.results.append(event)
                    elif kind == "finished":
                        finished = True
                if ended:
                    break
                allowed = self.settings.timeout + (STARTING if current is None else 0.0)
                if time.monotonic() - clock > allowed:
                    timed_out = True
                    break
        finally:
            # Stopped, or ended: either way nothing it started may outlive it.
            self.run.cpu_seconds += stop(process) if used is None else used + stop(process)
        if self.run.error is not None:
            return []
        if finished and not timed_out:
            self.stage_done(current)
            return []
        why = self.why_stopped(process.returncode, timed_out, scenario, log)
        if current is None:
            if timed_out:
                why = (
                    f"starting took longer than {self.settings.timeout + STARTING:g} s (a module"
                    " that never finishes importing?)"
                )
            prefix = "" if loaded else "before its class was loaded: "
            self.run.error = f"the check stopped {prefix}{why}"
            return []
        self.run.problems[current] = why
        self.stage_done(current)
        return stages[stages.index(current) + 1 :]

    def why_stopped(self, code: int | None, timed_out: bool, scenario: str | None, log: Path):
        """Why a process ended without reporting every stage, in a sentence."""
        during = f" during “{scenario}”" if scenario else ""
        if timed_out:
            return (
                f"the stage took longer than {self.settings.timeout:g} s and was stopped{during}"
                " (a loop that never ends, or a very slow one; see --timeout)"
            )
        tail = output_tail(log)
        said = f"; the last it printed:\n{tail}" if tail else ""
        return f"the process ended (exit code {code}){during} without reporting{said}"

    def stage_done(self, stage: str | None) -> None:
        if stage is None or not self.settings.verbose:
            return
        verdict = stage_report(stage, self.run)
        state = "passed" if verdict["passed"] else "FAILED"
        self.say(f"  {self.submission}: {stage} {state} ({count_text(verdict['counts'])})")


def count_text(counts: dict) -> str:
    """``{"passed": 9, "failed": 2}`` → ``2 failed, 9 passed``."""
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no scenario"


def stage_report(stage: str, run: Run) -> dict:
    """One stage of one class: passed only when a scenario ran and none failed."""
    results = [result for result in run.results if result.get("stage") == stage]
    counts = Counter(str(result.get("outcome")) for result in results)
    failures = [
        {
            "scenario": str(result.get("scenario")),
            "message": str(result.get("message") or ""),
            "kind": result.get("kind", "assertion"),
            "origin": result.get("origin"),
        }
        for result in results
        if result.get("outcome") == "failed"
    ]
    problem = run.problems.get(stage)
    if problem is None and not counts.get("passed") and not counts.get("failed"):
        problem = "no scenario of this stage ran, so it cannot count as passed"
    return {
        "stage": stage,
        "passed": problem is None and not failures,
        "counts": dict(counts),
        "scenarios": [
            {"scenario": str(result.get("scenario")), "outcome": str(result.get("outcome"))}
            for result in results
        ],
        "failures": failures,
        "problem": problem,
        "seconds": round(sum(float(result.get("seconds") or 0) for result in results), 2),
    }


def class_report(run: Run, settings: Settings) -> dict:
    """One class's report: its stages in the tutorial's order, the first failing one named
    as the one to fix first, the later failing ones marked as possibly following from it,
    and an error raised by the same line shown once."""
    if run.error is not None:
        return {
            "implementation": run.name,
            "passed": False,
            "error": run.error,
            "fix_first": None,
            "stages": [],
            "seconds": round(run.seconds, 1),
            "cpu_seconds": round(run.cpu_seconds, 1),
        }
    stages = [stage_report(stage, run) for stage in settings.stages]
    failing = [stage["stage"] for stage in stages if not stage["passed"]]
    first = failing[0] if failing else None
    seen: dict[str, str] = {}
    for stage in stages:
        stage["may_follow_from"] = first if failing and stage["stage"] in failing[1:] else None
        for failure in stage["failures"]:
            if failure["kind"] != "error":
                continue
            origin = failure.get("origin") or failure["message"]
            if origin in seen:
                what = f" ({failure['origin']})" if failure.get("origin") else ""
                failure["message"] = f"the same error{what} as in “{seen[origin]}”"
                failure["repeated"] = True
            else:
                seen[origin] = failure["scenario"]
    return {
        "implementation": run.name,
        "passed": not failing,
        "error": None,
        "fix_first": first,
        "stages": stages,
        "seconds": round(run.seconds, 1),
        "cpu_seconds": round(run.cpu_seconds, 1),
    }


class Progress:
    """One line per class as it finishes (and per stage with ``verbose``), on stderr; a
    progress bar too when stderr is a terminal."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total, self.done, self.quiet, self.lock = total, 0, quiet, threading.Lock()
        self.bar = None
        if not quiet and sys.stderr.isatty() and importlib.util.find_spec("tqdm"):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="class", file=sys.stderr, leave=False)

    def say(self, line: str) -> None:
        if self.quiet:
            return
        with self.lock:
            if self.bar is not None:
                self.bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr, flush=True)

    def finished(self, report: dict) -> None:
        with self.lock:
            self.done += 1
            done = self.done
        self.say(
            f"[{done}/{self.total}] {report['implementation']}: {class_verdict(report)}"
            f" ({report['seconds']:.1f} s, {report['cpu_seconds']:.1f} s of CPU)"
        )
        if self.bar is not None:
            with self.lock:
                self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_check(
    implementations: Sequence[str],
    stages: Sequence[str] | None = None,
    specs: str | None = None,
    settings: Settings | None = None,
    quiet: bool = True,
) -> dict:
    """Run the tutorial's stages against each class, each in a process of its own.

    Returns:
        ``{"passed", "settings", "seconds", "implementations": [report, ...]}``, one report
        per class in the order given, each ``{"implementation", "passed", "error",
        "fix_first", "seconds", "stages": [{"stage", "passed", "counts", "failures":
        [{"scenario", "message", "kind"}], "scenarios": [{"scenario", "outcome"}], "problem",
        "may_follow_from", "seconds"}]}``;
        ``passed`` when every class passed every stage. A class that could not be checked
        at all has an ``error`` and no stages.

    Raises:
        ModuleNotFoundError: pytest or pytest-bdd is not installed.
        FileNotFoundError: the suite cannot be found (see :func:`find_specs`).
        ValueError: an unknown stage.

    Args:
        implementations: The classes to check, each as ``file.py``, ``module`` or either
            followed by ``:Class`` (``NeuralNetwork`` when not given).
        stages: The stages to run, or ``None`` for all; overrides ``settings.stages``.
        specs: The checkout holding the specification; overrides ``settings.specs``.
        settings: The rest of the options, or ``None`` for the defaults.
        quiet: Print no progress on stderr.
    """
    settings = settings or Settings()
    if stages:
        chosen = {stage_name(stage) for stage in stages}
        settings.stages = tuple(stage for stage in STAGES if stage in chosen)
    settings.specs = specs or settings.specs
    missing = [name for module, name in NEEDED.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise ModuleNotFoundError(
            f"scratchnet check runs the specification suite and needs {' and '.join(missing)};"
            ' install them with: pip install -e ".[test]"'
        )
    root = find_specs(settings.specs)
    named = list(dict.fromkeys(implementations))  # a class named twice is checked once
    settings.workers = max(1, min(settings.workers or default_workers(), len(named)))
    progress = Progress(len(named), quiet)
    started = time.monotonic()
    reports: dict[str, dict] = {}
    try:
        with ThreadPoolExecutor(settings.workers) as pool:
            futures = {
                pool.submit(Checker(name, root, settings, progress.say).check): name
                for name in named
            }
            for future in as_completed(futures):
                report = class_report(future.result(), settings)
                reports[futures[future]] = report
                progress.finished(report)
    finally:
        progress.close()
    ordered = [reports[name] for name in named]
    return {
        "passed": all(report["passed"] for report in ordered),
        "settings": settings.described(),
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(sum(report["cpu_seconds"] for report in ordered), 1),
        "implementations": ordered,
    }


def report_text(summary: dict) -> str:
    """The report as lines a learner or a teacher can read: each class, then each stage.

    Args:
        summary: What ``run_check`` returned.

    Returns:
        The report as lines of text for the terminal.
    """
    lines = []
    for report in summary["implementations"]:
        lines += [*class_lines(report), ""]
    failed = [report for report in summary["implementations"] if not report["passed"]]
    if len(summary["implementations"]) == 1:
        lines.append(class_verdict(summary["implementations"][0]))
    elif failed:
        lines.append(f"{len(failed)} of {len(summary['implementations'])} classes failed:")
        lines.extend(f"  {report['implementation']}: {class_verdict(report)}" for report in failed)
    else:
        lines.append("Every class passed every stage checked.")
    return "\n".join(lines)


def class_lines(report: dict) -> list[str]:
    """One class's part of the report: a line per stage, and what each failure expected."""
    lines = [f"Checking {report['implementation']} against the tutorial's stages:", ""]
    if report.get("error"):
        lines.append("  FAILED  before any stage: the class could not be checked")
        lines.extend(f"          {line}" for line in report["error"].splitlines())
        return lines
    for stage in report["stages"]:
        counts = stage["counts"]
        total = sum(counts.values())
        if stage["passed"]:
            lines.append(f"  passed  {stage['stage']:<20} {total} scenarios")
            continue
        failed = counts.get("failed", 0)
        told = f"{failed} of {total} scenarios failed" if total else "no scenario reported"
        mark = ""
        if stage["stage"] == report.get("fix_first"):
            mark = "  <- fix this stage first"
        elif stage.get("may_follow_from"):
            mark = f"  (may follow from {stage['may_follow_from']})"
        lines.append(f"  FAILED  {stage['stage']:<20} {told}{mark}")
        if stage.get("problem"):
            lines.extend(f"          {line}" for line in stage["problem"].splitlines())
        for failure in stage["failures"]:
            lines.append(f"          - {failure['scenario']}")
            lines.extend(f"            {line}" for line in failure["message"].splitlines())
    checked = {stage["stage"] for stage in report["stages"]}
    not_run = [stage for stage in STAGES if stage not in checked]
    if not_run:
        lines += ["", f"Not checked: {', '.join(not_run)}"]
    return lines


def class_verdict(report: dict) -> str:
    """``Failed: fix softmax first (loss, training may follow from it).``, ``Every stage
    checked passed.``, or why the class could not be checked."""
    if report.get("error"):
        return f"Failed: could not be checked ({report['error'].splitlines()[0]})."
    if not report["stages"]:
        return "No stage ran."
    failed = [stage["stage"] for stage in report["stages"] if not stage["passed"]]
    if not failed:
        return "Every stage checked passed."
    later = f" ({', '.join(failed[1:])} may follow from it)" if failed[1:] else ""
    return f"Failed: fix {failed[0]} first{later}."


def junit_xml(summary: dict) -> str:
    """The report as JUnit XML: a test suite per class and stage, a test case per scenario."""
    suites = ElementTree.Element("testsuites", name="scratchnet check")
    for report in summary["implementations"]:
        name = report["implementation"]
        if report.get("error"):
            suite = ElementTree.SubElement(suites, "testsuite", name=name, tests="1", errors="1")
            case = ElementTree.SubElement(suite, "testcase", classname=name, name="the class")
            ElementTree.SubElement(
                case, "error", message=report["error"].splitlines()[0]
            ).text = report["error"]
            continue
        for stage in report["stages"]:
            cases = stage_cases(name, stage)
            suite = ElementTree.SubElement(
                suites,
                "testsuite",
                name=f"{name}: {stage['stage']}",
                tests=str(len(cases)),
                failures=str(sum(1 for _, failure, _ in cases if failure is not None)),
                skipped=str(sum(1 for _, _, outcome in cases if outcome == "skipped")),
                time=f"{stage.get('seconds', 0):.2f}",
            )
            for scenario, failure, outcome in cases:
                case = ElementTree.SubElement(
                    suite, "testcase", classname=f"{name}.{stage['stage']}", name=scenario
                )
                if failure is not None:
                    first = failure.splitlines()[0] if failure else ""
                    ElementTree.SubElement(case, "failure", message=first).text = failure
                elif outcome == "skipped":  # a scenario that did not run never counts as passed
                    ElementTree.SubElement(case, "skipped")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def stage_cases(name: str, stage: dict) -> list[tuple[str, str | None, str]]:
    """A stage's test cases: each scenario that ran, in the order it ran, with its failure
    message (``None`` when it did not fail) and its outcome, and the stage's own problem if
    it had one."""
    messages = iter(failure["message"] for failure in stage["failures"])
    cases = [
        (
            entry["scenario"],
            next(messages) if entry["outcome"] == "failed" else None,
            entry["outcome"],
        )
        for entry in stage.get("scenarios", [])
    ]
    if stage.get("problem"):
        cases.append(("the stage as a whole", stage["problem"], "failed"))
    return cases


def markdown(summary: dict) -> str:
    """The report as Markdown for a CI job summary: a table of classes, then each failure."""
    classes = summary["implementations"]
    passed = sum(1 for report in classes if report["passed"])
    lines = [
        f"## scratchnet check: {passed} of {len(classes)} classes passed",
        "",
        "| class | verdict | fix first | may follow from it |",
        "| --- | --- | --- | --- |",
    ]
    for report in classes:
        failed = [stage["stage"] for stage in report["stages"] if not stage["passed"]]
        verdict = "passed" if report["passed"] else "failed"
        if report.get("error"):
            verdict = "could not be checked"
        cells = [
            f"`{report['implementation']}`",
            verdict,
            report.get("fix_first") or "",
            ", ".join(failed[1:]),
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    for report in classes:
        if report["passed"]:
            continue
        lines += ["", f"<details><summary><code>{report['implementation']}</code></summary>", ""]
        lines += ["```text", *class_lines(report), "```", "", "</details>"]
    return "\n".join(lines) + "\n"


# --8<-- [start:command]
HELP = "run the tutorial's stages of the specification against your own network classes"
DESCRIPTION = (
    "Run the tutorial-stage scenarios against one or more classes with the tutorial's API,"
    " each class in a process of its own, and report each class and each stage; exits with 1"
    " when any class fails a stage or cannot be checked. Needs pytest and pytest-bdd, and a"
    " scratchnet checkout."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``scratchnet check``.

    Args:
        parser: The ``check`` command's parser.
    """
    parser.add_argument(
        "implementation",
        metavar="CLASS",
        nargs="+",
        help="a class to check: a file (alice.py), a module (alice) or either followed by"
        " :ClassName (alice.py:Net); the class is NeuralNetwork when not named. Name several"
        " to check a whole class of students' networks, each in a process of its own",
    )
    parser.add_argument(
        "--stage",
        action="append",
        metavar="NAME",
        help="check only this stage (repeatable), e.g. --stage softmax or --stage"
        " forward_propagation (default: all eight)",
    )
    parser.add_argument(
        "--specs",
        metavar="DIR",
        default=None,
        help="the checkout holding features/ and steps/ (default: the current folder, else the"
        " folder scratchnet was installed from with pip install -e)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument(
        "-j",
        "--workers",
        type=int,
        metavar="N",
        default=None,
        help="classes checked at the same time (default: one per core)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=DEFAULT_TIMEOUT,
        help=f"stop a class's stage after this long and fail it (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--all-seeds",
        action="store_true",
        help=f"train with every seed the scenarios name (default: the first {CHECK_SEEDS} of"
        " each scenario that trains once per seed)",
    )
    parser.add_argument(
        "-k", dest="select", metavar="EXPRESSION", help="only the scenarios whose names match"
    )
    parser.add_argument("--junit-xml", metavar="FILE", help="also write the report as JUnit XML")
    parser.add_argument(
        "--markdown", metavar="FILE", help="also write a Markdown summary (for a CI job summary)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also say when each stage of a class ends"
    )


def run_command(args: argparse.Namespace) -> int:
    """``scratchnet check``: run the tutorial's stages against other classes, print the
    report, and write the JUnit XML and Markdown files asked for.

    Args:
        args: The options :func:`add_arguments` declares.

    Returns:
        The exit status: 0 when every class passed every stage, 1 when a class failed one
        or could not be checked.

    Raises:
        UsageError: the check itself cannot run (bad option, unknown stage, no suite,
            pytest missing).
    """
    from scratchnet.cli import UsageError

    settings = Settings(
        workers=args.workers,
        timeout=args.timeout,
        seeds=None if args.all_seeds else CHECK_SEEDS,
        select=args.select,
        verbose=args.verbose,
    )
    try:
        if settings.workers is not None and settings.workers < 1:
            raise ValueError(f"--workers must be a whole number >= 1, got {settings.workers}")
        if not settings.timeout > 0:
            raise ValueError(f"--timeout must be a number of seconds > 0, got {settings.timeout}")
        summary = run_check(args.implementation, args.stage, args.specs, settings, quiet=False)
    except (ModuleNotFoundError, FileNotFoundError, ValueError) as error:
        raise UsageError(str(error)) from None
    for path, text in ((args.junit_xml, junit_xml), (args.markdown, markdown)):
        if path:
            Path(path).write_text(text(summary), encoding="utf-8")
    print(json.dumps(summary) if args.json else report_text(summary))
    return 0 if summary["passed"] else 1


#: The name the command line's first version used for :func:`run_command`.
run = run_command
# --8<-- [end:command]
