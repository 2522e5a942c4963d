"""Binds features/command_line.feature: `scratchnet train` and `scratchnet evaluate`."""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_bdd import parsers, scenarios, then, when

from scratchnet.experiment import TrainConfig
from steps.cli_steps import ACCURACY_LINE, Outcome, json_report, run_in_process
from steps.network_steps import seeds_between

scenarios("command_line.feature")


@when(
    parsers.parse("`{command}` is run for each seed S from {first:d} to {last:d}"),
    target_fixture="reports",
)
def run_for_each_seed(
    command: str, first: int, last: int, capsys: pytest.CaptureFixture[str]
) -> dict[int, dict]:
    """Run the command once per seed, training for real each time."""
    reports = {}
    for seed in seeds_between(first, last):
        outcome = run_in_process(re.sub(r"\bS\b", str(seed), command), capsys)
        assert outcome.exit_code == 0, f"seed {seed}: {outcome.stderr}"
        reports[seed] = json_report(outcome)
    return reports


@then(parsers.parse("every report gives a test accuracy above {bound:g}"))
def every_accuracy_above(reports: dict[int, dict], bound: float) -> None:
    seeds = [report["seed"] for report in reports.values()]
    assert seeds == list(reports), f"reports' seeds {seeds}, commands' seeds {list(reports)}"
    low = {seed: r["test_accuracy"] for seed, r in reports.items() if r["test_accuracy"] <= bound}
    assert not low, f"test accuracy not above {bound} for seeds {low}"


@then(
    parsers.parse(
        "the report gives the seconds the run took and every setting, with {epochs:d} epochs"
    )
)
def report_seconds_and_settings(outcome: Outcome, epochs: int) -> None:
    report = json_report(outcome)
    assert report["seconds"] > 0
    expected = dataclasses.replace(TrainConfig(), epochs=epochs, seed=report["seed"])
    assert report["config"] == expected.to_dict()


@then('its last line reads "Test Accuracy: xx.xx%"')
def last_line_accuracy(outcome: Outcome) -> None:
    last = outcome.stdout.splitlines()[-1]
    assert ACCURACY_LINE.fullmatch(last), last


@then(parsers.parse("the error message names `{option}`"))
def error_names_option(outcome: Outcome, option: str) -> None:
    assert f"argument {option}" in outcome.stderr, outcome.stderr


@then(
    parsers.parse(
        "the error message says training diverged, naming the epoch and learning rate {rate:g}"
    )
)
def divergence_message(outcome: Outcome, rate: float) -> None:
    assert re.search(rf"diverged at epoch \d+ with learning rate {rate:g}\b", outcome.stderr), (
        outcome.stderr
    )


@when(
    parsers.parse("the installed command `{command}` is run in a new process"),
    target_fixture="outcome",
)
def run_installed_command(command: str) -> Outcome:
    """The console script pip installed next to this Python, run as a user would run it."""
    program, *arguments = shlex.split(command)
    script = Path(sys.executable).with_name(program)
    assert script.exists(), f"{script} is not installed"
    finished = subprocess.run(
        [str(script), *arguments], capture_output=True, text=True, timeout=300, check=False
    )
    return Outcome(finished.returncode, finished.stdout, finished.stderr)


@then(parsers.parse("the report's setting {setting} is {expected}"))
def report_setting(outcome: Outcome, setting: str, expected: str) -> None:
    """``expected`` is written as JSON: ``"tanh"``, ``[32, 16]``, ``0.5``, ``true``."""
    assert json_report(outcome)["config"][setting] == json.loads(expected)


@then("the report records a validation loss for every epoch it ran")
def validation_loss_every_epoch(outcome: Outcome) -> None:
    report = json_report(outcome)
    assert len(report["validation_loss"]) == report["epochs_run"] == len(report["train_loss"])


@then(parsers.parse("the report says training stopped early, before epoch {limit:d}"))
def stopped_early(outcome: Outcome, limit: int) -> None:
    report = json_report(outcome)
    assert report["stopped_early"] is True
    assert report["epochs_run"] < limit
