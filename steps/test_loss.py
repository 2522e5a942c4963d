"""Binds features/loss.feature: cross-entropy against closed forms and scikit-learn."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when
from sklearn.metrics import log_loss

from scratchnet.losses import softmax_cross_entropy
from steps.network_steps import CLASSES, Batch, by_seed, drawn_per_seed
from steps.support.implementation import LOG_EPSILON, Implementation

scenarios("loss.feature")


class Predictions(NamedTuple):
    """Rows of class probabilities ``(batch, classes)`` and the true digit of each row."""

    probabilities: np.ndarray
    labels: np.ndarray


@given(
    parsers.re(
        r"(?P<rows>\d+) predictions? that gives? (?P<which>the true digit|one wrong digit)"
        r" a probability of (?P<probability>[\d.e-]+), sharing the rest evenly"
    ),
    converters={"rows": int, "probability": float},
    target_fixture="predictions",
)
def predictions_favouring(rows: int, which: str, probability: float) -> Predictions:
    """Row ``i`` has true digit ``i mod 10``; the favoured digit is that one or the next."""
    labels = np.arange(rows) % CLASSES
    favoured = labels if which == "the true digit" else (labels + 1) % CLASSES
    probabilities = np.full((rows, CLASSES), (1.0 - probability) / (CLASSES - 1))
    probabilities[np.arange(rows), favoured] = probability
    return Predictions(probabilities, labels)


@given(
    parsers.parse(
        "{rows:d} random rows of probabilities and true digits"
        " for each seed from {first:d} to {last:d}"
    ),
    target_fixture="random_predictions",
)
def random_predictions(rows: int, first: int, last: int) -> dict[int, Predictions]:
    """Probability rows drawn uniformly from all rows that sum to one (Dirichlet(1, ..., 1))."""

    def draw(rng: np.random.Generator) -> Predictions:
        probabilities = rng.dirichlet(np.ones(CLASSES), size=rows)
        return Predictions(probabilities, rng.integers(0, CLASSES, size=rows))

    return drawn_per_seed(first, last, draw)


@when("the cross-entropy is computed", target_fixture="loss")
def compute_loss(implementation: Implementation, predictions: Predictions) -> float:
    return implementation.loss(predictions.probabilities, predictions.labels)


@when(
    parsers.parse(
        "the loss is computed straight from the scores {scores} for the true digit {digit:d}"
    ),
    target_fixture="loss",
)
def fused_loss(scores: str, digit: int) -> float:
    """scratchnet's loss fused with softmax, under the specs' rule that an overflow is an error."""
    logits = np.array([[float(score) for score in scores.split()]])
    return softmax_cross_entropy(logits, [digit])[0]


@when(
    "the network's loss is computed from its predictions for the batch and the one-hot true digits",
    target_fixture="scored",
)
def tutorial_compute_loss(tutorial: object, batch: Batch) -> tuple[float, np.ndarray]:
    """The tutorial's own call: ``compute_loss(Y_true, Y_pred)`` with ``Y_true`` one-hot."""
    probabilities = np.array(tutorial.forward(batch.X))
    one_hot_digits = np.eye(CLASSES)[batch.y]
    return float(tutorial.compute_loss(one_hot_digits, probabilities)), probabilities


@when(
    parsers.parse(
        "the network scores {rows:d} predictions that give each true digit a probability of 1"
        " and every other digit 0"
    ),
    target_fixture="loss",
)
def tutorial_scores_certainty(tutorial: object, rows: int) -> float:
    one_hot_digits = np.eye(CLASSES)[np.arange(rows) % CLASSES]
    return float(tutorial.compute_loss(one_hot_digits, one_hot_digits.copy()))


