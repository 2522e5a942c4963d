"""Exercise: check by finite differences that the gradient of the loss with respect to the
scores is (A2 − Y) / m."""

import numpy as np

rng = np.random.default_rng(1)
m, classes = 4, 3
Z2 = rng.standard_normal((m, classes))
Y = np.eye(classes)[[0, 2, 1, 2]]


def loss(scores: np.ndarray) -> float:
    probabilities = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return float(-np.mean(np.sum(Y * np.log(probabilities), axis=1)))


A2 = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
formula = (A2 - Y) / m
epsilon = 1e-6
numerical = np.zeros_like(Z2)
for index in np.ndindex(Z2.shape):
    nudge = np.zeros_like(Z2)
    nudge[index] = epsilon
    numerical[index] = (loss(Z2 + nudge) - loss(Z2 - nudge)) / (2 * epsilon)
assert np.allclose(numerical, formula, atol=1e-9)
print(f"largest gap: {np.abs(numerical - formula).max():.1e}")
