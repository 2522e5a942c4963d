"""Optimisers: each has ``step(parameters, gradients)`` and updates the arrays in place.

Per-parameter state (velocities, moment estimates) is kept in lists aligned
with the parameter list, as scikit-learn's MLP does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np

from scratchnet.validation import DECAY, EPSILON, LEARNING_RATE, lookup, real_array


class Optimizer:
    """Base class: validates the learning rate and that state lines up with the parameters.

    Args:
        learning_rate: The step size η, within ``validation.LEARNING_RATE``.
    """

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = LEARNING_RATE.check(learning_rate, "learning_rate")
        self.state_shapes: list[tuple[int, ...]] | None = None

    def step(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """Move every parameter one step against its gradient, after checking both.

        Args:
            parameters: The arrays to update, in place: NumPy float arrays of finite numbers.
            gradients: Their gradients, aligned and shaped alike, finite numbers.

        Raises:
            TypeError, ValueError: an argument is not what is described above, or the
                step would make a parameter overflow (the step is then undone).
        """
        parameters, gradients = _check_step(parameters, gradients)
        before = [parameter.copy() for parameter in parameters]
        state = copy.deepcopy(self.__dict__)
        with np.errstate(over="ignore", invalid="ignore"):
            self.update(parameters, gradients)
        if not all(np.isfinite(array).all() for array in [*parameters, *self._state_arrays()]):
            for parameter, value in zip(parameters, before, strict=True):
                parameter[...] = value
            self.__dict__.update(state)
            raise ValueError(
                "parameters and gradients: this step would make the parameters or the "
                "optimizer's state overflow (gradients or learning_rate "
                f"{self.learning_rate:g} too large); the step was undone"
            )

    def _state_arrays(self) -> list[np.ndarray]:
        """Every array of per-parameter state (velocities, moment estimates)."""
        return [
            item
            for value in vars(self).values()
            if isinstance(value, list)
            for item in value
            if isinstance(item, np.ndarray)
        ]

    def update(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        """``step`` without checking its arguments: the training step's own call, on the
        network's arrays, whose gradients it has just found finite.

        Args:
            parameters: The arrays to update, in place.
            gradients: Their gradients, aligned and shaped alike.
        """
        shapes = [np.shape(p) for p in parameters]
        if self.state_shapes is None:
            self.state_shapes = shapes
            self._init_state(parameters)
        elif shapes != self.state_shapes:
            raise ValueError(
                "this optimizer's state was made for other parameters; make a new optimizer"
            )
        self._update(parameters, gradients)

    def _init_state(self, parameters: Sequence[np.ndarray]) -> None:
        """Create per-parameter state on the first step."""

    def _update(self, parameters: Sequence[np.ndarray], gradients: Sequence[np.ndarray]) -> None:
        raise NotImplementedError

    def settings(self) -> dict:
        """The name and hyper-parameters, for reports.

        Returns:
            ``{"optimizer": name, "learning_rate": η, ...}``.
        """
        return {"optimizer": type(self).__name__.lower(), "learning_rate": self.learning_rate}


# --8<-- [start:sgd]
class SGD(Optimizer):
    """Plain gradient descent: ``θ ← θ − η·g``."""

    def _update(self, parameters, gradients):
        for parameter, gradient in zip(parameters, gradients, strict=True):
            parameter -= self.learning_rate * gradient


# --8<-- [end:sgd]


# --8<-- [start:momentum]
class Momentum(Optimizer):
    """Gradient descent with a velocity (the formulation scikit-learn uses).

    Classical: ``v ← μ·v − η·g``, then ``θ ← θ + v``.
    Nesterov:  ``v ← μ·v − η·g``, then ``θ ← θ + μ·v − η·g`` (a look-ahead step).

    Args:
        learning_rate: The step size η, within ``validation.LEARNING_RATE``.
        momentum: The velocity's decay μ, within ``validation.DECAY``.
        nesterov: Take the look-ahead (Nesterov) step.
    """

    def __init__(self, learning_rate: float, momentum: float = 0.9, *, nesterov: bool = False):
        super().__init__(learning_rate)
        self.momentum = DECAY.check(momentum, "momentum")
        self.nesterov = bool(nesterov)

    def _init_state(self, parameters):
        self.velocities = [np.zeros_like(p) for p in parameters]

    def _update(self, parameters, gradients):
        for parameter, gradient, velocity in zip(
            parameters, gradients, self.velocities, strict=True
        ):
            velocity *= self.momentum
            velocity -= self.learning_rate * gradient
            if self.nesterov:
                parameter += self.momentum * velocity - self.learning_rate * gradient
            else:
                parameter += velocity

    # --8<-- [end:momentum]

    def settings(self) -> dict:
        name = "nesterov" if self.nesterov else "momentum"
        return {"optimizer": name, "learning_rate": self.learning_rate, "momentum": self.momentum}


# --8<-- [start:adam]
class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction.

    ``m ← β₁·m + (1 − β₁)·g``, ``v ← β₂·v + (1 − β₂)·g²``,
    ``m̂ = m / (1 − β₁ᵗ)``, ``v̂ = v / (1 − β₂ᵗ)``, ``θ ← θ − η·m̂ / (√v̂ + ε)``.

    Args:
        learning_rate: The step size η, within ``validation.LEARNING_RATE``.
        beta1: Decay β₁ of the first moment, within ``validation.DECAY``.
        beta2: Decay β₂ of the second moment, within ``validation.DECAY``.
        epsilon: ε, which keeps the division finite.
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ):
        super().__init__(learning_rate)
        self.beta1 = DECAY.check(beta1, "beta1")
        self.beta2 = DECAY.check(beta2, "beta2")
        self.epsilon = EPSILON.check(epsilon, "epsilon")

    def _init_state(self, parameters):
        self.t = 0
        self.first_moments = [np.zeros_like(p) for p in parameters]
        self.second_moments = [np.zeros_like(p) for p in parameters]

    def _update(self, parameters, gradients):
        self.t += 1
        first_correction = 1.0 - self.beta1**self.t
        second_correction = 1.0 - self.beta2**self.t
        for parameter, gradient, m, v in zip(
            parameters, gradients, self.first_moments, self.second_moments, strict=True
        ):
            m *= self.beta1
            m += (1.0 - self.beta1) * gradient
            v *= self.beta2
            v += (1.0 - self.beta2) * gradient**2
            m_hat = m / first_correction
            v_hat = v / second_correction
            parameter -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)

    # --8<-- [end:adam]

    def settings(self) -> dict:
        return {
            "optimizer": "adam",
            "learning_rate": self.learning_rate,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
        }


# --8<-- [start:rmsprop]
class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): each step divided by a running root mean square of the gradient.

    ``s ← ρ·s + (1 − ρ)·g²``, then ``θ ← θ − η·g / (√s + ε)``.

    Args:
        learning_rate: The step size η, above zero.
        rho: Decay ρ of the running mean of g², in ``[0, 1)``.
        epsilon: ε, which keeps the division finite.
    """

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-8):
        super().__init__(learning_rate)
        self.rho = DECAY.check(rho, "rho")
        self.epsilon = EPSILON.check(epsilon, "epsilon")

    def _init_state(self, parameters):
        self.mean_squares = [np.zeros_like(p) for p in parameters]

    def _update(self, parameters, gradients):
        for parameter, gradient, s in zip(parameters, gradients, self.mean_squares, strict=True):
            s *= self.rho
            s += (1.0 - self.rho) * gradient**2
            parameter -= self.learning_rate * gradient / (np.sqrt(s) + self.epsilon)

    # --8<-- [end:rmsprop]

    def settings(self) -> dict:
        return {
            "optimizer": "rmsprop",
            "learning_rate": self.learning_rate,
            "rho": self.rho,
            "epsilon": self.epsilon,
        }


