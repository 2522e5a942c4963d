"""Binds features/softmax.feature: scores in, probabilities out, for any scores."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.activations import softmax
from steps.network_steps import for_every

scenarios("softmax.feature")

#: Batches drawn for the "any batch of scores" steps: 1 to 20 rows of 1 to 12 scores.
BATCH_SHAPES = st.tuples(st.integers(1, 20), st.integers(1, 12))


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
def apply_softmax(scores: np.ndarray, raised_warnings: list) -> np.ndarray:
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        probabilities = softmax(scores)
    raised_warnings.extend(caught)
    return probabilities


@when(
    parsers.parse("softmax is applied to any batch of scores between {low:g} and {high:g}"),
    target_fixture="any_scores",
)
def any_scores(low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    """A Hypothesis strategy; each Then step applies softmax to every batch it draws."""
    return arrays(np.float64, BATCH_SHAPES, elements=st.floats(low, high))


@then(parsers.parse("every row sums to 1 within {tolerance:g}, for every such batch"))
def rows_sum_to_one_for_all(any_scores: st.SearchStrategy, tolerance: float) -> None:
    def check(scores: np.ndarray) -> None:
        assert np.abs(softmax(scores).sum(axis=1) - 1.0).max() <= tolerance

    for_every(any_scores, check)


@then("every probability lies between 0 and 1, for every such batch")
def probabilities_in_range_for_all(any_scores: st.SearchStrategy) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax(scores)
        assert np.all((probabilities >= 0.0) & (probabilities <= 1.0))

    for_every(any_scores, check)


@then(
    parsers.parse(
        "adding any number between {low:g} and {high:g} to all scores of a row"
        " moves none of its probabilities by more than {tolerance:g}"
    )
)
def shift_invariant(
    any_scores: st.SearchStrategy, low: float, high: float, tolerance: float
) -> None:
    def check(data: st.DataObject) -> None:
        scores = data.draw(any_scores)
        shifts = data.draw(arrays(np.float64, (len(scores), 1), elements=st.floats(low, high)))
        assert np.abs(softmax(scores + shifts) - softmax(scores)).max() <= tolerance

    for_every(st.data(), check)


@then("within each row a larger score never gets a smaller probability")
def order_preserved(any_scores: st.SearchStrategy) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax(scores)
        for row_scores, row_probabilities in zip(scores, probabilities, strict=True):
            order = np.argsort(row_scores, kind="stable")
            assert np.all(np.diff(row_probabilities[order]) >= 0.0)

    for_every(any_scores, check)


@then("the largest score of each row gets the row's largest probability")
def largest_score_wins(any_scores: st.SearchStrategy) -> None:
    def check(scores: np.ndarray) -> None:
        probabilities = softmax(scores)
        winners = probabilities[np.arange(len(scores)), scores.argmax(axis=1)]
        np.testing.assert_array_equal(winners, probabilities.max(axis=1))

    for_every(any_scores, check)


@then("every probability is a finite number")
def probabilities_finite(probabilities: np.ndarray) -> None:
    assert np.isfinite(probabilities).all(), probabilities


@then("no warning was raised")
def no_warning(raised_warnings: list[warnings.WarningMessage]) -> None:
    assert not raised_warnings, [str(warning.message) for warning in raised_warnings]


@then(parsers.parse("the probabilities are {expected}, within {tolerance:g}"))
def probabilities_are(probabilities: np.ndarray, expected: str, tolerance: float) -> None:
    wanted = np.array([[float(value) for value in expected.split()]])
    np.testing.assert_allclose(probabilities, wanted, rtol=0, atol=tolerance)


@then(parsers.parse("every probability is exactly {value:g}"))
def probabilities_exactly(probabilities: np.ndarray, value: float) -> None:
    assert np.all(probabilities == value), probabilities
