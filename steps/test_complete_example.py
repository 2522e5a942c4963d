"""Binds features/complete_example.feature: the documented script, run as the docs show it."""

from __future__ import annotations

from unittest import mock

import numpy as np
import sklearn.datasets
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.cli import build_parser
from scratchnet.data import train_test_split
from scratchnet.experiment import TrainConfig
from steps.cli_steps import ACCURACY_LINE, EPOCH_LINE, epoch_losses, every_tenth
from steps.support.facts import record_fact
from steps.support.implementation import Implementation, complete_example_output

scenarios("complete_example.feature")


@when(
    parsers.parse("the complete example is run with each seed from {first:d} to {last:d}"),
    target_fixture="printed",
)
def run_example(implementation: Implementation, first: int, last: int) -> dict[int, list[str]]:
    """The lines printed by the tutorial's closing script, run with each seed."""
    seeds = implementation.seeds(first, last)  # another class: the first three only
    return {seed: implementation.complete_example(seed) for seed in seeds}


@when(parsers.parse("the complete example is run with seed {seed:d}"), target_fixture="printed")
def run_example_once(implementation: Implementation, seed: int) -> dict[int, list[str]]:
    """The lines printed by the tutorial's closing script, run with one seed."""
    return {seed: implementation.complete_example(seed)}


@when(
    parsers.parse(
        "the complete example is run with seed {seed:d}, once on the digits "
        "and once with every test image replaced by noise"
    ),
    target_fixture="clean_and_noisy",
)
def run_with_noisy_test_images(seed: int) -> tuple[list[str], list[str]]:
    """The documented script's lines as it is, then with its test rows replaced by noise."""
    digits = sklearn.datasets.load_digits()
    rows = np.arange(len(digits.data))
    # Which rows the script sets aside: the same split, applied to the row numbers.
    _, test_rows, _, _ = train_test_split(rows[:, np.newaxis], rows, test_fraction=0.2, seed=seed)
    noisy = sklearn.datasets.load_digits()
    noise = np.random.default_rng(seed).integers(0, 17, size=(len(test_rows), 64))
    noisy.data[test_rows.ravel().astype(int)] = noise
    with mock.patch.object(sklearn.datasets, "load_digits", return_value=noisy):
        noisy_lines = complete_example_output.__wrapped__(seed)  # uncached: a run of its own
    return complete_example_output(seed), noisy_lines


@then("both runs print the same losses during training, digit for digit")
def same_training_losses(clean_and_noisy: tuple[list[str], list[str]]) -> None:
    clean, noisy = (epoch_losses(lines) for lines in clean_and_noisy)
    assert clean, "the script printed no losses"
    assert clean == noisy, f"losses on the digits {clean}, with noisy test images {noisy}"


@then(parsers.parse("the run on noise scores below {percent:g}% on its test images"))
def noise_scores_low(clean_and_noisy: tuple[list[str], list[str]], percent: float) -> None:
    reported = ACCURACY_LINE.fullmatch(clean_and_noisy[1][-1])
    assert reported, f"the last line should be the test accuracy: {clean_and_noisy[1][-1]!r}"
    assert float(reported["percent"]) < percent, reported[0]


@then(parsers.parse("every run reports a test accuracy above {percent:g}%"))
def accuracy_above(printed: dict[int, list[str]], percent: float) -> None:
    reported = {seed: ACCURACY_LINE.fullmatch(lines[-1]) for seed, lines in printed.items()}
    missing = {seed: printed[seed][-1] for seed, match in reported.items() if match is None}
    assert not missing, (
        f"the last line should be the test accuracy, 'Test Accuracy: xx.xx%'; by seed: {missing}"
    )
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
        shown = progress[:12] + (
            [f"... {len(progress)} lines in all"] if len(progress) > 12 else []
        )
        assert all(EPOCH_LINE.fullmatch(line) for line in progress), f"{wanted} {shown}"
        assert list(epoch_losses(progress)) == expected, f"{wanted} {shown}"
        # The page shows what the script printed, as this scenario read it.
        record_fact(f"complete_example.output_seed_{seed}", "\n".join(lines))


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
