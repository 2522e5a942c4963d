"""Binds features/initialisation.feature: the shapes, scale and seeding of the starting weights."""

from __future__ import annotations

import numpy as np
from pytest_bdd import given, parsers, scenarios, then

from scratchnet.layers import Dense
from scratchnet.network import Network, mlp
from scratchnet.tutorial import NeuralNetwork
from steps.network_steps import TUTORIAL_NAMES, by_seed, parameter, seeds_between
from steps.support.implementation import Implementation

scenarios("initialisation.feature")


@given(
    parsers.parse(
        "two tutorial networks for {inputs:d} inputs, built with seeds {first:d} and {second:d}"
    ),
    target_fixture="pair",
)
def two_networks(
    implementation: Implementation, inputs: int, first: int, second: int
) -> tuple[object, object]:
    return implementation.network(inputs, first), implementation.network(inputs, second)


@given(
    parsers.parse("a {inputs:d} → {classes:d} network without hidden layers, stored as {dtype}"),
    target_fixture="network",
)
def single_layer_network(inputs: int, classes: int, dtype: str) -> Network:
    return mlp([inputs, classes], seed=0, dtype=dtype)


@given("a 64 → 16 → 10 network built without a seed", target_fixture="network")
def network_without_seed() -> Network:
    return mlp([64, 16, 10])


@given(
    parsers.parse("a 64 → 16 → 10 network built from sizes given as a NumPy array, seed {seed:d}"),
    target_fixture="twin",
)
def network_from_array(seed: int) -> Network:
    return mlp(np.array([64, 16, 10]), seed=seed)


@then("both networks hold identical weights and biases")
def twins_identical(network: Network, twin: Network) -> None:
    for (name, ours), (_, theirs) in zip(
        network.named_parameters(), twin.named_parameters(), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs, name)


@given(
    parsers.parse(
        "a 64 → 16 → 10 network whose dense layers start with {first} and {second}, seed {seed:d}"
    ),
    target_fixture="network",
)
def network_with_starts(first: str, second: str, seed: int) -> Network:
    return mlp([64, 16, 10], init=[first, second], seed=seed)


@then(parsers.parse("its dense layers report the starts {first} and {second}"))
def reported_starts(network: Network, first: str, second: str) -> None:
    starts = [layer.init for layer in network.layers if isinstance(layer, Dense)]
    assert starts == [first, second], starts


#: The statistics of the starting weights that the feature names.
STATISTICS = {
    "standard deviation": lambda values: values.std(ddof=1),
    "mean": lambda values: values.sum() / values.size,
}


@then(
    parsers.parse("the {statistic} of {name} is within {tolerance:g} of {target:g} for every seed")
)
def weights_statistic(
    implementation: Implementation,
    networks: dict[int, object],
    statistic: str,
    name: str,
    tolerance: float,
    target: float,
) -> None:
    measure = STATISTICS[statistic]
    measured = {
        seed: measure(np.asarray(implementation.parameter(net, name), dtype=np.float64))
        for seed, net in networks.items()
    }
    off = {
        seed: float(value)
        for seed, value in measured.items()
        if not abs(value - target) <= tolerance
    }
    assert not off, (
        f"the {statistic} of {name} should be within {tolerance:g} of {target:g}; it is not for"
        f" {len(off)} of {len(measured)} seeds: {by_seed(off)}"
    )


@then("every entry of b1 and b2 is zero for every seed")
def biases_zero(implementation: Implementation, networks: dict[int, object]) -> None:
    nonzero = [
        (seed, name)
        for seed, net in networks.items()
        for name in ("b1", "b2")
        if np.any(implementation.parameter(net, name) != 0)
    ]
    assert not nonzero, f"biases should start at zero; non-zero ones (seed, name): {nonzero}"


@then("their weights differ")
def weights_differ(implementation: Implementation, pair: tuple[object, object]) -> None:
    for name in ("W1", "W2"):
        first, second = (implementation.parameter(net, name) for net in pair)
        assert not np.array_equal(first, second), f"both seeds gave the same {name}"


@then("their weights are identical")
def weights_identical(implementation: Implementation, pair: tuple[object, object]) -> None:
    for name in TUTORIAL_NAMES:
        first, second = (implementation.parameter(net, name) for net in pair)
        np.testing.assert_array_equal(
            first, second, f"the same seed should give the same {name}, but it did not"
        )


