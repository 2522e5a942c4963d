"""The correct network with one mistake: the biases are updated with ``+=``, up the gradient.

The weights go downhill, so the loss still falls for a while. The
backpropagation stage must fail first, saying the biases moved the wrong way.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def update(self, name, step):
        if name.startswith("b"):
            setattr(self, name, getattr(self, name) + step)  # the mistake: + instead of -
        else:
            super().update(name, step)
