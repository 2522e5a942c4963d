"""Exercise: scores of 1000 and 1001 break the unshifted softmax but not the shifted one."""

import numpy as np

from examples.implementations.correct import NeuralNetwork

Z = np.array([[1000.0, 1001.0]])
with np.errstate(over="ignore", invalid="ignore"):
    unshifted = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
assert np.isnan(unshifted).all()  # inf / inf

shifted = NeuralNetwork(2, 2, 2).softmax(Z)
# Only the gap of 1 matters: the same as the softmax of (0, 1).
expected = np.array([[1.0, np.e]]) / (1.0 + np.e)
assert np.allclose(shifted, expected, rtol=1e-15)
print(shifted.round(4))
