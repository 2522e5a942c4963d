"""Layers: each one has ``forward`` and ``backward``.

``forward`` maps inputs of shape ``(batch, in_features)`` to outputs and keeps
what ``backward`` needs; ``backward`` takes the gradient of the loss with
respect to the outputs and returns the gradient with respect to the inputs,
storing the gradients of its own parameters in ``self.gradients``.

A layer's ``forward`` and ``backward`` are written as the maths alone. The
base class wraps each subclass's pair so that a caller's arguments are checked
first; :class:`~scratchnet.network.Network` calls the unchecked pair
(``forward_unchecked``, ``backward_unchecked``) on arrays it has checked once,
so a training step pays for no check at every layer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from scratchnet.initializers import get_initializer
from scratchnet.validation import (
    DROPOUT,
    as_dtype,
    check_features,
    check_positive_int,
    finite_result,
    make_rng,
)

Forward = Callable[..., np.ndarray]


def _noting_outputs(maths: Forward) -> Forward:
    """``maths``, noting the shape and dtype of what it returns for ``backward``'s check."""

    @functools.wraps(maths)
    def forward_unchecked(self: Layer, inputs: np.ndarray, *, training: bool = False):
        outputs = maths(self, inputs, training=training)
        self.last_outputs = outputs.shape, outputs.dtype
        return outputs

    return forward_unchecked


def _checking_forward(maths: Forward) -> Forward:
    """``maths`` behind a check of ``inputs`` and ``training``, refusing results that overflow."""

    @functools.wraps(maths)
    def forward(self: Layer, inputs: object, *, training: bool = False) -> np.ndarray:
        if not isinstance(training, bool | np.bool_):
            raise TypeError(f"training must be True or False, got {training!r:.80}")
        dtype = next(iter(self.parameters.values())).dtype if self.parameters else None
        inputs = check_features(
            inputs, "inputs", n_features=getattr(self, "in_features", None), dtype=dtype
        )
        return finite_result(lambda: maths(self, inputs, training=bool(training)), "inputs")

    return forward


def _checking_backward(maths: Callable[[Layer, np.ndarray], np.ndarray]):
    """``maths`` behind a check that ``grad_outputs`` fits the outputs of the last forward pass."""

    @functools.wraps(maths)
    def backward(self: Layer, grad_outputs: object) -> np.ndarray:
        if self.last_outputs is None:
            raise ValueError("grad_outputs cannot go back through a layer before its forward pass")
        shape, dtype = self.last_outputs
        grad_outputs = check_features(grad_outputs, "grad_outputs", dtype=dtype)
        if grad_outputs.shape != shape:
            raise ValueError(
                f"grad_outputs must have the shape of the last forward pass's outputs, {shape}, "
                f"got {grad_outputs.shape}"
            )
        return finite_result(lambda: maths(self, grad_outputs), "grad_outputs")

    return backward


