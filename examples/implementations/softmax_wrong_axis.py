"""The correct network with one mistake: softmax divides by the column totals, not the rows'.

``sum(axis=0)`` adds up each class over the whole batch, so one row on its own
looks right but a batch's rows no longer sum to one. The softmax stage must
fail first.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def softmax(self, Z):
        e = np.exp(Z - Z.max(axis=1, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)  # the mistake: axis=0 instead of axis=1
