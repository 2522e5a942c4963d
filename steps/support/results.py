"""A pytest plugin that records what every Gherkin scenario and step did.

The documentation site shows these results beside each feature, so they have
to be right where pytest-bdd's ``--cucumberjson`` is not: a step that calls
``pytest.skip`` is *skipped*, a step with no definition is *undefined*, the
steps after a failure are *skipped* (they never ran), and a scenario skipped
before it started is still listed. Scenarios that were not collected or were
deselected are absent, which the docs show as "not run".

The file (``build/results.json`` unless ``--bdd-results PATH`` says otherwise)
is written once, at the end of the session, by the process that owns the
session: with pytest-xdist each worker attaches its records to the test
reports it sends to the controller, and the controller writes the file.

Layout::

    {"run": {"date", "commit", "dirty", "python", "numpy", "pytest", "pytest_bdd",
             "command", "totals": {"scenarios": {status: n}, "steps": {status: n}}},
     "features": {"softmax.feature": {"name": "...", "scenarios": {
         "12": record,          # a plain scenario, keyed by its line
         "20:31": record,       # an outline row: scenario line, then the row's line
     }}}}

    record = {"name", "line", "example": null | {"index", "line", "values"},
              "status", "message", "nodeid", "duration",
              "steps": [{"keyword", "text", "line", "status", "message"}, ...]}
"""

from __future__ import annotations

import datetime
import functools
import json
import platform
import shlex
import subprocess
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest
from gherkin.parser import Parser
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from steps.support.gherkin import scenarios_of

DEFAULT_PATH = "build/results.json"
#: The name under which a scenario's record travels in ``report.user_properties``.
PROPERTY = "bdd_result"
#: Longest failure message kept, in characters; the full traceback is in pytest's output.
MESSAGE_LIMIT = 2000

record_key = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("bdd").addoption(
        "--bdd-results",
        metavar="PATH",
        default=None,
        help=f"where to write the scenario results for the docs (default: {DEFAULT_PATH})",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # pytest-xdist workers only send their records
        config.pluginmanager.register(ResultsWriter(config), "bdd-results-writer")


# Recording, in the process that runs the scenario.


def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    request.node.stash[record_key] = new_record(request.node, feature, scenario)


def pytest_bdd_before_step(request: pytest.FixtureRequest, scenario: Scenario, step: Step) -> None:
    set_step(request.node, scenario, step, "running")


def pytest_bdd_after_step(request: pytest.FixtureRequest, scenario: Scenario, step: Step) -> None:
    set_step(request.node, scenario, step, "passed")


def pytest_bdd_step_error(
    request: pytest.FixtureRequest, scenario: Scenario, step: Step, exception: BaseException
) -> None:
    # pytest.skip() is not an Exception and never reaches this hook; xfail() does.
    status = "skipped" if isinstance(exception, pytest.xfail.Exception) else "failed"
    set_step(request.node, scenario, step, status, describe(exception))


def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, scenario: Scenario, step: Step, exception: Exception
) -> None:
    set_step(request.node, scenario, step, "undefined", describe(exception))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    record = item.stash.get(record_key, None)
    if record is None and call.when == "setup" and not report.passed:
        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
        if template is not None:  # the scenario could not start: record it anyway
            record = item.stash[record_key] = new_record(item, template.feature, template)
    if record is None:
        return report
    if call.when == "teardown" and report.passed:
        return report
    finish(record, report, call)
    report.user_properties.append((PROPERTY, json.dumps(record)))
    return report


def new_record(item: pytest.Item, feature: Feature, scenario: Scenario | ScenarioTemplate) -> dict:
    """A record with every step "skipped" until it is seen to run."""
    path = feature_path(item.config, feature)
    return {
        "feature": path,
        "feature_name": feature.name,
        "name": scenario.name,
        "line": scenario.line_number,
        "example": example_row(item, Path(feature.filename), scenario.line_number),
        "status": "running",
        "message": None,
        "nodeid": item.nodeid,
        "duration": 0.0,
        "steps": [
            {
                "keyword": step.keyword,
                "text": step.name,
                "line": step.line_number,
                "status": "skipped",
                "message": None,
            }
            for step in scenario.steps
        ],
    }


def set_step(
    item: pytest.Item, scenario: Scenario, step: Step, status: str, message: str | None = None
) -> None:
    record = item.stash.get(record_key, None)
    if record is None:
        return
    index = next(i for i, candidate in enumerate(scenario.steps) if candidate is step)
    record["steps"][index].update(status=status, message=message)


