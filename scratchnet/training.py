"""The training loop: shuffle, split into mini-batches, forward, backward, step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scratchnet.activations import softmax
from scratchnet.losses import cross_entropy, softmax_cross_entropy
from scratchnet.metrics import accuracy
from scratchnet.network import Network
from scratchnet.optimizers import SGD, Optimizer
from scratchnet.regularization import add_l2_gradient, clip_by_global_norm
from scratchnet.validation import (
    check_features,
    check_labels,
    check_number,
    check_positive_int,
    check_same_length,
    make_rng,
)


class DivergenceError(ValueError):
    """Training stopped because the loss or the weights stopped being finite numbers."""

    def __init__(self, epoch: int, learning_rate: float, what: str) -> None:
        self.epoch = epoch
        self.learning_rate = learning_rate
        super().__init__(
            f"training diverged at epoch {epoch} with learning rate {learning_rate:g}: {what}. "
            f"Try a lower learning rate (say {learning_rate / 10:g}) or clip the gradients "
            f"(clip_norm=1.0, or --clip-norm 1 on the command line). "
            f"The weights from before the failing step were kept."
        )


@dataclass
class History:
    """What happened in training, one entry per epoch (epochs count from 0, as in the tutorial).

    ``train_loss`` is the cross-entropy on the whole training set after each
    epoch, measured without dropout and without the L2 penalty.
    """

    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    validation_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    interrupted: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.train_loss)

    def first_epoch_below(self, loss: float) -> int | None:
        """The first epoch whose training loss is below ``loss``, or ``None``."""
        return next((epoch for epoch, value in enumerate(self.train_loss) if value < loss), None)


EpochCallback = Callable[[int, History], None]


def evaluate_loss(network: Network, X: np.ndarray, labels: np.ndarray) -> float:
    """Cross-entropy of the network on ``X`` (batch, features) against ``labels`` (batch,)."""
    return cross_entropy(softmax(network.forward(X)), labels)


# --8<-- [start:train]
def train(
    network: Network,
    X: object,
    y: object,
    *,
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int = 32,
    seed: np.random.Generator | int | None = 0,
    shuffle: bool = True,
    validation: tuple[object, object] | None = None,
    l2: float = 0.0,
    clip_norm: float | None = None,
    patience: int | None = None,
    on_epoch_end: EpochCallback | None = None,
) -> History:
    """Train ``network`` on ``X`` (batch, features) and labels ``y`` (batch,) or one-hot rows.

    Each epoch shuffles the rows with a generator made from ``seed``, then
    takes one optimiser step per mini-batch. With ``validation=(X_val, y_val)``
    the validation loss and accuracy are recorded too; ``patience`` then
    stops training once the validation loss has not improved for that many
    epochs and restores the best weights.
    """
    X = check_features(X, "X", n_features=network.n_features, dtype=network.dtype)
    labels = check_labels(y, network.n_classes, "y")
    check_same_length(X, labels)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    l2 = check_number(l2, "l2", low=0.0)
    if clip_norm is not None:
        clip_norm = check_number(clip_norm, "clip_norm", low=0.0, low_inclusive=False)
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if validation is None:
            raise ValueError("patience needs validation data: pass validation=(X_val, y_val)")
    if validation is not None:
        X_val = check_features(
            validation[0], "validation X", n_features=network.n_features, dtype=network.dtype
        )
        y_val = check_labels(validation[1], network.n_classes, "validation y")
        check_same_length(X_val, y_val, "validation X and validation y")
    optimizer = optimizer if optimizer is not None else SGD(0.01)
    rng = make_rng(seed)

    parameters = network.parameters()
    is_weight = network.decayed_parameters()
    before_step = [np.empty_like(p) for p in parameters]
    history = History()
    best_loss, best_parameters, waited = np.inf, None, 0

    # Overflow is not an error here: non-finite values become a DivergenceError below.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
            loss_sum = 0.0
            for start in range(0, len(X), batch_size):
                batch = order[start : start + batch_size]
                loss, grad_logits = softmax_cross_entropy(
                    network.forward(X[batch], training=True), labels[batch]
                )
                if not np.isfinite(loss):
                    raise DivergenceError(epoch, optimizer.learning_rate, f"the loss became {loss}")
                network.backward(grad_logits)
                gradients = network.gradients()
                if l2:
                    weights = [p for p, decays in zip(parameters, is_weight, strict=True) if decays]
                    grads = [g for g, decays in zip(gradients, is_weight, strict=True) if decays]
                    add_l2_gradient(weights, grads, l2)
                if clip_norm is not None:
                    clip_by_global_norm(gradients, clip_norm)
                _step_or_roll_back(optimizer, parameters, gradients, before_step, epoch)
                loss_sum += loss * len(batch)

            history.train_loss.append(loss_sum / len(X))
            if not np.isfinite(history.train_loss[-1]):
                raise DivergenceError(
                    epoch, optimizer.learning_rate, f"the loss became {history.train_loss[-1]}"
                )
            if validation is not None:
                logits = network.forward(X_val)
                history.validation_loss.append(cross_entropy(softmax(logits), y_val))
                history.validation_accuracy.append(accuracy(y_val, logits.argmax(axis=1)))
                if history.validation_loss[-1] < best_loss:
                    best_loss, waited = history.validation_loss[-1], 0
                    history.best_epoch = epoch
                    if patience is not None:  # only early stopping restores them
                        best_parameters = [p.copy() for p in parameters]
                else:
                    waited += 1
            if on_epoch_end is not None:
                on_epoch_end(epoch, history)
            if patience is not None and waited >= patience:
                history.stopped_early = True
                break

    if patience is not None and best_parameters is not None:
        for parameter, best in zip(parameters, best_parameters, strict=True):
            np.copyto(parameter, best)
    return history


def _step_or_roll_back(
    optimizer: Optimizer,
    parameters: list[np.ndarray],
    gradients: list[np.ndarray],
    saved: list[np.ndarray],
    epoch: int,
) -> None:
    """Take one optimiser step; if it leaves a weight non-finite, undo it and stop."""
    for copy, parameter in zip(saved, parameters, strict=True):
        np.copyto(copy, parameter)
    optimizer.step(parameters, gradients)
    if not all(np.isfinite(p).all() for p in parameters):
        for copy, parameter in zip(saved, parameters, strict=True):
            np.copyto(parameter, copy)
        raise DivergenceError(epoch, optimizer.learning_rate, "the weights became infinite or NaN")


# --8<-- [end:train]
