"""Exercise: check the learner's gradients on a 3 → 4 → 2 network by finite differences."""

# The learner's class draws its weights from NumPy's global generator.
# ruff: noqa: NPY002
import numpy as np

from examples.implementations.correct import NeuralNetwork

np.random.seed(0)
network = NeuralNetwork(3, 4, 2)
network.W1 *= 100  # larger weights, so the check is not dominated by tiny numbers
network.W2 *= 100
X = np.random.standard_normal((5, 3))
Y = np.eye(2)[[0, 1, 1, 0, 1]]

network.forward(X)
analytic = network.gradients(X, Y)


def relative_error(name: str, epsilon: float = 1e-6) -> float:
    parameter = getattr(network, name)
    numerical = np.zeros_like(parameter)
    for index in np.ndindex(parameter.shape):
        kept = parameter[index]
        parameter[index] = kept + epsilon
        up = network.compute_loss(Y, network.forward(X))
        parameter[index] = kept - epsilon
        down = network.compute_loss(Y, network.forward(X))
        parameter[index] = kept
        numerical[index] = (up - down) / (2 * epsilon)
    gap = np.linalg.norm(numerical - analytic[name])
    return gap / (np.linalg.norm(numerical) + np.linalg.norm(analytic[name]))


errors = {name: relative_error(name) for name in ("W1", "b1", "W2", "b2")}
assert all(error < 1e-7 for error in errors.values()), errors
print({name: f"{error:.1e}" for name, error in errors.items()})
