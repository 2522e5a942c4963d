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
from collections import Counter
from pathlib import Path

import pytest

from scratchnet.check import STAGES

#: Longest failure message kept per scenario, in characters.
MESSAGE_LIMIT = 1500
#: The name under which a scenario's run carries the class it checked in ``user_properties``.
CLASS_PROPERTY = "implementation"


def stage_of(nodeid: str) -> str:
    """``steps/test_forward_propagation.py::...`` → ``forward propagation``."""
    return Path(nodeid.split("::")[0]).stem.removeprefix("test_").replace("_", " ")


def failure_message(report: pytest.TestReport) -> str:
    """The assertion or error a failed scenario ended with, without the traceback.

    pytest appends its own rewrite of the failed ``assert`` (``assert not {...}``) to the
    step's message; that repeats the message, so it is left out.
    """
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return text.split("\nassert ")[0].removeprefix("AssertionError: ")[:MESSAGE_LIMIT]


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
