"""The correct network with one mistake: the gradients are not divided by the batch size.

The loss is the mean over the rows, so each gradient needs a 1/m; without it
every step is m times too long (32 times, in batches of 32). The
backpropagation stage must fail first, saying the step is the batch size
times the gradient.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def gradients(self, X, Y_true):
        averaged = super().gradients(X, Y_true)
        # the mistake: as if dZ2 were A2 - Y_true, without "/ len(X)"
        return {name: gradient * len(X) for name, gradient in averaged.items()}
