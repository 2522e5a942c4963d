"""Watching what a training run does, step by step, without changing it.

One record, :class:`TrainingWatch`, of what training did: the batches it learned from
(their rows, and the labels they went with), every optimiser step, dropout's work and
masks, the rows scored outside training. A thin adapter fills it in for each kind of
network that trains:

- scratchnet's own networks, whoever drives them (its ``train``, the tutorial's
  ``NeuralNetwork``, a configured run: ``scratchnet train``, ``run()``):
  :meth:`TrainingWatch.start` (or :meth:`TrainingWatch.watching`, for a ``with`` block)
  wraps the methods of ``Network``, ``Optimizer`` and ``Dropout`` that training calls (and
  the autograd step, for ``gradients="autograd"``) with recorders that call the original.
  It sees everything: batches, labels (read off the loss gradient), steps, dropout.
- a class with the tutorial's API: :func:`watch_backward` wraps one instance's
  ``backward``, each call of which is one step. It sees the batches and their labels.

A scenario asks the one record in one vocabulary, whichever network it watched: the
batch sizes; the rows and labels of each epoch (:meth:`TrainingWatch.epochs`); the order
each epoch met the data's rows in (:meth:`TrainingWatch.orders`, rows found by value with
:func:`row_numbers`), checked with :func:`assert_each_row_once`; the steps.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pytest

from scratchnet import training
from scratchnet.layers import Dense, Dropout
from scratchnet.network import Network
from scratchnet.optimizers import Optimizer


@dataclass
class Batch:
    """Rows training learned from, as values, and the labels they went with (``None``
    where the watch does not see them): one step's batch, or one epoch's rows."""

    rows: np.ndarray
    labels: np.ndarray | None = None


@dataclass
class Step:
    """One optimiser step: the weights before and after it, the gradients it was given,
    and the gradients backpropagation computed for it (before L2 and clipping)."""

    before: list[np.ndarray]
    after: list[np.ndarray]
    gradients: list[np.ndarray]
    backpropagated: list[np.ndarray]
    names: list[str]


#: How many batches and steps a watch keeps whole; after these it only counts rows, so a
#: long run does not fill the memory with copies.
KEPT = 400


@dataclass
class TrainingWatch:
    """What training did: the rows of every training pass, every step, dropout's work.

    The first :data:`KEPT` batches and steps are kept whole; ``batch_sizes`` has them all.
    """

    batches: list[Batch] = field(default_factory=list)
    batch_sizes: list[int] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    #: The command that was watched, to run it again.
    command: str = ""
    #: Dropout in training: inputs that were not zero, and how many of those it zeroed.
    dropout_inputs: int = 0
    dropout_zeroed: int = 0
    #: Dropout outside training: how many values it changed.
    dropout_changed_outside_training: int = 0
    #: The mask of each training pass through a dropout layer, in order (the first
    #: :data:`KEPT`).
    dropout_masks: list[np.ndarray] = field(default_factory=list)
    #: The inputs of every forward pass outside training (validation, evaluation), in
    #: order (the first :data:`KEPT`).
    scored: list[np.ndarray] = field(default_factory=list)
    _backpropagated: list[np.ndarray] = field(default_factory=list)

    def learned_from(self, rows: object, labels: object = None) -> None:
        """Note one step's batch (kept whole while fewer than :data:`KEPT` are)."""
        rows = np.asarray(rows)
        self.batch_sizes.append(len(rows))
        if len(self.batches) < KEPT:
            kept = None if labels is None else np.array(labels, copy=True)
            self.batches.append(Batch(rows.copy(), kept))

    def start(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Watch scratchnet's networks: wrap the methods training calls; ``monkeypatch``
        undoes it (after the scenario, for the fixture).

        A batch's labels are read off the loss gradient backpropagation starts from
        (:func:`trained_towards`).
        """
        # Training may call the unchecked variants of an optimiser's step and of a layer's
        # forward pass (``update``, ``forward_unchecked``), where the class has them.
        step_name = "update" if hasattr(Optimizer, "update") else "step"
        dropout_name = "forward_unchecked" if hasattr(Dropout, "forward_unchecked") else "forward"
        forward, backward = Network.forward, Network.backward
        autograd_gradients = training.network_gradients
        step, dropout_forward = getattr(Optimizer, step_name), getattr(Dropout, dropout_name)
        watch = self

        def watched_forward(network, X, *, training=False):
            if training:
                watch.learned_from(X)
                watch.trains(network)
            elif len(watch.scored) < KEPT:
                watch.scored.append(np.array(X, copy=True))
            return forward(network, X, training=training)

        def watched_autograd(network, X, labels):
            # With gradients="autograd" a step's forward and backward run on autograd's
            # graph: the batch and its labels are noted here instead.
            watch.learned_from(X, labels)
            watch.trains(network)
            return autograd_gradients(network, X, labels)

        def watched_backward(network, grad_logits):
            if len(watch.batches) == len(watch.batch_sizes):  # the batch was kept whole
                watch.batches[-1].labels = trained_towards(grad_logits)
            backward(network, grad_logits)
            watch._backpropagated = [g.copy() for g in network.gradients]

        def watched_step(optimizer, parameters, gradients):
            network = watch.networks[-1]
            if len(watch.steps) >= KEPT:
                return step(optimizer, parameters, gradients)
            before = [p.copy() for p in network.parameters]
            given = [g.copy() for g in network.gradients]
            step(optimizer, parameters, gradients)
            watch.steps.append(
                Step(
                    before=before,
                    after=[p.copy() for p in network.parameters],
                    gradients=given,
                    backpropagated=watch._backpropagated,
                    names=[name for name, _ in network.named_parameters()],
                )
            )

        def watched_dropout(layer, inputs, *, training=False):
            outputs = dropout_forward(layer, inputs, training=training)
            if training:
                live = inputs != 0
                watch.dropout_inputs += int(live.sum())
                watch.dropout_zeroed += int((live & (outputs == 0)).sum())
                if len(watch.dropout_masks) < KEPT:
                    watch.dropout_masks.append(layer.mask.copy())
            else:
                watch.dropout_changed_outside_training += int((outputs != inputs).sum())
            return outputs

        monkeypatch.setattr(Network, "forward", watched_forward)
        monkeypatch.setattr(Network, "backward", watched_backward)
        monkeypatch.setattr(Optimizer, step_name, watched_step)
        monkeypatch.setattr(Dropout, dropout_name, watched_dropout)
        monkeypatch.setattr(training, "network_gradients", watched_autograd)

    def trains(self, network: Network) -> None:
        """Note the network a training pass went through."""
        if not self.networks or self.networks[-1] is not network:
            self.networks.append(network)

    @classmethod
    @contextlib.contextmanager
    def watching(cls) -> Iterator[TrainingWatch]:
        """A watch of scratchnet's networks (:meth:`start`) for the ``with`` block only."""
        with pytest.MonkeyPatch.context() as monkeypatch:
            watch = cls()
            watch.start(monkeypatch)
            yield watch

    @property
    def network(self) -> Network:
        """The network that was trained (the one every training pass went through)."""
        assert len(self.networks) == 1, f"{len(self.networks)} networks were trained"
        return self.networks[0]

    def hidden_widths(self) -> list[int]:
        """The widths of the trained network's hidden Dense layers."""
        dense = [layer for layer in self.network.layers if isinstance(layer, Dense)]
        return [layer.out_features for layer in dense[:-1]]

    def passes(self, rows: int) -> int:
        """How many passes over ``rows`` rows training made (it must have made whole ones)."""
        seen = sum(self.batch_sizes)
        assert seen % rows == 0, f"{seen} rows trained on, not a multiple of {rows}"
        return seen // rows

    def epochs(self, rows: int) -> list[Batch]:
        """The rows learned from (those kept whole) and their labels, in the order met, cut
        into epochs of ``rows`` rows each; the last one short when training left some out."""

        def cut(joined: np.ndarray) -> list[np.ndarray]:
            return [joined[start : start + rows] for start in range(0, len(joined), rows)]

        seen = cut(np.concatenate([batch.rows for batch in self.batches]))
        if any(batch.labels is None for batch in self.batches):
            return [Batch(epoch) for epoch in seen]
        labels = cut(np.concatenate([batch.labels for batch in self.batches]))
        return [Batch(*epoch) for epoch in zip(seen, labels, strict=True)]

    def orders(self, X: np.ndarray) -> list[np.ndarray]:
        """The order each epoch learned from the rows of ``X`` in: their numbers, found by
        value (:func:`row_numbers`)."""
        return [row_numbers(X, epoch.rows) for epoch in self.epochs(len(X))]


def watch_backward(network: object) -> TrainingWatch:
    """Watch a class with the tutorial's API: each call of this instance's ``backward`` is
    one step, its first two arguments (however passed) the batch and its labels, one-hot
    or not."""
    watch, backward = TrainingWatch(), network.backward
    signature = inspect.signature(backward)

    def watched_backward(*args, **kwargs):
        batch, Y_true = list(signature.bind(*args, **kwargs).arguments.values())[:2]
        shown = np.asarray(Y_true)
        watch.learned_from(batch, shown.argmax(axis=1) if shown.ndim == 2 else shown)
        return backward(*args, **kwargs)

    network.backward = watched_backward
    return watch


def trained_towards(grad_logits: np.ndarray) -> np.ndarray:
    """The label each row's logits were trained towards, read off the loss gradient.

    The gradient of the mean cross-entropy is (p − one-hot) / m: negative at the row's label
    alone, positive elsewhere. −1 for a row whose gradient points at no single label.
    """
    negative, positive = (grad_logits < 0).sum(axis=1), (grad_logits > 0).sum(axis=1)
    single = (negative == 1) & (positive == grad_logits.shape[1] - 1)
    return np.where(single, grad_logits.argmin(axis=1), -1)


def row_numbers(X: np.ndarray, batch: object) -> np.ndarray:
    """Which rows of ``X`` a batch holds, by their values (-1 for a row not in ``X``).

    ``X`` holds values float32 can store exactly, so a batch cast to float32 is found too.
    """
    index = {row.tobytes(): number for number, row in enumerate(np.asarray(X, dtype=np.float64))}
    rows = np.asarray(batch, dtype=np.float64).reshape(-1, X.shape[1])
    return np.array([index.get(row.tobytes(), -1) for row in rows])


def assert_each_row_once(orders: list[np.ndarray], rows: int) -> None:
    """Each epoch's row numbers (:meth:`TrainingWatch.orders`) are 0 to ``rows`` − 1, each
    once; else say which are not."""
    learned = sum(len(order) for order in orders)
    assert learned % rows == 0, (
        f"every epoch should learn from each of the {rows} rows once; training learned from"
        f" {learned} rows in all, not a whole number of epochs (is a last, short batch left out?)"
    )
    for epoch, order in enumerate(orders):
        counts = np.bincount(order[order >= 0], minlength=rows)
        twice, never = np.flatnonzero(counts > 1), np.flatnonzero(counts == 0)
        unknown = int(np.sum(order < 0))
        assert not (len(twice) or len(never) or unknown), (
            f"every epoch should learn from each of the {rows} rows once; epoch {epoch} learned"
            f" from rows {twice.tolist()} more than once, never from rows {never.tolist()}"
            + (f", and from {unknown} rows that are not in the data" if unknown else "")
        )


def summarised(sizes: list[int]) -> str:
    """``[10, 10, 10, 5]`` → ``10 ×3, 5``: runs of equal sizes counted."""
    runs = [(size, len(list(group))) for size, group in itertools.groupby(sizes)]
    return ", ".join(f"{size} ×{count}" if count > 1 else str(size) for size, count in runs)
