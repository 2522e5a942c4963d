"""Ways to score predictions against true labels."""

from __future__ import annotations

import numpy as np

from scratchnet.validation import check_labels, check_positive_int, check_same_length


def accuracy(y_true: object, y_pred: object) -> float:
    """Fraction of predictions equal to the true labels, both of shape ``(batch,)``."""
    true = np.asarray(y_true)
    pred = np.asarray(y_pred)
    if true.ndim != 1 or pred.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D labels, got shapes {true.shape} and {pred.shape}"
        )
    if true.size == 0:
        raise ValueError("y_true is empty: accuracy needs at least one label")
    check_same_length(true, pred, "y_true and y_pred")
    return float(np.mean(true == pred))


def confusion_matrix(y_true: object, y_pred: object, n_classes: int = 10) -> np.ndarray:
    """Counts of shape ``(n_classes, n_classes)``: row = true class, column = predicted class."""
    n_classes = check_positive_int(n_classes, "n_classes")
    true = check_labels(y_true, n_classes, "y_true")
    pred = check_labels(y_pred, n_classes, "y_pred")
    check_same_length(true, pred, "y_true and y_pred")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, pred), 1)
    return counts
