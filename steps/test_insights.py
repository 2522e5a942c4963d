"""Binds features/insights.feature: the tutorial's four key insights, checked."""

from __future__ import annotations

import dataclasses
import re
from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.activations import Sigmoid
from scratchnet.experiment import RunResult, TrainConfig
from scratchnet.gradcheck import gradcheck, randomise_biases
from scratchnet.network import Network, mlp
from scratchnet.optimizers import SGD
from scratchnet.training import DivergenceError, History, train
from steps.cli_steps import Outcome
from steps.network_steps import Batch, seeds_between
from steps.run_steps import run_summary, trained
from steps.support.facts import record_scenario_fact

scenarios("insights.feature")

#: The four XOR points and their classes: 1 when exactly one input is 1.
XOR = Batch(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0]))


class XorRun(NamedTuple):
    history: History
    scores: np.ndarray


class ForgetfulSigmoid(Sigmoid):
    """A deliberately wrong sigmoid: its slope is s instead of s·(1 − s)."""

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs * self.outputs


def sizes(text: str) -> list[int]:
    """``"4 → 8 → 6 → 3"`` → ``[4, 8, 6, 3]``."""
    return [int(size) for size in text.split("→")]


# Insight 1: non-linearity


@given(
    parsers.parse(
        "a {layout} network with identity activations and random weights and biases, "
        "for each seed from {first:d} to {last:d}"
    ),
    target_fixture="linear_networks",
)
def identity_networks(layout: str, first: int, last: int) -> dict[int, Network]:
    networks = {}
    for seed in seeds_between(first, last):
        rng = np.random.default_rng(seed)
        networks[seed] = mlp(sizes(layout), activation="identity", init="xavier", seed=rng)
        randomise_biases(networks[seed], rng)
    return networks


