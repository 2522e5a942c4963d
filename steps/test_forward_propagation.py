"""Binds features/forward_propagation.feature: shapes and arithmetic of the forward pass."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pytest_bdd import given, parsers, scenarios, then, when

from steps.network_steps import Batch, for_every
from steps.support.implementation import Implementation

scenarios("forward_propagation.feature")


@given(
    parsers.parse(
        "the network's biases b1 and b2 drawn from a standard normal distribution "
        "with seed {seed:d}"
    )
)
def random_biases(tutorial: object, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tutorial.b1 = rng.standard_normal(np.shape(tutorial.b1))
    tutorial.b2 = rng.standard_normal(np.shape(tutorial.b2))
    assert np.all(np.asarray(tutorial.b1) != 0) and np.all(np.asarray(tutorial.b2) != 0)


def product_plus_bias(inputs: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``inputs @ W + b`` written out: each entry is Σ_k inputs[r, k] · W[k, c], plus b[c]."""
    inputs, W = np.asarray(inputs, dtype=np.float64), np.asarray(W, dtype=np.float64)
    return (inputs[:, :, np.newaxis] * W[np.newaxis, :, :]).sum(axis=1) + np.ravel(b)


@when("the batch goes forward through the network", target_fixture="outputs")
def forward(tutorial: object, batch: Batch) -> np.ndarray:
    return np.asarray(tutorial.forward(batch.X))


@when(
    parsers.parse(
        "any batch of {fewest:d} to {most:d} rows with inputs between {low:g} and {high:g}"
        " goes forward"
    ),
    target_fixture="any_batch",
)
def any_batch(
    tutorial: object, fewest: int, most: int, low: float, high: float
) -> st.SearchStrategy[np.ndarray]:
    """A Hypothesis strategy for input batches; the Then step runs the network on each."""
    shape = st.tuples(st.integers(fewest, most), st.just(len(tutorial.W1)))
    return arrays(np.float64, shape, elements=st.floats(low, high))


@then(parsers.parse("the output has shape {rows:d} x {columns:d}"))
def output_shape(outputs: np.ndarray, rows: int, columns: int) -> None:
    assert outputs.shape == (rows, columns), (
        f"{rows} rows in should give {rows} x {columns} probabilities;"
        f" the network returned shape {outputs.shape}"
    )


@then(parsers.parse("it keeps {first} and {second} with shape {rows:d} x {columns:d}"))
def keeps_intermediates(tutorial: object, first: str, second: str, rows: int, columns: int) -> None:
    for name in (first, second):
        kept = getattr(tutorial, name, None)
        assert kept is not None, f"after forward the network should keep {name}; it has none"
        assert np.shape(kept) == (rows, columns), (
            f"{name} should have shape {rows} x {columns}; it has shape {np.shape(kept)}"
        )


@then("every hidden activation is zero or more")
def hidden_non_negative(tutorial: object) -> None:
    smallest = float(np.min(tutorial.A1))
    assert smallest >= 0.0, (
        f"ReLU should leave no negative hidden activation; the smallest is {smallest:.6g}"
    )


@then("every hidden activation is zero or more, for every such batch")
def hidden_non_negative_for_all(tutorial: object, any_batch: st.SearchStrategy[np.ndarray]) -> None:
    def check(X: np.ndarray) -> None:
        tutorial.forward(X)
        smallest = float(np.min(tutorial.A1))
        assert smallest >= 0.0, (
            f"ReLU should leave no negative hidden activation; one is {smallest:.6g}"
        )

    for_every(any_batch, check)


def assert_layer(
    implementation: Implementation,
    what: str,
    actual: object,
    inputs: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    tolerance: float,
) -> None:
    """``actual`` (what forward kept) against ``inputs @ W + b`` written out, within the
    stated tolerance or, for another class, the rounding bound of its sums of products."""
    expected = product_plus_bias(inputs, W, b)
    actual = np.asarray(actual, dtype=np.float64)
    assert actual.shape == expected.shape, (
        f"forward's {what} should have shape {expected.shape}; it has shape {actual.shape}"
    )
    terms = np.asarray(inputs).shape[1] + 2
    size = terms * product_plus_bias(np.abs(inputs), np.abs(W), np.abs(b)).max()
    allowed = implementation.tolerance(tolerance, size=size)
    worst = np.abs(actual - expected).max()
    assert worst <= allowed.value, (
        f"forward's {what} should agree with the sums written out entry by entry within"
        f" {allowed}; the largest difference is {worst:.3g}"
    )


@then(parsers.parse("Z1 equals the batch times W1 plus b1, within {tolerance:g}"))
def first_layer(
    implementation: Implementation, tutorial: object, batch: Batch, tolerance: float
) -> None:
    assert_layer(
        implementation, "Z1 = X·W1 + b1", tutorial.Z1, batch.X, tutorial.W1, tutorial.b1, tolerance
    )


@then("A1 equals Z1 with every negative entry replaced by zero")
def relu_of_first_layer(tutorial: object) -> None:
    Z1, A1 = np.asarray(tutorial.Z1), np.asarray(tutorial.A1)
    expected = np.where(Z1 > 0, Z1, 0.0)
    wrong = np.argwhere(expected != A1)
    assert not len(wrong), (
        f"forward's A1 should be Z1 with every negative entry replaced by zero; at row"
        f" {wrong[0][0]}, column {wrong[0][1]}, Z1 is {Z1[tuple(wrong[0])]:.6g} and A1 is"
        f" {A1[tuple(wrong[0])]:.6g} ({len(wrong)} entries differ)"
    )


@then(parsers.parse("Z2 equals A1 times W2 plus b2, within {tolerance:g}"))
def second_layer(implementation: Implementation, tutorial: object, tolerance: float) -> None:
    assert_layer(
        implementation,
        "Z2 = A1·W2 + b2",
        tutorial.Z2,
        tutorial.A1,
        tutorial.W2,
        tutorial.b2,
        tolerance,
    )
