"""Exercise: train the learner's class on two clouds of points and watch the loss fall."""

# The learner's class draws its weights and its shuffles from NumPy's global generator.
# ruff: noqa: NPY002
import numpy as np

from examples.implementations.correct import NeuralNetwork

np.random.seed(0)
rng = np.random.default_rng(0)
X = np.vstack([rng.normal(-1.0, 0.5, (50, 2)), rng.normal(1.0, 0.5, (50, 2))])
Y = np.eye(2)[[0] * 50 + [1] * 50]

network = NeuralNetwork(input_size=2, hidden_size=8, output_size=2)
before = network.compute_loss(Y, network.forward(X))
for _ in range(200):  # 200 steps on the whole set at a larger learning rate
    network.forward(X)
    network.backward(X, Y, learning_rate=0.5)
after = network.compute_loss(Y, network.forward(X))
assert after < 0.5 * before
accuracy = np.mean(network.predict(X) == Y.argmax(axis=1))
assert accuracy > 0.9
print(f"loss {before:.3f} → {after:.3f}, accuracy {accuracy:.0%}")
