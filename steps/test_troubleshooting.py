"""Binds features/troubleshooting.feature: the tutorial's table of common problems."""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np
from pytest_bdd import parsers, scenarios, then, when

from scratchnet.experiment import RunResult, TrainConfig, dataset_for, network_for, run
from scratchnet.network import Network
from scratchnet.training import DivergenceError
from steps.model_steps import accuracy_gap, training_accuracy
from steps.network_steps import seeds_between
from steps.run_steps import setting_changes, trained
from steps.support.facts import record_fact

scenarios("troubleshooting.feature")


class Attempt(NamedTuple):
    """A network after training, and the error that stopped it, if any."""

    seed: int
    network: Network
    error: DivergenceError | None


def attempt(config: TrainConfig) -> Attempt:
    """Train as a run does, but keep the network even if training fails."""
    network = network_for(config, dataset_for(config))
    try:
        run(config, network=network)
    except DivergenceError as error:
        return Attempt(config.seed, network, error)
    return Attempt(config.seed, network, None)


def first_weights(result: RunResult) -> np.ndarray:
    """W1, shape (64, hidden units): column j holds the incoming weights of hidden unit j."""
    return dict(result.network.named_parameters())["W1"]


@when(
    parsers.parse(
        "the network is trained with each seed from {first:d} to {last:d}, "
        "keeping it if training fails"
    ),
    target_fixture="attempts",
)
def train_keeping_network(config: TrainConfig, first: int, last: int) -> list[Attempt]:
    return [attempt(dataclasses.replace(config, seed=seed)) for seed in seeds_between(first, last)]


@then(
    parsers.parse(
        "training stopped within the first {epochs:d} epochs, with an error naming the epoch "
        "and learning rate {rate:g}, for every seed"
    )
)
def stopped_with_clear_error(attempts: list[Attempt], epochs: int, rate: float) -> None:
    for seed, _, error in attempts:
        assert error is not None, f"seed {seed} trained without diverging"
        assert error.epoch < epochs, f"seed {seed} stopped at epoch {error.epoch}"
        assert error.learning_rate == rate, error.learning_rate
        assert f"epoch {error.epoch} with learning rate {rate:g}" in str(error), str(error)
        # The Troubleshooting page shows the message as it was raised.
        record_fact(f"troubleshooting.divergence_message_seed_{seed}", str(error))


@then(
    parsers.parse(
        "the error says what stopped being finite and suggests a learning rate of {hint:g},"
        " for every seed"
    )
)
def error_hints(attempts: list[Attempt], hint: float) -> None:
    for seed, _, error in attempts:
        assert error.what and f": {error.what}." in str(error), f"seed {seed}: {error}"
        assert f"(say {hint:g})" in str(error), f"seed {seed}: {error}"


@then("every weight the network kept is a finite number, for every seed")
def weights_finite(attempts: list[Attempt]) -> None:
    for seed, network, _ in attempts:
        for name, parameter in network.named_parameters():
            assert np.isfinite(parameter).all(), f"seed {seed}: {name} holds inf or NaN"


@then(
    parsers.parse(
        "the training loss after {epochs:d} epochs is within {tolerance:g} of ln 10 for every seed"
    )
)
def loss_near_chance(results: list[RunResult], epochs: int, tolerance: float) -> None:
    ran = {r.config.seed: r.history.epochs_run for r in results}
    assert set(ran.values()) == {epochs}, f"epochs run, by seed: {ran}"
    final = {r.config.seed: r.history.train_loss[-1] for r in results}
    far = {
        seed: f"{loss:.4f}" for seed, loss in final.items() if abs(loss - math.log(10)) > tolerance
    }
    assert not far, f"final training loss further than {tolerance} from ln 10, by seed: {far}"


@then("every hidden unit has the same incoming weights as every other, for every seed")
def hidden_units_identical(results: list[RunResult]) -> None:
    for r in results:
        W1 = first_weights(r)
        np.testing.assert_array_equal(
            W1, np.broadcast_to(W1[:, :1], W1.shape), err_msg=f"seed {r.config.seed}"
        )


@then("no two hidden units have the same incoming weights, for every seed")
def hidden_units_differ(results: list[RunResult]) -> None:
    for r in results:
        columns = first_weights(r).T
        assert len(np.unique(columns, axis=0)) == len(columns), f"seed {r.config.seed}"


@when(
    "the same seeds are trained again with the settings changed to:",
    target_fixture="results",
)
def trained_again(results: list[RunResult], datatable: list[list[str]]) -> list[RunResult]:
    """Every seed of ``results`` again, with the table's settings changed."""
    changes = setting_changes(datatable)
    return [trained(dataclasses.replace(r.config, **changes)) for r in results]


@then(
    parsers.parse(
        "the training loss is still above {loss:g} after {epochs:d} epochs for every seed"
    )
)
def loss_still_above(results: list[RunResult], loss: float, epochs: int) -> None:
    for r in results:
        assert r.history.epochs_run == epochs, f"seed {r.config.seed} ran {r.history.epochs_run}"
    final = {r.config.seed: r.history.train_loss[-1] for r in results}
    low = {seed: f"{value:.4f}" for seed, value in final.items() if value <= loss}
    assert not low, f"final training loss not above {loss}, by seed: {low}"


@then(parsers.parse("the test accuracy is below {percent:g}% for every seed"))
def accuracy_below_for_every_seed(results: list[RunResult], percent: float) -> None:
    high = {
        r.config.seed: f"{r.test_accuracy:.2%}" for r in results if r.test_accuracy * 100 >= percent
    }
    assert not high, f"test accuracy not below {percent}% for seeds {high}"


@then(
    parsers.parse(
        "the training accuracy is {train:g}% while the test accuracy trails it "
        "by more than {points:g} points, for every seed"
    )
)
def memorised(results: list[RunResult], train: float, points: float) -> None:
    report = {
        r.config.seed: (f"{training_accuracy(r):.2%}", f"gap {accuracy_gap(r):.2f}")
        for r in results
    }
    assert all(100 * training_accuracy(r) == train and accuracy_gap(r) > points for r in results), (
        f"training accuracy and gap by seed: {report}"
    )
