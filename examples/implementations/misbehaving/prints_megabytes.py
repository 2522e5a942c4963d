"""A correct submission that prints two megabytes when it is imported (debugging output
left in): noisy, but not wrong, so it passes."""

from __future__ import annotations

from examples.implementations import correct

print("debugging output " * 125_000)  # the noise is the point

NeuralNetwork = correct.NeuralNetwork
