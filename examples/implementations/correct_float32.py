"""A correct network that computes in single precision (float32) and draws W2 before W1.

Every array it keeps is float32, as a learner saving memory might write it, so
its numbers round about a billion times more coarsely than float64's. The
check must hold it to float32's rounding, not float64's: it passes every stage.
"""

# This is how a learner's class draws numbers: from NumPy's global generator.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

SINGLE = np.float32


class NeuralNetwork:
    def __init__(self, input_size=784, hidden_size=128, output_size=10):
        self.W2 = (np.random.randn(hidden_size, output_size) * 0.01).astype(SINGLE)
        self.W1 = (np.random.randn(input_size, hidden_size) * 0.01).astype(SINGLE)
        self.b1 = np.zeros((1, hidden_size), dtype=SINGLE)
        self.b2 = np.zeros((1, output_size), dtype=SINGLE)

    def relu(self, Z):
        return np.maximum(Z, SINGLE(0))

    def softmax(self, Z):
        e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)

    def forward(self, X):
        X = np.asarray(X, dtype=SINGLE)
        self.Z1 = X @ self.W1 + self.b1
        self.A1 = self.relu(self.Z1)
        self.Z2 = self.A1 @ self.W2 + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2

    def compute_loss(self, Y_true, Y_pred):
        picked = np.sum(np.asarray(Y_true, dtype=SINGLE) * Y_pred, axis=1)
        return float(np.mean(-np.log(np.clip(picked, SINGLE(1e-7), SINGLE(1)))))

    def backward(self, X, Y_true, learning_rate=0.01):
        X = np.asarray(X, dtype=SINGLE)
        m = X.shape[0]
        dZ2 = (self.A2 - np.asarray(Y_true, dtype=SINGLE)) / SINGLE(m)
        dW2 = self.A1.T @ dZ2
        db2 = dZ2.sum(axis=0, keepdims=True)
        dZ1 = (dZ2 @ self.W2.T) * (self.Z1 > 0)
        dW1 = X.T @ dZ1
        db1 = dZ1.sum(axis=0, keepdims=True)
        rate = SINGLE(learning_rate)
        self.W1 -= rate * dW1
        self.b1 -= rate * db1
        self.W2 -= rate * dW2
        self.b2 -= rate * db2

    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        n = X_train.shape[0]
        for epoch in range(epochs):
            mixed = np.random.permutation(n)
            # cut the shuffled row numbers at 32, 64, ...: what is left is the last batch
            for rows in np.array_split(mixed, np.arange(batch_size, n, batch_size)):
                self.forward(X_train[rows])
                self.backward(X_train[rows], Y_train[rows])
            if epoch % 10 == 0:
                loss = self.compute_loss(Y_train, self.forward(X_train))
                print(f"Epoch {epoch}, Loss: {loss:.4f}")

    def predict(self, X):
        return np.argmax(self.forward(X), axis=1)