class Layer:
    """Base class: a layer with no parameters passes gradients straight through."""

    #: Parameter arrays by name, e.g. ``{"W": ..., "b": ...}``.
    parameters: dict[str, np.ndarray]
    #: Gradients of the loss for each parameter, filled by ``backward``.
    gradients: dict[str, np.ndarray]
    #: Names of the parameters that L2 weight decay applies to (weights, not biases).
    decayed: tuple[str, ...] = ()

    #: Shape and dtype of the outputs of the last forward pass, which ``backward`` checks
    #: its argument against; ``None`` before the first forward pass.
    last_outputs: tuple[tuple[int, ...], np.dtype] | None = None

    def __init__(self) -> None:
        self.parameters = {}
        self.gradients = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Keep a subclass's own ``forward``/``backward`` as the unchecked maths, and give
        callers versions that check their argument first."""
        super().__init_subclass__(**kwargs)
        if "forward" in vars(cls):
            cls.forward_unchecked = _noting_outputs(vars(cls)["forward"])
            cls.forward = _checking_forward(cls.forward_unchecked)
        if "backward" in vars(cls):
            cls.backward_unchecked = vars(cls)["backward"]
            cls.backward = _checking_backward(cls.backward_unchecked)

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        """Return the layer's outputs for ``inputs`` of shape ``(batch, features)``.

        Args:
            inputs: Inputs of shape ``(batch, features)``.
            training: Whether this pass is for training (dropout acts only then).

        Returns:
            The layer's outputs, one row per input row.
        """
        raise NotImplementedError

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        """Return the loss gradient for the inputs of the last ``forward`` call.

        Args:
            grad_outputs: The loss gradient for the outputs, shaped like them.

        Returns:
            The loss gradient for the inputs, shaped like them.
        """
        raise NotImplementedError

    forward_unchecked = forward
    backward_unchecked = backward

    def backward_parameters(self, grad_outputs: np.ndarray) -> None:
        """Store the parameter gradients only. The first layer of a network needs
        no input gradient (nothing comes before it), and a layer may skip that work.
        Like ``backward_unchecked``, it takes ``grad_outputs`` as it is: ``Network``
        calls it on a gradient it computed itself.

        Args:
            grad_outputs: The loss gradient for the outputs, shaped like them.
        """
        self.backward_unchecked(grad_outputs)

    def settings(self) -> dict:
        """Return the settings that rebuild this layer (without its parameters).

        Returns:
            ``{"type": class name, **constructor arguments}``, plain JSON data.
        """
        return {"type": type(self).__name__}

    @classmethod
    def from_settings(cls, settings: dict, *, dtype: object = np.float64) -> Layer:
        """Build a layer from what ``settings()`` returned.

        Args:
            settings: The constructor arguments (without ``"type"``).
            dtype: The parameters' dtype, for layers that have parameters.

        Returns:
            A new layer; its parameters, if any, are yet to be filled in.
        """
        return cls(**settings)

    def __repr__(self) -> str:
        settings = ", ".join(
            f"{key}={value!r}" for key, value in self.settings().items() if key != "type"
        )
        return f"{type(self).__name__}({settings})"


# --8<-- [start:dense]
class Dense(Layer):
    """Fully connected layer: ``Z = X @ W + b``.

    ``W`` has shape ``(in_features, out_features)`` and ``b`` has shape
    ``(1, out_features)``, as in the tutorial.

    Args:
        in_features: Inputs per row.
        out_features: Outputs per row.
        init: A name in ``INITIALIZERS``.
        seed: A seed or generator for the initial weights.
        dtype: ``"float64"`` or ``"float32"``.
    """

    decayed = ("W",)

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        init: str = "tutorial",
        seed: np.random.Generator | int | None = None,
        dtype: object = np.float64,
    ) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        self.init = init
        initializer = get_initializer(init)
        dtype = as_dtype(dtype)
        weights = initializer(self.in_features, self.out_features, make_rng(seed))
        self.parameters = {
            "W": weights.astype(dtype),
            "b": np.zeros((1, self.out_features), dtype=dtype),
        }
        self.gradients = {name: np.zeros_like(value) for name, value in self.parameters.items()}
        self._ones = np.ones((1, 0), dtype=dtype)  # see backward_parameters

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        """``(batch, in_features)`` → ``(batch, out_features)``.

        Args:
            inputs: Inputs of shape ``(batch, in_features)``.
            training: Unused: a Dense layer acts the same in training.

        Returns:
            Outputs of shape ``(batch, out_features)``.
        """
        self.inputs = inputs
        outputs = inputs @ self.parameters["W"]
        outputs += self.parameters["b"]  # in place: no second (batch, out_features) array
        return outputs

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        """``dZ`` of shape ``(batch, out_features)`` → ``dX`` of shape ``(batch, in_features)``.

        ``dZ`` already carries the ``1 / batch`` of the mean loss, so the
        gradients here are plain sums over the batch.

        Args:
            grad_outputs: ``dZ``, shape ``(batch, out_features)``.

        Returns:
            ``dX``, shape ``(batch, in_features)``.
        """
        self.backward_parameters(grad_outputs)
        return grad_outputs @ self.parameters["W"].T

    def backward_parameters(self, grad_outputs: np.ndarray) -> None:
        """``dW = Xᵀ · dZ``, shape ``(in_features, out_features)``; ``db`` sums ``dZ`` over rows.

        Args:
            grad_outputs: ``dZ``, shape ``(batch, out_features)``.
        """
        # Written into the same two arrays every step instead of allocating new ones.
        np.matmul(self.inputs.T, grad_outputs, out=self.gradients["W"])
        # A row of ones times dZ sums its columns; BLAS does that faster than np.sum(axis=0).
        # The row is kept between steps and only remade when the batch size or dtype changes.
        ones = self._ones
        if ones.shape[1] != len(grad_outputs) or ones.dtype != grad_outputs.dtype:
            ones = self._ones = np.ones_like(grad_outputs, shape=(1, len(grad_outputs)))
        np.matmul(ones, grad_outputs, out=self.gradients["b"])

    # --8<-- [end:dense]

    @classmethod
    def from_settings(cls, settings: dict, *, dtype: object = np.float64) -> Dense:
        """Build a Dense layer of ``dtype`` from what ``settings()`` returned.

        Args:
            settings: ``in_features``, ``out_features`` and ``init``.
            dtype: The parameters' dtype.

        Returns:
            A new Dense layer; its parameters are yet to be filled in.
        """
        return cls(**settings, seed=0, dtype=dtype)

    def settings(self) -> dict:
        return {
            "type": "Dense",
            "in_features": self.in_features,
            "out_features": self.out_features,
            "init": self.init,
        }


# --8<-- [start:dropout]
class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability ``rate``
    and scale the survivors by ``1 / (1 - rate)``; outside training, do nothing.

    Args:
        rate: The probability of zeroing an input, within ``validation.DROPOUT``.
        seed: A seed or generator for the masks.
    """

    def __init__(self, rate: float, *, seed: np.random.Generator | int | None = None) -> None:
        super().__init__()
        self.rate = DROPOUT.check(rate, "rate")
        self.rng = make_rng(seed)

    def forward(self, inputs: np.ndarray, *, training: bool = False) -> np.ndarray:
        if not training or self.rate == 0.0:
            self.mask = None
            return inputs
        keep = self.rng.random(inputs.shape) >= self.rate
        self.mask = keep.astype(inputs.dtype) / (1.0 - self.rate)
        return inputs * self.mask

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs if self.mask is None else grad_outputs * self.mask

    # --8<-- [end:dropout]

    def settings(self) -> dict:
        return {"type": "Dropout", "rate": self.rate}
