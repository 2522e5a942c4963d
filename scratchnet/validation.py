"""Input checks shared by every public function, and the limits of every setting.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the
argument and says what was expected, so a learner sees *which* input is wrong.

The limits of the training settings are written once, here, as constraints
(:class:`Interval` for numbers, :class:`Choice` for names): ``LEARNING_RATE``,
``DECAY`` (momentum, Adam's β₁ and β₂), ``DROPOUT``, ``L2``, ``CLIP_NORM``,
``COUNT`` (epochs, batch size, patience, layer widths), ``SEED``. The optimisers,
the layers, ``mlp``, ``train``, ``TrainConfig`` (and through it ``scratchnet
train``'s options) and the scikit-learn estimator all check with them::

    LEARNING_RATE.check(0.01, "learning_rate")    # 0.01
    LEARNING_RATE.check(0, "learning_rate")       # ValueError: learning_rate must be > 0.0, got 0.0

For scikit-learn's ``_parameter_constraints``, ``constraint.sklearn()`` gives the
list scikit-learn expects (its ``Interval`` or ``StrOptions``, plus ``None`` for
an optional setting); it imports scikit-learn only when called.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

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
    return Choice(choices).check(name, argument)


# --8<-- [end:lookup]


#: The floating-point types a network computes in, by name.
FLOAT_TYPES = ("float64", "float32")


def as_dtype(dtype: object) -> np.dtype:
    """Return ``float64`` or ``float32`` as a NumPy dtype; refuse anything else.

    Args:
        dtype: Anything ``numpy.dtype`` accepts.

    Returns:
        The dtype.
    """
    expected = " or ".join(FLOAT_TYPES)
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(f"dtype must be {expected}, got {dtype!r}") from error
    if resolved not in [np.dtype(name) for name in FLOAT_TYPES]:
        raise TypeError(f"dtype must be {expected}, got {resolved}")
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
    return COUNT.check(value, name)


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

    For a setting's limits use its constraint (``DECAY.check(...)``) instead, so that
    the limits are written once.

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
    closed = {(True, True): "both", (True, False): "left", (False, True): "right"}
    interval = Interval(low, high, closed=closed.get((low_inclusive, high_inclusive), "neither"))
    return interval.check(value, name)


#: Which ends of an interval belong to it, in scikit-learn's words.
Closed = Literal["left", "right", "both", "neither"]


# --8<-- [start:constraints]
@dataclass(frozen=True)
class Interval:
    """A number between ``low`` and ``high`` (``None``: no bound on that side).

    Args:
        low: The lower bound, or ``None``.
        high: The upper bound, or ``None``.
        closed: Which bounds are allowed values: ``"left"``, ``"right"``, ``"both"``
            or ``"neither"``, as in scikit-learn.
        integer: Only whole numbers (``int``, not ``bool``).
        optional: ``None`` is allowed too, and means "off".
    """

    low: float | None
    high: float | None = None
    closed: Closed = "both"
    integer: bool = False
    optional: bool = False

    def problem(self, value: object) -> tuple[type[Exception], str] | None:
        """What is wrong with ``value``, or ``None`` when nothing is.

        Args:
            value: The value to check.

        Returns:
            The exception to raise and the reason, e.g. ``(ValueError, "must be > 0.0,
                got -1.0")``, or ``None``.
        """
        if value is None and self.optional:
            return None
        if self.integer:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                return TypeError, f"must be a whole number, got {value!r}"
            number: float = int(value)
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                return TypeError, f"must be a number, got {value!r}"
            number = _as_float(value)
            if not math.isfinite(number):
                return ValueError, f"must be finite, got {number}"
        low_ok = self.closed in ("left", "both")
        high_ok = self.closed in ("right", "both")
        if self.low is not None and (number < self.low or (number == self.low and not low_ok)):
            return ValueError, f"must be {'>=' if low_ok else '>'} {self.low}, got {number}"
        if self.high is not None and (number > self.high or (number == self.high and not high_ok)):
            return ValueError, f"must be {'<=' if high_ok else '<'} {self.high}, got {number}"
        return None

    def check(self, value: object, name: str) -> float | int | None:
        """Return ``value`` (as ``int`` or ``float``) if it is within the interval.

        Args:
            value: The value to check.
            name: The argument's name, for the message.

        Returns:
            The value as an ``int`` (``integer=True``) or a ``float``; ``None`` stays ``None``.

        Raises:
            TypeError: ``value`` is not a (whole) number.
            ValueError: ``value`` is outside the interval, or not finite.
        """
        found = self.problem(value)
        if found is not None:
            error, reason = found
            raise error(f"{name} {reason}")
        if value is None:
            return None
        return int(value) if self.integer else _as_float(value)

    def from_text(self, text: str) -> float | int:
        """The number ``text`` spells (for command-line options), not yet checked.

        Args:
            text: What the user typed.

        Returns:
            The number.

        Raises:
            ValueError: ``text`` is not a (whole) number.
        """
        try:
            return int(text) if self.integer else float(text)
        except ValueError:
            kind = "a whole number" if self.integer else "a number"
            raise ValueError(f"must be {kind}, got {text!r}") from None

    def describe(self) -> str:
        """The interval for help texts: ``"> 0"``, ``"in [0, 1)"``, ``">= 1"``.

        Returns:
            A short description.
        """
        if self.low is not None and self.high is not None:
            left = "[" if self.closed in ("left", "both") else "("
            right = "]" if self.closed in ("right", "both") else ")"
            return f"in {left}{self.low:g}, {self.high:g}{right}"
        if self.low is not None:
            return f"{'>=' if self.closed in ('left', 'both') else '>'} {self.low:g}"
        if self.high is not None:
            return f"{'<=' if self.closed in ('right', 'both') else '<'} {self.high:g}"
        return "any number"

    def sklearn(self) -> list:
        """This constraint as scikit-learn's ``_parameter_constraints`` entry.

        Returns:
            ``[sklearn.utils._param_validation.Interval(...)]``, with ``None`` added for an
                optional setting. Like :meth:`problem`, it refuses ``True`` and ``False``,
                which scikit-learn's own interval takes for the numbers 1 and 0.
        """
        from sklearn.utils._param_validation import Interval as SklearnInterval

        class NumbersNotBooleans(SklearnInterval):
            def is_satisfied_by(self, value: object) -> bool:
                return not isinstance(value, bool) and super().is_satisfied_by(value)

        kind = numbers.Integral if self.integer else numbers.Real
        interval = NumbersNotBooleans(kind, self.low, self.high, closed=self.closed)
        return [interval, None] if self.optional else [interval]


@dataclass(frozen=True)
class Choice:
    """One of a set of names, e.g. a name table's keys (read when checked, so a name
    added to the table later is accepted).

    Args:
        names: The valid names: a name table such as ``OPTIMIZERS``, or a tuple.
    """

    names: Collection[str]

    @property
    def choices(self) -> list[str]:
        """The valid names, sorted."""
        return sorted(self.names)

    def problem(self, value: object) -> tuple[type[Exception], str] | None:
        """What is wrong with ``value``, or ``None``; see :meth:`Interval.problem`."""
        if not isinstance(value, str) or value not in self.names:
            return ValueError, f"must be one of {', '.join(self.choices)}; got {value!r}"
        return None

    def check(self, value: object, name: str) -> str:
        """Return ``value`` if it is one of the names.

        Args:
            value: The name the user gave.
            name: The argument's name, for the message.

        Returns:
            ``value``.

        Raises:
            ValueError: ``value`` is not one of the names; the message lists them.
        """
        found = self.problem(value)
        if found is not None:
            error, reason = found
            raise error(f"{name} {reason}")
        return value

    def sklearn(self) -> list:
        """This constraint as scikit-learn's ``_parameter_constraints`` entry.

        Returns:
            ``[sklearn.utils._param_validation.StrOptions(names)]``.
        """
        from sklearn.utils._param_validation import StrOptions

        return [StrOptions(set(self.names))]


Constraint = Interval | Choice

#: The limits of the settings, each written once.
LEARNING_RATE = Interval(0.0, None, closed="neither")
#: The decay of a running average: momentum's μ, Adam's β₁ and β₂.
DECAY = Interval(0.0, 1.0, closed="left")
#: The probability of zeroing an input.
DROPOUT = Interval(0.0, 1.0, closed="left")
#: The L2 weight decay strength λ (scikit-learn's ``alpha``).
L2 = Interval(0.0, None, closed="left")
#: The global norm gradients are clipped to; ``None`` for no clipping.
CLIP_NORM = Interval(0.0, None, closed="neither", optional=True)
#: Adam's ε and other small positive constants.
EPSILON = Interval(0.0, None, closed="neither")
#: How many of something: epochs, rows per batch, patience, units in a layer.
COUNT = Interval(0, None, closed="neither", integer=True)
#: A random seed.
SEED = Interval(0, None, closed="left", integer=True)
#: The share of the rows held out for validation or testing.
FRACTION = Interval(0.0, 1.0, closed="neither")
# --8<-- [end:constraints]


def _as_float(value: numbers.Real) -> float:
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        return float("inf") if value > 0 else float("-inf")


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
        return np.random.default_rng(None if seed is None else SEED.check(seed, "seed"))
    raise TypeError(f"seed must be a whole number or a numpy.random.Generator, got {seed!r}")
