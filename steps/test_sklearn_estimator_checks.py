"""scikit-learn's own estimator checks, every one of them, run against ScratchNetClassifier.

A small instance keeps them quick: 16 hidden units, Adam, 20 epochs in batches of 16.
"""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from scratchnet.sklearn import ScratchNetClassifier

#: Checks that are expected to fail, with the reason (none today).
EXPECTED_FAILURES: dict[str, str] = {}


@parametrize_with_checks(
    [
        ScratchNetClassifier(
            hidden_layer_sizes=(16,),
            solver="adam",
            learning_rate_init=0.01,
            batch_size=16,
            max_iter=20,
        )
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES,
)
def test_scikit_learn_estimator_check(estimator, check, monkeypatch: pytest.MonkeyPatch) -> None:
    # scikit-learn runs its array-API check (NumPy inputs with dispatch switched on)
    # only when this variable is set; set it so that no check is skipped.
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)
