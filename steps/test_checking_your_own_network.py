"""Binds features/checking_your_own_network.feature: the tutorial's stages as an acceptance test."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from pytest_bdd import parsers, scenarios, then, when

from scratchnet.check import STAGES
from steps.cli_steps import Outcome, json_report, run_in_process
from steps.math_steps import refusal
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
    return example_checks[stages]


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
