"""A pytest plugin that records what every Gherkin scenario and step did.

The documentation site shows these results beside each feature, so they have
to be right where pytest-bdd's ``--cucumberjson`` is not: a step that calls
``pytest.skip`` is *skipped*, a step with no definition is *undefined*, the
steps after a failure are *skipped* (they never ran), and a scenario skipped
before it started is still listed. Scenarios that were not collected or were
deselected are absent, which the docs show as "not run".

Each file says what it is about, so the docs can refuse results that are not
about the code and the feature text they are built from: which network was
checked (``"scratchnet"``, or the ``module:Class`` names given to
``--implementation``), the commit and whether the working tree had uncommitted
changes, the SHA-256 of each feature file as the run read it, and the time.
Scenarios and plain tests that were deselected are listed with the reason
(``-m``/``-k``, or a missing ``--browser`` or ``--mnist-dir``). Plain pytest tests
(scikit-learn's estimator checks) are recorded too, by module.

The file (``build/results.json`` unless ``--bdd-results PATH`` says otherwise;
``build/implementations/results.json`` in a run with ``--implementation``) is
written once, at the end of the session, by the process that owns the session:
with pytest-xdist each worker attaches its records to the test reports it sends
to the controller (and its deselections to its ``workeroutput``), and the
controller writes the file.

Layout::

    {"format": 2,
     "run": {"date", "commit", "dirty", "implementation", "python", "numpy", "pytest",
             "pytest_bdd", "command", "totals": {"scenarios": {status: n}, "steps": {status: n},
                                                 "tests": {status: n}}},
     "features": {"softmax.feature": {"name": "...", "sha256": "...", "scenarios": {
         "12": record,          # a plain scenario, keyed by its line
         "20:31": record,       # an outline row: scenario line, then the row's line
     }, "deselected": {"40": "needs `--browser`", ...}}},
     "tests": {"steps/test_x.py": {"sha256": "...", "tests": {"test_name[id]": test_record},
                                   "deselected": {"test_name[id]": reason}}}}

    record = {"name", "line", "example": null | {"index", "line", "values"},
              "status", "message", "nodeid", "duration",
              "steps": [{"keyword", "text", "line", "status", "message"}, ...]}
    test_record = {"name", "status", "message", "nodeid", "duration"}
"""

from __future__ import annotations

import datetime
import functools
import json
import platform
import shlex
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest
from gherkin.parser import Parser
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from steps.support.gherkin import scenarios_of
from steps.support.implementation import implementation_specs
from steps.support.provenance import file_sha256, head_commit, uncommitted_changes

FORMAT = 2
DEFAULT_PATH = "build/results.json"
#: Where a run that checks other classes writes its results: never where the docs read.
IMPLEMENTATION_PATH = "build/implementations/results.json"
#: What ``"implementation"`` says in a run of scratchnet's own network.
OWN = "scratchnet"
#: The name under which a scenario's record travels in ``report.user_properties``.
PROPERTY = "bdd_result"
#: The same for a plain pytest test's record.
TEST_PROPERTY = "plain_test_result"
#: Longest failure message kept, in characters; the full traceback is in pytest's output.
MESSAGE_LIMIT = 2000

record_key = pytest.StashKey[dict]()
test_key = pytest.StashKey[dict]()
deselected_key = pytest.StashKey[dict]()


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
    template = scenario_template(item)
    if record is None and call.when == "setup" and not report.passed and template is not None:
        # the scenario could not start: record it anyway
        record = item.stash[record_key] = new_record(item, template.feature, template)
    if record is None:
        if template is None:
            record_plain_test(item, report, call)
        return report
    if call.when == "teardown" and report.passed:
        return report
    finish(record, report, call)
    report.user_properties.append((PROPERTY, json.dumps(record)))
    return report


def scenario_template(item: pytest.Item) -> ScenarioTemplate | None:
    """The pytest-bdd scenario an item runs, or ``None`` for a plain pytest test."""
    return scenario_wrapper_template_registry.get(getattr(item, "obj", None))


