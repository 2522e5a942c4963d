"""Binds features/prediction.feature: labels and probabilities from a trained network."""

from __future__ import annotations

import numpy as np
from pytest_bdd import parsers, scenarios, then, when

from steps.network_steps import CLASSES, Batch
from steps.support.implementation import Implementation

scenarios("prediction.feature")


@when("the network predicts a digit for every row of the batch", target_fixture="predictions")
def predict(implementation: Implementation, network: object, batch: Batch) -> np.ndarray:
    return implementation.predict(network, batch.X)


@when("the network predicts the same batch again", target_fixture="predictions_again")
def predict_again(implementation: Implementation, network: object, batch: Batch) -> np.ndarray:
    return implementation.predict(network, batch.X)


@then("each predicted digit is the one with the highest probability in its row")
def prediction_is_argmax(predictions: np.ndarray, probabilities: np.ndarray) -> None:
    np.testing.assert_array_equal(
        predictions, probabilities.argmax(axis=1), "predicted digits vs most probable digits"
    )


@then(parsers.parse("there is one prediction for each of the {rows:d} rows"))
def one_prediction_per_row(predictions: np.ndarray, rows: int) -> None:
    assert predictions.shape == (rows,), (
        f"{rows} rows should get {rows} predictions in shape ({rows},); got shape"
        f" {predictions.shape}"
    )


@then("every prediction is a whole number from 0 to 9")
def predictions_are_digits(predictions: np.ndarray) -> None:
    assert np.issubdtype(predictions.dtype, np.integer), (
        f"predictions should be whole numbers; they are {predictions.dtype}"
    )
    assert set(predictions.tolist()) <= set(range(CLASSES)), (
        f"predictions should be digits 0 to 9; found {sorted(set(predictions.tolist()))}"
    )


@then("both sets of predictions are identical")
def predictions_repeat(predictions: np.ndarray, predictions_again: np.ndarray) -> None:
    np.testing.assert_array_equal(predictions, predictions_again)


@then(parsers.parse("every row of probabilities sums to 1 within {tolerance:g}"))
def rows_sum_to_one(probabilities: np.ndarray, tolerance: float) -> None:
    worst = np.abs(probabilities.sum(axis=1) - 1.0).max()
    assert worst <= tolerance, (
        f"every row should sum to 1 within {tolerance:g}, but a row sums to 1 ± {worst:.3g}"
    )


@then("every probability is between 0 and 1")
def probabilities_in_unit_interval(probabilities: np.ndarray) -> None:
    assert np.all((probabilities >= 0.0) & (probabilities <= 1.0)), (
        f"probabilities range from {probabilities.min()} to {probabilities.max()}"
    )
