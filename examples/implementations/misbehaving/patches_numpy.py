"""A submission that rewrites a NumPy function when it is imported.

Checked in the same process as other classes, it would make every ``np.array_equal``
in the specification's steps say "equal", for every class; each class is checked in
a process of its own, so it changes nothing but its own verdict.
"""

from __future__ import annotations

import numpy as np

from examples.implementations import correct

np.array_equal = lambda *arrays, **options: True  # the mischief


class NeuralNetwork(correct.NeuralNetwork):
    pass