def new_record(item: pytest.Item, feature: Feature, scenario: Scenario | ScenarioTemplate) -> dict:
    """A record with every step "skipped" until it is seen to run."""
    path = feature_path(item.config, feature)
    return {
        "feature": path,
        "feature_name": feature.name,
        "feature_sha256": file_sha256(Path(feature.filename)),
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


# Plain pytest tests (scikit-learn's estimator checks) and deselected items.


def record_plain_test(item: pytest.Item, report: pytest.TestReport, call: pytest.CallInfo) -> None:
    """Record a plain test's outcome: failed in any phase, skipped, or passed in its call."""
    if report.passed and call.when != "call":
        return
    record = item.stash.setdefault(test_key, {**test_identity(item), "duration": 0.0})
    message = describe(call.excinfo.value) if call.excinfo is not None else None
    if report.skipped:
        if hasattr(report, "wasxfail"):
            message = f"expected to fail: {report.wasxfail}" if report.wasxfail else None
            message = message or "expected to fail"
        record.update(status="skipped", message=message)
    elif report.failed:
        prefix = "" if call.when == "call" else f"{call.when}: "
        record.update(status="failed", message=prefix + (message or report.longreprtext))
    else:
        record.update(status="passed", message=None, duration=round(report.duration, 3))
    report.user_properties.append((TEST_PROPERTY, json.dumps(record)))


def test_identity(item: pytest.Item) -> dict:
    """Which module a plain test is in (with the module's hash) and its name with its id."""
    return {
        "module": module_path(item),
        "module_sha256": file_sha256(item.path),
        "name": item.name,
        "nodeid": item.nodeid,
    }


def module_path(item: pytest.Item) -> str:
    path = item.path.resolve()
    root = item.config.rootpath.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Keep, for each deselected scenario and test, why it did not run."""
    for item in items:
        entry = deselection(item)
        item.config.stash.setdefault(deselected_key, {})[item.nodeid] = entry
        if hasattr(item.config, "workeroutput"):  # a pytest-xdist worker tells its controller
            item.config.workeroutput.setdefault(PROPERTY + "_deselected", {})[item.nodeid] = entry


def deselection(item: pytest.Item) -> dict:
    """Where a deselected item would have been recorded, and why it was left out."""
    template = scenario_template(item)
    if template is None:
        return {**test_identity(item), "reason": deselection_reason(item)}
    feature = template.feature
    record = {
        "line": template.line_number,
        "example": example_row(item, Path(feature.filename), template.line_number),
    }
    return {
        "feature": feature_path(item.config, feature),
        "feature_name": feature.name,
        "feature_sha256": file_sha256(Path(feature.filename)),
        "key": scenario_key(record),
        "reason": deselection_reason(item),
    }


def deselection_reason(item: pytest.Item) -> str:
    """Why a run left an item out, in words for the docs."""
    config = item.config
    if item.get_closest_marker("browser") and not config.getoption("--browser", False):
        return "needs `--browser` (a real browser, headless Chromium)"
    if item.get_closest_marker("mnist") and not config.getoption("--mnist-dir", None):
        return "needs the real MNIST files (`--mnist-dir`)"
    if implementation_specs(config) and not item.get_closest_marker("tutorial"):
        return "not a @tutorial scenario, and the run checked another class"
    selection = [
        f"{flag} {shlex.quote(value)}"
        for flag, value in (
            ("-m", config.getoption("markexpr", "")),
            ("-k", config.getoption("keyword", "")),
        )
        if value
    ]
    return "deselected in that run" + (f" (`{' '.join(selection)}`)" if selection else "")


# Collecting and writing, in the process that owns the session.


class ResultsWriter:
    """Gathers every record from the test reports and writes the results file."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, dict] = {}
        self.tests: dict[str, dict] = {}
        self.deselected: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.records[report.nodeid] = json.loads(value)
            elif name == TEST_PROPERTY:
                self.tests[report.nodeid] = json.loads(value)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: object, error: object) -> None:
        """A pytest-xdist worker is done: keep what it deselected (every worker collects all)."""
        output = getattr(node, "workeroutput", None) or {}
        self.deselected.update(output.get(PROPERTY + "_deselected", {}))

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
            feature = self.feature_entry(features, record)
            feature["scenarios"][scenario_key(record)] = {
                name: value for name, value in record.items() if not name.startswith("feature")
            }
        tests: dict[str, dict] = {}
        for record in sorted(self.tests.values(), key=lambda r: (r["module"], r["nodeid"])):
            module = self.module_entry(tests, record)
            module["tests"][record["name"]] = {
                name: value for name, value in record.items() if not name.startswith("module")
            }
        deselected = {**self.config.stash.get(deselected_key, {}), **self.deselected}
        for nodeid, entry in sorted(deselected.items()):
            if nodeid in self.records or nodeid in self.tests:
                continue
            if "feature" in entry:
                target = self.feature_entry(features, entry)
                target["deselected"][entry["key"]] = entry["reason"]
            else:
                self.module_entry(tests, entry)["deselected"][entry["name"]] = entry["reason"]
        scenarios = Counter(record["status"] for record in ordered)
        steps = Counter(step["status"] for record in ordered for step in record["steps"])
        plain = Counter(record["status"] for record in self.tests.values())
        totals = {"scenarios": scenarios, "steps": steps, "tests": plain}
        return {
            "format": FORMAT,
            "run": run_metadata(self.config) | {"totals": totals},
            "features": features,
            "tests": tests,
        }

    @staticmethod
    def feature_entry(features: dict[str, dict], record: dict) -> dict:
        """The feature's entry, made on first use; a feature read in two versions during
        the run (edited while it ran) keeps no hash, so the docs show none of it."""
        feature = features.setdefault(
            record["feature"],
            {
                "name": record["feature_name"],
                "sha256": record["feature_sha256"],
                "scenarios": {},
                "deselected": {},
            },
        )
        if feature["sha256"] != record["feature_sha256"]:
            feature["sha256"] = None
        return feature

    @staticmethod
    def module_entry(tests: dict[str, dict], record: dict) -> dict:
        module = tests.setdefault(
            record["module"], {"sha256": record["module_sha256"], "tests": {}, "deselected": {}}
        )
        if module["sha256"] != record["module_sha256"]:
            module["sha256"] = None
        return module


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
        # build/results*.json, which the docs read, stay about scratchnet's own network.
        default = IMPLEMENTATION_PATH if implementation_specs(config) else DEFAULT_PATH
        return config.rootpath / default
    return config.invocation_params.dir / option


def run_metadata(config: pytest.Config) -> dict:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": head_commit(config.rootpath),
        "dirty": uncommitted_changes(config.rootpath),
        "implementation": ", ".join(implementation_specs(config)) or OWN,
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "pytest": pytest.__version__,
        "pytest_bdd": version("pytest-bdd"),
        "command": shlex.join(["pytest", *config.invocation_params.args]),
    }


def version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
