"""The correct network with one mistake: ``train`` shuffles images and labels separately.

Two separate permutations pair every image with another image's label, so the
network learns noise. The training stage must fail first: the labels do not
travel with their images.
"""

# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        for epoch in range(epochs):
            X_mixed = X_train[np.random.permutation(len(X_train))]
            Y_mixed = Y_train[np.random.permutation(len(Y_train))]  # the mistake: another order
            for start in range(0, len(X_train), batch_size):
                X_batch, Y_batch = (
                    X_mixed[start : start + batch_size],
                    Y_mixed[start : start + batch_size],
                )
                self.forward(X_batch)
                self.backward(X_batch, Y_batch)
            if epoch % 10 == 0:
                print(
                    f"Epoch {epoch}, Loss: {self.compute_loss(Y_train, self.forward(X_train)):.4f}"
                )
