"""Watching what training does, step by step, without changing it.

:class:`TrainingWatch` wraps scratchnet's public methods (a network's forward and
backward passes, a dropout layer's forward pass, an optimiser's step) with
recorders that call the original, so a scenario can check that a setting took
effect in the steps themselves rather than in what a report echoes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from scratchnet.layers import Dense, Dropout
from scratchnet.network import Network
from scratchnet.optimizers import Optimizer


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

    batches: list[np.ndarray] = field(default_factory=list)
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
    _backpropagated: list[np.ndarray] = field(default_factory=list)

    def start(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrap the methods training calls; ``monkeypatch`` undoes it after the scenario."""
        # Training may call the unchecked variants of an optimiser's step and of a layer's
        # forward pass (``update``, ``forward_unchecked``), where the class has them.
        step_name = "update" if hasattr(Optimizer, "update") else "step"
        dropout_name = "forward_unchecked" if hasattr(Dropout, "forward_unchecked") else "forward"
        forward, backward = Network.forward, Network.backward
        step, dropout_forward = getattr(Optimizer, step_name), getattr(Dropout, dropout_name)
        watch = self

        def watched_forward(network, X, *, training=False):
            if training:
                watch.batch_sizes.append(len(X))
                if len(watch.batches) < KEPT:
                    watch.batches.append(np.array(X, copy=True))
                if not watch.networks or watch.networks[-1] is not network:
                    watch.networks.append(network)
            return forward(network, X, training=training)

        def watched_backward(network, grad_logits):
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
            else:
                watch.dropout_changed_outside_training += int((outputs != inputs).sum())
            return outputs

        monkeypatch.setattr(Network, "forward", watched_forward)
        monkeypatch.setattr(Network, "backward", watched_backward)
        monkeypatch.setattr(Optimizer, step_name, watched_step)
        monkeypatch.setattr(Dropout, dropout_name, watched_dropout)

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

    def epochs(self, rows: int) -> list[np.ndarray]:
        """The rows trained on, one array per pass of ``rows`` rows each (those kept whole)."""
        self.passes(rows)
        seen = np.concatenate(self.batches)
        return [seen[start : start + rows] for start in range(0, len(seen) - rows + 1, rows)]


def sorted_rows(X: np.ndarray) -> np.ndarray:
    """The rows of ``X`` in a fixed order (by their values), to compare sets of rows."""
    return X[np.lexsort(X.T[::-1])]
