"""A network is a sequence of layers; the last one produces the logits."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from scratchnet.activations import get_activation, stable_softmax
from scratchnet.layers import Dense, Dropout, Layer
from scratchnet.validation import (
    DROPOUT,
    as_dtype,
    check_features,
    check_positive_int,
    finite_result,
    make_rng,
)


class Network:
    """Layers applied in order. ``forward`` returns logits of shape ``(batch, classes)``;
    softmax is applied by ``predict_proba`` and, fused with the loss, in training.

    Args:
        layers: The layers, in order; at least one Dense layer, with matching widths.

    Raises:
        ValueError: the layers are empty, have no Dense layer or do not fit together.
        TypeError: an entry is not a ``Layer``.
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        layers = list(layers)
        if not layers:
            raise ValueError("layers must hold at least one layer, got an empty sequence")
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layers[{index}] must be a Layer, got {type(layer).__name__}")
        dense = [layer for layer in layers if isinstance(layer, Dense)]
        if not dense:
            raise ValueError("layers must include at least one Dense layer")
        for before, after in itertools.pairwise(dense):
            if before.out_features != after.in_features:
                raise ValueError(
                    f"a Dense layer with {before.out_features} outputs cannot feed one "
                    f"with {after.in_features} inputs"
                )
        self.layers = layers
        self.n_features = dense[0].in_features
        self.n_classes = dense[-1].out_features
        self.dtype = dense[0].parameters["W"].dtype
        self._pack()

    # --8<-- [start:forward_backward]
    def forward(self, X: np.ndarray, *, training: bool = False) -> np.ndarray:
        """``(batch, features)`` → logits ``(batch, classes)``, layer after layer.

        ``X`` is taken as it is: this is the training step's inner call, on rows
        that ``train`` checked once, so each layer runs its maths unchecked.
        ``predict`` and ``predict_proba`` are the checked way in.

        Args:
            X: Inputs of shape ``(batch, features)``, finite, in the network's dtype.
            training: Whether this pass is for training (dropout acts only then).

        Returns:
            Logits of shape ``(batch, classes)``.
        """
        outputs = X
        for layer in self.layers:
            outputs = layer.forward_unchecked(outputs, training=training)
        return outputs

    def backward(self, grad_logits: np.ndarray) -> None:
        """Send the loss gradient back through the layers in reverse order (the chain rule).

        Each layer stores its parameters' gradients. The first layer's input
        gradient would be the gradient for the data itself, which training
        never uses, so it is not computed.

        Args:
            grad_logits: The loss gradient for the logits, shape ``(batch, classes)``.
        """
        grad = grad_logits
        for layer in reversed(self.layers[1:]):
            grad = layer.backward_unchecked(grad)
        self.layers[0].backward_parameters(grad)

    # --8<-- [end:forward_backward]

    def predict_proba(self, X: object) -> np.ndarray:
        """Class probabilities of shape ``(batch, classes)``; each row sums to one.

        Args:
            X: Inputs of shape ``(batch, features)``.

        Returns:
            Probabilities of shape ``(batch, classes)``.
        """
        X = check_features(X, "X", n_features=self.n_features, dtype=self.dtype)
        return finite_result(lambda: stable_softmax(self.forward(X)), "X")

    def predict(self, X: object) -> np.ndarray:
        """The most probable class for each row, shape ``(batch,)``.

        Args:
            X: Inputs of shape ``(batch, features)``.

        Returns:
            Class indices of shape ``(batch,)``.
        """
        return self.predict_proba(X).argmax(axis=1)

    @property
    def parameters(self) -> list[np.ndarray]:
        """Every parameter array, in layer order (the arrays themselves, not copies)."""
        return [value for layer in self.layers for value in layer.parameters.values()]

    @property
    def gradients(self) -> list[np.ndarray]:
        """The gradients from the last ``backward``, aligned with ``parameters``."""
        return [layer.gradients[name] for layer in self.layers for name in layer.parameters]

    # --8<-- [start:flat]
    def flat_parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """Every parameter, and every gradient, as one flat array each.

        The layers' arrays are views into these two, so an optimiser can update
        all of them with one NumPy call per operation instead of one per array.
        Should a layer's array have been replaced (by a copy, a pickle round
        trip or an assignment), the flat arrays are rebuilt from the layers.

        Returns:
            The flat parameter array and the flat gradient array.
        """
        parameters, gradients = self._flat_parameters, self._flat_gradients
        for layer in self.layers:
            for name, value in layer.parameters.items():
                if value.base is not parameters or layer.gradients[name].base is not gradients:
                    self._pack()
                    return self._flat_parameters, self._flat_gradients
        return parameters, gradients

    def _pack(self) -> None:
        """Copy each parameter and gradient into the flat arrays and give the layers views."""
        entries = [(layer, name) for layer in self.layers for name in layer.parameters]
        total = sum(layer.parameters[name].size for layer, name in entries)
        self._flat_parameters = np.empty(total, dtype=self.dtype)
        self._flat_gradients = np.zeros(total, dtype=self.dtype)
        offset = 0
        for layer, name in entries:
            shape, size = layer.parameters[name].shape, layer.parameters[name].size
            for flat, arrays in (
                (self._flat_parameters, layer.parameters),
                (self._flat_gradients, layer.gradients),
            ):
                view = flat[offset : offset + size].reshape(shape)
                view[...] = arrays.get(name, 0.0)
                arrays[name] = view
            offset += size

    # --8<-- [end:flat]

    def named_parameters(self) -> list[tuple[str, np.ndarray]]:
        """``("W1", array), ("b1", array), ...`` numbered by Dense layer, as in the docs.

        Returns:
            ``(name, array)`` pairs in layer order.
        """
        named = []
        number = 0
        for layer in self.layers:
            if layer.parameters:
                number += 1
            named.extend((f"{name}{number}", value) for name, value in layer.parameters.items())
        return named

    def decayed_parameters(self) -> list[bool]:
        """For each entry of ``parameters``, whether L2 weight decay applies to it.

        Returns:
            One flag per parameter array.
        """
        return [name in layer.decayed for layer in self.layers for name in layer.parameters]

    def architecture(self) -> list[dict]:
        """The architecture as plain data: each layer's ``settings()``, in order.

        Returns:
            One settings dict per layer, JSON-able.
        """
        return [layer.settings() for layer in self.layers]

    def __repr__(self) -> str:
        inner = ",\n".join(f"    {layer!r}" for layer in self.layers)
        return f"Network([\n{inner},\n])"


