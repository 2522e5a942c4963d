"""A first neural network with the tutorial's API, written the way a learner might.

Like most first networks it draws its starting weights from NumPy's global
random generator (`np.random`), so `np.random.seed` is the only way to make
it repeatable; `scratchnet check` seeds it that way before building each network.
"""

# The legacy global generator is the point here: this is how a learner's class draws numbers.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np


# --8<-- [start:class]
class NeuralNetwork:
    """input → hidden (ReLU) → output (softmax), trained by mini-batch gradient descent."""

    # --8<-- [start:init]
    def __init__(self, input_size: int = 784, hidden_size: int = 128, output_size: int = 10):
        # Small random weights so the hidden units start different; zero biases.
        self.W1 = np.random.standard_normal((input_size, hidden_size)) * 0.01
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = np.random.standard_normal((hidden_size, output_size)) * 0.01
        self.b2 = np.zeros((1, output_size))

    # --8<-- [end:init]
    # --8<-- [start:relu]
    def relu(self, Z: np.ndarray) -> np.ndarray:
        return np.where(Z > 0, Z, 0.0)

    # --8<-- [end:relu]
    # --8<-- [start:softmax]
    def softmax(self, Z: np.ndarray) -> np.ndarray:
        """Rows of scores `(batch, classes)` → rows of probabilities."""
        shifted = np.exp(Z - Z.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    # --8<-- [end:softmax]
    # --8<-- [start:forward]
    def forward(self, X: np.ndarray) -> np.ndarray:
        """`(batch, input_size)` → probabilities `(batch, output_size)`."""
        self.Z1 = X @ self.W1 + self.b1
        self.A1 = self.relu(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2

    # --8<-- [end:forward]
    # --8<-- [start:loss]
    def compute_loss(self, Y_true: np.ndarray, Y_pred: np.ndarray) -> float:
        """Mean cross-entropy; `Y_true` holds one-hot rows `(batch, classes)`."""
        # A floor on the probability keeps log(0) finite.
        true_probability = np.sum(Y_true * Y_pred, axis=1)
        return float(-np.mean(np.log(np.maximum(true_probability, 1e-12))))

    # --8<-- [end:loss]
    # --8<-- [start:gradients]
    def gradients(self, X: np.ndarray, Y_true: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of the mean loss after `forward(X)`, layer by layer from the output."""
        m = len(X)  # rows in the batch; the loss is their mean
        dZ2 = (self.A2 - Y_true) / m  # (m, output): softmax and cross-entropy together
        dW2 = self.A1.T @ dZ2  # (hidden, output), the shape of W2
        db2 = dZ2.sum(axis=0, keepdims=True)  # (1, output), the shape of b2
        dA1 = dZ2 @ self.W2.T  # (m, hidden)
        dZ1 = dA1 * self.relu_slope()  # (m, hidden): zero where ReLU was off
        dW1 = X.T @ dZ1  # (input, hidden), the shape of W1
        db1 = dZ1.sum(axis=0, keepdims=True)  # (1, hidden), the shape of b1
        return {"W2": dW2, "b2": db2, "W1": dW1, "b1": db1}

    def relu_slope(self) -> np.ndarray:
        """ReLU's derivative at the last forward pass: 1 where Z1 > 0, else 0."""
        return (self.Z1 > 0).astype(float)

    # --8<-- [end:gradients]
    # --8<-- [start:backward]
    def backward(self, X: np.ndarray, Y_true: np.ndarray, learning_rate: float = 0.01) -> None:
        """One gradient-descent step for the batch the last `forward` saw."""
        for name, gradient in self.gradients(X, Y_true).items():
            self.update(name, learning_rate * gradient)

    def update(self, name: str, step: np.ndarray) -> None:
        setattr(self, name, getattr(self, name) - step)

    # --8<-- [end:backward]
    # --8<-- [start:train]
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

    # --8<-- [end:train]
    # --8<-- [start:predict]
    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of each row, shape `(batch,)`."""
        return np.argmax(self.forward(X), axis=1)

    # --8<-- [end:predict]


# --8<-- [end:class]