@given("the tutorial's NeuralNetwork built without arguments", target_fixture="tutorial")
def tutorial_class_defaults() -> NeuralNetwork:
    return NeuralNetwork()


@then("both hold identical W1, b1, W2 and b2")
def class_matches_builder(tutorial: NeuralNetwork, network: Network) -> None:
    for name in TUTORIAL_NAMES:
        np.testing.assert_array_equal(getattr(tutorial, name), parameter(network, name), name)


@then(parsers.parse("every parameter is stored as {dtype}"))
def parameters_dtype(network: Network, dtype: str) -> None:
    stored = {name: str(value.dtype) for name, value in network.named_parameters()}
    assert set(stored.values()) == {dtype}, stored


@then(parsers.parse("the probabilities are {dtype} too"))
def probabilities_dtype(probabilities: np.ndarray, dtype: str) -> None:
    assert probabilities.dtype == np.dtype(dtype)


@then(
    parsers.re(r"(?P<name>[Wb]\d+) has shape (?P<rows>\d+) x (?P<columns>\d+)"),
    converters={"rows": int, "columns": int},
)
def parameter_has_shape(
    implementation: Implementation, network: object, name: str, rows: int, columns: int
) -> None:
    shape = implementation.parameter(network, name).shape
    assert shape == (rows, columns), (
        f"{name} should have shape {rows} x {columns}, but the network's {name} has shape {shape}"
    )


@given(
    parsers.parse(
        "a {layout} network with Xavier's start, for each seed from {first:d} to {last:d}"
    ),
    target_fixture="xavier_networks",
)
def xavier_networks(layout: str, first: int, last: int) -> dict[int, Network]:
    sizes = [int(size) for size in layout.split("→")]
    return {seed: mlp(sizes, init="xavier", seed=seed) for seed in seeds_between(first, last)}


def weight_matrices(network: Network) -> dict[str, np.ndarray]:
    return {name: value for name, value in network.named_parameters() if name.startswith("W")}


@then("every weight lies within ±√(6 / (fan-in + fan-out)), for every seed")
def xavier_range(xavier_networks: dict[int, Network]) -> None:
    for seed, network in xavier_networks.items():
        for name, W in weight_matrices(network).items():
            limit = np.sqrt(6.0 / sum(W.shape))
            assert np.abs(W).max() <= limit, f"seed {seed}: {name} reaches {np.abs(W).max():.4g}"


@then(
    parsers.parse(
        "the standard deviation of each weight matrix is within {percent:g}% of "
        "√(2 / (fan-in + fan-out)), for every seed"
    )
)
def xavier_spread(xavier_networks: dict[int, Network], percent: float) -> None:
    for seed, network in xavier_networks.items():
        for name, W in weight_matrices(network).items():
            expected = np.sqrt(2.0 / sum(W.shape))
            off = abs(W.std() / expected - 1) * 100
            assert off <= percent, f"seed {seed}: {name}'s spread is {off:.2f}% off {expected:.4g}"


@given(
    parsers.parse(
        "a dense layer from {inputs:d} to {units:d} units built with seed {seed:d},"
        " without naming a start"
    ),
    target_fixture="layer",
)
def dense_default_start(inputs: int, units: int, seed: int) -> Dense:
    return Dense(inputs, units, seed=seed)


@given(
    parsers.parse(
        "a dense layer from {inputs:d} to {units:d} units built with seed {seed:d},"
        " stored as {dtype}"
    ),
    target_fixture="layer",
)
def dense_stored_as(inputs: int, units: int, seed: int, dtype: str) -> Dense:
    return Dense(inputs, units, seed=seed, dtype=dtype)


@then(
    parsers.parse("its weights are {scale:g} times standard normal values drawn with seed {seed:d}")
)
def weights_drawn(layer: Dense, scale: float, seed: int) -> None:
    W = layer.parameters["W"]
    expected = np.random.default_rng(seed).standard_normal(W.shape) * scale
    np.testing.assert_array_equal(W, expected)


@then("its biases are zero")
def layer_biases_zero(layer: Dense) -> None:
    np.testing.assert_array_equal(layer.parameters["b"], 0.0)


@then(parsers.parse("its weights and biases are stored as {dtype}"))
def layer_dtype(layer: Dense, dtype: str) -> None:
    stored = {name: str(value.dtype) for name, value in layer.parameters.items()}
    assert stored == {"W": dtype, "b": dtype}, stored