@then(
    parsers.parse(
        "the loss is the mean over the rows of minus the log of the true digit's probability,"
        " within {tolerance:g}"
    )
)
def loss_is_row_mean(
    implementation: Implementation,
    scored: tuple[float, np.ndarray],
    batch: Batch,
    tolerance: float,
) -> None:
    loss, probabilities = scored
    true_digit = np.asarray(probabilities, dtype=np.float64)[np.arange(len(batch.y)), batch.y]
    expected = float(-np.mean(np.log(true_digit)))
    allowed = loss_tolerance(implementation, tolerance, expected, true_digit)
    assert abs(loss - expected) <= allowed.value, (
        f"compute_loss should give the mean of -ln(p) over the {len(batch.y)} rows,"
        f" {expected:.10g}, within {allowed}; it gives {loss:.10g}{how_far(loss, expected)}"
    )


def loss_tolerance(
    implementation: Implementation, stated: float, expected: float, true_digit: np.ndarray
) -> object:
    """``stated``, or for another class: the rounding of a mean of ``len(true_digit)`` terms
    of the loss's size, plus ε/p for an ε of at most LOG_EPSILON added inside the log."""
    size = len(true_digit) * (1.0 + abs(expected))
    slack = float(np.mean(LOG_EPSILON / true_digit))
    return implementation.tolerance(stated, size=size, slack=slack)


def how_far(loss: float, expected: float) -> str:
    """``(24.9 times as much)`` when the loss is larger than expected, else nothing."""
    if expected <= 0 or loss <= expected:
        return ""
    times = loss / expected
    return f" ({times:.3g} times as much)"


@then(
    parsers.parse(
        "the cross-entropy of every one of those networks is within {tolerance:g} of ln 10"
    )
)
def untrained_loss_near_ln10(
    implementation: Implementation, networks: dict[int, object], batch: Batch, tolerance: float
) -> None:
    losses = {
        seed: implementation.loss(implementation.probabilities(net, batch.X), batch.y)
        for seed, net in networks.items()
    }
    off = {seed: loss for seed, loss in losses.items() if not abs(loss - np.log(10)) <= tolerance}
    assert not off, (
        f"an untrained network's loss should be within {tolerance:g} of ln 10 = {np.log(10):.5f};"
        f" it is not for {len(off)} of {len(losses)} seeds: {by_seed(off)}"
    )


@then(parsers.parse("the loss is below {bound:g}"))
def loss_below(loss: float, bound: float) -> None:
    assert loss < bound, f"the loss should be below {bound:g}; compute_loss gives {loss:.5g}"


@then(parsers.parse("the loss is above {bound:g}"))
def loss_above(loss: float, bound: float) -> None:
    assert loss > bound, f"the loss should be above {bound:g}; compute_loss gives {loss:.5g}"


@then("the loss is a finite number")
def loss_finite(loss: float) -> None:
    assert np.isfinite(loss), f"the loss should be a finite number; compute_loss gives {loss}"


@then(parsers.parse("the loss equals -ln({probability:g}) within {tolerance:g}"))
def loss_closed_form(
    implementation: Implementation, loss: float, probability: float, tolerance: float
) -> None:
    expected = float(-np.log(probability))
    allowed = loss_tolerance(implementation, tolerance, expected, np.array([probability]))
    assert abs(loss - expected) <= allowed.value, (
        f"the loss should be -ln({probability:g}) = {expected:.10g} within {allowed};"
        f" it is {loss:.10g}"
    )


@then(
    parsers.parse(
        "the cross-entropy equals scikit-learn's log loss within {tolerance:g} for every seed"
    )
)
def matches_sklearn(
    implementation: Implementation, random_predictions: dict[int, Predictions], tolerance: float
) -> None:
    off = {}
    for seed, rows in random_predictions.items():
        expected = log_loss(rows.labels, rows.probabilities, labels=range(CLASSES))
        loss = implementation.loss(rows.probabilities, rows.labels)
        true_digit = rows.probabilities[np.arange(len(rows.labels)), rows.labels]
        allowed = loss_tolerance(implementation, tolerance, expected, true_digit)
        if not abs(loss - expected) <= allowed.value:
            off[seed] = (
                f"{loss:.10g} where scikit-learn gives {expected:.10g}"
                f"{how_far(loss, expected)}, allowed {allowed}"
            )
    assert not off, f"the cross-entropy should equal scikit-learn's log loss; by seed: {off}"
