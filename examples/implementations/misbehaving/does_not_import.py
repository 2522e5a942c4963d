"""A submission whose module cannot be imported: it needs a package that is not installed."""

from __future__ import annotations

import numpy_helpers_from_the_course  # noqa: F401 - the mistake: no such package

from examples.implementations import correct


class NeuralNetwork(correct.NeuralNetwork):
    pass
