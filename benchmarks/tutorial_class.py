"""The tutorial's network class as the tutorial writes its algorithm: the reference timing.

Written for the benchmark in this project's own words. It keeps the
tutorial's habits that cost time: one-hot targets, a shuffled copy of the
whole training set every epoch, separate arrays for every intermediate, and a
full-set loss printed every 10 epochs. Randomness comes from a
``numpy.random.Generator``, as everywhere in scratchnet.
"""

from __future__ import annotations

import numpy as np


class TutorialNetwork:
    """input → hidden (ReLU) → output (softmax), trained by mini-batch gradient descent."""

    def __init__(
        self, input_size: int, hidden_size: int, output_size: int, rng: np.random.Generator
    ):
        self.rng = rng
        self.W1 = rng.standard_normal((input_size, hidden_size)) * 0.01
        self.b1 = np.zeros((1, hidden_size))
        self.W2 = rng.standard_normal((hidden_size, output_size)) * 0.01
        self.b2 = np.zeros((1, output_size))

    def softmax(self, Z: np.ndarray) -> np.ndarray:
        exps = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        return exps / np.sum(exps, axis=1, keepdims=True)

    def forward(self, X: np.ndarray) -> np.ndarray:
        self.Z1 = np.dot(X, self.W1) + self.b1
        self.A1 = np.maximum(0, self.Z1)
        self.Z2 = np.dot(self.A1, self.W2) + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2

    def compute_loss(self, Y: np.ndarray, P: np.ndarray) -> float:
        P = np.clip(P, 1e-10, 1 - 1e-10)
        return -np.sum(Y * np.log(P)) / Y.shape[0]

    def backward(self, X: np.ndarray, Y: np.ndarray, learning_rate: float = 0.01) -> None:
        m = X.shape[0]
        dZ2 = self.A2 - Y
        dW2 = np.dot(self.A1.T, dZ2) / m
        db2 = np.sum(dZ2, axis=0, keepdims=True) / m
        dZ1 = np.dot(dZ2, self.W2.T) * (self.Z1 > 0)
        dW1 = np.dot(X.T, dZ1) / m
        db1 = np.sum(dZ1, axis=0, keepdims=True) / m
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1

    def train(self, X: np.ndarray, Y: np.ndarray, epochs: int = 100, batch_size: int = 32) -> None:
        for epoch in range(epochs):
            order = self.rng.permutation(X.shape[0])
            X_shuffled, Y_shuffled = X[order], Y[order]
            for start in range(0, X.shape[0], batch_size):
                X_batch = X_shuffled[start : start + batch_size]
                Y_batch = Y_shuffled[start : start + batch_size]
                self.forward(X_batch)
                self.backward(X_batch, Y_batch)
            if epoch % 10 == 0:
                loss = self.compute_loss(Y, self.forward(X))
                print(f"Epoch {epoch}, Loss: {loss:.4f}")

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self.forward(X), axis=1)
