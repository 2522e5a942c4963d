"""The correct network with one mistake: ``predict`` returns the probabilities, not the digits.

It forgets the argmax, so each row gets ten numbers back instead of one digit.
The prediction stage must fail first.
"""

from __future__ import annotations

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    def predict(self, X):
        return self.forward(X)  # the mistake: no argmax over each row