@when(
    "its layers are multiplied out into a single weight matrix and bias",
    target_fixture="single_maps",
)
def multiply_out(linear_networks: dict[int, Network]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """``x ↦ (x W1 + b1) W2 + b2 …`` is ``x W + b`` with ``W = W1 W2 …``, ``b = (b1 W2 + b2) …``."""
    maps = {}
    for seed, network in linear_networks.items():
        parameters = dict(network.named_parameters())
        count = len(parameters) // 2
        W, b = parameters["W1"], parameters["b1"]
        for number in range(2, count + 1):
            W = W @ parameters[f"W{number}"]
            b = b @ parameters[f"W{number}"] + parameters[f"b{number}"]
        maps[seed] = W, b
    return maps


@then(
    parsers.parse(
        "the single map gives the network's outputs for {rows:d} random inputs, "
        "to within {tolerance:g} of the largest output, for every seed"
    )
)
def single_map_agrees(
    linear_networks: dict[int, Network],
    single_maps: dict[int, tuple[np.ndarray, np.ndarray]],
    rows: int,
    tolerance: float,
) -> None:
    for seed, network in linear_networks.items():
        X = np.random.default_rng(seed).standard_normal((rows, network.n_features))
        W, b = single_maps[seed]
        outputs = network.forward(X)
        gap = np.abs(outputs - (X @ W + b)).max() / np.abs(outputs).max()
        assert gap <= tolerance, f"seed {seed}: relative gap {gap:.3g}"


@given("the four XOR points", target_fixture="xor")
def xor_points() -> Batch:
    return XOR


@when(
    parsers.parse(
        "a 2 → {hidden:d} → 2 network with {activation} hidden units learns them "
        "for {epochs:d} epochs at rate {rate:g}, for each seed from {first:d} to {last:d}"
    ),
    target_fixture="xor_runs",
)
def learn_xor(
    xor: Batch, hidden: int, activation: str, epochs: int, rate: float, first: int, last: int
) -> dict[int, XorRun]:
    """He-initialised weights, all four points in every batch."""
    runs = {}
    for seed in seeds_between(first, last):
        network = mlp([2, hidden, 2], activation=activation, init="he", seed=seed)
        history = train(
            network, xor.X, xor.y, optimizer=SGD(rate), epochs=epochs, batch_size=4, seed=seed
        )
        runs[seed] = XorRun(history, network.forward(xor.X))
    return runs


@then(
    parsers.parse(
        "its training loss never falls below ln 2, a coin toss, by more than {tolerance:g}, "
        "for every seed"
    )
)
def loss_stays_at_coin_toss(xor_runs: dict[int, XorRun], tolerance: float) -> None:
    lowest = {seed: min(run.history.train_loss) for seed, run in xor_runs.items()}
    below = {seed: loss for seed, loss in lowest.items() if loss < np.log(2) - tolerance}
    assert not below, f"lowest training loss by seed: {below}"


@then(
    parsers.parse(
        "its two class scores end equal on every point, to within {tolerance:g}, for every seed"
    )
)
def scores_tie(xor_runs: dict[int, XorRun], tolerance: float) -> None:
    gaps = {
        seed: np.abs(run.scores[:, 1] - run.scores[:, 0]).max() for seed, run in xor_runs.items()
    }
    apart = {seed: gap for seed, gap in gaps.items() if gap > tolerance}
    assert not apart, f"largest score difference by seed: {apart}"


@then("it classifies all four points correctly for every seed")
def fits_xor(xor: Batch, xor_runs: dict[int, XorRun]) -> None:
    wrong = {
        seed: run.scores.argmax(axis=1).tolist()
        for seed, run in xor_runs.items()
        if not np.array_equal(run.scores.argmax(axis=1), xor.y)
    }
    assert not wrong, f"predictions by seed (want {xor.y.tolist()}): {wrong}"


# Insight 2: backpropagation is the chain rule


@given(
    parsers.parse(
        "a {layout} network with {activation} activations and dropout rate {dropout:g}, "
        "with random biases, for each seed from {first:d} to {last:d}"
    ),
    target_fixture="checked_networks",
)
def small_networks(
    layout: str, activation: str, dropout: float, first: int, last: int
) -> dict[int, tuple[Network, np.random.Generator]]:
    """Xavier weights, biases from N(0, 0.5²); each keeps its generator for the random rows."""
    networks = {}
    for seed in seeds_between(first, last):
        rng = np.random.default_rng(seed)
        network = mlp(
            sizes(layout), activation=activation, init="xavier", dropout=dropout, seed=rng
        )
        randomise_biases(network, rng)
        networks[seed] = network, rng
    return networks


@given("its second sigmoid forgets the (1 − s) factor of its slope")
def break_second_sigmoid(checked_networks: dict[int, tuple[Network, np.random.Generator]]) -> None:
    for network, _ in checked_networks.values():
        sigmoids = [i for i, layer in enumerate(network.layers) if isinstance(layer, Sigmoid)]
        network.layers[sigmoids[1]] = ForgetfulSigmoid()


@given(
    parsers.parse(
        "its first layer's biases are {bias:g}, so every unit of its first hidden layer is off"
    )
)
def first_layer_off(
    checked_networks: dict[int, tuple[Network, np.random.Generator]], bias: float
) -> None:
    for network, _ in checked_networks.values():
        network.layers[0].parameters["b"][...] = bias


@when(
    parsers.parse(
        "its gradients are checked against central finite differences on {rows:d} random rows"
    ),
    target_fixture="relative_errors",
)
def check_gradients(
    checked_networks: dict[int, tuple[Network, np.random.Generator]], rows: int
) -> dict[str, float]:
    """Relative errors keyed ``"seed 0: W1"`` and so on."""
    errors = {}
    for seed, (network, rng) in checked_networks.items():
        X = rng.standard_normal((rows, network.n_features))
        y = rng.integers(0, network.n_classes, size=rows)
        for name, error in gradcheck(network, X, y).items():
            errors[f"seed {seed}: {name}"] = error
    return errors


def errors_for(relative_errors: dict[str, float], names: str) -> dict[str, float]:
    """The errors of the parameters listed as ``"W1, b1, W2 and b2"``, for every seed."""
    wanted = set(re.split(r", | and ", names))
    return {key: error for key, error in relative_errors.items() if key.split(": ")[1] in wanted}


@then(
    parsers.parse(
        "the relative error is above {bound:g} for {names}, before the faulty layer, for every seed"
    )
)
def errors_above(relative_errors: dict[str, float], bound: float, names: str) -> None:
    caught = errors_for(relative_errors, names)
    assert caught, names
    missed = {key: f"{error:.2e}" for key, error in caught.items() if error <= bound}
    assert not missed, f"the faulty gradient went unnoticed: {missed}"


@then(
    parsers.parse(
        "every seed's biases have mean 0 within {mean_within:g} "
        "and standard deviation {std:g} within {std_within:g}"
    )
)
def biases_drawn(
    checked_networks: dict[int, tuple[Network, np.random.Generator]],
    mean_within: float,
    std: float,
    std_within: float,
) -> None:
    for seed, (network, _) in checked_networks.items():
        biases = np.concatenate(
            [value.ravel() for name, value in network.named_parameters() if name.startswith("b")]
        )
        assert abs(biases.mean()) <= mean_within, f"seed {seed}: mean {biases.mean():.4f}"
        assert abs(biases.std() - std) <= std_within, f"seed {seed}: std {biases.std():.4f}"


@then(parsers.parse("the relative error is 0 for {names}, for every seed"))
def errors_zero(relative_errors: dict[str, float], names: str) -> None:
    checked = errors_for(relative_errors, names)
    assert checked, names
    nonzero = {key: error for key, error in checked.items() if error != 0}
    assert not nonzero, nonzero


@then(parsers.parse("it is below {bound:g} for {names}, after it, for every seed"))
def errors_below(relative_errors: dict[str, float], bound: float, names: str) -> None:
    checked = errors_for(relative_errors, names)
    assert checked, names
    too_big = {key: f"{error:.2e}" for key, error in checked.items() if error >= bound}
    assert not too_big, too_big


@then(
    parsers.parse("it prints one relative error for each of {names}"),
    target_fixture="relative_errors",
)
def printed_errors(outcome: Outcome, names: str) -> dict[str, float]:
    printed = re.findall(r"^\s+(\w+)\s+(\S+)$", outcome.stdout, flags=re.MULTILINE)
    assert [name for name, _ in printed] == re.split(r", | and ", names), outcome.stdout
    return {name: float(error) for name, error in printed}


# Insight 3: matrix operations are everything


@when("the batch goes forward all at once, and again one row at a time", target_fixture="outputs")
def forward_both_ways(network: Network, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    rows = np.vstack([network.forward(row[np.newaxis, :]) for row in batch.X])
    return network.forward(batch.X), rows


@then(parsers.parse("both give the same outputs, to within {tolerance:g} of the largest output"))
def same_outputs(outputs: tuple[np.ndarray, np.ndarray], tolerance: float) -> None:
    at_once, row_by_row = outputs
    gap = np.abs(at_once - row_by_row).max() / np.abs(at_once).max()
    assert gap <= tolerance, f"relative gap {gap:.3g}"


# Insight 4: the learning rate matters


@when(
    parsers.parse(
        "the network is trained with each seed from {first:d} to {last:d}, "
        "stopping at any divergence"
    ),
    target_fixture="outcomes",
)
def train_or_diverge(
    config: TrainConfig, first: int, last: int
) -> dict[int, RunResult | DivergenceError]:
    outcomes: dict[int, RunResult | DivergenceError] = {}
    for seed in seeds_between(first, last):
        try:
            outcomes[seed] = trained(dataclasses.replace(config, seed=seed))
        except DivergenceError as error:
            outcomes[seed] = error
    # The docs list these runs if the scenario passes.
    record_scenario_fact("runs", run_summary(config, outcomes))
    return outcomes


@then("every run diverges")
def every_run_diverges(outcomes: dict[int, RunResult | DivergenceError]) -> None:
    finished = [seed for seed, outcome in outcomes.items() if isinstance(outcome, RunResult)]
    assert not finished, f"seeds {finished} did not diverge"


def finished_runs(outcomes: dict[int, RunResult | DivergenceError]) -> dict[int, RunResult]:
    diverged = {seed: str(o) for seed, o in outcomes.items() if isinstance(o, DivergenceError)}
    assert not diverged, diverged
    return outcomes  # type: ignore[return-value]


@then(parsers.parse("every run learns: test accuracy above {percent:g}%"))
def every_run_learns(outcomes: dict[int, RunResult | DivergenceError], percent: float) -> None:
    accuracies = {seed: run.test_accuracy for seed, run in finished_runs(outcomes).items()}
    low = {seed: f"{a:.2%}" for seed, a in accuracies.items() if a * 100 <= percent}
    assert not low, f"test accuracy not above {percent}%: {low}"


@then(parsers.parse("every run crawls: training loss still above {loss:g} after {epochs:d} epochs"))
def every_run_crawls(
    outcomes: dict[int, RunResult | DivergenceError], loss: float, epochs: int
) -> None:
    for seed, run in finished_runs(outcomes).items():
        assert run.history.epochs_run == epochs, seed
        assert run.history.train_loss[-1] > loss, f"seed {seed}: {run.history.train_loss[-1]:.4f}"


@then(parsers.parse("every relative error is below {bound:g}"))
def relative_errors_below(relative_errors: dict[str, float], bound: float) -> None:
    assert relative_errors, "no gradient was checked"
    too_big = {name: f"{error:.2e}" for name, error in relative_errors.items() if error >= bound}
    assert not too_big, f"relative errors not below {bound:g}: {too_big}"
