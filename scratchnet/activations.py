"""Activation functions as layers, each with its derivative right beside it.

Derivatives are computed from the layer's *output* where that is cheaper
(sigmoid' = s(1 - s), tanh' = 1 - t²), as scikit-learn's MLP does.
"""

from __future__ import annotations

import numpy as np

from scratchnet.layers import Layer
from scratchnet.validation import check_features, check_number, finite_result, lookup


# --8<-- [start:softmax]
def softmax(logits: object) -> np.ndarray:
    """Turn scores of shape ``(batch, classes)`` into probabilities that sum to one per row.

    Args:
        logits: Scores of shape ``(batch, classes)``, finite numbers.

    Returns:
        Probabilities of shape ``(batch, classes)``, each row summing to one.

    Raises:
        TypeError, ValueError: ``logits`` is not a 2-D array of finite numbers.
    """
    logits = check_features(logits, "logits")
    return finite_result(lambda: stable_softmax(logits), "logits")


def stable_softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax of finite float scores ``(batch, classes)``, taken as they are (the
    training step's own call, on scores it made itself).

    Subtracting each row's maximum first changes nothing mathematically
    (softmax is shift-invariant) but keeps ``exp`` from overflowing.

    Args:
        logits: Scores of shape ``(batch, classes)``.

    Returns:
        Probabilities of shape ``(batch, classes)``, each row summing to one.
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted, out=shifted)  # reuse the new array: nobody else holds it
    exponentials /= exponentials.sum(axis=1, keepdims=True)
    return exponentials


# --8<-- [end:softmax]


# --8<-- [start:relu]
class ReLU(Layer):
    """``max(0, z)``; its derivative is 1 where ``z > 0`` and 0 elsewhere."""

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        self.outputs = np.maximum(inputs, 0)
        return self.outputs

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs * (self.outputs > 0)


# --8<-- [end:relu]


class LeakyReLU(Layer):
    """``z`` where ``z > 0``, else ``negative_slope * z``.

    Args:
        negative_slope: The slope for ``z <= 0``, above zero.
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_number(
            negative_slope, "negative_slope", low=0.0, low_inclusive=False
        )

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        self.positive = inputs > 0
        return np.where(self.positive, inputs, inputs * self.negative_slope)

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs * np.where(self.positive, 1.0, self.negative_slope).astype(
            grad_outputs.dtype
        )

    def settings(self) -> dict:
        return {"type": "LeakyReLU", "negative_slope": self.negative_slope}


class Sigmoid(Layer):
    """``1 / (1 + exp(-z))``, computed as ``(1 + tanh(z / 2)) / 2`` so it never overflows."""

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        self.outputs = 0.5 * (1.0 + np.tanh(0.5 * inputs))
        return self.outputs

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs * self.outputs * (1.0 - self.outputs)


class Tanh(Layer):
    """``tanh(z)``; its derivative is ``1 - tanh(z)²``."""

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        self.outputs = np.tanh(inputs)
        return self.outputs

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs * (1.0 - self.outputs**2)


class Identity(Layer):
    """``z`` unchanged: a network of only identity activations is one linear map."""

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        return inputs

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs


# --8<-- [start:activations]
#: The names a user types (``mlp(activation=...)``, ``--activation``) and their layers.
ACTIVATIONS: dict[str, type[Layer]] = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "identity": Identity,
}


# --8<-- [end:activations]


def get_activation(name: str) -> Layer:
    """Make a fresh activation layer from the name a user types.

    Args:
        name: A key of ``ACTIVATIONS``: ``"relu"``, ``"tanh"``, ...

    Returns:
        A new layer of that activation.

    Raises:
        ValueError: ``name`` is not in ``ACTIVATIONS``.
    """
    return lookup(ACTIVATIONS, name, "activation")()
