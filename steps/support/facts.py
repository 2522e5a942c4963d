"""Figures measured by the scenarios, kept for the documentation site.

A step that measures something the site shows records it::

    from steps.support.facts import record_fact

    record_fact("complete_example.output", "\\n".join(lines))

and a page shows it with the placeholder ``{{ fact: complete_example.output }}``,
which ``docs/hooks/facts.py`` replaces at build time (or with "not run" and the
reason, when the fact is missing or was recorded at another commit or from
another text of its feature file).

The facts go to ``build/facts.json`` (``--facts PATH`` to choose), written by
the process that owns the session: with pytest-xdist each worker attaches the
facts a test recorded to that test's reports, as ``steps/support/results.py``
does with its records. The file is merged, not replaced: a fact this run did
not record (a slow scenario deselected, the MNIST run done separately) keeps
the value, commit and feature hash it was recorded with, and the docs hook
decides whether it still holds. Runs that check another class
(``--implementation``) record no facts: the site shows scratchnet's own.

Layout::

    {"facts": {name: {"value", "feature", "feature_sha256", "scenario", "scenario_key",
                      "nodeid", "commit", "dirty", "date", "command"}}}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario

from steps.support.implementation import implementation_specs
from steps.support.provenance import file_sha256
from steps.support.results import example_row, feature_path, run_metadata

DEFAULT_PATH = "build/facts.json"
#: The name under which a test's facts travel in ``report.user_properties``.
PROPERTY = "scratchnet_facts"

#: The test running in this process, with the feature file it comes from.
_current: dict[str, Any] = {}
facts_key = pytest.StashKey[dict]()


def record_fact(name: str, value: Any) -> None:
    """Keep ``value`` for the site under ``name`` (shown by ``{{ fact: name }}``).

    Args:
        name: Dotted name, ``stage.what`` (letters, digits, ``_``, ``-`` and ``.``).
        value: A number, string (a Markdown block is fine), list or dict; NumPy
            scalars and arrays are turned into plain numbers and lists.

    Raises:
        ValueError: ``name`` is empty or holds other characters.
        TypeError: ``value`` cannot be written as JSON.
        RuntimeError: Called outside a running test.
    """
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "._-" for c in name):
        raise ValueError(f"name must be a dotted name such as 'stage.what', got {name!r}")
    try:
        value = json.loads(json.dumps(value, default=_plain))
    except (TypeError, ValueError) as error:
        raise TypeError(f"value must be JSON-serialisable: {error}") from error
    item = _current.get("item")
    if item is None:
        raise RuntimeError("record_fact() must be called from a running test")
    item.stash.setdefault(facts_key, {})[name] = {
        "value": value,
        "feature": _current.get("feature"),
        "feature_sha256": _current.get("sha256"),
        "scenario": _current.get("scenario"),
        "scenario_key": _current.get("key"),
        "nodeid": item.nodeid,
    }


def record_scenario_fact(kind: str, value: Any) -> None:
    """Keep ``value`` under ``<kind>.<feature stem>.<scenario key>`` for the running scenario.

    The key is the scenario's line, or ``<line>-<row line>`` for a row of a Scenario
    Outline, as in ``build/results.json``; a docs page lists all of a feature's facts of
    one kind (``{{ runs: challenges }}`` shows every ``runs.challenges.*`` fact).
    """
    feature, key = _current.get("feature"), _current.get("key")
    if feature is None or key is None:
        raise RuntimeError("record_scenario_fact() must be called from a running scenario")
    record_fact(f"{kind}.{Path(feature).with_suffix('').as_posix().replace('/', '.')}.{key}", value)


def _plain(value: Any) -> Any:
    """NumPy scalars and arrays as plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


# Recording, in the process that runs the test.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("bdd").addoption(
        "--facts",
        metavar="PATH",
        default=None,
        help=f"where to keep the figures recorded for the docs (default: {DEFAULT_PATH})",
    )


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # pytest-xdist workers only send their facts
        return
    if implementation_specs(config):  # another class is checked: its figures are not ours
        return
    config.pluginmanager.register(FactsWriter(config), "scratchnet-facts-writer")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Until the scenario starts, facts belong to the test module's file."""
    _current.clear()
    _current["item"] = item
    path = Path(str(item.fspath))
    _current.update(feature=None, sha256=file_sha256(path), scenario=item.name)


def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    path = Path(feature.filename)
    row = example_row(request.node, path, scenario.line_number)
    key = str(scenario.line_number) if row is None else f"{scenario.line_number}-{row['line']}"
    _current.update(
        item=request.node,
        feature=feature_path(request.config, feature),
        sha256=file_sha256(path),
        scenario=scenario.name,
        key=key,
    )


def pytest_runtest_teardown(item: pytest.Item) -> None:
    _current.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    facts = item.stash.get(facts_key, None)
    if facts and call.when == "call" and report.passed:
        # Only a test that passed vouches for what it measured.
        report.user_properties.append((PROPERTY, json.dumps(facts)))
    return report


# Collecting and writing, in the process that owns the session.


class FactsWriter:
    """Gathers every test's facts from its reports and merges them into the facts file."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.facts: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.facts.update(json.loads(value))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.config.option.collectonly or not self.facts:
            return
        path = facts_path(self.config)
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))["facts"]
        except (OSError, ValueError, KeyError, TypeError):
            kept = {}
        # The same commit, date and command the scenario results are stamped with.
        metadata = run_metadata(self.config)
        run = {key: metadata[key] for key in ("commit", "dirty", "date", "command")}
        facts = kept | {name: fact | run for name, fact in self.facts.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"facts": dict(sorted(facts.items()))}, indent=1, ensure_ascii=False)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text + "\n", encoding="utf-8")
        temporary.replace(path)


def facts_path(config: pytest.Config) -> Path:
    option = config.getoption("facts")
    if option is None:
        return config.rootpath / DEFAULT_PATH
    return config.invocation_params.dir / option
