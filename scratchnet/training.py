"""The training loop: shuffle, split into mini-batches, and take one step per batch.

:func:`train_step` is the one training step (forward, fused loss, backward,
L2, clipping, optimiser step); :func:`train` is the loop around it, and the
tutorial's class and the reference scenarios call the same step.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from scratchnet.activations import stable_softmax
from scratchnet.losses import fused_softmax_cross_entropy, mean_cross_entropy
from scratchnet.metrics import accuracy
from scratchnet.network import Network
from scratchnet.optimizers import SGD, Optimizer
from scratchnet.regularization import add_l2_gradient, clip_by_global_norm, global_norm
from scratchnet.validation import (
    CLIP_NORM,
    L2,
    check_features,
    check_labels,
    check_positive_int,
    check_same_length,
    make_rng,
)


class DivergenceError(ValueError):
    """Training stopped because the loss or the gradients stopped being finite numbers.

    The failing step is never applied, so the network keeps the weights of the
    last good step.

    Args:
        what: What stopped being finite.
        learning_rate: The learning rate in use, for the hint.
        epoch: The epoch it happened in, if known.
    """

    def __init__(self, what: str, learning_rate: float, epoch: int | None = None) -> None:
        self.what = what
        self.learning_rate = learning_rate
        self.epoch = epoch
        where = "" if epoch is None else f" at epoch {epoch}"
        super().__init__(
            f"training diverged{where} with learning rate {learning_rate:g}: {what}. "
            f"Try a lower learning rate (say {learning_rate / 10:g}) or clip the gradients "
            f"(clip_norm=1.0). "
            f"The weights from before the failing step were kept."
        )


@dataclass
class History:
    """What happened in training, one entry per epoch (epochs count from 0, as in the tutorial).

    ``train_loss[e]`` is the mean cross-entropy of the mini-batches of epoch
    ``e``, each measured just before its own step, weighted by its number of
    rows: what scikit-learn's ``loss_curve_`` and Keras report. It comes free
    with training (no extra pass over the data); it includes dropout when the
    network has it, and not the L2 penalty.
    """

    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    validation_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    #: True when Ctrl-C stopped training; ``train_loss`` then holds the completed epochs.
    interrupted: bool = False

    @property
    def epochs_run(self) -> int:
        """How many epochs were completed."""
        return len(self.train_loss)

    def first_epoch_below(self, loss: float) -> int | None:
        """The first epoch whose training loss is below ``loss``, or ``None``.

        Args:
            loss: The threshold.

        Returns:
            The first epoch whose training loss is below ``loss``, or ``None``.
        """
        return next((epoch for epoch, value in enumerate(self.train_loss) if value < loss), None)


EpochCallback = Callable[[int, History], None]


def evaluate_loss(network: Network, X: np.ndarray, labels: np.ndarray) -> float:
    """Cross-entropy of the network on ``X`` (batch, features) against ``labels`` (batch,).

    Args:
        network: The network.
        X: Inputs of shape ``(batch, features)``.
        labels: Labels of shape ``(batch,)``.

    Returns:
        The mean cross-entropy.
    """
    return mean_cross_entropy(stable_softmax(network.forward(X)), labels)


# --8<-- [start:train_step]
def train_step(
    network: Network,
    X: np.ndarray,
    labels: np.ndarray,
    optimizer: Optimizer,
    *,
    l2: float = 0.0,
    clip_norm: float | None = None,
) -> float:
    """One step on one mini-batch; returns the batch's loss from before the step.

    ``X`` is ``(batch, features)`` in the network's dtype and ``labels`` is
    ``(batch,)`` of class indices; both are taken as they are (``train``
    checks them once for the whole data set).

    Args:
        network: The network to update.
        X: Inputs of shape ``(batch, features)``.
        labels: Labels of shape ``(batch,)``.
        optimizer: How the weights follow their gradients.
        l2: L2 weight decay strength λ.
        clip_norm: Clip the gradients to this global norm; ``None`` for no clipping.

    Returns:
        The batch's loss before the step.

    Raises:
        DivergenceError: the loss or the gradients are not finite. The step
            is then not taken, so the weights stay those of the last good step.
    """
    loss, grad_logits = fused_softmax_cross_entropy(network.forward(X, training=True), labels)
    if not math.isfinite(loss):
        raise DivergenceError(f"the loss became {loss}", optimizer.learning_rate)
    network.backward(grad_logits)
    if l2:
        decayed = network.decayed_parameters()
        add_l2_gradient(
            [p for p, decays in zip(network.parameters, decayed, strict=True) if decays],
            [g for g, decays in zip(network.gradients, decayed, strict=True) if decays],
            l2,
        )
    parameters, gradients = network.flat_parameters()
    # The gradients' norm is one pass over them. A non-finite norm means a
    # non-finite (or absurdly large) gradient: checking it here, before the
    # step, keeps the weights finite without copying them every step.
    norm = global_norm([gradients])
    if not math.isfinite(norm):
        raise DivergenceError("the gradients became infinite or NaN", optimizer.learning_rate)
    if clip_norm is not None:
        clip_by_global_norm([gradients], clip_norm, norm=norm)
    optimizer.update([parameters], [gradients])
    return loss


# --8<-- [end:train_step]


# --8<-- [start:minibatches]
def minibatches(
    rows: int, size: int, rng: np.random.Generator | None, *, shuffle: bool = True
) -> Iterator[np.ndarray]:
    """The row indices of each mini-batch of one epoch: ``size`` rows, the last maybe fewer.

    With ``shuffle`` the epoch visits the rows in a new order drawn from
    ``rng`` (one permutation per epoch, drawn when the first batch is asked
    for); without it, in their given order.

    Args:
        rows: How many rows the data set has.
        size: Rows per batch.
        rng: The generator the order is drawn from (unused without ``shuffle``).
        shuffle: Whether to visit the rows in a random order.

    Yields:
        Index arrays of shape ``(batch,)``.
    """
    order = rng.permutation(rows) if shuffle else np.arange(rows)
    for start in range(0, rows, size):
        yield order[start : start + size]


@contextmanager
def diverging_at(epoch: int) -> Iterator[None]:
    """Within one epoch: a ``DivergenceError`` raised inside is raised again naming ``epoch``.

    Args:
        epoch: The epoch being run (counted from 0).

    Yields:
        Nothing; it wraps the epoch's steps.
    """
    try:
        yield
    except DivergenceError as error:
        raise DivergenceError(error.what, error.learning_rate, epoch) from None


# --8<-- [end:minibatches]


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

    Each epoch visits the rows in a new order drawn from ``seed`` (in their
    given order with ``shuffle=False``) and takes one :func:`train_step` per
    mini-batch. With ``validation=(X_val, y_val)`` the validation loss and
    accuracy are recorded after every epoch; ``patience`` then stops training
    once the validation loss has not improved for that many epochs and puts
    the best weights back. Ctrl-C stops training after the current step and
    returns the history so far, with ``interrupted`` set.

    Args:
        network: The network to train, in place.
        X: Inputs of shape ``(batch, features)``.
        y: Labels of shape ``(batch,)`` or one-hot rows.
        optimizer: How the weights follow their gradients.
        epochs: Passes over the data.
        batch_size: Rows per step.
        seed: A seed or generator for the shuffling.
        shuffle: Whether to shuffle the rows each epoch.
        validation: ``(X_val, y_val)`` scored after each epoch.
        l2: L2 weight decay strength λ.
        clip_norm: Clip the gradients to this global norm.
        patience: With ``validation``: stop after this many epochs without improvement.
        on_epoch_end: Called as ``on_epoch_end(epoch, history)``.

    Returns:
        The losses (and validation scores) epoch by epoch.
    """
    X = check_features(X, "X", n_features=network.n_features, dtype=network.dtype)
    labels = check_labels(y, network.n_classes, "y")
    check_same_length(X, labels)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    l2 = L2.check(l2, "l2")
    clip_norm = CLIP_NORM.check(clip_norm, "clip_norm")
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if validation is None:
            raise ValueError("patience needs validation data: pass validation=(X_val, y_val)")
    if validation is not None:
        validation = _check_validation(network, validation)
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a scratchnet Optimizer, got {optimizer!r:.80}")
    if on_epoch_end is not None and not callable(on_epoch_end):
        raise TypeError(f"on_epoch_end must be a function, got {on_epoch_end!r:.80}")
    optimizer = optimizer if optimizer is not None else SGD(0.01)
    rng = make_rng(seed)
    rows = len(X)
    history = History()
    best_parameters, waited = None, 0

    # Overflow is not an error here: train_step turns non-finite numbers into a DivergenceError.
    with np.errstate(over="ignore", invalid="ignore"), _stop_on_ctrl_c() as stop_requested:
        for epoch in range(epochs):
            loss_sum = 0.0
            with diverging_at(epoch):
                for batch in minibatches(rows, batch_size, rng, shuffle=shuffle):
                    loss = train_step(
                        network, X[batch], labels[batch], optimizer, l2=l2, clip_norm=clip_norm
                    )
                    loss_sum += loss * len(batch)
                    if stop_requested():
                        history.interrupted = True
                        return history
            history.train_loss.append(loss_sum / rows)

            if validation is not None:
                if _record_validation(network, validation, history):
                    waited, history.best_epoch = 0, epoch
                    if patience is not None:  # only early stopping puts them back
                        best_parameters = [p.copy() for p in network.parameters]
                else:
                    waited += 1
            if on_epoch_end is not None:
                try:
                    on_epoch_end(epoch, history)
                except KeyboardInterrupt:  # a callback may stop training the same way
                    history.interrupted = True
                    return history
            if patience is not None and waited >= patience:
                history.stopped_early = True
                break

    if best_parameters is not None:
        for parameter, best in zip(network.parameters, best_parameters, strict=True):
            np.copyto(parameter, best)
    return history


