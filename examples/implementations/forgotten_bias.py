"""The correct network with one mistake: the hidden layer forgets its bias b1 going forward.

The biases start at zero, so nothing shows until b1 moves away from zero. The
forward propagation stage must fail first: Z1 is not X times W1 plus b1.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def forward(self, X):
        self.Z1 = X @ self.W1  # the mistake: + self.b1 is missing
        self.A1 = self.relu(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2
