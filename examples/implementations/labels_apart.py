"""The correct network with one mistake: ``train`` shuffles images and labels separately.

Two separate permutations pair every image with another image's label, so the
network learns noise. The training stage must fail first: the labels do not
travel with their images.
"""

# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def shuffled(self, X, Y):
        # the mistake: two permutations, so the labels end up in another order than the images
        return X[np.random.permutation(len(X))], Y[np.random.permutation(len(Y))]
