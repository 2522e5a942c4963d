"""Binds features/challenges.feature: depth, activations, optimisers and regularisation."""

from __future__ import annotations

import dataclasses

from pytest_bdd import parsers, scenarios, then

from scratchnet.experiment import RunResult
from steps.model_steps import weight_norm, without
from steps.run_steps import trained

scenarios("challenges.feature")


def epochs_to_reach(result: RunResult, loss: float) -> int:
    """How many epochs the run needed for its training loss to fall below ``loss``."""
    first = result.history.first_epoch_below(loss)
    assert first is not None, f"seed {result.config.seed} never got below {loss}"
    return first + 1


@then(
    parsers.parse(
        "the training loss first falls below {loss:g} after {fewest:d} to {most:d} epochs, "
        "for every seed"
    )
)
def epochs_needed_between(results: list[RunResult], loss: float, fewest: int, most: int) -> None:
    needed = {r.config.seed: epochs_to_reach(r, loss) for r in results}
    outside = {seed: n for seed, n in needed.items() if not fewest <= n <= most}
    assert not outside, f"epochs needed to get below {loss}, by seed: {outside}"


@then(
    parsers.parse(
        "it needs at least {times:g} times fewer epochs than plain gradient descent "
        "to get below {loss:g}, for every seed"
    )
)
def fewer_epochs_than_sgd(results: list[RunResult], times: float, loss: float) -> None:
    epochs = {
        r.config.seed: (
            epochs_to_reach(r, loss),
            epochs_to_reach(trained(dataclasses.replace(r.config, optimizer="sgd")), loss),
        )
        for r in results
    }
    assert all(sgd >= times * faster for faster, sgd in epochs.values()), (
        f"epochs needed (this optimiser, plain gradient descent) by seed: {epochs}"
    )


@then(
    parsers.parse(
        "the total length of the weights is at least {percent:g}% shorter than without "
        "{regulariser}, for every seed"
    )
)
def weights_shorter(results: list[RunResult], percent: float, regulariser: str) -> None:
    ratios = {
        r.config.seed: weight_norm(r.network) / weight_norm(without(r, regulariser).network)
        for r in results
    }
    assert all(ratio <= 1 - percent / 100 for ratio in ratios.values()), (
        f"weight length with {regulariser} / without, by seed: "
        f"{ {seed: round(ratio, 4) for seed, ratio in ratios.items()} }"
    )
