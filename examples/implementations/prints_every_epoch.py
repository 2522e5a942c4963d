"""The correct network with one mistake: ``train`` prints its loss after every epoch.

The tutorial's script prints every tenth epoch, from 0 to 90. Everything else
is right, so only the complete example stage must fail.
"""

# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        for epoch in range(epochs):
            order = np.random.permutation(len(X_train))
            for start in range(0, len(X_train), batch_size):
                rows = order[start : start + batch_size]
                self.forward(X_train[rows])
                self.backward(X_train[rows], Y_train[rows])
            # the mistake: no "if epoch % 10 == 0"
            print(f"Epoch {epoch}, Loss: {self.compute_loss(Y_train, self.forward(X_train)):.4f}")
