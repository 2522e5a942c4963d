"""Steps about building networks, feeding them digits and reading their probabilities."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple, TypeVar

import numpy as np
from hypothesis import given as for_all
from hypothesis import settings
from hypothesis import strategies as st
from pytest_bdd import given, parsers, when

from scratchnet.experiment import TrainConfig
from scratchnet.layers import Dropout
from scratchnet.network import Network, mlp
from steps.digits_steps import digits_split
from steps.support.implementation import CLASSES as CLASSES
from steps.support.implementation import HIDDEN as HIDDEN
from steps.support.implementation import TUTORIAL_NAMES as TUTORIAL_NAMES
from steps.support.implementation import Implementation, scratchnet_network

T = TypeVar("T")

#: How Hypothesis runs the "for any ..." steps: the same 100 examples every run
#: (derandomize), no example database on disk, no time limit per example.
PROPERTY_SETTINGS = {"max_examples": 100, "derandomize": True, "database": None, "deadline": None}


class Batch(NamedTuple):
    """Rows of features ``X`` of shape ``(batch, features)`` and their labels ``y``."""

    X: np.ndarray
    y: np.ndarray


#: scratchnet's network with the tutorial's architecture, for scenarios only about scratchnet.
tutorial_network = scratchnet_network


def parameter(network: Network, name: str) -> np.ndarray:
    """One parameter array by the tutorial's name: ``W1``, ``b1``, ``W2`` or ``b2``."""
    return dict(network.named_parameters())[name]


def for_every(strategy: st.SearchStrategy[T], check: Callable[[T], None]) -> None:
    """Run ``check`` on every example Hypothesis draws from ``strategy`` (a "for any" claim).

    The settings are made here, on top of the profile loaded when the run started: the
    root conftest's "check" profile, when another class is checked, does not shrink.
    """
    settings(**PROPERTY_SETTINGS)(for_all(strategy)(check))()


def seeds_between(first: int, last: int) -> range:
    """The seeds a scenario names, ``first`` and ``last`` included."""
    return range(first, last + 1)


def by_seed(values: dict[int, float], shown: int = 5) -> str:
    """``3 of 20 seeds: 0.98 to 1.02 (seed 0: 0.99, seed 4: 1.01, ...)``, for a message."""
    numbers = list(values.values())
    listed = ", ".join(f"seed {seed}: {value:.5g}" for seed, value in list(values.items())[:shown])
    more = ", ..." if len(values) > shown else ""
    return f"{min(numbers):.5g} to {max(numbers):.5g} ({listed}{more})"


def drawn_per_seed(first: int, last: int, draw: Callable[[np.random.Generator], T]) -> dict[int, T]:
    """``draw`` called once per seed from ``first`` to ``last``, each with its own generator."""
    return {seed: draw(np.random.default_rng(seed)) for seed in seeds_between(first, last)}


@given(parsers.parse("the tutorial's network for {inputs:d} inputs"), target_fixture="network")
def tutorial_network_seed_zero(implementation: Implementation, inputs: int) -> object:
    """Built with seed 0."""
    return implementation.network(inputs, seed=0)


@given(
    parsers.parse("the tutorial's network for {inputs:d} inputs with seed {seed:d}"),
    target_fixture="network",
)
def tutorial_network_with_seed(implementation: Implementation, inputs: int, seed: int) -> object:
    return implementation.network(inputs, seed)


@given(
    parsers.parse(
        "the tutorial's network for {inputs:d} inputs with each seed from {first:d} to {last:d}"
    ),
    target_fixture="networks",
)
def tutorial_networks(
    implementation: Implementation, inputs: int, first: int, last: int
) -> dict[int, object]:
    """One freshly built network per seed, keyed by seed."""
    return {seed: implementation.network(inputs, seed) for seed in seeds_between(first, last)}


@given(
    parsers.parse("the tutorial's NeuralNetwork for {inputs:d} inputs with seed {seed:d}"),
    target_fixture="tutorial",
)
def tutorial_class(implementation: Implementation, inputs: int, seed: int) -> object:
    """The tutorial's own API: ``W1``, ``b1``, ``W2``, ``b2``, ``forward``, ``backward``."""
    return implementation.tutorial(inputs, seed)


@given(
    parsers.parse("a network trained with the tutorial's settings and seed {seed:d}"),
    target_fixture="network",
)
def network_trained_with_tutorial_settings(implementation: Implementation, seed: int) -> object:
    """Trained once per session and shared: steps must not change its weights."""
    return implementation.trained(dataclasses.replace(TrainConfig(), seed=seed)).network


@given(
    parsers.parse(
        "{rows:d} rows of {columns:d} random features with labels from 0 to {last:d}, "
        "drawn with seed {seed:d}"
    ),
    target_fixture="batch",
)
def random_rows(rows: int, columns: int, last: int, seed: int) -> Batch:
    rng = np.random.default_rng(seed)
    return Batch(rng.standard_normal((rows, columns)), rng.integers(0, last + 1, size=rows))


@given(
    parsers.parse(
        "a {sizes} network with dropout rate {rate:g} after its hidden layer, seed {seed:d}"
    ),
    target_fixture="network",
)
def network_with_dropout(sizes: str, rate: float, seed: int) -> Network:
    """``sizes`` such as ``64 → 128 → 10``: inputs, one hidden layer, classes."""
    network = mlp([int(width) for width in sizes.split(" → ")], dropout=rate, seed=seed)
    assert any(isinstance(layer, Dropout) for layer in network.layers)
    return network


@given(
    parsers.parse("the tutorial's network for {inputs:d} inputs stored as {dtype}"),
    target_fixture="network",
)
def network_with_dtype(inputs: int, dtype: str) -> Network:
    return tutorial_network(inputs, seed=0, dtype=dtype)


@given(parsers.parse("a batch of {rows:d} digits"), target_fixture="batch")
def batch_of_digits(rows: int) -> Batch:
    """The first ``rows`` test digits of the tutorial's split (seed 0), standardised."""
    digits = digits_split(0)
    if rows > len(digits.X_test):
        raise ValueError(f"rows must be at most {len(digits.X_test)}, got {rows}")
    return Batch(digits.X_test[:rows], digits.y_test[:rows])


@given("the training digits", target_fixture="batch")
def training_digits() -> Batch:
    """All 1,437 training rows of the tutorial's split (seed 0), standardised."""
    digits = digits_split(0)
    return Batch(digits.X_train, digits.y_train)


@when("the network gives its probabilities for the batch", target_fixture="probabilities")
def network_probabilities(
    implementation: Implementation, network: object, batch: Batch
) -> np.ndarray:
    return implementation.probabilities(network, batch.X)


def matrix(text: str) -> np.ndarray:
    """``"1 2; 3 4"`` → a 2 × 2 array; ``"5 6"`` → a 1 × 2 row."""
    return np.array([[float(value) for value in row.split()] for row in text.split(";")])


@given(
    parsers.parse("a 2 → 2 → 2 network with W1 = {W1}, b1 = {b1}, W2 = {W2} and b2 = {b2}"),
    target_fixture="network",
)
def network_with_values(W1: str, b1: str, W2: str, b2: str) -> Network:
    network = mlp([2, 2, 2], seed=0)
    for (_, parameter), text in zip(network.named_parameters(), (W1, b1, W2, b2), strict=True):
        parameter[...] = matrix(text)
    return network
