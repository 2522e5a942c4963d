"""The correct network with one mistake: softmax does not subtract the row's largest score.

For ordinary scores the probabilities are right, but e to the power of 1000
overflows to infinity and the probabilities become NaN. The softmax stage catches it.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def softmax(self, Z: np.ndarray) -> np.ndarray:
        exponentials = np.exp(Z)  # the mistake: no Z - Z.max(axis=1, keepdims=True)
        return exponentials / exponentials.sum(axis=1, keepdims=True)
