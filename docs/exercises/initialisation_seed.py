"""Exercise: make the starting weights repeatable, and see that another seed changes them."""

# The learner's class draws from NumPy's global generator, so a seed is set before each build.
# ruff: noqa: NPY002
import numpy as np

from examples.implementations.correct import NeuralNetwork

np.random.seed(7)
first = NeuralNetwork(64, 128, 10).W1
np.random.seed(7)
again = NeuralNetwork(64, 128, 10).W1
np.random.seed(8)
other = NeuralNetwork(64, 128, 10).W1
assert np.array_equal(first, again)  # same seed, same weights, bit for bit
assert not np.array_equal(first, other)  # another seed, other weights
# 0.01 times a standard normal: a spread of about 0.01 over 8,192 weights.
assert 0.009 < first.std() < 0.011
print(f"standard deviation of W1: {first.std():.4f}")
