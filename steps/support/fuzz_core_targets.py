"""Fuzzing targets for the core's building blocks: softmax, the losses, each layer's
forward and backward, each optimiser's step, and the gradient check.

Each result is checked against plain NumPy: the reference softmax by log-sum-exp,
the layers' maths and derivatives written out, each optimiser's first step from a
fresh state. The robustness feature's last Examples table names these targets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

from scratchnet import (
    Dense,
    Dropout,
    Identity,
    Layer,
    LeakyReLU,
    Optimizer,
    ReLU,
    Sigmoid,
    Tanh,
    cross_entropy,
    gradcheck,
    softmax,
    softmax_cross_entropy,
)
from scratchnet.network import Network
from scratchnet.optimizers import OPTIMIZERS, make_optimizer
from steps.support.fuzz_targets import (
    P_FIXED,
    X_FIXED,
    Y_FIXED,
    as_labels,
    check_loss_of_probabilities,
    expected_loss,
    small_net,
    tutorial_net,
)
from steps.support.fuzzing import (
    BIG_INTS,
    CLASSES,
    FEATURES,
    HIDDEN,
    ROWS,
    SMALL_INTS,
    Target,
    arrays_shaped,
    either,
    junk,
    labels_for,
    rows_of,
)
from steps.support.optimizer_rules import FIRST_STEPS, LEARNING_RATE, MOMENTUM

_rng = np.random.default_rng(1)


#: Scores for the loss targets, one row per fixed label.
Z_FIXED = _rng.standard_normal((ROWS, CLASSES)) * 3
#: A gradient for the step targets, and the parameter it belongs to.
G_FIXED = _rng.standard_normal((2, 3))
PARAMETER_FIXED = _rng.standard_normal((2, 3))


def reference_softmax(Z: object) -> np.ndarray:
    """Softmax in float64 by the log-sum-exp formula, written out in plain NumPy."""
    Z = np.asarray(Z, dtype=np.float64)
    with np.errstate(all="ignore"):
        shifted = Z - Z.max(axis=1, keepdims=True)
        return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))


def check_softmax_values(Z: object, result: np.ndarray) -> None:
    """Rows of probabilities summing to 1, equal to the reference values: float32
    scores give float32 probabilities, to float32's precision."""
    tolerance = 1e-12 if result.dtype == np.float64 else 1e-6
    assert result.dtype == (np.float32 if np.asarray(Z).dtype == np.float32 else np.float64)
    assert np.isfinite(result).all() and (result >= 0).all(), result
    np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=tolerance)
    np.testing.assert_allclose(result, reference_softmax(Z), rtol=tolerance, atol=tolerance)


def check_fused(logits: object, labels: object, result: tuple[float, np.ndarray]) -> None:
    """The loss and ``(softmax − one-hot) / batch``, against the reference softmax."""
    loss, gradient = result
    probabilities, classes = reference_softmax(logits), as_labels(labels)
    expected_gradient = (probabilities - np.eye(CLASSES)[classes]) / len(classes)
    np.testing.assert_allclose(loss, expected_loss(probabilities, classes), rtol=1e-9)
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-9, atol=1e-15)


def within_rounding(result: np.ndarray, expected: np.ndarray, scale: np.ndarray) -> None:
    """``result`` is ``expected`` up to the rounding of sums of terms as large as ``scale``;
    where the exact value lies beyond the number type's range (the reference overflowed
    to ±inf), the result must have overflowed the same way."""
    tolerance = 8 * np.finfo(result.dtype).eps * scale + np.finfo(result.dtype).tiny
    with np.errstate(invalid="ignore", over="ignore"):  # inf − inf where both overflowed
        close = np.abs(result - expected) <= tolerance
    overflowed_alike = np.isinf(expected) & (result == expected)
    assert np.all(close | overflowed_alike), (result, expected)


def dense_layer() -> Dense:
    return Dense(FEATURES, HIDDEN, seed=0)


def check_dense_forward(X: object, result: np.ndarray) -> None:
    layer = dense_layer()
    W, b = layer.parameters["W"], layer.parameters["b"]
    X = np.asarray(X, dtype=np.float64)
    with np.errstate(all="ignore"):
        expected, scale = X @ W + b, np.abs(X) @ np.abs(W) + np.abs(b)
    within_rounding(result, expected, scale)


def dense_backward(grad: object) -> tuple[Dense, np.ndarray]:
    layer = dense_layer()
    layer.forward(X_FIXED)
    return layer, layer.backward(grad)


def check_dense_backward(grad: object, result: tuple[Dense, np.ndarray]) -> None:
    layer, back = result
    grad = np.asarray(grad, dtype=np.float64)
    W = layer.parameters["W"]
    with np.errstate(all="ignore"):
        expected = [(back, grad @ W.T, np.abs(grad) @ np.abs(W.T))]
        expected.append((layer.gradients["W"], X_FIXED.T @ grad, np.abs(X_FIXED.T) @ np.abs(grad)))
    for got, wanted, scale in expected:
        within_rounding(got, wanted, scale)


