"""The correct network with one mistake: the gradient step never moves the output biases.

The network still learns through everything else, but b2 stays at zero. The
backpropagation stage catches it.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def update(self, name: str, step: np.ndarray) -> None:
        if name != "b2":  # the mistake: the output biases are skipped
            super().update(name, step)
