"""The correct network with one mistake: ``train`` never shuffles the rows.

Every epoch meets the rows in the order they were given. It still learns the
digits well, so only watching what ``train`` feeds to the network shows it: the
training stage must fail first.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        for epoch in range(epochs):
            for start in range(0, len(X_train), batch_size):  # the mistake: no shuffle
                X_batch, Y_batch = (
                    X_train[start : start + batch_size],
                    Y_train[start : start + batch_size],
                )
                self.forward(X_batch)
                self.backward(X_batch, Y_batch)
            if epoch % 10 == 0:
                print(
                    f"Epoch {epoch}, Loss: {self.compute_loss(Y_train, self.forward(X_train)):.4f}"
                )
