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


@when(
    parsers.parse('the example network "{example}" is checked from {first} to {last}'),
    target_fixture="report",
)
def check_example(example: str, first: str, last: str, capsys: pytest.CaptureFixture[str]) -> dict:
    """``scratchnet check examples.implementations.EXAMPLE:NeuralNetwork --json --stage ...``."""
    stages = " ".join(f"--stage '{stage}'" for stage in stages_between(first, last))
    spec = f"examples.implementations.{example}:NeuralNetwork"
    specs = shlex.quote(str(ROOT))
    outcome = run_in_process(f"scratchnet check {spec} --json --specs {specs} {stages}", capsys)
    assert outcome.exit_code in (0, 1), f"exit code {outcome.exit_code}: {outcome.stderr}"
    return json_report(outcome)


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
