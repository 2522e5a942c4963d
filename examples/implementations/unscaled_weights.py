"""The correct network with one mistake: the starting weights are not scaled by 0.01.

Standard normal weights make the first scores large, so the untrained network is
already sure of itself and its first loss is far from ln 10. The initialisation
stage must fail first: the weights' spread is 1, not 0.01.
"""

# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def __init__(self, input_size=784, hidden_size=128, output_size=10):
        super().__init__(input_size, hidden_size, output_size)
        self.W1 = np.random.randn(input_size, hidden_size)  # the mistake: no * 0.01
        self.W2 = np.random.randn(hidden_size, output_size)
