"""The correct network with one mistake: backpropagation ignores ReLU's derivative.

The hidden layer's gradient passes through every unit, even those ReLU switched
off, so W1's and b1's gradients are wrong. The backpropagation stage catches it.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


# --8<-- [start:mistake]
class NeuralNetwork(correct.NeuralNetwork):
    def relu_slope(self) -> np.ndarray:
        return np.ones_like(self.Z1)  # the mistake: should be 1 only where Z1 > 0


# --8<-- [end:mistake]