# --8<-- [end:train]


def _check_validation(network: Network, validation: tuple[object, object]) -> tuple:
    if not isinstance(validation, tuple | list) or len(validation) != 2:
        raise TypeError(f"validation must be a pair (X_val, y_val), got {validation!r:.80}")
    X_val = check_features(
        validation[0], "validation X", n_features=network.n_features, dtype=network.dtype
    )
    y_val = check_labels(validation[1], network.n_classes, "validation y")
    check_same_length(X_val, y_val, "validation X and validation y")
    return X_val, y_val


def _record_validation(network: Network, validation: tuple, history: History) -> bool:
    """Append the validation loss and accuracy; return whether the loss is the best so far."""
    X_val, y_val = validation
    logits = network.forward(X_val)
    loss = mean_cross_entropy(stable_softmax(logits), y_val)
    best_so_far = min(history.validation_loss, default=np.inf)
    history.validation_loss.append(loss)
    history.validation_accuracy.append(accuracy(y_val, logits.argmax(axis=1)))
    return loss < best_so_far


@contextmanager
def _stop_on_ctrl_c() -> Iterator[Callable[[], bool]]:
    """While training, turn Ctrl-C into a request to stop after the current step.

    Python's default handler would raise ``KeyboardInterrupt`` in the middle of
    a step, with some weights updated and others not. Signal handlers can only
    be set from the main thread; elsewhere Ctrl-C keeps its usual meaning.
    """
    requested = threading.Event()
    replaceable = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if replaceable:
        signal.signal(signal.SIGINT, lambda signum, frame: requested.set())
    try:
        yield requested.is_set
    finally:
        if replaceable:
            signal.signal(signal.SIGINT, signal.default_int_handler)
