"""Binds features/checking_your_own_network.feature: the tutorial's stages as an acceptance test."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.check import STAGES, class_lines, run_check, stage_file
from steps.cli_steps import Outcome, json_report, run_in_process
from steps.math_steps import refusal
from steps.support.facts import record_fact
from steps.support.implementation import load_class

scenarios("checking_your_own_network.feature")

#: The checkout these scenarios run in, holding features/, steps/ and examples/.
ROOT = Path(__file__).resolve().parents[1]
#: The example classes, in the order the check of every example names them.
EXAMPLES = tuple(
    sorted(path.stem for path in (ROOT / "examples" / "implementations").glob("[!_]*.py"))
)


def stages_between(first: str, last: str) -> list[str]:
    """The tutorial's stages from ``first`` to ``last``, in the tutorial's order."""
    return list(STAGES[STAGES.index(first) : STAGES.index(last) + 1])


@when("scratchnet's general Network class is named for checking", target_fixture="refused")
def name_general_network() -> Exception | None:
    return refusal(lambda: load_class("scratchnet.network:Network"))


@then(parsers.parse("it is refused with a TypeError that names {first} and {second}"))
def refused_naming_both(refused: Exception | None, first: str, second: str) -> None:
    assert isinstance(refused, TypeError), f"expected a TypeError, got {refused!r}"
    for name in (first, second):
        assert name in str(refused), f"the message does not name {name!r}: {refused}"


def example_class(example: str) -> str:
    """``correct`` → ``examples.implementations.correct:NeuralNetwork``."""
    return f"examples.implementations.{example}:NeuralNetwork"


@pytest.fixture(scope="session")
def example_checks() -> dict[tuple[str, ...], Outcome]:
    """The one ``scratchnet check`` of every example per list of stages, shared by the scenarios."""
    return {}


@when(
    parsers.parse("every example network is checked in one command from {first} to {last}"),
    target_fixture="outcome",
)
def check_every_example(
    example_checks: dict[tuple[str, ...], Outcome],
    first: str,
    last: str,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    """``scratchnet check EXAMPLE:NeuralNetwork ... --json --stage ...``, once per session."""
    stages = tuple(stages_between(first, last))
    if stages not in example_checks:
        classes = " ".join(example_class(example) for example in EXAMPLES)
        chosen = " ".join(f"--stage {shlex.quote(stage)}" for stage in stages)
        command = f"scratchnet check {classes} --json --specs {shlex.quote(str(ROOT))} {chosen}"
        example_checks[stages] = run_in_process(command, capsys)
    record_run_facts(f"check.run.{first}_to_{last}".replace(" ", "_"), example_checks[stages])
    return example_checks[stages]


def record_run_facts(name: str, outcome: Outcome) -> None:
    """For the docs: how long a check took, in all and per class, and each class's report."""
    if outcome.exit_code not in (0, 1):
        return
    report = json_report(outcome)
    parts, settings = report["implementations"], report["settings"]
    classes, workers = len(parts), settings["workers"]
    record_fact(
        name,
        f"{classes} classes at {len(settings['stages'])} stages, {workers} at a time:"
        f" {report['seconds']:.0f} s from start to end ({report['seconds'] / classes:.1f} s per"
        f" class) and {report['cpu_seconds']:.0f} s of CPU"
        f" ({report['cpu_seconds'] / classes:.1f} s per class)",
    )
    for part in parts:
        where = part["implementation"].split(":")[0]
        stem = Path(where).stem if where.endswith(".py") else where.rsplit(".", 1)[-1]
        record_fact(f"check.report.{stem}", "\n".join(class_lines(part)))


@when(
    parsers.parse('the example network "{example}" is checked from {first} to {last}'),
    target_fixture="report",
)
def check_example(
    example_checks: dict[tuple[str, ...], Outcome],
    example: str,
    first: str,
    last: str,
    capsys: pytest.CaptureFixture[str],
) -> dict:
    """This example's part of the check of every example (see ``check_every_example``)."""
    outcome = check_every_example(example_checks, first, last, capsys)
    assert outcome.exit_code in (0, 1), f"exit code {outcome.exit_code}: {outcome.stderr}"
    parts = [part for part in parts_of(outcome) if part["implementation"] == example_class(example)]
    assert len(parts) == 1, f"expected one report on {example}, got {len(parts)}"
    return parts[0]


def parts_of(outcome: Outcome) -> list[dict]:
    """The per-class reports of a ``scratchnet check --json``, in the order it gave them."""
    return json_report(outcome)["implementations"]


@then("the report has one part per example, in the order they were named")
def one_part_per_example(outcome: Outcome) -> None:
    named = [part["implementation"] for part in parts_of(outcome)]
    expected = [example_class(example) for example in EXAMPLES]
    assert named == expected, f"the report's parts are about {named}, expected {expected}"


@then("each part names the stages its example failed:")
def failed_stages_per_part(outcome: Outcome, datatable: list[list[str]]) -> None:
    parts = {part["implementation"]: part for part in parts_of(outcome)}
    checked = {name: [entry["stage"] for entry in part["stages"]] for name, part in parts.items()}
    assert len({tuple(stages) for stages in checked.values()}) == 1, f"stages differ: {checked}"
    for example, failed in datatable[1:]:
        part = parts[example_class(example)]
        expected = [] if failed == "none" else failed.split(", ")
        found = [entry["stage"] for entry in part["stages"] if not entry["passed"]]
        assert found == expected, f"{example} failed {found or 'no stage'}, expected {failed}"
        assert part["passed"] == (not expected), f"{example} is marked passed={part['passed']}"


@then(parsers.parse("the error message says to {advice}"))
def error_says(outcome: Outcome, advice: str) -> None:
    assert advice in outcome.stderr, f"the error message does not say {advice!r}: {outcome.stderr}"


@then("every stage checked passes")
def every_stage_passes(report: dict) -> None:
    failed = {
        entry["stage"]: entry["failures"] for entry in report["stages"] if not entry["passed"]
    }
    assert report["stages"], "no stage was checked"
    assert not failed, f"failed stages: {failed}"


