"""Ways to keep training in check: L2 weight decay and gradient clipping."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


# --8<-- [start:l2]
def l2_penalty(weights: Sequence[np.ndarray], strength: float) -> float:
    """``strength / 2 · Σ‖W‖²`` over the weight matrices (biases are not decayed).

    Args:
        weights: The weight matrices.
        strength: λ.

    Returns:
        ``λ/2 · Σ‖W‖²``.
    """
    return 0.5 * strength * float(sum(np.sum(w * w) for w in weights))


def add_l2_gradient(
    weights: Sequence[np.ndarray], gradients: Sequence[np.ndarray], strength: float
) -> None:
    """Add the penalty's gradient, ``strength · W``, to each weight's gradient in place.

    Args:
        weights: The weight matrices.
        gradients: Their gradients, updated in place.
        strength: λ.

    Raises:
        ValueError: ``weights`` and ``gradients`` differ in length.
    """
    if len(weights) != len(gradients):
        raise ValueError(
            f"weights and gradients must align, got {len(weights)} and {len(gradients)}"
        )
    for weight, gradient in zip(weights, gradients, strict=True):
        gradient += strength * weight


# --8<-- [end:l2]


# --8<-- [start:clip]
def global_norm(gradients: Sequence[np.ndarray]) -> float:
    """The L2 norm of all gradients taken together, as if they were one long vector.

    Args:
        gradients: Gradient arrays.

    Returns:
        ``√(Σ‖g‖²)`` over all of them.
    """
    # vdot flattens each array and sums the squares in one BLAS call.
    return math.sqrt(sum(float(np.vdot(g, g)) for g in gradients))


def clip_by_global_norm(
    gradients: Sequence[np.ndarray], max_norm: float, *, norm: float | None = None
) -> float:
    """Scale all gradients together so that their joint L2 norm is at most ``max_norm``.

    Returns the norm before clipping (pass ``norm`` when it is already known).
    The direction of the whole update is kept; only its length shrinks.

    Args:
        gradients: Gradient arrays, scaled in place.
        max_norm: The largest global norm allowed.
        norm: Their global norm, if already known.

    Returns:
        The global norm before clipping.
    """
    if norm is None:
        norm = global_norm(gradients)
    if norm > max_norm:
        scale = max_norm / norm
        for gradient in gradients:
            gradient *= scale
    return norm


# --8<-- [end:clip]
