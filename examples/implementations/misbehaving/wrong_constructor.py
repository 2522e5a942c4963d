"""A submission whose constructor takes one list of layer sizes, and that calls its
training method ``fit``: it cannot be driven the tutorial's way at all."""

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def __init__(self, sizes: list[int]) -> None:  # the mistake: not (input, hidden, output)
        super().__init__(*sizes)

    train = None  # the other mistake: the training method is called fit

    def fit(self, X: np.ndarray, Y: np.ndarray, epochs: int, batch_size: int) -> None:
        correct.NeuralNetwork.train(self, X, Y, epochs, batch_size)