def reference_keep(shape: tuple[int, ...], rate: float = 0.5, seed: int = 0) -> np.ndarray:
    """The units a Dropout layer built with ``seed`` keeps on its first pass."""
    return np.random.default_rng(seed).random(shape) >= rate


def check_dropout_forward(X: object, result: np.ndarray) -> None:
    X = np.asarray(X, dtype=np.float64)
    np.testing.assert_array_equal(result, X * reference_keep(X.shape) / 0.5)


def dropout_backward(grad: object) -> np.ndarray:
    layer = Dropout(0.5, seed=0)
    layer.forward(X_FIXED, training=True)
    return layer.backward(grad)


def check_dropout_backward(grad: object, result: np.ndarray) -> None:
    grad = np.asarray(grad, dtype=np.float64)
    np.testing.assert_array_equal(result, grad * reference_keep(X_FIXED.shape) / 0.5)


#: Each activation layer, its function and its derivative, written out in plain NumPy.
ACTIVATION_REFERENCES: dict[str, tuple[type[Layer], Callable, Callable]] = {
    "ReLU": (ReLU, lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "LeakyReLU": (
        LeakyReLU,
        lambda z: np.where(z > 0, z, 0.01 * z),
        lambda z: np.where(z > 0, 1.0, 0.01),
    ),
    "Sigmoid": (
        Sigmoid,
        lambda z: 1 / (1 + np.exp(-z)),
        lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,
    ),
    "Tanh": (Tanh, np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    "Identity": (Identity, lambda z: z, lambda z: np.ones_like(z)),
}


def activation_targets() -> dict[tuple[str, str], Target]:
    """``<layer>.forward`` of any inputs, and ``<layer>.backward`` of any gradient after a
    forward pass on the fixed rows, for every activation layer."""
    targets = {}
    for name, (layer_type, function, derivative) in ACTIVATION_REFERENCES.items():

        def forward_check(X: object, result: np.ndarray, function=function) -> None:
            with np.errstate(all="ignore"):
                expected = function(np.asarray(X, dtype=np.float64))
            np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-300)

        def backward_call(grad: object, layer_type=layer_type) -> np.ndarray:
            layer = layer_type()
            layer.forward(X_FIXED)
            return layer.backward(grad)

        def backward_check(grad: object, result: np.ndarray, derivative=derivative) -> None:
            grad = np.asarray(grad, dtype=np.float64)
            with np.errstate(all="ignore"):
                expected = grad * derivative(X_FIXED)
            np.testing.assert_allclose(result, expected, rtol=1e-9, atol=1e-300)

        targets[f"{name}.forward", "inputs"] = Target(
            either(BIG_INTS, rows_of(FEATURES)),
            lambda v, layer_type=layer_type: layer_type().forward(v),
            forward_check,
        )
        targets[f"{name}.backward", "grad_outputs"] = Target(
            either(BIG_INTS, rows_of(FEATURES, rows=ROWS)), backward_call, backward_check
        )
    return targets


def missing_first_step(name: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A rule that fails: ``name`` is in ``OPTIMIZERS`` but has no reference step."""

    def fail(parameter: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        raise AssertionError(
            f"the optimiser {name!r} has no first step written out in plain NumPy: add it to"
            " FIRST_STEPS in steps/support/optimizer_rules.py"
        )

    return fail


def optimizer_targets() -> dict[tuple[str, str], Target]:
    """``<name> step`` for every name in ``OPTIMIZERS``, with any parameter (and the fixed
    gradient) or any gradient (and a copy of the fixed parameter): the step taken, or a
    refusal."""
    targets = {}
    for name in OPTIMIZERS:
        first_step = FIRST_STEPS.get(name, missing_first_step(name))

        def make(name: str = name) -> Optimizer:
            return make_optimizer(name, LEARNING_RATE, momentum=MOMENTUM)

        def step_parameter(value: object, make=make) -> tuple[np.ndarray, object]:
            before = np.array(value, copy=True) if isinstance(value, np.ndarray) else None
            make().step([value], [G_FIXED])
            return before, value

        def step_gradient(value: object, make=make) -> tuple[np.ndarray, np.ndarray]:
            parameter = PARAMETER_FIXED.copy()
            make().step([parameter], [value])
            return PARAMETER_FIXED, parameter

        def check_parameter(value: object, result: tuple, first_step=first_step) -> None:
            before, after = result
            gradient = G_FIXED.astype(before.dtype)
            expected = first_step(before.astype(np.float64), gradient.astype(np.float64))
            assert after.dtype == before.dtype
            eps = np.finfo(before.dtype).eps
            np.testing.assert_allclose(after, expected, rtol=8 * eps, atol=8 * eps)

        def check_gradient(value: object, result: tuple, first_step=first_step) -> None:
            before, after = result
            expected = first_step(before, np.asarray(value, dtype=np.float64))
            np.testing.assert_allclose(after, expected, rtol=1e-12, atol=1e-12)

        targets[f"{name} step", "parameters"] = Target(
            either(BIG_INTS, arrays_shaped((2, 3))), step_parameter, check_parameter
        )
        targets[f"{name} step", "gradients"] = Target(
            either(BIG_INTS, arrays_shaped((2, 3))), step_gradient, check_gradient
        )
    return targets


class Checked(NamedTuple):
    """A gradient check's errors, and the network it checked with its parameters before."""

    errors: dict[str, float]
    network: object
    before: list[tuple[str, np.ndarray, np.ndarray]]  # name, the array itself, a copy


def checked(network: object, X: object, y: object, epsilon: float = 1e-6) -> Checked:
    before = (
        [(name, p, p.copy()) for name, p in network.named_parameters()]
        if isinstance(network, Network)
        else []
    )
    return Checked(gradcheck(network, X, y, epsilon=epsilon), network, before)


def check_gradcheck(value: object, result: Checked) -> None:
    """One relative error per parameter, each a finite number from 0 to 1; and the
    network checked still holds the same arrays, unchanged (the check works on a copy)."""
    assert list(result.errors) == ["W1", "b1", "W2", "b2"], result.errors
    # ‖a − b‖ / (‖a‖ + ‖b‖) is at most 1; rounding may put it a hair above.
    assert all(0.0 <= error <= 1.0 + 1e-6 for error in result.errors.values()), result.errors
    after = dict(result.network.named_parameters())
    for name, array, copy in result.before:
        assert after[name] is array, f"{name} was replaced"
        assert array.dtype == copy.dtype and array.tobytes() == copy.tobytes(), name


CORE_TARGETS: dict[tuple[str, str], Target] = {
    ("softmax", "logits"): Target(
        either(BIG_INTS, rows_of(CLASSES)), softmax, check_softmax_values
    ),
    ("cross_entropy", "probabilities"): Target(
        st.one_of(
            junk(BIG_INTS),
            arrays_shaped((ROWS, CLASSES), st.floats(0, 1)),
            arrays_shaped((ROWS, CLASSES), st.floats(-1, 2)),
        ),
        lambda v: cross_entropy(v, Y_FIXED),
        check_loss_of_probabilities,
    ),
    ("cross_entropy", "labels"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: cross_entropy(P_FIXED, v),
        lambda v, loss: np.testing.assert_allclose(loss, expected_loss(P_FIXED, as_labels(v))),
    ),
    ("softmax_cross_entropy", "logits"): Target(
        either(BIG_INTS, rows_of(CLASSES, rows=ROWS)),
        lambda v: softmax_cross_entropy(v, Y_FIXED),
        lambda v, result: check_fused(v, Y_FIXED, result),
    ),
    ("softmax_cross_entropy", "labels"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: softmax_cross_entropy(Z_FIXED, v),
        lambda v, result: check_fused(Z_FIXED, v, result),
    ),
    ("Dense.forward", "inputs"): Target(
        either(BIG_INTS, rows_of(FEATURES)), lambda v: dense_layer().forward(v), check_dense_forward
    ),
    ("Dense.backward", "grad_outputs"): Target(
        either(BIG_INTS, rows_of(HIDDEN, rows=ROWS)), dense_backward, check_dense_backward
    ),
    ("Dropout.forward", "inputs"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: Dropout(0.5, seed=0).forward(v, training=True),
        check_dropout_forward,
    ),
    ("Dropout.backward", "grad_outputs"): Target(
        either(BIG_INTS, rows_of(FEATURES, rows=ROWS)), dropout_backward, check_dropout_backward
    ),
    **activation_targets(),
    **optimizer_targets(),
    ("gradcheck", "network"): Target(
        either(SMALL_INTS, st.just(small_net()), st.just(tutorial_net())),
        lambda v: checked(v, X_FIXED, Y_FIXED),
        check_gradcheck,
        examples=20,
    ),
    ("gradcheck", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES, rows=ROWS)),
        lambda v: checked(small_net(dtype="float32"), v, Y_FIXED),
        check_gradcheck,
        examples=20,
    ),
    ("gradcheck", "y"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: checked(small_net(), X_FIXED, v),
        check_gradcheck,
        examples=20,
    ),
    ("gradcheck", "epsilon"): Target(
        either(BIG_INTS, st.floats(0, 1e300)),
        lambda v: checked(small_net(), X_FIXED, Y_FIXED, epsilon=v),
        check_gradcheck,
        examples=20,
    ),
}
