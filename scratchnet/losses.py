"""Cross-entropy loss, alone and fused with softmax."""

from __future__ import annotations

import numpy as np

from scratchnet.activations import softmax

#: Probabilities are clipped to ``[EPSILON, 1]`` before the log, so a
#: probability of exactly 0 for the true class gives a large, finite loss.
EPSILON = 1e-12


# --8<-- [start:cross_entropy]
def cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of ``-log p(true class)`` over the batch.

    ``probabilities`` has shape ``(batch, classes)``; ``labels`` holds the
    true class of each row, shape ``(batch,)``.

    Args:
        probabilities: Rows of probabilities, shape ``(batch, classes)``.
        labels: The true class of each row, shape ``(batch,)``.

    Returns:
        The mean of ``-ln p(true class)`` over the rows.
    """
    return _mean_negative_log(probabilities[np.arange(len(labels)), labels])


def _mean_negative_log(true_class: np.ndarray) -> float:
    """Mean of ``-ln p`` over the true-class probabilities ``p``, shape ``(batch,)``."""
    loss = -np.log(np.maximum(true_class, EPSILON)).sum() / len(true_class)
    return max(float(loss), 0.0)  # rounding can put a probability a hair above 1


# --8<-- [end:cross_entropy]


# --8<-- [start:fused]
def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and its gradient with respect to the logits, in one pass.

    For softmax followed by cross-entropy the chain rule collapses to
    ``dZ = (probabilities - one_hot) / batch``: the tutorial's ``A2 - Y``,
    divided by the batch size because the loss is a mean. This only holds
    when softmax and cross-entropy are used together.

    Args:
        logits: Scores of shape ``(batch, classes)``.
        labels: The true class of each row, shape ``(batch,)``.

    Returns:
        The mean loss, and its gradient for the logits, ``(softmax − one_hot) / batch``.
    """
    batch = len(labels)
    rows = np.arange(batch)
    dZ = softmax(logits)  # a new array: it becomes dZ in place
    true_class = dZ[rows, labels]  # gathered once, for the loss and for "minus one-hot"
    loss = _mean_negative_log(true_class)
    dZ[rows, labels] = true_class - 1.0
    dZ /= batch
    return loss, dZ


# --8<-- [end:fused]
