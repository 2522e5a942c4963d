"""Check backpropagation against central finite differences."""

from __future__ import annotations

import copy

import numpy as np

from scratchnet.losses import fused_softmax_cross_entropy
from scratchnet.network import Network
from scratchnet.validation import EPSILON, check_features, check_labels, check_same_length


# --8<-- [start:gradcheck]
def gradcheck(network: Network, X: object, y: object, *, epsilon: float = 1e-6) -> dict[str, float]:
    """Relative error between backpropagated and numerical gradients, per parameter.

    For every entry θ of every parameter the numerical gradient is
    ``(L(θ + ε) − L(θ − ε)) / 2ε``. The error for a parameter array is
    ``‖numerical − analytic‖ / (‖numerical‖ + ‖analytic‖)``: about 1e-7 or
    less means backpropagation is right, 1e-2 or more means it is wrong. It is
    0 when both gradients are zero (a parameter the loss does not depend on).
    The check runs on a float64 copy; ``network`` itself is not changed. It runs
    in training mode, so dropout is checked too: every forward pass draws the
    same dropout mask, because each layer's random generator is rewound to
    where it stood before the first pass.

    Args:
        network: The network to check.
        X: Inputs of shape ``(batch, features)``.
        y: Labels of shape ``(batch,)`` or one-hot rows.
        epsilon: The step ε of the finite differences.

    Returns:
        The relative error for each parameter, by name (``"W1"``, ``"b1"``, ...).
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a scratchnet Network, got {type(network).__name__}")
    epsilon = EPSILON.check(epsilon, "epsilon")
    work = copy.deepcopy(network)
    for layer in work.layers:
        for name, value in layer.parameters.items():
            layer.parameters[name] = value.astype(np.float64)
    work.dtype = np.dtype(np.float64)
    X = check_features(X, "X", n_features=work.n_features, dtype=np.float64)
    labels = check_labels(y, work.n_classes, "y")
    check_same_length(X, labels)

    generators = [layer.rng for layer in work.layers if hasattr(layer, "rng")]
    start_states = [generator.bit_generator.state for generator in generators]

    def logits() -> np.ndarray:
        """The forward pass in training mode, with the same dropout masks every time."""
        for generator, state in zip(generators, start_states, strict=True):
            generator.bit_generator.state = state
        return work.forward(X, training=True)

    def loss() -> float:
        return fused_softmax_cross_entropy(logits(), labels)[0]

    with np.errstate(over="ignore", invalid="ignore"):
        errors = _relative_errors(work, logits, loss, labels, epsilon)
    if not all(np.isfinite(list(errors.values()))):
        raise ValueError(
            "X, epsilon or the network's weights are so large that the loss or its "
            "gradients overflow"
        )
    return errors


def _relative_errors(work: Network, logits, loss, labels: np.ndarray, epsilon: float) -> dict:
    _, grad_logits = fused_softmax_cross_entropy(logits(), labels)
    work.backward(grad_logits)
    analytic = [gradient.copy() for gradient in work.gradients]

    errors = {}
    for (name, parameter), exact in zip(work.named_parameters(), analytic, strict=True):
        numerical = np.zeros_like(parameter)
        for index in np.ndindex(parameter.shape):
            original = parameter[index]
            parameter[index] = original + epsilon
            loss_plus = loss()
            parameter[index] = original - epsilon
            loss_minus = loss()
            parameter[index] = original
            numerical[index] = (loss_plus - loss_minus) / (2 * epsilon)
        scale = np.linalg.norm(numerical) + np.linalg.norm(exact)
        errors[name] = float(np.linalg.norm(numerical - exact) / scale) if scale > 0 else 0.0
    return errors


# --8<-- [end:gradcheck]


def randomise_biases(network: Network, rng: np.random.Generator, *, scale: float = 0.5) -> None:
    """Give every bias a random value drawn from N(0, scale²), so that no unit sits
    exactly on a kink.

    With zero biases, a row whose hidden units are all off puts the next ReLU
    exactly on its kink (``z = 0``), where finite differences cannot agree with
    backpropagation; a gradient check should look at a generic point instead.

    Args:
        network: The network whose biases (``b1``, ``b2``, ...) are overwritten in place.
        rng: Where the random values come from.
        scale: Standard deviation of the normal distribution the biases are drawn from.
    """
    for name, parameter in network.named_parameters():
        if name.startswith("b"):
            parameter[...] = rng.normal(0.0, scale, parameter.shape)
