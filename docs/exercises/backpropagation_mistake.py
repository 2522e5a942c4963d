"""Exercise: forget ReLU's derivative, and see which gradients go wrong."""

# The learner's class draws its weights from NumPy's global generator.
# ruff: noqa: NPY002
import numpy as np

from examples.implementations.correct import NeuralNetwork


class Forgetful(NeuralNetwork):
    def relu_slope(self) -> np.ndarray:
        return np.ones_like(self.Z1)  # the mistake: every unit passes the gradient back


np.random.seed(0)
right, wrong = NeuralNetwork(3, 4, 2), Forgetful(3, 4, 2)
for name in ("W1", "b1", "W2", "b2"):
    setattr(wrong, name, getattr(right, name).copy())
X = np.random.standard_normal((5, 3))
Y = np.eye(2)[[0, 1, 1, 0, 1]]
right.forward(X)
wrong.forward(X)
good, bad = right.gradients(X, Y), wrong.gradients(X, Y)

assert np.array_equal(good["W2"], bad["W2"])  # the output layer is not affected
assert np.array_equal(good["b2"], bad["b2"])
off = int((right.Z1 <= 0).sum())  # hidden values that ReLU switched off
assert off > 0
# Through the switched-off units the mistake sends gradient back to the first layer.
gap = np.linalg.norm(good["W1"] - bad["W1"])
relative = gap / (np.linalg.norm(good["W1"]) + np.linalg.norm(bad["W1"]))
assert relative > 0.01
print(f"{off} of {right.Z1.size} hidden values off; W1's gradient off by {relative:.0%}")
