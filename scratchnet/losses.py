"""Cross-entropy loss, alone and fused with softmax."""

from __future__ import annotations

import numpy as np

from scratchnet.activations import stable_softmax
from scratchnet.validation import check_features, check_labels, check_same_length

#: Probabilities are clipped to ``[EPSILON, 1]`` before the log, so a
#: probability of exactly 0 for the true class gives a large, finite loss.
EPSILON = 1e-12


# --8<-- [start:cross_entropy]
def cross_entropy(probabilities: object, labels: object) -> float:
    """Mean of ``-log p(true class)`` over the batch.

    Args:
        probabilities: Rows of probabilities, shape ``(batch, classes)``, each in ``[0, 1]``.
        labels: The true class of each row, shape ``(batch,)`` (or one-hot rows).

    Returns:
        The mean of ``-ln p(true class)`` over the rows.

    Raises:
        TypeError, ValueError: an argument is not what is described above.
    """
    probabilities = check_features(probabilities, "probabilities")
    if not ((probabilities >= 0) & (probabilities <= 1)).all():
        raise ValueError("probabilities must lie between 0 and 1")
    labels = check_labels(
        labels, probabilities.shape[1], "labels", n_classes_name="probabilities' columns"
    )
    check_same_length(probabilities, labels, "probabilities and labels")
    return mean_cross_entropy(probabilities, labels)


def mean_cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """``cross_entropy`` of probabilities ``(batch, classes)`` and integer labels
    ``(batch,)`` taken as they are (the training loop's own call).

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
def softmax_cross_entropy(logits: object, labels: object) -> tuple[float, np.ndarray]:
    """Loss and its gradient with respect to the logits, in one pass.

    Args:
        logits: Scores of shape ``(batch, classes)``, finite numbers.
        labels: The true class of each row, shape ``(batch,)`` (or one-hot rows).

    Returns:
        The mean loss, and its gradient for the logits, ``(softmax − one_hot) / batch``.

    Raises:
        TypeError, ValueError: an argument is not what is described above.
    """
    logits = check_features(logits, "logits")
    labels = check_labels(labels, logits.shape[1], "labels", n_classes_name="logits' columns")
    check_same_length(logits, labels, "logits and labels")
    with np.errstate(over="ignore"):  # only in subtracting the row maxima, see stable_softmax
        return fused_softmax_cross_entropy(logits, labels)


def fused_softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """``softmax_cross_entropy`` of finite float logits and integer labels, taken as they
    are: the training step's own call, on logits it made and labels ``train`` checked.

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
    dZ = stable_softmax(logits)  # a new array: it becomes dZ in place
    true_class = dZ[rows, labels]  # gathered once, for the loss and for "minus one-hot"
    loss = _mean_negative_log(true_class)
    dZ[rows, labels] = true_class - 1.0
    dZ /= batch
    return loss, dZ


# --8<-- [end:fused]
