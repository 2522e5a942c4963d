"""Data helpers: one-hot encoding, a seeded split, standardisation, and the digits set.

Only :func:`load_digits` needs scikit-learn (the digits ship inside it); it
is imported there, so ``import scratchnet`` needs NumPy alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scratchnet.validation import (
    as_dtype,
    check_features,
    check_finite_numbers,
    check_labels,
    check_number,
    check_positive_int,
    check_same_length,
    finite_result,
    make_rng,
)


def one_hot(labels: object, n_classes: int = 10) -> np.ndarray:
    """Labels of shape ``(batch,)`` → rows of shape ``(batch, n_classes)`` with a single 1."""
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = check_labels(labels, n_classes, "labels", n_classes_name="n_classes")
    return np.eye(n_classes)[labels]


def train_test_split(
    X: object, y: object, *, test_fraction: float = 0.2, seed: np.random.Generator | int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle rows with ``seed`` and return ``X_train, X_test, y_train, y_test``."""
    X = check_features(X, "X")
    y = check_finite_numbers(y, "y")
    if y.ndim == 0:
        raise ValueError("y must hold one label (or row of targets) per row of X, got a scalar")
    check_same_length(X, y)
    test_fraction = check_number(
        test_fraction, "test_fraction", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    n_test = int(np.ceil(test_fraction * len(X)))
    if n_test >= len(X):
        raise ValueError(f"test_fraction {test_fraction} leaves no rows to train on")
    order = make_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# --8<-- [start:standardizer]
class Standardizer:
    """Rescale each feature to mean 0 and standard deviation 1.

    Fit it on the training rows only: statistics taken from the test rows
    would leak what the network is later scored on. A feature that never
    varies (a pixel that is always blank) is left unscaled.
    """

    def fit(self, X: object) -> Standardizer:
        X = check_features(X, "X")
        mean = finite_result(lambda: X.mean(axis=0), "X")
        std = finite_result(lambda: X.std(axis=0), "X")
        self.mean, self.std = mean, np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: object) -> np.ndarray:
        """``(batch, features)`` → the same shape, standardised with the fitted statistics."""
        if not hasattr(self, "mean"):
            raise ValueError("this Standardizer is not fitted yet: call fit(X_train) first")
        X = check_features(X, "X", n_features=len(self.mean))
        return finite_result(lambda: (X - self.mean) / self.std, "X")

    # --8<-- [end:standardizer]


@dataclass
class Dataset:
    """A train/test split: features ``(batch, 64)`` and labels ``(batch,)``."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    standardizer: Standardizer
    images_test: np.ndarray

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]


# --8<-- [start:load_digits]
def load_digits(
    *,
    test_fraction: float = 0.2,
    seed: np.random.Generator | int | None = 0,
    dtype: object = np.float64,
) -> Dataset:
    """scikit-learn's 1,797 handwritten digits (8×8 pixels), split first, then standardised.

    The standardiser is fitted on the training part only, then applied to both parts.
    ``images_test`` keeps the raw 8×8 test images for pictures.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_fraction=test_fraction, seed=seed
    )
    standardizer = Standardizer().fit(X_train)
    dtype = as_dtype(dtype)
    return Dataset(
        X_train=standardizer.transform(X_train).astype(dtype),
        X_test=standardizer.transform(X_test).astype(dtype),
        y_train=y_train.astype(np.int64),
        y_test=y_test.astype(np.int64),
        standardizer=standardizer,
        images_test=X_test.reshape(-1, 8, 8),
    )


# --8<-- [end:load_digits]
