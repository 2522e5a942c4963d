"""Which tutorial stages a run checked, and how each one went, for a learner to read.

Registered by the root ``conftest.py`` when other classes are checked: prints a
section per class at the end of pytest's output and, with
``--implementation-report PATH``, writes the same as JSON (``scratchnet check``
reads it), one report per class in the order the classes were named::

    {"passed": bool,                       # every class passed every stage
     "implementations": [
        {"implementation": "pkg.module:Class", "passed": bool,
         "stages": [{"stage": "softmax", "passed": bool, "counts": {"passed": 9, ...},
                     "failures": [{"scenario": "...", "message": "..."}]}]},
        ...]}
"""

from __future__ import annotations

import json
import linecache
import os
import sys
import sysconfig
from collections import Counter
from pathlib import Path
from types import TracebackType

import pytest
from pytest_bdd.parser import render_string
from pytest_bdd.scenario import scenario_wrapper_template_registry

import scratchnet
from scratchnet.check import STAGES

#: Longest failure message kept per scenario, in characters.
MESSAGE_LIMIT = 1500
#: The name under which a scenario's run carries the class it checked in ``user_properties``.
CLASS_PROPERTY = "implementation"
#: The names under which a failed scenario's run carries its message and its kind.
MESSAGE_PROPERTY, KIND_PROPERTY, ORIGIN_PROPERTY = "check_message", "check_kind", "check_origin"
#: Folders whose code is not the checked class's: Python's, the installed packages',
#: scratchnet's and the specification's steps. An error is shown at the last line of
#: its traceback outside them.
NOT_THE_CLASS = tuple(
    os.path.realpath(folder) + os.sep
    for folder in {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        *(sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")),
        str(Path(scratchnet.__file__).parent),
        str(Path(__file__).resolve().parents[1]),
    }
)
CONFTEST = os.path.realpath(Path(__file__).resolve().parents[2] / "conftest.py")


def stage_of(nodeid: str) -> str:
    """``steps/test_forward_propagation.py::...`` → ``forward propagation``."""
    return Path(nodeid.split("::")[0]).stem.removeprefix("test_").replace("_", " ")


def shortened(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text``, or as many of its first lines as fit in ``limit`` characters followed by a
    line saying how much was left out (a single long line is cut at a space)."""
    if len(text) <= limit:
        return text
    kept = ""
    for line in text.splitlines(keepends=True):
        if len(kept) + len(line) > limit:
            break
        kept += line
    if not kept:
        cut = text.rfind(" ", 0, limit)
        kept = text[: cut if cut > limit // 2 else limit]
    left = len(text) - len(kept)
    return f"{kept.rstrip()}\n[… {left} more characters of this message left out]"


def leaf(error: BaseException) -> BaseException:
    """The first error an error group holds (Hypothesis groups the distinct failures it
    found), else the error itself."""
    while isinstance(getattr(error, "exceptions", None), tuple) and error.exceptions:
        error = error.exceptions[0]
    return error


def in_the_class(filename: str) -> bool:
    """Whether code in ``filename`` belongs to the checked class rather than to Python,
    an installed package, scratchnet or the specification."""
    if filename.startswith("<"):
        return False
    path = os.path.realpath(filename)
    return path != CONFTEST and not path.startswith(NOT_THE_CLASS)


def where_in_the_class(traceback: TracebackType | None) -> str | None:
    """``NeuralNetwork.forward, alice.py line 23: self.Z1 = X @ self.W1`` for the last line of
    ``traceback`` in the checked class's code, or ``None`` when it never got there."""
    found = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if in_the_class(code.co_filename):
            found = traceback
        traceback = traceback.tb_next
    if found is None:
        return None
    code, line = found.tb_frame.f_code, found.tb_lineno
    owner = found.tb_frame.f_locals.get("self")
    method = f"{type(owner).__name__}.{code.co_name}" if owner is not None else code.co_name
    source = linecache.getline(code.co_filename, line).strip()
    return f"{method}, {Path(code.co_filename).name} line {line}" + (
        f": {source}" if source else ""
    )


def error_message(error: BaseException) -> tuple[str, str]:
    """What a scenario failed with, and its kind: ``assertion`` (what the stage expected,
    as the step says it, without pytest's rewrite of the ``assert``) or ``error`` (an
    exception, with where it was raised in the class's code)."""
    error = leaf(error)
    if isinstance(error, AssertionError):
        text = str(error).split("\nassert ")[0]
        return "assertion", shortened(text or "an assertion failed")
    said = f"{type(error).__name__}: {error}".strip()
    where = where_in_the_class(error.__traceback__)
    text = f"{said}\n  in {where}" if where else said
    return "error", shortened(text)


def error_origin(error: BaseException) -> str | None:
    """``ValueError in NeuralNetwork.forward, alice.py line 23``: an error's kind and the
    line of the class's code it came from, or ``None`` for an assertion or an error raised
    outside the class's code. Errors with one origin have one cause, whatever numbers
    their messages hold."""
    error = leaf(error)
    where = None if isinstance(error, AssertionError) else where_in_the_class(error.__traceback__)
    return None if where is None else f"{type(error).__name__} in {where.split(': ')[0]}"


def failure_message(report: pytest.TestReport) -> str:
    """The assertion or error a failed scenario ended with, without the traceback.

    pytest appends its own rewrite of the failed ``assert`` (``assert not {...}``) to the
    step's message; that repeats the message, so it is left out.
    """
    properties = dict(report.user_properties)
    if MESSAGE_PROPERTY in properties:
        return properties[MESSAGE_PROPERTY]
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return shortened(text.split("\nassert ")[0].removeprefix("AssertionError: "))


class FailureMessages:
    """Works out a failed scenario's message while its exception is at hand, and keeps it
    with the scenario's report (see :func:`error_message`)."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if call.excinfo is not None and report.failed:
            kind, message = error_message(call.excinfo.value)
            origin = error_origin(call.excinfo.value)
            report.user_properties += [
                (MESSAGE_PROPERTY, message),
                (KIND_PROPERTY, kind),
                (ORIGIN_PROPERTY, origin),
            ]
        return report


def scenario_name(report: pytest.TestReport) -> str:
    """The scenario's name as the feature writes it, with its example row's values."""
    for name, value in report.user_properties:
        if name == "bdd_result":
            record = json.loads(value)
            example = record.get("example") or {}
            values = example.get("values")
            shown = {k: v for k, v in (values or {}).items() if str(v) not in record["name"]}
            row = f" ({', '.join(f'{k} = {v}' for k, v in shown.items())})" if shown else ""
            return record["name"] + row
    return report.nodeid.split("::")[-1]


def checked_class(report: pytest.TestReport) -> str | None:
    """The class a scenario's run checked, as steps/conftest.py records it on the item."""
    return dict(report.user_properties).get(CLASS_PROPERTY)


class StageSummary:
    """Counts each scenario once per class and stage: a failure in set-up or call, else the call."""

    def __init__(self, implementations: list[str], report_path: Path | None) -> None:
        self.implementations, self.report_path = implementations, report_path
        self.counts: dict[tuple[str, str], Counter] = {}
        self.failures: dict[tuple[str, str], list[dict]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        key = (checked_class(report) or self.implementations[0], stage_of(report.nodeid))
        self.counts.setdefault(key, Counter())[report.outcome] += 1
        if report.failed:
            failure = {"scenario": scenario_name(report), "message": failure_message(report)}
            self.failures.setdefault(key, []).append(failure)

    def stages(self, implementation: str) -> list[dict]:
        """One class's stages, in the tutorial's order, each with its counts and failures."""
        ran = [stage for spec, stage in self.counts if spec == implementation]
        ordered = sorted(ran, key=lambda s: STAGES.index(s) if s in STAGES else 99)
        return [
            {
                "stage": stage,
                "passed": not self.counts[implementation, stage]["failed"],
                "counts": dict(self.counts[implementation, stage]),
                "failures": self.failures.get((implementation, stage), []),
            }
            for stage in ordered
        ]

    def report(self, implementation: str) -> dict:
        """One class's report: it passed when at least one stage ran and every stage passed."""
        stages = self.stages(implementation)
        return {
            "implementation": implementation,
            "passed": bool(stages) and all(stage["passed"] for stage in stages),
            "stages": stages,
        }

    def pytest_terminal_summary(self, terminalreporter, config: pytest.Config) -> None:
        if config.option.collectonly:
            return
        for implementation in self.implementations:
            terminalreporter.section(f"tutorial stages checked against {implementation}")
            stages = self.stages(implementation)
            if not stages:
                terminalreporter.line("no stage ran")
            for stage in stages:
                verdict = "passed" if stage["passed"] else "FAILED"
                counts = sorted(stage["counts"].items())
                detail = ", ".join(f"{n} {outcome}" for outcome, n in counts)
                terminalreporter.line(f"{stage['stage']:<20} {verdict:<7} ({detail})")
            not_run = [stage for stage in STAGES if (implementation, stage) not in self.counts]
            if not_run:
                terminalreporter.line(f"not run: {', '.join(not_run)}")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.report_path is None:
            return
        reports = [self.report(implementation) for implementation in self.implementations]
        passed = all(report["passed"] for report in reports)
        summary = {"passed": passed, "implementations": reports}
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        self.report_path.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


def starting_name(item: pytest.Item) -> str:
    """The scenario a test runs as the feature names it, its example row's values filled in
    (the test's own name, with the class checked, when it is not a scenario)."""
    template = scenario_wrapper_template_registry.get(getattr(item, "function", None))
    if template is None:
        return item.name
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    return render_string(template.name, example)


class StageEvents:
    """Reports each scenario of the one class checked as it starts and ends, one JSON
    object a line in ``path``, for ``scratchnet check`` to read while the run goes on::

        {"event": "loaded"}                      # the class was imported and looks usable
        {"event": "unusable", "message": "..."}  # it cannot be checked at all, and why
        {"event": "start", "stage": "softmax", "scenario": "..."}
        {"event": "result", "stage": "softmax", "scenario": "...", "outcome": "failed",
         "message": "...", "kind": "assertion", "seconds": 0.12}
        {"event": "finished", "status": 1}       # pytest ended its session normally
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self.file = self.path.open("a", encoding="utf-8")

    def write(self, event: str, **fields: object) -> None:
        self.file.write(json.dumps({"event": event, **fields}, default=str) + "\n")
        self.file.flush()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self.write("start", stage=stage_of(item.nodeid), scenario=starting_name(item))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        properties = dict(report.user_properties)
        self.write(
            "result",
            stage=stage_of(report.nodeid),
            scenario=scenario_name(report),
            outcome=report.outcome,
            message=failure_message(report) if report.failed else None,
            kind=properties.get(KIND_PROPERTY, "assertion"),
            origin=properties.get(ORIGIN_PROPERTY),
            implementation=properties.get(CLASS_PROPERTY),
            seconds=round(report.duration, 3),
        )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.write(
                "result",
                stage=stage_of(report.nodeid),
                scenario="collecting the stage's scenarios",
                outcome="failed",
                message=shortened(str(report.longrepr)),
                kind="error",
            )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.write("finished", status=int(exitstatus))
        self.file.close()