@then(
    parsers.parse("the {stage} stage fails, saying what each scenario expected"),
    target_fixture="failing_stage",
)
def stage_fails_readably(report: dict, stage: str) -> str:
    found = {entry["stage"]: entry for entry in report["stages"]}
    assert stage in found, f"the {stage} stage was not checked: {list(found)}"
    assert not found[stage]["passed"], f"the {stage} stage passed: {found[stage]['counts']}"
    unclear = [
        failure for failure in found[stage]["failures"] if "should" not in failure["message"]
    ]
    assert not unclear, f"failures that do not say what was expected: {unclear}"
    return stage


@then("every other stage checked passes")
def other_stages_pass(report: dict, failing_stage: str) -> None:
    others = [entry for entry in report["stages"] if entry["stage"] != failing_stage]
    failed = [entry["stage"] for entry in others if not entry["passed"]]
    assert not failed, f"stages that should have passed but failed: {failed}"


# The verdicts on the example classes (one block of scenarios in the feature).


@when("every example network is checked in one command at every stage", target_fixture="outcome")
def check_every_example_fully(
    example_checks: dict[tuple[str, ...], Outcome], capsys: pytest.CaptureFixture[str]
) -> Outcome:
    return check_every_example(example_checks, STAGES[0], STAGES[-1], capsys)


@when(
    parsers.parse('the example network "{example}" is checked at every stage'),
    target_fixture="report",
)
def check_example_fully(
    example_checks: dict[tuple[str, ...], Outcome],
    example: str,
    capsys: pytest.CaptureFixture[str],
) -> dict:
    return check_example(example_checks, example, STAGES[0], STAGES[-1], capsys)


@then(
    parsers.parse("the first stage to fail is {stage}, saying what each scenario expected"),
    target_fixture="failing_stage",
)
def first_failing_stage(report: dict, stage: str) -> str:
    failed = [entry["stage"] for entry in report["stages"] if not entry["passed"]]
    assert failed, f"no stage failed; expected {stage} to fail first"
    assert failed[0] == stage, f"the first stage to fail is {failed[0]}, expected {stage}: {failed}"
    return stage_fails_readably(report, stage)


@then("every stage before it passes")
def stages_before_pass(report: dict, failing_stage: str) -> None:
    ran = [entry["stage"] for entry in report["stages"]]
    before = STAGES[: STAGES.index(failing_stage)]
    assert [stage for stage in ran if stage in before] == list(before), (
        f"stages before {failing_stage} that were not checked: {set(before) - set(ran)}"
    )


@then(parsers.parse('a failure of the {stage} stage says "{said}"'))
def failure_says(report: dict, stage: str, said: str) -> None:
    entry = {entry["stage"]: entry for entry in report["stages"]}[stage]
    messages = [failure["message"] for failure in entry["failures"]]
    assert any(said in message for message in messages), (
        f"no failure of the {stage} stage says {said!r}: {messages}"
    )


# The check itself: one check of a few example networks and the misbehaving submissions,
# run from a copy of the specification, shared by the scenarios of the last block.

#: The examples the check of the misbehaving submissions names first, as modules.
WELL_BEHAVED = ("correct", "unshifted_softmax")
#: The misbehaving submissions it names after them, as files.
MISBEHAVING = ("does_not_import", "patches_numpy", "prints_megabytes", "raises")
#: The parts of the specification a checkout needs for ``scratchnet check``.
SPECIFICATION = ("features", "steps", "examples", "conftest.py", "pyproject.toml")
#: The stages that check runs.
ENGINE_STAGES = ("initialisation", "forward propagation", "softmax", "loss", "backpropagation")
#: The command ``scratchnet`` as its console script runs it.
SCRATCHNET = ("-c", "import sys; from scratchnet.cli import main; sys.exit(main())")
#: What a message would show of the test tools' own workings.
INTERNALS = ("_pytest", "pluggy", "hypothesis", "Hypothesis", "Falsifying", "Failing test case")


def misbehaving_file(name: str) -> str:
    """``raises`` → ``examples/implementations/misbehaving/raises.py``, relative to a checkout."""
    return f"examples/implementations/misbehaving/{name}.py"


