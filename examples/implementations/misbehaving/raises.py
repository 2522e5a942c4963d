"""A submission whose ``forward`` raises for most batches: it adds b1 as a column
``(hidden, 1)`` instead of a row, which NumPy can broadcast only when the batch has
one row or as many rows as hidden units."""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def forward(self, X: np.ndarray) -> np.ndarray:
        self.Z1 = X @ self.W1 + self.b1.T  # the mistake: b1 turned into a column
        self.A1 = self.relu(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2