def finish(record: dict, report: pytest.TestReport, call: pytest.CallInfo) -> None:
    """Derive the scenario's status from its steps and the test report of one phase."""
    message = describe(call.excinfo.value) if call.excinfo is not None else None
    if report.skipped and hasattr(report, "wasxfail"):
        message = f"expected to fail: {report.wasxfail}" if report.wasxfail else "expected to fail"
    for step in record["steps"]:
        if step["status"] == "running":  # it raised something no step hook saw (pytest.skip)
            step.update(status="skipped" if report.skipped else "failed", message=message)
    statuses = [step["status"] for step in record["steps"]]
    if call.when == "call":
        record["duration"] = round(report.duration, 3)
    if report.skipped:
        record.update(status="skipped", message=message)
    elif "undefined" in statuses:
        record.update(status="undefined", message=first_message(record, "undefined"))
    elif "failed" in statuses:
        record.update(status="failed", message=first_message(record, "failed"))
    elif report.failed:
        prefix = "" if call.when == "call" else f"{call.when}: "
        record.update(status="failed", message=prefix + (message or report.longreprtext))
    elif call.when == "call":
        record.update(status="passed", message=None)


def first_message(record: dict, status: str) -> str:
    step = next(step for step in record["steps"] if step["status"] == status)
    return f"{step['keyword']} {step['text']} (line {step['line']}): {step['message']}"


def describe(exception: BaseException) -> str:
    """``Type: message``, or just the message for pytest's own outcomes (skip, fail)."""
    text = getattr(exception, "msg", None) or str(exception)
    if isinstance(exception, StepDefinitionNotFoundError):
        text = "no step definition matches this step"
    elif not isinstance(exception, pytest.fail.Exception | pytest.skip.Exception):
        text = f"{type(exception).__name__}: {text}" if text else type(exception).__name__
    text = text.strip()
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " …"


def feature_path(config: pytest.Config, feature: Feature) -> str:
    """The feature's path relative to ``bdd_features_base_dir`` (or the rootdir), with ``/``."""
    path = Path(feature.filename).resolve()
    base = config.rootpath / (config.getini("bdd_features_base_dir") or "")
    for directory in (base.resolve(), config.rootpath.resolve()):
        if path.is_relative_to(directory):
            return path.relative_to(directory).as_posix()
    return path.as_posix()


def example_row(item: pytest.Item, feature_file: Path, scenario_line: int) -> dict | None:
    """Which Examples row an outline test runs: its index over all the outline's rows,
    the row's line in the feature file, and its values."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or "_pytest_bdd_example" not in callspec.params:
        return None
    index = callspec.indices["_pytest_bdd_example"]
    rows = example_row_lines(feature_file, feature_file.stat().st_mtime_ns).get(scenario_line, [])
    return {
        "index": index,
        "line": rows[index] if index < len(rows) else None,
        "values": dict(callspec.params["_pytest_bdd_example"]),
    }


@functools.cache
def example_row_lines(feature_file: Path, mtime_ns: int) -> dict[int, list[int]]:
    """For each outline in the file, the lines of its Examples rows in order."""
    document = Parser().parse(feature_file.read_text(encoding="utf-8"))
    return {
        scenario["location"]["line"]: [
            row["location"]["line"]
            for examples in scenario["examples"]
            for row in examples.get("tableBody", [])
        ]
        for scenario, _, _ in scenarios_of(document.get("feature", {}))
    }


# Collecting and writing, in the process that owns the session.


class ResultsWriter:
    """Gathers every record from the test reports and writes the results file."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.records[report.nodeid] = json.loads(value)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.config.option.collectonly:
            return
        path = results_path(self.config)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.results(), indent=1, ensure_ascii=False)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text + "\n", encoding="utf-8")
        temporary.replace(path)

    def results(self) -> dict:
        features: dict[str, dict] = {}
        ordered = sorted(
            self.records.values(),
            key=lambda r: (r["feature"], r["line"], (r["example"] or {}).get("index", -1)),
        )
        for record in ordered:
            feature = features.setdefault(
                record["feature"], {"name": record["feature_name"], "scenarios": {}}
            )
            feature["scenarios"][scenario_key(record)] = {
                name: value for name, value in record.items() if not name.startswith("feature")
            }
        scenarios = Counter(record["status"] for record in ordered)
        steps = Counter(step["status"] for record in ordered for step in record["steps"])
        return {
            "run": run_metadata(self.config) | {"totals": {"scenarios": scenarios, "steps": steps}},
            "features": features,
        }


def scenario_key(record: dict) -> str:
    """``"12"`` for a scenario at line 12; ``"20:31"`` for the outline at 20, row at line 31."""
    example = record["example"]
    if example is None:
        return str(record["line"])
    row = example["line"] if example["line"] is not None else f"#{example['index']}"
    return f"{record['line']}:{row}"


def results_path(config: pytest.Config) -> Path:
    option = config.getoption("bdd_results")
    if option is None:
        return config.rootpath / DEFAULT_PATH
    return config.invocation_params.dir / option


def run_metadata(config: pytest.Config) -> dict:
    commit = git(config.rootpath, "rev-parse", "HEAD")
    status = git(config.rootpath, "status", "--porcelain", "--untracked-files=no")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "dirty": bool(status) if commit is not None else None,
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "pytest": pytest.__version__,
        "pytest_bdd": version("pytest-bdd"),
        "command": shlex.join(["pytest", *config.invocation_params.args]),
    }


def git(directory: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=directory, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
