"""The correct network with one mistake: the gradient step never moves the biases.

The network still learns through its weights, but b1 and b2 stay at zero. The
backpropagation stage catches it.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def update(self, name: str, step: np.ndarray) -> None:
        if name.startswith("W"):  # the mistake: b1 and b2 are skipped
            super().update(name, step)
