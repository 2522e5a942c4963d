"""Exercise: the shape of every array of the forward pass, for 5 MNIST images."""

import numpy as np

from examples.implementations.correct import NeuralNetwork

network = NeuralNetwork(input_size=784, hidden_size=128, output_size=10)
X = np.zeros((5, 784))  # five images of 28 × 28 pixels, one per row
network.forward(X)
shapes = {name: getattr(network, name).shape for name in ("Z1", "A1", "Z2", "A2")}
assert shapes == {"Z1": (5, 128), "A1": (5, 128), "Z2": (5, 10), "A2": (5, 10)}
print(shapes)
