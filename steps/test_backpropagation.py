"""Binds features/backpropagation.feature: gradients against finite differences and formulas."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.layers import Dense
from scratchnet.losses import softmax_cross_entropy
from scratchnet.tutorial import NeuralNetwork
from steps.network_steps import CLASSES, TUTORIAL_NAMES, Batch, drawn_per_seed
from steps.support.implementation import GradientCheck, Implementation

scenarios("backpropagation.feature")


class Scores(NamedTuple):
    """Raw scores (logits) of shape ``(batch, classes)`` and the true digit of each row."""

    logits: np.ndarray
    labels: np.ndarray


# Independent references: none of scratchnet's functions, and other formulas.
def softmax(scores: np.ndarray) -> np.ndarray:
    """``p_i = 1 / Σ_j exp(z_j − z_i)``: the softmax, written without dividing by a row sum."""
    return 1.0 / np.exp(scores[:, np.newaxis, :] - scores[:, :, np.newaxis]).sum(axis=2)


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """``(batch,)`` → ``(batch, classes)``: 1.0 where the column is the row's label."""
    return (np.asarray(labels)[:, np.newaxis] == np.arange(classes)).astype(np.float64)


def cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of −log of the probability given to each row's true class."""
    return float(-np.mean(np.log(probabilities[np.arange(len(labels)), labels])))


def relative_error(numerical: np.ndarray, analytic: np.ndarray) -> float:
    """``‖numerical − analytic‖ / (‖numerical‖ + ‖analytic‖)``, as in ``gradcheck``."""
    return float(
        np.linalg.norm(numerical - analytic)
        / (np.linalg.norm(numerical) + np.linalg.norm(analytic))
    )


def finite_difference_gradient(scores: Scores, epsilon: float = 1e-6) -> np.ndarray:
    """Central differences of the unfused loss, cross-entropy of softmax, for every score."""
    gradient = np.zeros_like(scores.logits)
    for index in np.ndindex(scores.logits.shape):
        nudge = np.zeros_like(scores.logits)
        nudge[index] = epsilon
        up = cross_entropy(softmax(scores.logits + nudge), scores.labels)
        down = cross_entropy(softmax(scores.logits - nudge), scores.labels)
        gradient[index] = (up - down) / (2 * epsilon)
    return gradient


def tutorial_gradients(X: np.ndarray, labels: np.ndarray, W1, b1, W2, b2) -> dict[str, np.ndarray]:
    """The tutorial's backward formulas, written out step by step."""
    Z1 = X @ W1 + b1
    A1 = np.maximum(0, Z1)
    A2 = softmax(A1 @ W2 + b2)
    dZ2 = (A2 - one_hot(labels, CLASSES)) / len(X)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return {
        "W1": X.T @ dZ1,
        "b1": dZ1.sum(axis=0, keepdims=True),
        "W2": A1.T @ dZ2,
        "b2": dZ2.sum(axis=0, keepdims=True),
    }


@given(
    parsers.parse(
        "{rows:d} rows of ten random scores and true digits"
        " for each seed from {first:d} to {last:d}"
    ),
    target_fixture="scores_by_seed",
)
def random_scores(rows: int, first: int, last: int) -> dict[int, Scores]:
    """Scores drawn from N(0, 3²), so some rows are confident and some are not."""

    def draw(rng: np.random.Generator) -> Scores:
        logits = rng.normal(0.0, 3.0, size=(rows, CLASSES))
        return Scores(logits, rng.integers(0, CLASSES, size=rows))

    return drawn_per_seed(first, last, draw)


@when(
    "its gradients are checked against central finite differences",
    target_fixture="relative_errors",
)
def check_against_finite_differences(
    implementation: Implementation, network: object, batch: Batch
) -> dict[str, float]:
    return implementation.gradient_errors(network, batch.X, batch.y)


@when(
    "the gradient of the loss with respect to the scores is taken in one fused step",
    target_fixture="fused_gradients",
)
def fused_gradients(scores_by_seed: dict[int, Scores]) -> dict[int, np.ndarray]:
    return {
        seed: softmax_cross_entropy(scores.logits.copy(), scores.labels)[1]
        for seed, scores in scores_by_seed.items()
    }


