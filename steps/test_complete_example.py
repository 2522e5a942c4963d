"""Binds features/complete_example.feature: the documented script, run as the docs show it."""

from __future__ import annotations

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.cli import build_parser
from scratchnet.experiment import TrainConfig
from steps.cli_steps import ACCURACY_LINE, EPOCH_LINE, epoch_losses, every_tenth
from steps.network_steps import seeds_between
from steps.support.implementation import Implementation

scenarios("complete_example.feature")


@when(
    parsers.parse("the complete example is run with each seed from {first:d} to {last:d}"),
    target_fixture="printed",
)
def run_example(implementation: Implementation, first: int, last: int) -> dict[int, list[str]]:
    """The lines printed by the tutorial's closing script, run with each seed."""
    return {seed: implementation.complete_example(seed) for seed in seeds_between(first, last)}


@when(parsers.parse("the complete example is run with seed {seed:d}"), target_fixture="printed")
def run_example_once(implementation: Implementation, seed: int) -> dict[int, list[str]]:
    """The lines printed by the tutorial's closing script, run with one seed."""
    return {seed: implementation.complete_example(seed)}


@then(parsers.parse("every run reports a test accuracy above {percent:g}%"))
def accuracy_above(printed: dict[int, list[str]], percent: float) -> None:
    reported = {seed: ACCURACY_LINE.fullmatch(lines[-1]) for seed, lines in printed.items()}
    missing = [seed for seed, match in reported.items() if match is None]
    assert not missing, f"the last line should be the test accuracy; it is not for seeds {missing}"
    low = {seed: m["percent"] for seed, m in reported.items() if float(m["percent"]) <= percent}
    assert not low, f"the test accuracy should be above {percent}%; it is not for seeds {low}"


@then(
    parsers.parse(
        'every run prints "Epoch N, Loss: x.xxxx" for every 10th epoch from {first:d} to {last:d},'
        " in that order"
    )
)
def epoch_lines(printed: dict[int, list[str]], first: int, last: int) -> None:
    expected = every_tenth(first, last)
    for seed, lines in printed.items():
        progress = lines[:-1]
        wanted = f"should print 'Epoch N, Loss: x.xxxx' for epochs {expected}; seed {seed} printed"
        assert all(EPOCH_LINE.fullmatch(line) for line in progress), f"{wanted} {progress}"
        assert list(epoch_losses(progress)) == expected, f"{wanted} {progress}"


@then('every run prints "Test Accuracy: xx.xx%" as its last line')
def accuracy_line_last(printed: dict[int, list[str]]) -> None:
    wrong = {
        seed: lines[-1] for seed, lines in printed.items() if not ACCURACY_LINE.fullmatch(lines[-1])
    }
    assert not wrong, f"the last line should read 'Test Accuracy: xx.xx%'; last lines: {wrong}"


@then(parsers.parse("every run's loss at epoch {epoch:d} is within {tolerance:g} of ln 10"))
def first_loss_near_ln10(printed: dict[int, list[str]], epoch: int, tolerance: float) -> None:
    losses = {seed: epoch_losses(lines)[epoch] for seed, lines in printed.items()}
    far = {seed: loss for seed, loss in losses.items() if abs(loss - np.log(10)) > tolerance}
    assert not far, (
        f"the loss printed at epoch {epoch} should be within {tolerance} of ln 10 ="
        f" {np.log(10):.4f}; printed, by seed: {far}"
    )


@given("the settings `scratchnet train` uses when given no options", target_fixture="config")
def command_line_defaults() -> TrainConfig:
    """The defaults of the command's own parser; settings it has no option for keep theirs."""
    return TrainConfig.from_options(vars(build_parser().parse_args(["train"])))
