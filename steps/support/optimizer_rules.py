"""Each optimiser's first step from a fresh state, written out in plain NumPy.

The robustness contract calls the ``step`` of every name in ``OPTIMIZERS`` with any
value Hypothesis draws, and compares each step taken with the rule here. So adding
an optimiser adds its line here, beside its own scenarios, and nothing to the
robustness feature; an optimiser without a line fails that feature, saying so.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: The settings every optimiser is made with: ``make_optimizer(name, LEARNING_RATE,
#: momentum=MOMENTUM)``, the optimiser's other settings at their defaults.
LEARNING_RATE = 0.1
MOMENTUM = 0.9

#: parameter, gradient → the parameter after the first step, by the name a user types.
FIRST_STEPS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "sgd": lambda p, g: p - LEARNING_RATE * g,
    # The velocity starts at zero, so the first step is −η·g ...
    "momentum": lambda p, g: p - LEARNING_RATE * g,
    # ... and Nesterov's look-ahead adds μ times that velocity once more.
    "nesterov": lambda p, g: p - LEARNING_RATE * (1 + MOMENTUM) * g,
    # Bias-corrected moments of one gradient are g and g²: a step of η in g's direction.
    "adam": lambda p, g: p - LEARNING_RATE * g / (np.abs(g) + 1e-8),
    # The running mean of g² after one step is (1 − ρ)·g², with ρ = 0.9.
    "rmsprop": lambda p, g: p - LEARNING_RATE * g / (np.sqrt(0.1) * np.abs(g) + 1e-8),
}
