"""Binds features/softmax.feature: scores in, probabilities out, for any scores."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.tutorial import NeuralNetwork
from steps.network_steps import for_every
from steps.support.implementation import Implementation

scenarios("softmax.feature")

#: Batches drawn for the "any batch of scores" steps: 1 to 20 rows of 1 to 12 scores.
BATCH_SHAPES = st.tuples(st.integers(1, 20), st.integers(1, 12))


def plain(values: object) -> str:
    """Numbers as a reader writes them: ``[0.1, 0.25]``, never ``np.float64(0.1)``."""
    array = np.asarray(values, dtype=np.float64)
    with np.printoptions(precision=6, suppress=False, threshold=40):
        return np.array2string(array, separator=", ").replace("\n", "")


def softmax_of(implementation: Implementation, scores: np.ndarray) -> np.ndarray:
    """The network's softmax of a batch of scores, as float64, its shape checked first."""
    probabilities = np.asarray(implementation.softmax(scores), dtype=np.float64)
    assert probabilities.shape == scores.shape, (
        f"softmax of scores of shape {scores.shape} should give probabilities of the same"
        f" shape; forward gave shape {probabilities.shape}"
    )
    return probabilities


@pytest.fixture
def raised_warnings() -> list[warnings.WarningMessage]:
    """Warnings caught while softmax ran; filled by the When step."""
    return []


@given(parsers.parse("the scores {scores}"), target_fixture="scores")
def given_scores(scores: str) -> np.ndarray:
    return np.array([[float(score) for score in scores.split()]])


@given(parsers.parse("ten scores all equal to {score:g}"), target_fixture="scores")
def equal_scores(score: float) -> np.ndarray:
    return np.full((1, 10), score)


@when("softmax turns the scores into probabilities", target_fixture="probabilities")
def apply_softmax(
    implementation: Implementation, scores: np.ndarray, raised_warnings: list
) -> np.ndarray:
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        probabilities = implementation.softmax(scores)
    raised_warnings.extend(caught)
    return probabilities


@when(
    parsers.parse(
        "the network's own softmax turns the scores, given in {dtype}, into probabilities"
    ),
    target_fixture="probabilities",
)
def tutorial_softmax(tutorial: NeuralNetwork, scores: np.ndarray, dtype: str) -> np.ndarray:
    return tutorial.softmax(scores.astype(dtype))


