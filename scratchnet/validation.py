"""Input checks shared by every public function.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the
argument and says what was expected, so a learner sees *which* input is wrong.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

import numpy as np

Entry = TypeVar("Entry")


# --8<-- [start:lookup]
def lookup(table: Mapping[str, Entry], name: object, argument: str) -> Entry:
    """Find the entry a user chose by name in one of the name tables.

    Args:
        table: Names mapped to what they stand for, e.g. ``ACTIVATIONS``.
        name: The name the user gave.
        argument: The argument's name, for the error message.

    Returns:
        The table's entry for ``name``.

    Raises:
        ValueError: ``name`` is not in the table; the message lists the valid names.
    """
    return table[check_choice(name, table, argument)]


def check_choice(name: object, choices: Collection[str], argument: str) -> str:
    """Make sure ``name`` is one of ``choices``.

    Args:
        name: The name the user gave.
        choices: The valid names (a name table's keys, or a tuple of names).
        argument: The argument's name, for the error message.

    Returns:
        ``name``.

    Raises:
        ValueError: ``name`` is not one of ``choices``; the message lists them.
    """
    if not isinstance(name, str) or name not in choices:
        raise ValueError(f"{argument} must be one of {', '.join(sorted(choices))}; got {name!r}")
    return name


# --8<-- [end:lookup]


def as_dtype(dtype: object) -> np.dtype:
    """Return ``float64`` or ``float32`` as a NumPy dtype; refuse anything else.

    Args:
        dtype: Anything ``numpy.dtype`` accepts.

    Returns:
        The dtype.
    """
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(f"dtype must be float64 or float32, got {dtype!r}") from error
    if resolved not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise TypeError(f"dtype must be float64 or float32, got {resolved}")
    return resolved


def check_features(
    X: object, name: str = "X", *, n_features: int | None = None, dtype: object = None
) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array of shape ``(batch, features)``.

    Args:
        X: The values to check.
        name: The argument's name, for messages.
        n_features: The number of columns required, if any.
        dtype: The dtype to convert to, if any.

    Returns:
        ``X`` as a 2-D array of finite numbers.
    """
    if not isinstance(X, np.ndarray | list | tuple):
        raise TypeError(
            f"{name} must be an array of shape (batch, features), got {type(X).__name__}"
        )
    array = real_array(X, name)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (batch, features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: it needs at least one row, got shape {array.shape}")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(f"{name} must have {n_features} features per row, got shape {array.shape}")
    if array.shape[1] == 0:
        raise ValueError(f"{name} has no features: it needs at least one column, got shape (n, 0)")
    target = as_dtype(dtype) if dtype is not None else None
    if target is None:
        target = array.dtype if array.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    # A value too large for the target type becomes inf here, and is refused just below.
    with np.errstate(over="ignore"):
        array = array.astype(target, copy=False)
    if not np.isfinite(array).all():
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s) (or values too large for "
            f"{target}); all must be finite"
        )
    return array


def real_array(values: object, name: str, what: str = "numbers") -> np.ndarray:
    """``values`` as a NumPy array of real numbers (bool, integer or float), any shape.

    ``what`` says what the values should be, for the messages.

    Args:
        values: The values to check.
        name: The argument's name, for messages.
        what: What was expected, for messages.

    Returns:
        The values as a real-valued array.
    """
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:  # ragged nested lists, for one
        raise ValueError(f"{name} must be a rectangular array of {what}: {error}") from None
    if array.dtype.kind not in "biuf":  # not complex, text, dates or Python objects
        raise TypeError(f"{name} must hold {what}, got dtype {array.dtype}")
    return array


def check_finite_numbers(values: object, name: str) -> np.ndarray:
    """``values`` as an array of finite real numbers, any shape.

    Args:
        values: The values to check.
        name: The argument's name, for messages.

    Returns:
        The values as a float array.
    """
    array = real_array(values, name)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values; all must be finite")
    return array


def finite_result(compute: Callable[[], np.ndarray], names: str) -> np.ndarray:
    """Run ``compute`` and return its result, refusing it if it overflowed.

    Overflow is an expected, handled condition here: finite inputs that are huge
    can still overflow in a matrix product, and the result is then refused with a
    ``ValueError`` naming the inputs, instead of handing back inf or NaN.

    Args:
        compute: Computes the result.
        names: The inputs to name if it overflows.

    Returns:
        The result.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        result = compute()
    if not np.isfinite(result).all():
        raise ValueError(f"{names} holds values so large that the result overflows")
    return result


def check_labels(
    y: object, n_classes: int | None, name: str = "y", *, n_classes_name: str | None = None
) -> np.ndarray:
    """Return integer class labels of shape ``(batch,)``, each in ``[0, n_classes)``.

    One-hot rows of shape ``(batch, n_classes)`` are accepted and turned into labels.
    With ``n_classes=None`` any label from 0 up is accepted, as 1-D labels only.
    ``n_classes_name`` names the argument ``n_classes`` came from, for the messages.

    Args:
        y: Labels ``(batch,)`` or one-hot rows ``(batch, n_classes)``.
        n_classes: The number of classes, or ``None``.
        name: The argument's name, for messages.
        n_classes_name: The argument ``n_classes`` came from, for messages.

    Returns:
        Integer labels of shape ``(batch,)``.
    """
    array = real_array(y, name, "integer class labels")
    if array.ndim == 2 and n_classes is not None:
        if array.shape[1] != n_classes:
            raise ValueError(
                f"{name} as one-hot rows must have {n_classes} columns, got shape {array.shape}"
            )
        if array.shape[0] == 0:
            raise ValueError(f"{name} is empty: it needs at least one label")
        if not np.isfinite(array).all() or not np.all((array == 0) | (array == 1)):
            raise ValueError(f"{name} given as one-hot rows must hold only 0 and 1")
        if not np.all(array.sum(axis=1) == 1):
            raise ValueError(f"{name} given as one-hot rows must have exactly one 1 per row")
        return array.argmax(axis=1)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D labels or 2-D one-hot rows, got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: it needs at least one label")
    if np.issubdtype(array.dtype, np.floating):
        if not np.isfinite(array).all() or not np.all(array == np.round(array)):
            raise ValueError(
                f"{name} must hold whole-number class labels, got {array.dtype} values"
            )
    elif not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {array.dtype}")
    # Check the range before casting: a huge label must not wrap round to a small one.
    low, high = int(array.min()), int(array.max())
    if n_classes is None and (low < 0 or high > np.iinfo(np.int64).max):
        raise ValueError(
            f"{name} holds labels from {low} to {high}; labels must be whole numbers >= 0"
        )
    if n_classes is not None and (low < 0 or high >= n_classes):
        source = f" ({n_classes_name} is {n_classes})" if n_classes_name else ""
        raise ValueError(
            f"{name} holds labels from {low} to {high}; "
            f"expected labels in 0..{n_classes - 1}{source}"
        )
    return array.astype(np.int64)


def check_same_length(first: np.ndarray, second: np.ndarray, names: str = "X and y") -> None:
    """Raise when two arrays hold a different number of rows.

    Args:
        first: An array.
        second: Another array.
        names: How messages name the pair.
    """
    if len(first) != len(second):
        raise ValueError(
            f"{names} must have the same number of rows, got {len(first)} and {len(second)}"
        )


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` if it is a whole number greater than zero.

    Args:
        value: The value to check.
        name: The argument's name, for messages.

    Returns:
        The value as an ``int``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return int(value)


def check_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float after checking it is finite and within the bounds.

    Args:
        value: The value to check.
        name: The argument's name, for messages.
        low: The lower bound, if any.
        high: The upper bound, if any.
        low_inclusive: Whether ``low`` itself is allowed.
        high_inclusive: Whether ``high`` itself is allowed.

    Returns:
        The value as a ``float``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range
        number = float("inf") if value > 0 else float("-inf")
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    if low is not None and (number < low or (number == low and not low_inclusive)):
        bound = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {bound} {low}, got {number}")
    if high is not None and (number > high or (number == high and not high_inclusive)):
        bound = "<=" if high_inclusive else "<"
        raise ValueError(f"{name} must be {bound} {high}, got {number}")
    return number


def make_rng(seed: object) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a seed, or the generator itself.

    Args:
        seed: A whole number, ``None`` or a generator.

    Returns:
        A generator (``seed`` itself if it is one).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be a whole number or a numpy.random.Generator, got {seed!r}")
