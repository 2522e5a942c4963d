"""Weight initialisers: ``(fan_in, fan_out, rng) -> W`` of shape ``(fan_in, fan_out)``.

Every initialiser takes the same three arguments, ``fan_in`` (inputs to the
layer), ``fan_out`` (outputs of the layer) and ``rng`` (the generator the
random values come from), and returns the weights, shape ``(fan_in, fan_out)``.
Biases always start at zero; only the weights need a random start, so that
hidden units differ from each other (see the symmetry scenario).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scratchnet.validation import lookup

Initializer = Callable[[int, int, np.random.Generator], np.ndarray]


# --8<-- [start:initializers]
def tutorial(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """The tutorial's start: standard normal values times 0.01."""
    return rng.standard_normal((fan_in, fan_out)) * 0.01


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He et al. (2015): normal with standard deviation ``sqrt(2 / fan_in)``, suited to ReLU."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot & Bengio (2010): uniform in ``±sqrt(6 / (fan_in + fan_out))``, suited to tanh."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def zeros(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """All zeros: every hidden unit starts identical (a demonstration, not a choice)."""
    return np.zeros((fan_in, fan_out))


INITIALIZERS: dict[str, Initializer] = {
    "tutorial": tutorial,
    "he": he_normal,
    "xavier": xavier_uniform,
    "zeros": zeros,
}
# --8<-- [end:initializers]


def get_initializer(name: str) -> Initializer:
    """Look an initialiser up by the name a user types.

    Args:
        name: A key of ``INITIALIZERS``: ``"he"``, ``"xavier"``, ...

    Returns:
        The initialiser, a function ``(fan_in, fan_out, rng) -> W``.

    Raises:
        ValueError: ``name`` is not in ``INITIALIZERS``.
    """
    return lookup(INITIALIZERS, name, "init")