# --8<-- [start:mlp]
def mlp(
    sizes: Sequence[int],
    *,
    activation: str | Sequence[str] = "relu",
    init: str | Sequence[str] = "tutorial",
    dropout: float = 0.0,
    seed: np.random.Generator | int | None = 0,
    dtype: object = np.float64,
) -> Network:
    """A multi-layer perceptron: ``mlp([64, 128, 10])`` is the tutorial's network.

    ``sizes`` lists the input width, each hidden width and the number of
    classes. ``activation`` is one name for every hidden layer or one per
    hidden layer; ``init`` likewise, one per Dense layer. ``dropout`` adds
    a dropout layer after each hidden activation.

    Args:
        sizes: Input width, hidden widths, number of classes.
        activation: A name in ``ACTIVATIONS``, or one per hidden layer.
        init: A name in ``INITIALIZERS``, or one per Dense layer.
        dropout: Dropout rate after each hidden activation; 0 for none.
        seed: A seed or generator for the initial weights (and dropout masks).
        dtype: ``"float64"`` or ``"float32"``.

    Returns:
        A new network.
    """
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if not isinstance(sizes, list | tuple | range):
        raise TypeError(f"sizes must be a list of whole numbers, got {type(sizes).__name__}")
    sizes = [check_positive_int(size, f"sizes[{index}]") for index, size in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least inputs and outputs, got {sizes}")
    dropout = DROPOUT.check(dropout, "dropout")
    n_hidden, n_dense = len(sizes) - 2, len(sizes) - 1
    activations = _per_layer(activation, n_hidden, "activation")
    inits = _per_layer(init, n_dense, "init")
    rng = make_rng(seed)
    dtype = as_dtype(dtype)
    layers: list[Layer] = []
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(Dense(fan_in, fan_out, init=inits[index], seed=rng, dtype=dtype))
        if index < n_hidden:
            layers.append(get_activation(activations[index]))
            if dropout:
                layers.append(Dropout(dropout, seed=rng.spawn(1)[0]))
    return Network(layers)


# --8<-- [end:mlp]


def _per_layer(choice: str | Sequence[str], count: int, name: str) -> list[str]:
    if isinstance(choice, str):
        return [choice] * count
    if not isinstance(choice, list | tuple):
        raise TypeError(f"{name} must be one name or a list of names, got {type(choice).__name__}")
    choices = list(choice)
    if len(choices) != count:
        raise ValueError(f"{name} must be one name or {count} names, got {len(choices)}")
    return choices