@when(
    parsers.parse(
        "the network goes forward and takes one backward step with learning rate {rate:g}"
    ),
    target_fixture="before",
)
def one_backward_step(
    implementation: Implementation, tutorial: object, batch: Batch, rate: float
) -> dict[str, np.ndarray]:
    """Runs the step and hands on copies of the parameters from before it."""
    before = {name: np.array(getattr(tutorial, name), dtype=float) for name in TUTORIAL_NAMES}
    implementation.step(tutorial, batch.X, batch.y, rate)
    return before


@when(
    "the network goes forward and takes one backward step without a learning rate",
    target_fixture="before",
)
def one_default_backward_step(tutorial: NeuralNetwork, batch: Batch) -> dict[str, np.ndarray]:
    """scratchnet's class only: the step leaves its learning rate to the default."""
    before = {name: np.array(getattr(tutorial, name), dtype=float) for name in TUTORIAL_NAMES}
    tutorial.forward(batch.X)
    tutorial.backward(batch.X, batch.y)
    return before


@then(parsers.parse("the relative error is below {tolerance:g} for each of W1, b1, W2 and b2"))
def gradients_match(
    relative_errors: dict[str, GradientCheck], batch: Batch, tolerance: float
) -> None:
    assert set(relative_errors) == set(TUTORIAL_NAMES), relative_errors
    too_large = {
        name: f"relative error {check.error:.2e}{gradient_hint(check.ratio, len(batch.X))}"
        for name, check in relative_errors.items()
        if not check.error < tolerance
    }
    assert not too_large, (
        f"backpropagation's gradients should match central finite differences of the mean"
        f" cross-entropy (computed independently of the network's own forward and"
        f" compute_loss) to a relative error below {tolerance:g}; they do not for"
        f" {'; '.join(f'{name}: {said}' for name, said in too_large.items())}"
    )


def gradient_hint(ratio: float | None, rows: int) -> str:
    """What the multiple of the true gradient that a step took suggests, in plain words."""
    if ratio is None:
        return ""
    if abs(ratio) < 0.01:
        return ", as backward leaves it unchanged, as if its gradient were zero"
    if ratio < 0:
        return (
            f", as backward moves it the wrong way, uphill ({ratio:.3g} times the gradient):"
            " is its step added instead of subtracted?"
        )
    if abs(ratio - rows) < 0.05 * rows:
        return (
            f", as backward's step is {ratio:.3g} times the gradient, the batch size:"
            " is the gradient divided by the number of rows?"
        )
    return f", as backward's step is {ratio:.3g} times the gradient along it and points elsewhere"


@then(
    parsers.parse(
        "it equals the probabilities minus the one-hot true digits, divided by the batch size,"
        " within {tolerance:g}, for every seed"
    )
)
def fused_formula(
    scores_by_seed: dict[int, Scores], fused_gradients: dict[int, np.ndarray], tolerance: float
) -> None:
    for seed, scores in scores_by_seed.items():
        expected = (softmax(scores.logits) - one_hot(scores.labels, CLASSES)) / len(scores.labels)
        worst = np.abs(fused_gradients[seed] - expected).max()
        assert worst <= tolerance, f"seed {seed}: largest difference {worst:.3g}"


@then(
    parsers.parse(
        "it agrees with central finite differences to a relative error below {tolerance:g},"
        " for every seed"
    )
)
def fused_matches_finite_differences(
    scores_by_seed: dict[int, Scores], fused_gradients: dict[int, np.ndarray], tolerance: float
) -> None:
    errors = {
        seed: relative_error(finite_difference_gradient(scores), fused_gradients[seed])
        for seed, scores in scores_by_seed.items()
    }
    too_large = {seed: f"{error:.2e}" for seed, error in errors.items() if not error < tolerance}
    assert not too_large, f"relative errors above {tolerance} by seed: {too_large}"


