"""Data helpers: one-hot encoding, a seeded split, standardisation, the digits and MNIST.

Only :func:`load_digits` needs scikit-learn (the digits ship inside it); it
is imported there, so ``import scratchnet`` needs NumPy alone.
:func:`load_mnist` reads MNIST files already on disk (see :mod:`scratchnet.mnist`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scratchnet.mnist import read_split
from scratchnet.validation import (
    FRACTION,
    as_dtype,
    check_features,
    check_finite_numbers,
    check_labels,
    check_positive_int,
    check_same_length,
    finite_result,
    make_rng,
)


def one_hot(labels: object, n_classes: int = 10) -> np.ndarray:
    """Labels of shape ``(batch,)`` → rows of shape ``(batch, n_classes)`` with a single 1.

    Args:
        labels: Class indices of shape ``(batch,)``.
        n_classes: The number of classes.

    Returns:
        Rows of shape ``(batch, n_classes)`` with a single 1 each.
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = check_labels(labels, n_classes, "labels", n_classes_name="n_classes")
    return np.eye(n_classes)[labels]


def train_test_split(
    X: object, y: object, *, test_fraction: float = 0.2, seed: np.random.Generator | int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle rows with ``seed`` and return ``X_train, X_test, y_train, y_test``.

    Args:
        X: Inputs of shape ``(batch, features)``.
        y: Labels of shape ``(batch,)``.
        test_fraction: The share of rows held out for testing, between 0 and 1.
        seed: A seed or generator for the shuffle.

    Returns:
        ``X_train, X_test, y_train, y_test``.
    """
    X = check_features(X, "X")
    y = check_finite_numbers(y, "y")
    if y.ndim == 0:
        raise ValueError("y must hold one label (or row of targets) per row of X, got a scalar")
    check_same_length(X, y)
    test_fraction = FRACTION.check(test_fraction, "test_fraction")
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
        """``(batch, features)`` → the same shape, standardised with the fitted statistics.

        Args:
            X: Inputs of shape ``(batch, features)``.

        Returns:
            ``X`` with each feature centred and scaled by the statistics ``fit`` learned.
        """
        if not hasattr(self, "mean"):
            raise ValueError("this Standardizer is not fitted yet: call fit(X_train) first")
        X = check_features(X, "X", n_features=len(self.mean))
        return finite_result(lambda: (X - self.mean) / self.std, "X")

    # --8<-- [end:standardizer]


@dataclass
class Dataset:
    """A train/test split: features ``(batch, features)`` and labels ``(batch,)``.

    ``standardizer`` is the one fitted on the training rows, or None when the
    pixels were only divided by 255. ``images_test`` keeps the raw test images
    ``(batch, side, side)`` for pictures.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    standardizer: Standardizer | None
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
    standardise: bool = True,
) -> Dataset:
    """scikit-learn's 1,797 handwritten digits (8×8 pixels), split first, then standardised.

    The standardiser is fitted on the training part only, then applied to both parts.
    ``images_test`` keeps the raw 8×8 test images for pictures.

    Args:
        test_fraction: The share of digits held out for testing.
        seed: A seed or generator for the split.
        dtype: ``"float64"`` or ``"float32"``.
        standardise: False keeps the raw pixels (0 to 16) and no standardiser, for a
            caller that holds out more rows before fitting one.

    Returns:
        The split data set, pixels scaled to ``[0, 1]``.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_fraction=test_fraction, seed=seed
    )
    images_test = X_test.reshape(-1, 8, 8)
    standardizer = Standardizer().fit(X_train) if standardise else None
    if standardizer is not None:
        X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)
    dtype = as_dtype(dtype)
    return Dataset(
        X_train=X_train.astype(dtype),
        X_test=X_test.astype(dtype),
        y_train=y_train.astype(np.int64),
        y_test=y_test.astype(np.int64),
        standardizer=standardizer,
        images_test=images_test,
    )


# --8<-- [end:load_digits]


# --8<-- [start:load_mnist]
def load_mnist(
    path: str | Path, *, standardise: bool = False, dtype: object = np.float64
) -> Dataset:
    """MNIST from a folder of files: 60,000 training and the official 10,000 test images.

    The folder holds the four IDX files (``train-images-idx3-ubyte``, ``…``,
    gzipped or not) or ``mnist_train.csv`` and ``mnist_test.csv``; nothing is
    downloaded. Each 28×28 image becomes a row of 784 features.

    Args:
        path: the folder holding the files.
        standardise: False divides the pixels by 255 (features in [0, 1]); True
            standardises each pixel with statistics from the training split only.
        dtype: floating-point type of the features.

    Returns:
        A :class:`Dataset`: ``X_train (60000, 784)``, ``y_train (60000,)`` (integers 0–9),
        ``X_test (10000, 784)``, ``y_test (10000,)`` and the raw ``images_test``.

    Raises:
        FileNotFoundError: the folder or its files are missing (the message says where to get them).
        ValueError: a file is truncated, corrupted, or does not match its partner.
    """
    train, test = read_split(path, "train"), read_split(path, "test")
    X_train = train.images.reshape(len(train.images), -1).astype(np.float64)
    X_test = test.images.reshape(len(test.images), -1).astype(np.float64)
    standardizer = None
    if standardise:
        standardizer = Standardizer().fit(X_train)
        X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)
    else:
        X_train, X_test = X_train / 255.0, X_test / 255.0
    dtype = as_dtype(dtype)
    return Dataset(
        X_train=X_train.astype(dtype),
        X_test=X_test.astype(dtype),
        y_train=train.labels,
        y_test=test.labels,
        standardizer=standardizer,
        images_test=test.images,
    )


# --8<-- [end:load_mnist]