class EngineRun(NamedTuple):
    """One ``scratchnet check`` run from a copy of the specification, and what it left."""

    outcome: Outcome
    copy: Path
    before: dict[str, tuple[int, int]]
    outputs: Path


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder``: its size and modification time, by relative path."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_command_in(folder: Path, arguments: list[str]) -> Outcome:
    """``scratchnet ARGUMENTS`` in its own process, started from ``folder``."""
    done = subprocess.run(
        [sys.executable, *SCRATCHNET, *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def stage_options(stages: tuple[str, ...]) -> list[str]:
    return [option for stage in stages for option in ("--stage", stage)]


@pytest.fixture(scope="session")
def specification_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the specification, for checks that must leave it as they found it."""
    copy = tmp_path_factory.mktemp("specification")
    skip = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for name in SPECIFICATION:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=skip)
        else:
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture(scope="session")
def engine_run(specification_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> EngineRun:
    """The examples and the misbehaving submissions checked in one command, once a session."""
    outputs = tmp_path_factory.mktemp("reports")
    before = snapshot(specification_copy)
    named = [example_class(example) for example in WELL_BEHAVED]
    named += [misbehaving_file(name) for name in MISBEHAVING]
    arguments = ["check", *named, "--json", *stage_options(ENGINE_STAGES)]
    arguments += ["--junit-xml", str(outputs / "junit.xml"), "--markdown", str(outputs / "sum.md")]
    return EngineRun(
        run_command_in(specification_copy, arguments), specification_copy, before, outputs
    )


def part_for(outcome: Outcome, name: str) -> dict:
    """The report on the example or misbehaving submission called ``name``."""
    wanted = {example_class(name), misbehaving_file(name)}
    parts = [part for part in parts_of(outcome) if part["implementation"] in wanted]
    assert len(parts) == 1, f"expected one part about {name}, got {len(parts)}"
    return parts[0]


@when(
    "the example networks and the misbehaving submissions are checked in one command",
    target_fixture="outcome",
)
def check_misbehaving(engine_run: EngineRun) -> Outcome:
    return engine_run.outcome


@then("the report is one JSON object with a part for every class, in the order they were named")
def part_per_class(outcome: Outcome) -> None:
    record_run_facts("check.run.misbehaving", outcome)
    named = [part["implementation"] for part in parts_of(outcome)]
    expected = [example_class(example) for example in WELL_BEHAVED]
    expected += [misbehaving_file(name) for name in MISBEHAVING]
    assert named == expected, f"the report's parts are about {named}, expected {expected}"


@then(
    parsers.parse(
        'the part for "{name}" says the class could not be checked, naming the missing module'
    )
)
def could_not_be_checked(outcome: Outcome, name: str) -> None:
    part = part_for(outcome, name)
    assert not part["passed"] and not part["stages"], f"{name} was checked: {part}"
    error = part.get("error") or ""
    assert "ModuleNotFoundError" in error and "numpy_helpers_from_the_course" in error, (
        f"the report on {name} should name the module it could not import; it says {error!r}"
    )


@then("every other part has a verdict for every stage checked")
def every_other_part_checked(outcome: Outcome) -> None:
    for part in parts_of(outcome):
        if part["implementation"] == misbehaving_file("does_not_import"):
            continue
        stages = [stage["stage"] for stage in part["stages"]]
        assert stages == list(ENGINE_STAGES), f"{part['implementation']} was checked at {stages}"
        assert part.get("error") is None, f"{part['implementation']}: {part['error']}"


@when(
    parsers.parse('the example network "{example}" is checked on its own at the same stages'),
    target_fixture="alone",
)
def check_alone(specification_copy: Path, example: str) -> dict:
    arguments = ["check", example_class(example), "--json", *stage_options(ENGINE_STAGES)]
    outcome = run_command_in(specification_copy, arguments)
    assert outcome.exit_code in (0, 1), f"exit code {outcome.exit_code}: {outcome.stderr}"
    (part,) = parts_of(outcome)
    return part


def verdicts(part: dict) -> dict[str, tuple[bool, list[tuple[str, str]]]]:
    """Each stage's verdict and failures (scenario and message), without timings."""
    return {
        stage["stage"]: (
            stage["passed"],
            [(failure["scenario"], failure["message"]) for failure in stage["failures"]],
        )
        for stage in part["stages"]
    }


@then("it gets the same verdict and the same failures at every stage in both checks")
def same_verdict_alone(outcome: Outcome, alone: dict) -> None:
    together = part_for(outcome, alone["implementation"].split(".")[-1].split(":")[0])
    assert verdicts(together) == verdicts(alone), (
        f"checked with the others, {alone['implementation']} got {verdicts(together)};"
        f" on its own {verdicts(alone)}"
    )


@then(parsers.parse('"{name}" passes every stage checked'))
def passes_every_stage(outcome: Outcome, name: str) -> None:
    every_stage_passes(part_for(outcome, name))


@then("the standard output holds the JSON report and nothing else")
def only_json_on_stdout(outcome: Outcome) -> None:
    report = json_report(outcome)  # one line, one object
    assert "implementations" in report, f"not the check's report: {list(report)}"
    assert "debugging output" not in outcome.stdout, "a submission's printing reached stdout"


def failures_of(outcome: Outcome, name: str) -> list[dict]:
    return [failure for stage in part_for(outcome, name)["stages"] for failure in stage["failures"]]


@then(
    parsers.parse('the first error "{name}" raised is named with {method}, {file} and its line'),
    target_fixture="first_error",
)
def first_error_located(outcome: Outcome, name: str, method: str, file: str) -> dict:
    errors = [failure for failure in failures_of(outcome, name) if failure["kind"] == "error"]
    assert errors, f"{name} raised no error: {failures_of(outcome, name)}"
    message = errors[0]["message"]
    assert "ValueError" in message and f"{method}, {file} line " in message, (
        f"the first error should be named with where in {file} it came from: {message}"
    )
    return {**errors[0], "submission": name}


@then(parsers.parse("no failure of \"{name}\" shows pytest's or Hypothesis's internals"))
def no_internals(outcome: Outcome, name: str) -> None:
    shown = [
        failure["message"]
        for failure in failures_of(outcome, name)
        if any(word in failure["message"] for word in INTERNALS)
    ]
    assert not shown, f"messages showing the test tools' workings: {shown}"


@then("every later error from that line refers to the first instead of repeating it")
def errors_shown_once(outcome: Outcome, first_error: dict) -> None:
    origin = first_error["origin"]
    assert origin, f"the first error has no origin in the class's code: {first_error}"
    errors = [f for f in failures_of(outcome, first_error["submission"]) if f["kind"] == "error"]
    later = [failure for failure in errors[1:] if failure.get("origin") == origin]
    repeated = [f["message"] for f in later if not f["message"].startswith("the same error")]
    assert later, f"no later error came from {origin}"
    assert not repeated, f"errors from {origin} shown again in full: {repeated}"


@then(parsers.parse('"{name}" is to be fixed first at {stage}'))
def fixed_first(outcome: Outcome, name: str, stage: str) -> None:
    part = part_for(outcome, name)
    failing = [entry["stage"] for entry in part["stages"] if not entry["passed"]]
    assert failing and failing[0] == stage, f"{name} failed {failing}, first expected {stage}"
    assert part["fix_first"] == stage, f"the report says fix {part['fix_first']} first"


@then(
    parsers.parse('every later stage "{name}" fails is marked as possibly following from {stage}')
)
def later_marked(outcome: Outcome, name: str, stage: str) -> None:
    part = part_for(outcome, name)
    later = [entry for entry in part["stages"] if not entry["passed"] and entry["stage"] != stage]
    assert later, f"{name} fails no stage after {stage}, so nothing can be marked"
    unmarked = [entry["stage"] for entry in later if entry.get("may_follow_from") != stage]
    assert not unmarked, f"later failing stages not marked as following from {stage}: {unmarked}"
    passing = [entry["stage"] for entry in part["stages"] if entry["passed"]]
    marked = [s for s in passing if part_stage(part, s).get("may_follow_from")]
    assert not marked, f"passing stages marked as following from a failure: {marked}"


def part_stage(part: dict, stage: str) -> dict:
    return next(entry for entry in part["stages"] if entry["stage"] == stage)


def junit_suites(engine_run: EngineRun) -> dict[str, ElementTree.Element]:
    tree = ElementTree.parse(engine_run.outputs / "junit.xml")
    return {suite.get("name"): suite for suite in tree.getroot().iter("testsuite")}


@then("the JUnit XML has a test suite per class and stage, with a test case per scenario")
def junit_per_stage(outcome: Outcome, engine_run: EngineRun) -> None:
    suites = junit_suites(engine_run)
    for part in parts_of(outcome):
        if part.get("error"):
            assert part["implementation"] in suites, f"no suite for {part['implementation']}"
            continue
        for stage in part["stages"]:
            name = f"{part['implementation']}: {stage['stage']}"
            assert name in suites, f"no test suite {name!r}; suites: {list(suites)}"
            cases = len(suites[name].findall("testcase"))
            ran = sum(stage["counts"].values())
            assert cases == ran, f"{name}: {cases} test cases for {ran} scenarios"


@then("its failures are the JSON report's failures")
def junit_failures_match(outcome: Outcome, engine_run: EngineRun) -> None:
    suites = junit_suites(engine_run)
    for part in parts_of(outcome):
        for stage in part["stages"]:
            suite = suites[f"{part['implementation']}: {stage['stage']}"]
            failed = [
                (case.get("name"), case.find("failure").text)
                for case in suite.findall("testcase")
                if case.find("failure") is not None
            ]
            expected = [(f["scenario"], f["message"]) for f in stage["failures"]]
            assert failed == expected, f"{suite.get('name')}: JUnit {failed}, JSON {expected}"


@then("the Markdown summary has a row per class with its verdict and the stage to fix first")
def markdown_rows(outcome: Outcome, engine_run: EngineRun) -> None:
    text = (engine_run.outputs / "sum.md").read_text(encoding="utf-8")
    record_fact("check.markdown", text)
    junit = (engine_run.outputs / "junit.xml").read_text(encoding="utf-8")
    record_fact("check.junit_xml", junit_excerpt(junit, misbehaving_file("raises")))
    rows = {
        line.split("|")[1].strip().strip("`"): [cell.strip() for cell in line.split("|")[2:-1]]
        for line in text.splitlines()
        if line.startswith("| `")
    }
    for part in parts_of(outcome):
        row = rows.get(part["implementation"])
        assert row is not None, f"no row for {part['implementation']} in:\n{text}"
        verdict = "passed" if part["passed"] else "failed"
        verdict = "could not be checked" if part.get("error") else verdict
        assert row[:2] == [verdict, part["fix_first"] or ""], f"row {row} for {part}"


def junit_excerpt(junit: str, name: str) -> str:
    """The JUnit XML's first two lines, its test suites about the class ``name``, its last line."""
    lines = junit.splitlines()
    ours, keep = [], False
    for line in lines[2:-1]:
        if line.strip().startswith("<testsuite "):
            keep = f'name="{name}: ' in line
        if keep:
            ours.append(line)
    return "\n".join([*lines[:2], *ours, lines[-1]])


@then("no file of the specification's copy, which it ran from, was added, removed or changed")
def nothing_written(engine_run: EngineRun) -> None:
    after = snapshot(engine_run.copy)
    added = sorted(set(after) - set(engine_run.before))
    removed = sorted(set(engine_run.before) - set(after))
    changed = sorted(
        p for p in set(after) & set(engine_run.before) if after[p] != engine_run.before[p]
    )
    assert not (added or removed or changed), (
        f"the check wrote into the specification: added {added[:10]}, removed {removed[:10]},"
        f" changed {changed[:10]}"
    )


@when(
    parsers.parse(
        '"{first}", "{second}" and the correct example are checked at the {stage} stage,'
        " {seconds:d} seconds allowed per stage"
    ),
    target_fixture="outcome",
)
def check_with_time_limit(
    specification_copy: Path, first: str, second: str, stage: str, seconds: int
) -> Outcome:
    named = [misbehaving_file(first), misbehaving_file(second), example_class("correct")]
    arguments = ["check", *named, "--json", "--stage", stage, "--timeout", str(seconds)]
    return run_command_in(specification_copy, arguments)


def only_stage(outcome: Outcome, name: str, stage: str) -> dict:
    part = part_for(outcome, name)
    assert [entry["stage"] for entry in part["stages"]] == [stage], f"{name}: {part}"
    return part["stages"][0]


@then(parsers.parse('"{name}" fails the {stage} stage, saying {said}'))
def fails_saying(outcome: Outcome, name: str, stage: str, said: str) -> None:
    entry = only_stage(outcome, name, stage)
    wanted = {
        "it took longer than 30 s": "took longer than 30 s",
        "its process ended": "the process ended",
    }[said]
    assert not entry["passed"], f"{name} passed the {stage} stage"
    assert wanted in (entry["problem"] or ""), f"{name} at {stage}: {entry['problem']!r}"
    record_fact(f"check.report.{name}", "\n".join(class_lines(part_for(outcome, name))))


@then(parsers.parse("the correct example passes the {stage} stage"))
def correct_passes(outcome: Outcome, stage: str) -> None:
    entry = only_stage(outcome, "correct", stage)
    assert entry["passed"], f"the correct example failed {stage}: {entry}"


@when(
    parsers.parse(
        'the correct example is checked at {first} and {second}, selecting only "{words}"'
    ),
    target_fixture="outcome",
)
def check_selected(specification_copy: Path, first: str, second: str, words: str) -> Outcome:
    arguments = ["check", example_class("correct"), "--json", "--stage", first, "--stage", second]
    return run_command_in(specification_copy, [*arguments, "-k", words.replace(" ", "_")])


@then(parsers.parse("the {stage} stage passes with {count:d} scenario"))
def stage_passes_with(outcome: Outcome, stage: str, count: int) -> None:
    entry = part_stage(parts_of(outcome)[0], stage)
    assert entry["passed"] and entry["counts"] == {"passed": count}, f"{stage}: {entry}"


@then(parsers.parse("the {stage} stage is not passed, saying that no scenario of it ran"))
def stage_not_passed(outcome: Outcome, stage: str) -> None:
    part = parts_of(outcome)[0]
    entry = part_stage(part, stage)
    assert not entry["passed"], f"{stage} passed with no scenario: {entry}"
    assert "no scenario" in (entry["problem"] or ""), f"{stage}: {entry['problem']!r}"
    assert not part["passed"], "the class passed with a stage that never ran"


@when(parsers.parse('the stage "{name}" is asked for'), target_fixture="stage_asked")
def ask_for_stage(name: str) -> str:
    return stage_file(name)


@then(parsers.parse("the {stage} stage is checked"))
def stage_checked(stage_asked: str, stage: str) -> None:
    expected = f"steps/test_{stage.replace(' ', '_')}.py"
    assert stage_asked == expected, f"asked for {stage}, the check runs {stage_asked}"


@when(
    parsers.parse('the misbehaving submission "{name}" is named for checking'),
    target_fixture="refused",
)
def name_misbehaving(name: str) -> Exception | None:
    return refusal(lambda: load_class(str(ROOT / misbehaving_file(name))))


@then("it is refused with one TypeError that names train and the constructor's sizes")
def refused_once_for_all(refused: Exception | None) -> None:
    assert isinstance(refused, TypeError), f"expected a TypeError, got {refused!r}"
    said = str(refused)
    for words in ("train", "input_size, hidden_size, output_size"):
        assert words in said, f"the message does not name {words!r}: {said}"


def class_part(outcome: Outcome, submission: str) -> dict:
    """The part of a ``--json`` check's report about ``submission``."""
    parts = [
        part
        for part in json_report(outcome)["implementations"]
        if part["implementation"] == submission
    ]
    assert len(parts) == 1, f"expected one part for {submission!r}: {outcome.stdout[:500]}"
    return parts[0]


@then(parsers.parse('the report has a part for "{first}" and one for "{second}", in that order'))
def parts_in_order(outcome: Outcome, first: str, second: str) -> None:
    named = [part["implementation"] for part in json_report(outcome)["implementations"]]
    assert named == [first, second], f"the report's parts are {named}"
    assert json_report(outcome)["passed"] is False


@then(parsers.parse('the part for "{submission}" says the class could not be checked: "{said}"'))
def part_not_checked(outcome: Outcome, submission: str, said: str) -> None:
    part = class_part(outcome, submission)
    assert part["error"] == said, f"{submission}: {part['error']!r}"
    assert part["passed"] is False and part["stages"] == [], part


@then("the report's time is no more than the command took, and no process used the processor")
def time_within_command(outcome: Outcome) -> None:
    report = json_report(outcome)
    assert isinstance(report["seconds"], float), report["seconds"]
    assert 0 <= report["seconds"] <= outcome.seconds + 0.05, (report["seconds"], outcome.seconds)
    assert isinstance(report["cpu_seconds"], float) and report["cpu_seconds"] == 0, report


@then(parsers.parse('standard error is the one line "{line}"'))
def stderr_is_line(outcome: Outcome, line: str) -> None:
    assert outcome.stderr.splitlines() == [line], f"standard error: {outcome.stderr!r}"


@given(parsers.parse('a folder "{name}" holding only features/'))
def folder_with_features_only(name: str) -> None:
    shutil.copytree(ROOT / "features", Path(name) / "features")


@when(parsers.parse('"{submission}" is checked from Python'), target_fixture="outcome")
def check_from_python(submission: str, capsys: pytest.CaptureFixture[str]) -> Outcome:
    summary = run_check([submission])
    printed = capsys.readouterr()
    assert summary["implementations"][0]["error"] == f"there is no file {submission}", summary
    return Outcome(0 if summary["passed"] else 1, printed.out, printed.err)


@then("nothing is printed on standard error")
def nothing_on_stderr(outcome: Outcome) -> None:
    assert outcome.stderr == "", f"standard error: {outcome.stderr!r}"


@then(parsers.parse('the report says "{words}"'))
def report_says(outcome: Outcome, words: str) -> None:
    assert words in outcome.stdout.splitlines(), (
        f"the report does not say {words!r}: {outcome.stdout}"
    )


@then(parsers.parse('the files {first} and {second} both name "{submission}"'))
def files_name(first: str, second: str, submission: str) -> None:
    for name in (first, second):
        text = Path(name).read_text(encoding="utf-8")
        assert submission in text, f"{name} does not name {submission!r}: {text[:300]}"
    root = ElementTree.fromstring(Path(first).read_text(encoding="utf-8"))
    assert root.tag in ("testsuites", "testsuite"), f"{first} is not JUnit XML: <{root.tag}>"


@then(
    parsers.parse('{name}\'s one test suite, "{suite}", has one test case, in error: "{message}"')
)
def junit_error_case(name: str, suite: str, message: str) -> None:
    root = ElementTree.parse(name).getroot()
    (found,) = root.findall("testsuite")
    counts = {key: found.get(key) for key in ("name", "tests", "errors")}
    assert counts == {"name": suite, "tests": "1", "errors": "1"}, counts
    (case,) = found.findall("testcase")
    assert (case.get("classname"), case.get("name")) == (suite, "the class"), case.attrib
    (error,) = list(case)
    assert (error.tag, error.get("message"), error.text) == ("error", message, message), (
        error.tag,
        error.attrib,
        error.text,
    )


@then(
    parsers.parse('{name}\'s row for "{submission}" says "{verdict}", with no stage to fix first')
)
def markdown_row_says(name: str, submission: str, verdict: str) -> None:
    lines = Path(name).read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith(f"| `{submission}` |")]
    assert rows == [f"| `{submission}` | {verdict} |  |  |"], rows


@then(parsers.parse("the report's check setting {setting} is {value}"))
def check_setting(outcome: Outcome, setting: str, value: str) -> None:
    """``value`` is written as JSON."""
    settings = json_report(outcome)["settings"]
    assert settings[setting] == json.loads(value), f"{setting}: {settings[setting]!r}"


@given("neither pytest nor pytest-bdd can be imported")
def without_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    # A module set to None in sys.modules is one importlib finds no spec for.
    for module in ("pytest", "pytest_bdd"):
        monkeypatch.setitem(sys.modules, module, None)


@then(parsers.parse('the error message says "{said}"'))
def error_message_says(outcome: Outcome, said: str) -> None:
    assert said in outcome.stderr, f"the error message does not say {said!r}: {outcome.stderr}"


# The reports of a check run in this process: one rule of the feature, whose scenarios share
# two checks of the same examples at one stage, one printing text, one JSON and files.


def submission(name: str) -> str:
    """How a check names the example or misbehaving submission called ``name``."""
    example = ROOT / "examples" / "implementations" / f"{name}.py"
    return example_class(name) if example.is_file() else misbehaving_file(name)


class PlannedCheck(NamedTuple):
    """Which classes a check of this process names, at which stage, on which scenarios."""

    classes: tuple[str, ...]
    stage: str
    scenarios: tuple[str, ...] = ()

    def arguments(self) -> list[str]:
        """``scratchnet check``'s arguments for these classes, stage and scenarios."""
        names = [submission(name) for name in self.classes]
        tests = " or ".join(scenario.lower().replace(" ", "_") for scenario in self.scenarios)
        at_once = ["--workers", str(len(names))]
        return ["check", *names, "--specs", str(ROOT), "--stage", self.stage, "-k", tests, *at_once]


class HereRun(NamedTuple):
    """A check run in this process: what it printed, and the folder it wrote its files in."""

    outcome: Outcome
    files: Path


@given(parsers.parse("these classes to check at {stage}:"), target_fixture="planned_check")
def plan_check(stage: str, datatable: list[list[str]]) -> PlannedCheck:
    return PlannedCheck(tuple(row[0] for row in datatable[1:]), stage)


@given("only these of its scenarios:", target_fixture="planned_check")
def plan_scenarios(planned_check: PlannedCheck, datatable: list[list[str]]) -> PlannedCheck:
    return planned_check._replace(scenarios=tuple(row[0] for row in datatable[1:]))


@pytest.fixture(scope="session")
def checks_here() -> dict[tuple[PlannedCheck, str], HereRun]:
    """The checks run in this process, by plan and form of report, shared by the scenarios."""
    return {}


#: How the scenarios ask for each form of a check's report.
FORMS = {"prints its report": "text", "writes its report as JSON, JUnit XML and Markdown": "files"}


@when(
    parsers.re(f"the check (?P<asked>{'|'.join(re.escape(asked) for asked in FORMS)})"),
    target_fixture="outcome",
)
def check_reporting(
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
    asked: str,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    """``scratchnet check`` as planned, in this process through its entry point, once a
    session per form: ``text`` (with each stage's end announced) or ``files`` (JSON printed,
    JUnit XML and Markdown written)."""
    form = FORMS[asked]
    # While mutmut records which scenario reaches which function, every scenario runs its
    # own check: a shared one would be credited to the first scenario alone, and mutmut
    # would then test a mutant with that scenario only.
    recording = os.environ.get("MUTANT_UNDER_TEST") == "stats"
    if recording or (planned_check, form) not in checks_here:
        files = tmp_path_factory.mktemp("reports")
        extra = ["-v"] if form == "text" else ["--json"]
        if form == "files":
            extra += ["--junit-xml", str(files / "junit.xml"), "--markdown", str(files / "sum.md")]
        with pytest.MonkeyPatch.context() as patch:
            # The classes' processes run the code as it is, never a mutant mutmut switched
            # on here: while it records which scenarios reach which function, a process
            # started in an empty folder, without mutmut's settings, fails on every call.
            patch.delenv("MUTANT_UNDER_TEST", raising=False)
            command = shlex.join(["scratchnet", *planned_check.arguments(), *extra])
            checks_here[planned_check, form] = HereRun(run_in_process(command, capsys), files)
    return checks_here[planned_check, form].outcome


def text_part(report: str, name: str) -> list[str]:
    """The lines of a text report about ``name``: its heading and the lines under it."""
    lines = report.splitlines()
    heading = f"Checking {submission(name)} against the tutorial's stages:"
    assert lines.count(heading) == 1, f"expected one part headed {heading!r} in:\n{report}"
    part = [heading]
    for line in lines[lines.index(heading) + 1 :]:
        if line and not line.startswith(" ") and not line.startswith("Not checked: "):
            break  # the next part's heading, or the verdicts after the last part
        part.append(line)
    while part[-1] == "":
        part.pop()
    return part


@then(parsers.parse('the part on "{example}" has the line "{line}"'), target_fixture="report_line")
def part_has_line(outcome: Outcome, example: str, line: str) -> tuple[list[str], int]:
    part = text_part(outcome.stdout, example)
    found = [number for number, said in enumerate(part) if said.strip() == line]
    assert len(found) == 1, f"the part on {example} does not have the line {line!r} once:\n" + (
        "\n".join(part)
    )
    return part, found[0]


@then(parsers.parse('the part on "{example}" ends with "{line}"'))
def part_ends_with(outcome: Outcome, example: str, line: str) -> None:
    part = text_part(outcome.stdout, example)
    assert part[-1] == line, f"the part on {example} ends with {part[-1]!r}, not {line!r}"


@then(parsers.parse('under it, it says "{words}"'))
def said_under_line(report_line: tuple[list[str], int], words: str) -> None:
    part, number = report_line
    assert words in part[number + 1], f"the line under it does not say {words!r}: {part}"


@then(parsers.parse('under it "{scenario}" is named, saying "{words}"'))
def named_under_line(report_line: tuple[list[str], int], scenario: str, words: str) -> None:
    part, number = report_line
    named, *said = part[number + 1 :]
    assert named.strip() == f"- {scenario}", f"the line under it names {named!r}, not {scenario}"
    assert said and words in said[0], f"the failure does not say {words!r}: {said[:1]}"


@then("the report ends with these lines:")
def report_ends_with(outcome: Outcome, docstring: str) -> None:
    wanted = docstring.splitlines()
    lines = outcome.stdout.splitlines()
    assert lines[-len(wanted) :] == wanted, f"the report ends with {lines[-len(wanted) :]}"


#: A line a check prints on standard error when a class is done, e.g.
#: ``[1/2] alice.py: Every stage checked passed. (4.2 s, 3.1 s of CPU)``.
CLASS_DONE = re.compile(
    r"\[(?P<done>\d+)/(?P<total>\d+)\] (?P<name>\S+): (?P<verdict>.+)"
    r" \((?P<seconds>\d+\.\d) s, (?P<cpu>\d+\.\d) s of CPU\)"
)


@then(
    "standard error has a line for each class's stage, then one for the class, numbered as they"
    " finish:"
)
def announced_on_stderr(outcome: Outcome, datatable: list[list[str]]) -> None:
    lines = outcome.stderr.splitlines()
    assert len(lines) == 2 * len(datatable[1:]), f"standard error: {lines}"
    finished = [CLASS_DONE.fullmatch(line) for line in lines]
    done = [match for match in finished if match]
    assert [int(match["done"]) for match in done] == list(range(1, len(done) + 1)), lines
    assert {int(match["total"]) for match in done} == {len(done)}, lines
    for example, stage_line, class_line in datatable[1:]:
        name = submission(example)
        stage_at = lines.index(f"  {name}: {stage_line}")
        (match,) = [match for match in done if match["name"] == name]
        assert stage_at < lines.index(match.group(0)), f"{name} announced before its stage"
        assert match["verdict"] == class_line, f"{name}: {match['verdict']!r}"
        assert 0 < float(match["seconds"]) <= outcome.seconds + 0.05, match.group(0)
        assert float(match["cpu"]) > 0, f"no processor time for {name}: {match.group(0)}"


def count_words(words: str) -> dict[str, int]:
    """``1 failed, 1 passed`` → ``{"failed": 1, "passed": 1}``; ``none`` → ``{}``."""
    if words == "none":
        return {}
    counted = (said.split(" ") for said in words.split(", "))
    return {outcome: int(number) for number, outcome in counted}


@then(parsers.parse("the JSON report's verdicts at {stage} are:"))
def json_verdicts(outcome: Outcome, stage: str, datatable: list[list[str]]) -> None:
    report = json_report(outcome)
    for example, passed, counts, fix_first in datatable[1:]:
        part = class_part(outcome, submission(example))
        (entry,) = part["stages"]
        assert entry["stage"] == stage, f"{example} was checked at {entry['stage']}"
        assert entry["passed"] is part["passed"] is (passed == "yes"), f"{example}: {part}"
        assert entry["counts"] == count_words(counts), f"{example}: {entry['counts']}"
        assert part["fix_first"] == (fix_first or None), f"{example}: {part['fix_first']}"
        assert entry["may_follow_from"] is None, entry
        assert part["error"] is None, f"{example}: {part['error']}"
    assert report["passed"] is all(row[1] == "yes" for row in datatable[1:]), report["passed"]


@then(
    parsers.parse('the JSON report\'s one failure of "{example}" is "{scenario}", saying "{words}"')
)
def json_failure(outcome: Outcome, example: str, scenario: str, words: str) -> None:
    (entry,) = class_part(outcome, submission(example))["stages"]
    (failure,) = entry["failures"]
    assert failure["scenario"] == scenario, f"{example} failed {failure['scenario']!r}"
    assert words in failure["message"], f"the failure does not say {words!r}: {failure}"
    assert failure["kind"] == "assertion", f"{example}'s failure is a {failure['kind']}"


@then("the JSON report lists the scenarios each class ran, in the order they ran")
def json_scenarios(outcome: Outcome, planned_check: PlannedCheck) -> None:
    for part in parts_of(outcome):
        (entry,) = part["stages"]
        ran = [scenario["scenario"] for scenario in entry["scenarios"]]
        planned = list(planned_check.scenarios)
        if entry["problem"]:  # its process ended, or was stopped, before the stage's end
            planned = planned[: len(ran)]
        assert ran == planned, f"{part['implementation']} ran {ran}"
        outcomes = Counter(scenario["outcome"] for scenario in entry["scenarios"])
        assert outcomes == Counter(entry["counts"]), f"{outcomes} for {entry['counts']}"
        failed = [s["scenario"] for s in entry["scenarios"] if s["outcome"] == "failed"]
        assert failed == [failure["scenario"] for failure in entry["failures"]], entry


@then("each class's time is no less than its stage's, and no more than the check's")
def json_times(outcome: Outcome) -> None:
    report = json_report(outcome)
    assert 0 < report["seconds"] <= outcome.seconds + 0.05, (report["seconds"], outcome.seconds)
    for part in parts_of(outcome):
        (entry,) = part["stages"]
        assert 0 <= entry["seconds"] <= part["seconds"] + 0.05, (entry["seconds"], part)
        assert (entry["seconds"] > 0) is bool(entry["scenarios"]), entry
        assert part["seconds"] <= report["seconds"] + 0.05, (part["seconds"], report["seconds"])


@then("the check's processor time is its classes' together, each of which used the processor")
def json_processor_time(outcome: Outcome) -> None:
    report, parts = json_report(outcome), parts_of(outcome)
    assert all(part["cpu_seconds"] > 0 for part in parts), [p["cpu_seconds"] for p in parts]
    together = sum(part["cpu_seconds"] for part in parts)
    assert abs(report["cpu_seconds"] - together) <= 0.05 * len(parts), (report, together)


def written(checks: dict[tuple[PlannedCheck, str], HereRun], planned: PlannedCheck, name: str):
    """The file ``name`` (``junit.xml`` or ``sum.md``) the check of ``planned`` wrote."""
    return checks[planned, "files"].files / name


@then(
    "the JUnit XML's test suites count the JSON report's scenarios, failures and time at each stage"
)
def junit_suites_count(
    outcome: Outcome,
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
) -> None:
    root = ElementTree.parse(written(checks_here, planned_check, "junit.xml")).getroot()
    assert (root.tag, root.get("name")) == ("testsuites", "scratchnet check"), root.attrib
    suites = root.findall("testsuite")
    expected = [
        (f"{part['implementation']}: {entry['stage']}", entry)
        for part in parts_of(outcome)
        for entry in part["stages"]
    ]
    assert [suite.get("name") for suite in suites] == [name for name, _ in expected], suites
    for suite, (name, entry) in zip(suites, expected, strict=True):
        whole = 1 if entry["problem"] else 0  # a test case for the stage as a whole
        counts = {
            "tests": sum(entry["counts"].values()) + whole,
            "failures": entry["counts"].get("failed", 0) + whole,
            "skipped": entry["counts"].get("skipped", 0),
        }
        found = {key: int(suite.get(key)) for key in counts}
        assert found == counts, f"{name}: {found}, expected {counts}"
        assert abs(float(suite.get("time")) - entry["seconds"]) <= 0.005, (name, suite.attrib)


@then("each test suite's test cases are the JSON report's scenarios, each failure with its message")
def junit_cases(
    outcome: Outcome,
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
) -> None:
    root = ElementTree.parse(written(checks_here, planned_check, "junit.xml")).getroot()
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    for part in parts_of(outcome):
        for entry in part["stages"]:
            name = f"{part['implementation']}: {entry['stage']}"
            cases = suites[name].findall("testcase")
            classes = {case.get("classname") for case in cases}
            assert classes == {f"{part['implementation']}.{entry['stage']}"}, classes
            ran = [(s["scenario"], s["outcome"] == "failed") for s in entry["scenarios"]]
            problems = [entry["problem"]] if entry["problem"] else []
            ran += [("the stage as a whole", True) for _ in problems]
            found = [(case.get("name"), case.find("failure") is not None) for case in cases]
            assert found == ran, f"{name}: test cases {found}, scenarios {ran}"
            failures = [case.find("failure") for case in cases if case.find("failure") is not None]
            messages = [(f.get("message"), f.text) for f in failures]
            said = [f["message"] for f in entry["failures"]] + problems
            expected = [(message.splitlines()[0], message) for message in said]
            assert messages == expected, f"{name}: {messages}, expected {expected}"
            passed = [case for case in cases if case.find("failure") is None]
            assert all(len(case) == 0 for case in passed), f"{name}: a passed case says more"


def markdown_lines(checks: dict[tuple[PlannedCheck, str], HereRun], planned: PlannedCheck):
    """The lines of the Markdown summary the check of ``planned`` wrote."""
    return written(checks, planned, "sum.md").read_text(encoding="utf-8").splitlines()


@then("the Markdown summary's title counts the classes that passed in the JSON report")
def markdown_title(
    outcome: Outcome,
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
) -> None:
    parts = parts_of(outcome)
    passed = sum(1 for part in parts if part["passed"])
    title = markdown_lines(checks_here, planned_check)[0]
    assert title == f"## scratchnet check: {passed} of {len(parts)} classes passed", title


@then(
    "the Markdown summary has a row per class with its verdict, the stage to fix first and the"
    " stages that may follow from it"
)
def markdown_table(
    outcome: Outcome,
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
) -> None:
    rows = [line for line in markdown_lines(checks_here, planned_check) if line.startswith("|")]
    header = ["class", "verdict", "fix first", "may follow from it"]
    cells = [[cell.strip() for cell in row.split("|")[1:-1]] for row in rows]
    assert cells[:2] == [header, ["---"] * len(header)], rows[:2]
    expected = [
        [
            f"`{part['implementation']}`",
            "passed" if part["passed"] else "failed",
            part["fix_first"] or "",
            ", ".join(entry["stage"] for entry in part["stages"] if entry["may_follow_from"]),
        ]
        for part in parts_of(outcome)
    ]
    assert cells[2:] == expected, f"rows {cells[2:]}, expected {expected}"


@then("below the table is the text report's part on each class that failed, and on no other")
def markdown_details(
    outcome: Outcome,
    checks_here: dict[tuple[PlannedCheck, str], HereRun],
    planned_check: PlannedCheck,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = check_reporting(
        checks_here, planned_check, "prints its report", tmp_path_factory, capsys
    )
    lines = markdown_lines(checks_here, planned_check)
    for example, part in zip(planned_check.classes, parts_of(outcome), strict=True):
        summary = f"<details><summary><code>{part['implementation']}</code></summary>"
        if part["passed"]:
            assert summary not in lines, f"{example} passed, yet has details"
            continue
        start = lines.index(summary)
        assert lines[start + 1 : start + 3] == ["", "```text"], lines[start : start + 3]
        end = lines.index("```", start + 3)
        shown = lines[start + 3 : end]
        assert shown == text_part(text.stdout, example), f"{example}'s details: {shown}"
        assert lines[end + 1 : end + 3] == ["", "</details>"], lines[end : end + 3]


@then(parsers.parse('the JSON report\'s stage of "{name}" has a problem, saying "{problem}"'))
def json_problem(outcome: Outcome, name: str, problem: str) -> None:
    (entry,) = class_part(outcome, submission(name))["stages"]
    said = entry["problem"] or ""
    assert said.startswith(problem), f"{name}'s problem: {said!r}"
    # After the sentence may come what the process printed last, if it printed anything.
    rest, printed = said[len(problem) :], "; the last it printed:\n"
    shown = rest.startswith(printed) and rest[len(printed) :].strip()
    assert not rest or shown, f"{name}'s problem, after {problem!r}: {rest!r}"
    assert not entry["passed"] and not entry["scenarios"], entry


@then("no other class's stage has a problem")
def no_other_problem(outcome: Outcome) -> None:
    problems = [entry["problem"] for part in parts_of(outcome) for entry in part["stages"]]
    assert sum(1 for problem in problems if problem) == 1, f"problems: {problems}"