@then(
    parsers.parse(
        "W1, b1, W2 and b2 have each moved by {rate:g} times the gradient"
        " from the tutorial's formulas, to within {tolerance:g} of that move"
    )
)
def moved_by_rate_times_gradient(
    implementation: Implementation,
    tutorial: object,
    batch: Batch,
    before: dict[str, np.ndarray],
    rate: float,
    tolerance: float,
) -> None:
    """Summing in another order (a product with ones instead of np.sum) may change the last bits.

    Another class may round more coarsely: its allowance grows with the parameter's size
    against the step's (``before − after`` loses the parameter's last bits) and with the rows
    its gradient adds up.
    """
    gradients = tutorial_gradients(batch.X, batch.y, **before)
    wrong = {}
    for name in TUTORIAL_NAMES:
        move = rate * gradients[name]
        after = np.asarray(getattr(tutorial, name), dtype=np.float64)
        if after.shape != move.shape:
            wrong[name] = f"has shape {after.shape} after the step, should have {move.shape}"
            continue
        taken = before[name] - after
        size = np.abs(before[name]).max() / np.abs(move).max() + len(batch.X)
        allowed = implementation.tolerance(tolerance, size=size)
        off = np.abs(taken - move).max() / np.abs(move).max()
        if not off <= allowed.value:
            wrong[name] = step_error(taken, move, off, allowed)
    assert not wrong, f"after one step with learning rate {rate:g}: " + "; ".join(
        f"{name} {said}" for name, said in wrong.items()
    )


def step_error(taken: np.ndarray, move: np.ndarray, off: float, allowed: object) -> str:
    """How a parameter's step differs from the one it should have taken, direction included."""
    along = float(np.vdot(taken, move) / np.vdot(move, move))
    should = f"it should have moved downhill by up to {np.abs(move).max():.3g}"
    if not np.any(taken):
        return f"did not move at all; {should}"
    if along < 0:
        how_far = (
            "as far as it should have gone downhill"
            if abs(along + 1) < 0.05
            else f"{-along:.3g} times as far as it should have gone downhill"
        )
        return (
            f"moved the wrong way, uphill, {how_far}: {should}, subtracting learning rate ×"
            f" gradient (is the step added instead?)"
        )
    return (
        f"moved by up to {np.abs(taken).max():.3g}, {along:.3g} times the step along the"
        f" gradient; {should}; off by {off:.2e} of the step, more than the {allowed} allowed"
    )


def numbers(datatable: list[list[str]]) -> np.ndarray:
    """A Gherkin table of numbers, without a header row."""
    return np.array([[float(cell) for cell in row] for row in datatable])


@given(
    parsers.parse(
        "a dense layer from {inputs:d} inputs to {outputs:d} outputs with these weights,"
        " one row per input:"
    ),
    target_fixture="layer",
)
def dense_with_weights(inputs: int, outputs: int, datatable: list[list[str]]) -> Dense:
    layer = Dense(inputs, outputs, seed=0)
    layer.parameters["W"][...] = numbers(datatable)
    return layer


@when("it takes these inputs forward:")
def dense_forward(layer: Dense, datatable: list[list[str]]) -> None:
    layer.forward(numbers(datatable), training=True)


@when("this gradient comes back through it:", target_fixture="input_gradient")
def dense_backward(layer: Dense, datatable: list[list[str]]) -> np.ndarray:
    return layer.backward(numbers(datatable))


@then("the weights' gradient is:")
def weights_gradient(layer: Dense, datatable: list[list[str]]) -> None:
    np.testing.assert_array_equal(layer.gradients["W"], numbers(datatable))


@then("the biases' gradient is:")
def biases_gradient(layer: Dense, datatable: list[list[str]]) -> None:
    np.testing.assert_array_equal(layer.gradients["b"], numbers(datatable))


@then("the inputs' gradient is:")
def inputs_gradient(input_gradient: np.ndarray, datatable: list[list[str]]) -> None:
    np.testing.assert_array_equal(input_gradient, numbers(datatable))
