"""A submission whose ``forward`` never returns (here it sleeps for an hour)."""

from __future__ import annotations

import time

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def forward(self, X: np.ndarray) -> np.ndarray:
        time.sleep(3600)  # the mistake: a loop that never ends, as far as the check can tell
        return super().forward(X)
