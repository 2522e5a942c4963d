"""The correct network with one mistake: ``train`` skips the last, smaller batch of each epoch.

With 1,437 training rows in batches of 32, the last 29 rows of every shuffle are
never learned from. The training stage must fail first: not every row is
visited once per epoch.
"""

# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        for epoch in range(epochs):
            order = np.random.permutation(len(X_train))
            for batch in range(len(X_train) // batch_size):  # the mistake: rounds down
                rows = order[batch * batch_size : (batch + 1) * batch_size]
                self.forward(X_train[rows])
                self.backward(X_train[rows], Y_train[rows])
            if epoch % 10 == 0:
                print(
                    f"Epoch {epoch}, Loss: {self.compute_loss(Y_train, self.forward(X_train)):.4f}"
                )
