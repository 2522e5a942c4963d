"""Exercise: softmax of the scores (1, 2, 3), by hand and by the learner's class."""

import math

import numpy as np

from examples.implementations.correct import NeuralNetwork

scores = [1.0, 2.0, 3.0]
total = sum(math.exp(score) for score in scores)
by_hand = [math.exp(score) / total for score in scores]  # 0.0900, 0.2447, 0.6652

network = NeuralNetwork(3, 4, 3)
by_class = network.softmax(np.array([scores]))[0]
assert np.allclose(by_class, by_hand, rtol=1e-15)
# Scores one apart have probabilities in the ratio e.
assert math.isclose(by_hand[2] / by_hand[1], math.e, rel_tol=1e-15)
print([round(p, 4) for p in by_hand])
