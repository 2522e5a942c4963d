"""Which tutorial stages a run checked, and how each one went, for a learner to read.

Registered by the root ``conftest.py`` when another class is checked: prints a
section at the end of pytest's output and, with ``--implementation-report PATH``,
writes the same as JSON (``scratchnet check`` reads it)::

    {"implementation": "pkg.module:Class", "passed": bool,
     "stages": [{"stage": "softmax", "passed": bool, "counts": {"passed": 9, ...},
                 "failures": [{"scenario": "...", "message": "..."}]}]}
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from scratchnet.check import STAGES

#: Longest failure message kept per scenario, in characters.
MESSAGE_LIMIT = 1500


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


class StageSummary:
    """Counts each scenario once per stage: a failure in set-up or call, else the call."""

    def __init__(self, implementation: str, report_path: Path | None) -> None:
        self.implementation, self.report_path = implementation, report_path
        self.counts: dict[str, Counter] = {}
        self.failures: dict[str, list[dict]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        stage = stage_of(report.nodeid)
        self.counts.setdefault(stage, Counter())[report.outcome] += 1
        if report.failed:
            failure = {"scenario": scenario_name(report), "message": failure_message(report)}
            self.failures.setdefault(stage, []).append(failure)

    def stages(self) -> list[dict]:
        ordered = sorted(self.counts, key=lambda s: STAGES.index(s) if s in STAGES else 99)
        return [
            {
                "stage": stage,
                "passed": not self.counts[stage]["failed"],
                "counts": dict(self.counts[stage]),
                "failures": self.failures.get(stage, []),
            }
            for stage in ordered
        ]

    def pytest_terminal_summary(self, terminalreporter, config: pytest.Config) -> None:
        if config.option.collectonly:
            return
        terminalreporter.section(f"tutorial stages checked against {self.implementation}")
        stages = self.stages()
        if not stages:
            terminalreporter.line("no stage ran")
        for stage in stages:
            verdict = "passed" if stage["passed"] else "FAILED"
            detail = ", ".join(f"{n} {outcome}" for outcome, n in sorted(stage["counts"].items()))
            terminalreporter.line(f"{stage['stage']:<20} {verdict:<7} ({detail})")
        not_run = [stage for stage in STAGES if stage not in self.counts]
        if not_run:
            terminalreporter.line(f"not run: {', '.join(not_run)}")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.report_path is None:
            return
        stages = self.stages()
        report = {
            "implementation": self.implementation,
            "passed": bool(stages) and all(stage["passed"] for stage in stages),
            "stages": stages,
        }
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        self.report_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
