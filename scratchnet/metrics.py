"""Ways to score predictions against true labels."""

from __future__ import annotations

import numpy as np

from scratchnet.validation import check_labels, check_positive_int, check_same_length


def accuracy(y_true: object, y_pred: object) -> float:
    """Fraction of predictions equal to the true labels, both of shape ``(batch,)``.

    Args:
        y_true: True labels, shape ``(batch,)``.
        y_pred: Predicted labels, shape ``(batch,)``.

    Returns:
        The share of rows predicted right, between 0 and 1.
    """
    true = check_labels(y_true, None, "y_true")
    pred = check_labels(y_pred, None, "y_pred")
    check_same_length(true, pred, "y_true and y_pred")
    return float(np.mean(true == pred))


def confusion_matrix(y_true: object, y_pred: object, n_classes: int = 10) -> np.ndarray:
    """Counts of shape ``(n_classes, n_classes)``: row = true class, column = predicted class.

    Args:
        y_true: True labels, shape ``(batch,)``.
        y_pred: Predicted labels, shape ``(batch,)``.
        n_classes: The number of classes (the ten digits unless told).

    Returns:
        Counts of shape ``(n_classes, n_classes)``: row = true class, column = predicted.
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    true = check_labels(y_true, n_classes, "y_true", n_classes_name="n_classes")
    pred = check_labels(y_pred, n_classes, "y_pred", n_classes_name="n_classes")
    check_same_length(true, pred, "y_true and y_pred")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, pred), 1)
    return counts
