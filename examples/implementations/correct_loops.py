"""A correct network written one row at a time, with softmax through log-sum-exp.

It adds up its gradients row by row instead of with matrix products, takes
softmax as exp(z − logsumexp(z)), keeps log(0) away by adding 1e-8 inside the
log, and draws its weights with ``np.random.normal`` (scale 0.01), W2 first.
Each of these is a correct way to write the tutorial's network, so it passes
every stage; its sums round in another order than scratchnet's.
"""

# This is how a learner's class draws numbers: from NumPy's global generator.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np


class NeuralNetwork:
    def __init__(self, input_size=784, hidden_size=128, output_size=10):
        self.W2 = np.random.normal(0.0, 0.01, (hidden_size, output_size))
        self.W1 = np.random.normal(0.0, 0.01, (input_size, hidden_size))
        self.b1 = np.zeros((1, hidden_size))
        self.b2 = np.zeros((1, output_size))

    def relu(self, Z):
        return Z * (Z > 0)

    def softmax(self, Z):
        top = Z.max(axis=1, keepdims=True)
        log_total = top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))
        return np.exp(Z - log_total)

    def forward(self, X):
        self.Z1 = np.dot(X, self.W1) + self.b1
        self.A1 = self.relu(self.Z1)
        self.Z2 = np.dot(self.A1, self.W2) + self.b2
        self.A2 = self.softmax(self.Z2)
        return self.A2

    def compute_loss(self, Y_true, Y_pred):
        total = 0.0
        for truth, guess in zip(Y_true, Y_pred, strict=True):
            total -= np.sum(truth * np.log(guess + 1e-8))
        return total / len(Y_true)

    def backward(self, X, Y_true, learning_rate=0.01):
        m = len(X)
        dW1, db1 = np.zeros_like(self.W1), np.zeros_like(self.b1)
        dW2, db2 = np.zeros_like(self.W2), np.zeros_like(self.b2)
        for x, a1, z1, a2, y in zip(X, self.A1, self.Z1, self.A2, Y_true, strict=True):
            error_out = (a2 - y) / m
            dW2 += np.outer(a1, error_out)
            db2 += error_out
            error_hidden = (self.W2 @ error_out) * (z1 > 0)
            dW1 += np.outer(x, error_hidden)
            db1 += error_hidden
        self.W1 = self.W1 - learning_rate * dW1
        self.b1 = self.b1 - learning_rate * db1
        self.W2 = self.W2 - learning_rate * dW2
        self.b2 = self.b2 - learning_rate * db2

    def train(self, X_train, Y_train, epochs=100, batch_size=32):
        n = len(X_train)
        for epoch in range(epochs):
            order = np.arange(n)
            np.random.shuffle(order)
            for start in range(0, n, batch_size):
                chosen = order[start : start + batch_size]
                self.forward(X_train[chosen])
                self.backward(X_train[chosen], Y_train[chosen])
            if epoch % 10 == 0:
                loss = self.compute_loss(Y_train, self.forward(X_train))
                print(f"Epoch {epoch}, Loss: {loss:.4f}")

    def predict(self, X):
        return self.forward(X).argmax(axis=1)
