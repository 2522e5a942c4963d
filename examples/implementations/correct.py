"""A first neural network with the tutorial's API, written the way a learner might.

Like most first networks it draws its starting weights from NumPy's global
random generator (``np.random``), so ``np.random.seed`` is the only way to make
it repeatable; ``scratchnet check`` seeds it that way before building each network.
"""

# The legacy global generator is the point here: this is how a learner's class draws numbers.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np


# --8<-- [start:class]
class NeuralNetwork:
    """input → hidden (ReLU) → output (softmax), trained by mini-batch gradient descent."""

    def __init__(self, input_size: int = 784, hidden_size: int = 128, output_size: int = 10):
        # Small random weights so the hidden units start different; zero biases.
        self.W1 = np.random.standard_normal((input_size, hidden_size)) * 0.01
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = np.random.standard_normal((hidden_size, output_size)) * 0.01
        self.b2 = np.zeros((1, output_size))

    def relu(self, Z: np.ndarray) -> np.ndarray:
        return np.where(Z > 0, Z, 0.0)

    def softmax(self, Z: np.ndarray) -> np.ndarray:
        """Rows of scores ``(batch, classes)`` → rows of probabilities."""
        shifted = np.exp(Z - Z.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """``(batch, input_size)`` → probabilities ``(batch, output_size)``."""
        self.Z1 = X @ self.W1 + self.b1
        self.A1 = self.relu(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2

    def compute_loss(self, Y_true: np.ndarray, Y_pred: np.ndarray) -> float:
        """Mean cross-entropy; ``Y_true`` holds one-hot rows ``(batch, classes)``."""
        # A floor on the probability keeps log(0) finite.
        true_probability = np.sum(Y_true * Y_pred, axis=1)
        return float(-np.mean(np.log(np.maximum(true_probability, 1e-12))))

    def gradients(self, X: np.ndarray, Y_true: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the mean loss after ``forward(X)``, layer by layer from the output."""
        dZ2 = (self.A2 - Y_true) / len(X)
        dZ1 = (dZ2 @ self.W2.T) * self.relu_slope()
        return {
            "W2": self.A1.T @ dZ2,
            "b2": dZ2.sum(axis=0, keepdims=True),
            "W1": X.T @ dZ1,
            "b1": dZ1.sum(axis=0, keepdims=True),
        }

    def relu_slope(self) -> np.ndarray:
        """ReLU's derivative at the last forward pass: 1 where Z1 > 0, else 0."""
        return (self.Z1 > 0).astype(float)

    def backward(self, X: np.ndarray, Y_true: np.ndarray, learning_rate: float = 0.01) -> None:
        """One gradient-descent step for the batch the last ``forward`` saw."""
        for name, gradient in self.gradients(X, Y_true).items():
            self.update(name, learning_rate * gradient)

    def update(self, name: str, step: np.ndarray) -> None:
        setattr(self, name, getattr(self, name) - step)

    def train(
        self, X_train: np.ndarray, Y_train: np.ndarray, epochs: int = 100, batch_size: int = 32
    ) -> None:
        """Shuffle, cut into batches, one step per batch; print the loss every 10 epochs."""
        for epoch in range(epochs):
            X_mixed, Y_mixed = self.shuffled(X_train, Y_train)
            for rows in self.batches(len(X_train), batch_size):
                self.forward(X_mixed[rows])
                self.backward(X_mixed[rows], Y_mixed[rows])
            self.report(epoch, X_train, Y_train)

    def shuffled(self, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows in a new random order, each label kept with its image."""
        order = np.random.permutation(len(X))
        return X[order], Y[order]

    def batches(self, rows: int, batch_size: int) -> list[slice]:
        """Consecutive slices of ``batch_size`` rows; the last one holds what is left."""
        return [slice(start, start + batch_size) for start in range(0, rows, batch_size)]

    def report(self, epoch: int, X: np.ndarray, Y: np.ndarray) -> None:
        """Print the loss on all the rows every 10 epochs, as the tutorial does."""
        if epoch % 10 == 0:
            print(f"Epoch {epoch}, Loss: {self.compute_loss(Y, self.forward(X)):.4f}")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of each row, shape ``(batch,)``."""
        return np.argmax(self.forward(X), axis=1)


# --8<-- [end:class]