@when(
    parsers.parse("softmax is applied to any batch of scores between {low:g} and {high:g}"),
    target_fixture="any_scores",
)
def any_scores(low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    """A Hypothesis strategy; each Then step applies softmax to every batch it draws."""
    return arrays(np.float64, BATCH_SHAPES, elements=st.floats(low, high))


@then(parsers.parse("every row sums to 1 within {tolerance:g}, for every such batch"))
def rows_sum_to_one_for_all(
    implementation: Implementation, any_scores: st.SearchStrategy, tolerance: float
) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax_of(implementation, scores)
        sums = probabilities.sum(axis=1)
        size = scores.shape[1] + np.abs(scores).max()
        allowed = implementation.tolerance(tolerance, size=size)
        off = np.abs(sums - 1.0).max()
        assert off <= allowed.value, (
            f"each row of probabilities should sum to 1 within {allowed}; a row is {off:.3g}"
            f" away (rows sum to {plain(sums)}) for the scores {plain(scores)}"
        )

    for_every(any_scores, check)


@then("every probability lies between 0 and 1, for every such batch")
def probabilities_in_range_for_all(
    implementation: Implementation, any_scores: st.SearchStrategy
) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax_of(implementation, scores)
        assert np.all((probabilities >= 0.0) & (probabilities <= 1.0)), (
            f"every probability should be between 0 and 1; the scores {plain(scores)} gave"
            f" {plain(probabilities)}"
        )

    for_every(any_scores, check)


@then(
    parsers.parse(
        "adding any number between {low:g} and {high:g} to all scores of a row"
        " moves none of its probabilities by more than {tolerance:g}"
    )
)
def shift_invariant(
    implementation: Implementation,
    any_scores: st.SearchStrategy,
    low: float,
    high: float,
    tolerance: float,
) -> None:
    def check(data: st.DataObject) -> None:
        scores = data.draw(any_scores)
        shifts = data.draw(arrays(np.float64, (len(scores), 1), elements=st.floats(low, high)))
        shifted = softmax_of(implementation, scores + shifts)
        moved = np.abs(shifted - softmax_of(implementation, scores))
        size = np.abs(scores + shifts).max() + np.abs(scores).max() + scores.shape[1]
        allowed = implementation.tolerance(tolerance, size=size)
        assert moved.max() <= allowed.value, (
            f"no probability should move by more than {allowed}; one moved by"
            f" {moved.max():.3g} when the scores {plain(scores)} were shifted by {plain(shifts)}"
        )

    for_every(st.data(), check)


@then("within each row a larger score never gets a smaller probability")
def order_preserved(implementation: Implementation, any_scores: st.SearchStrategy) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax_of(implementation, scores)
        for row_scores, row_probabilities in zip(scores, probabilities, strict=True):
            order = np.argsort(row_scores, kind="stable")
            assert np.all(np.diff(row_probabilities[order]) >= 0.0), (
                f"larger scores should never get smaller probabilities: scores"
                f" {plain(row_scores)} gave {plain(row_probabilities)}"
            )

    for_every(any_scores, check)


@then("the largest score of each row gets the row's largest probability")
def largest_score_wins(implementation: Implementation, any_scores: st.SearchStrategy) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax_of(implementation, scores)
        winners = probabilities[np.arange(len(scores)), scores.argmax(axis=1)]
        assert np.array_equal(winners, probabilities.max(axis=1)), (
            f"the largest score of each row should get the row's largest probability; the"
            f" scores {plain(scores)} gave {plain(probabilities)}"
        )

    for_every(any_scores, check)


@then("every probability is a finite number")
def probabilities_finite(scores: np.ndarray, probabilities: np.ndarray) -> None:
    assert np.isfinite(probabilities).all(), (
        f"softmax of the scores {scores.tolist()} should give finite probabilities;"
        f" it gave {probabilities.tolist()}"
    )


@then("no warning was raised")
def no_warning(raised_warnings: list[warnings.WarningMessage]) -> None:
    assert not raised_warnings, (
        f"softmax should raise no warning; it raised {[str(w.message) for w in raised_warnings]}"
    )


@then(parsers.parse("the probabilities are {expected}, within {tolerance:g}"))
def probabilities_are(
    implementation: Implementation,
    scores: np.ndarray,
    probabilities: np.ndarray,
    expected: str,
    tolerance: float,
) -> None:
    wanted = np.array([[float(value) for value in expected.split()]])
    allowed = implementation.tolerance(tolerance, size=np.abs(scores).max() + scores.shape[1])
    assert probabilities.shape == wanted.shape, (
        f"softmax of the scores {plain(scores)} should give {wanted.shape[1]} probabilities in"
        f" one row; forward gave shape {probabilities.shape}"
    )
    off = np.abs(probabilities - wanted).max()
    assert off <= allowed.value, (
        f"softmax of the scores {plain(scores)} should give {expected} within {allowed};"
        f" it gave {plain(probabilities)}"
    )


@then(parsers.parse("every probability is exactly {value:g}"))
def probabilities_exactly(
    implementation: Implementation, scores: np.ndarray, probabilities: np.ndarray, value: float
) -> None:
    """Exactly for scratchnet; for another class, to within the rounding of its number type."""
    allowed = implementation.tolerance(0.0, size=value * (np.abs(scores).max() + scores.shape[1]))
    off = np.abs(probabilities - value).max()
    within = f" to within {allowed}" if allowed.value else ""
    assert off <= allowed.value, (
        f"every probability should be exactly {value:g}{within}; softmax of"
        f" {plain(scores)} gave {plain(probabilities)}"
    )


@then(parsers.parse("the probabilities are stored in {dtype}"))
def probabilities_stored_in(probabilities: np.ndarray, dtype: str) -> None:
    assert probabilities.dtype == np.dtype(dtype), f"probabilities in {probabilities.dtype}"
