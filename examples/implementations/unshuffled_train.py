"""The correct network with one mistake: ``train`` never shuffles the rows.

Every epoch meets the rows in the order they were given. It still learns the
digits well, so only watching what ``train`` feeds to the network shows it: the
training stage must fail first.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def shuffled(self, X, Y):
        return X, Y  # the mistake: no shuffle
