"""Binds features/prediction.feature: labels and probabilities from a trained network."""

from __future__ import annotations

import dataclasses

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.experiment import TrainConfig
from steps.network_steps import CLASSES, Batch
from steps.support.implementation import Implementation

scenarios("prediction.feature")


@given(
    parsers.parse(
        "the tutorial's NeuralNetwork trained with the tutorial's settings and seed {seed:d}"
    ),
    target_fixture="network",
)
def trained_tutorial_class(implementation: Implementation, seed: int) -> object:
    """Trained once per session and shared: steps must not change its weights."""
    return implementation.trained_tutorial(dataclasses.replace(TrainConfig(), seed=seed))


@when("the network predicts a digit for every row of the batch", target_fixture="predictions")
def predict(implementation: Implementation, network: object, batch: Batch) -> np.ndarray:
    return implementation.predict(network, batch.X)


@when("the network predicts the same batch again", target_fixture="predictions_again")
def predict_again(implementation: Implementation, network: object, batch: Batch) -> np.ndarray:
    return implementation.predict(network, batch.X)


def assert_one_per_row(predictions: np.ndarray, rows: int) -> None:
    """predict gave one number per row, shape ``(rows,)``; else say what it gave."""
    hint = ""
    if predictions.shape == (rows, CLASSES):
        hint = ": ten numbers per row, probabilities perhaps, where the most probable digit was due"
    assert predictions.shape == (rows,), (
        f"predict should give one digit per row, shape ({rows},) for {rows} rows; it gave"
        f" shape {predictions.shape}{hint}"
    )


@then("each predicted digit is the one with the highest probability in its row")
def prediction_is_argmax(predictions: np.ndarray, probabilities: np.ndarray) -> None:
    assert_one_per_row(predictions, len(probabilities))
    most_probable = np.asarray(probabilities).argmax(axis=1)
    differ = np.flatnonzero(predictions != most_probable)
    assert not len(differ), (
        f"predict should give each row's most probable digit; it does not for {len(differ)} of"
        f" {len(predictions)} rows, first row {differ[0]}: predicted {predictions[differ[0]]},"
        f" most probable {most_probable[differ[0]]}"
    )


@then(parsers.parse("there is one prediction for each of the {rows:d} rows"))
def one_prediction_per_row(predictions: np.ndarray, rows: int) -> None:
    assert_one_per_row(predictions, rows)


@then("every prediction is a whole number from 0 to 9")
def predictions_are_digits(predictions: np.ndarray) -> None:
    assert np.issubdtype(predictions.dtype, np.integer), (
        f"predictions should be whole numbers; they are {predictions.dtype} numbers"
    )
    outside = sorted(set(predictions.ravel().tolist()) - set(range(CLASSES)))
    assert not outside, f"predictions should be digits 0 to 9; found {outside}"


@then("both sets of predictions are identical")
def predictions_repeat(predictions: np.ndarray, predictions_again: np.ndarray) -> None:
    assert np.array_equal(predictions, predictions_again), (
        "predicting the same rows twice should give the same answers; the second time differs"
    )


@then(parsers.parse("every row of probabilities sums to 1 within {tolerance:g}"))
def rows_sum_to_one(
    implementation: Implementation, network: object, probabilities: np.ndarray, tolerance: float
) -> None:
    """Another class rounds at the size of the scores it kept (Z2), as log-sum-exp does."""
    scores = np.abs(np.asarray(getattr(network, "Z2", 0.0), dtype=np.float64)).max()
    allowed = implementation.tolerance(tolerance, size=probabilities.shape[1] + scores)
    worst = np.abs(np.asarray(probabilities, dtype=np.float64).sum(axis=1) - 1.0).max()
    assert worst <= allowed.value, (
        f"every row should sum to 1 within {allowed}, but a row sums to 1 ± {worst:.3g}"
    )


@then("every probability is between 0 and 1")
def probabilities_in_unit_interval(probabilities: np.ndarray) -> None:
    assert np.all((probabilities >= 0.0) & (probabilities <= 1.0)), (
        f"probabilities should lie between 0 and 1; they range from"
        f" {float(probabilities.min()):.6g} to {float(probabilities.max()):.6g}"
    )
