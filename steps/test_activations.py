"""Binds features/activations.feature: values, slopes and extreme inputs of each activation."""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from pytest_bdd import parsers, scenarios, then, when

from scratchnet.activations import get_activation

scenarios("activations.feature")


class Evaluated(NamedTuple):
    """An activation's values and slopes at inputs ``z``, each of shape ``(1, points)``."""

    activation: str
    z: np.ndarray
    values: np.ndarray
    slopes: np.ndarray


def evaluate(activation: str, z: np.ndarray) -> Evaluated:
    """Forward for the values; backward with a gradient of ones for the slopes."""
    layer = get_activation(activation)
    values = layer.forward(z)
    return Evaluated(activation, z, values, layer.backward(np.ones_like(z)))


def number(text: str) -> float:
    """A number as written in the feature: ``-3``, ``0.5`` or ``ln 3``."""
    text = text.strip()
    if text.startswith("ln "):
        return math.log(float(text[3:]))
    return float(text)


@when(
    parsers.re(r"(?P<activation>\w+) is applied to (?P<z>-?[\d.]+|ln [\d.]+)"),
    target_fixture="evaluated",
)
def apply_at(activation: str, z: str) -> Evaluated:
    return evaluate(activation, np.array([[number(z)]]))


@then(parsers.parse("the value is {value:g} and the slope is {slope:g}, to within {tolerance:g}"))
def value_and_slope(evaluated: Evaluated, value: float, slope: float, tolerance: float) -> None:
    assert abs(evaluated.values[0, 0] - value) <= tolerance, evaluated
    assert abs(evaluated.slopes[0, 0] - slope) <= tolerance, evaluated


@when(
    parsers.parse(
        "the slope of {activation} is taken at {points:d} evenly spaced points "
        "from {low:g} to {high:g}"
    ),
    target_fixture="evaluated",
)
def slopes_on_grid(activation: str, points: int, low: float, high: float) -> Evaluated:
    z = np.linspace(low, high, points)[None, :]
    assert not np.any(z == 0), "the points must avoid the kink at 0"
    return evaluate(activation, z)


@then(
    parsers.parse(
        "it matches central finite differences with step {step:g} to within {tolerance:g}"
    )
)
def slopes_match_differences(evaluated: Evaluated, step: float, tolerance: float) -> None:
    def f(z: np.ndarray) -> np.ndarray:
        return get_activation(evaluated.activation).forward(z)

    numerical = (f(evaluated.z + step) - f(evaluated.z - step)) / (2 * step)
    worst = np.abs(numerical - evaluated.slopes).max()
    assert worst <= tolerance, f"largest difference {worst:.3g}"


@when(
    parsers.parse(
        "{activation} is applied to {low:g} and {high:g} with every floating-point warning an error"
    ),
    target_fixture="evaluated",
)
def apply_strictly(activation: str, low: float, high: float) -> Evaluated:
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return evaluate(activation, np.array([[low, high]]))


@then(parsers.parse("the values are {low:g} and {high:g}"))
def values_are(evaluated: Evaluated, low: float, high: float) -> None:
    assert evaluated.values.tolist() == [[low, high]], evaluated.values


@then("both slopes are 0")
def slopes_zero(evaluated: Evaluated) -> None:
    assert evaluated.slopes.tolist() == [[0.0, 0.0]], evaluated.slopes