# --8<-- [start:optimizers]
#: The names a user types (``--optimizer``) and how each builds its optimiser
#: from a learning rate and a momentum (used only by the momentum methods).
OPTIMIZERS: dict[str, Callable[[float, float], Optimizer]] = {
    "sgd": lambda learning_rate, momentum: SGD(learning_rate),
    "momentum": lambda learning_rate, momentum: Momentum(learning_rate, momentum),
    "nesterov": lambda learning_rate, momentum: Momentum(learning_rate, momentum, nesterov=True),
    "adam": lambda learning_rate, momentum: Adam(learning_rate),
    "rmsprop": lambda learning_rate, momentum: RMSprop(learning_rate),
}
# --8<-- [end:optimizers]


def make_optimizer(name: str, learning_rate: float, *, momentum: float = 0.9) -> Optimizer:
    """Build an optimiser from the name a user types.

    Args:
        name: A key of ``OPTIMIZERS``, such as ``"sgd"`` or ``"adam"``.
        learning_rate: The step size η, within ``validation.LEARNING_RATE``.
        momentum: The velocity's decay μ, for ``"momentum"`` and ``"nesterov"``.

    Returns:
        A new optimiser with no state yet.

    Raises:
        ValueError: ``name`` is not in ``OPTIMIZERS``, or a number is out of range.
    """
    return lookup(OPTIMIZERS, name, "optimizer")(learning_rate, momentum)


def _check_step(parameters: object, gradients: object) -> tuple[list, list]:
    """The arguments of ``step`` as lists of float arrays of finite numbers, aligned and
    shaped alike; each gradient in its parameter's dtype."""
    for name, value in (("parameters", parameters), ("gradients", gradients)):
        if not isinstance(value, list | tuple):
            raise TypeError(f"{name} must be a list of arrays, got {type(value).__name__}")
    if len(parameters) != len(gradients):
        raise ValueError(
            f"parameters and gradients must align, got {len(parameters)} and {len(gradients)}"
        )
    checked = []
    for index, (parameter, gradient) in enumerate(zip(parameters, gradients, strict=True)):
        if not isinstance(parameter, np.ndarray) or parameter.dtype.kind != "f":
            raise TypeError(
                f"parameters[{index}] must be a NumPy float array (it is updated in place), "
                f"got {type(parameter).__name__}"
                + (f" of dtype {parameter.dtype}" if isinstance(parameter, np.ndarray) else "")
            )
        if not parameter.flags.writeable:
            raise ValueError(f"parameters[{index}] is read-only; it must be updated in place")
        if not np.isfinite(parameter).all():
            raise ValueError(f"parameters[{index}] contains NaN or infinite values")
        gradient = real_array(gradient, f"gradients[{index}]")
        if gradient.shape != parameter.shape:
            raise ValueError(
                f"gradients[{index}] has shape {gradient.shape}, "
                f"expected {parameter.shape} like its parameter (parameters[{index}])"
            )
        with np.errstate(over="ignore"):
            gradient = gradient.astype(parameter.dtype)
        if not np.isfinite(gradient).all():
            raise ValueError(
                f"gradients[{index}] contains NaN or infinite values "
                f"(or values too large for {parameter.dtype})"
            )
        checked.append(gradient)
    return list(parameters), checked
