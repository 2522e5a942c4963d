"""The correct network with one mistake: the loss adds up the rows instead of averaging them.

The gradients are still those of the mean, so training works, but the loss of a
batch of 50 is 50 times too large. The loss stage must fail first.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def compute_loss(self, Y_true, Y_pred):
        true_probability = np.sum(Y_true * Y_pred, axis=1)
        return float(-np.sum(np.log(np.maximum(true_probability, 1e-12))))  # the mistake: sum
