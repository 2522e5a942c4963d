"""Input fuzzing: the values Hypothesis draws for one argument, and the rule each call must obey.

:func:`junk` draws anything at all (arrays of every shape and kind, Python
scalars, lists, text); :func:`either` mixes junk with values of the right kind
holding extreme numbers. :func:`check_every_value` calls one function with
each value drawn for one argument and requires a result that the target's own
check confirms, or a ValueError or TypeError whose message names the argument.
The targets themselves, with their independent checks, are in
:mod:`steps.support.fuzz_targets`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import given as for_all
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

#: The same examples on every run, no database on disk; few enough that the
#: whole outline runs in a few seconds.
ROBUSTNESS_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FEATURES, HIDDEN, CLASSES, ROWS = 4, 5, 3, 6
#: Finite numbers far beyond the data's scale, some beyond float32's range.
HUGE = st.sampled_from([1e308, -1e308, 1e200, -3.5e38, 1e20])
REALS = st.one_of(st.floats(), HUGE)  # st.floats() draws NaN and ±inf too
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
ODD_DTYPES = ["float16", "int8", "uint64", "bool", "complex128", "U3", "M8[D]"]
SMALL_INTS = st.integers(-2, 8)
#: Values that have broken array code before: ragged rows, mixed kinds, odd objects.
NASTY = [
    [[1.0, 2.0], [3.0]],
    [[1, 2, 3, 4], "abcd"],
    [[1.0, 2.0, 3.0, 4.0], None],
    np.array(5.0),
    np.zeros((0, 4)),
    np.zeros((3, 0)),
    np.ones((1, 4, 1)),
    object(),
    Path("model.npz"),
]
#: Any integer, including ones beyond float64's range.
BIG_INTS = st.one_of(st.integers(), st.sampled_from([10**400, -(10**400), 2**64]))


def junk(ints: st.SearchStrategy[int] = SMALL_INTS) -> st.SearchStrategy[object]:
    """Anything at all: arrays of every shape and kind, Python scalars, lists, text.

    Integers come from ``ints``; they stay small by default, because where an
    integer is a size (of a layer, say) a huge one asks for memory no machine has.
    """
    array_ints = st.integers(-(2**63), 2**63 - 1) if ints is BIG_INTS else SMALL_INTS
    return st.one_of(
        SHAPES.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=REALS)),
        SHAPES.flatmap(lambda shape: hnp.arrays(np.int64, shape, elements=array_ints)),
        st.tuples(st.sampled_from(ODD_DTYPES), SHAPES).flatmap(lambda d: hnp.arrays(*d)),
        SHAPES.flatmap(
            lambda shape: hnp.arrays(
                object, shape, elements=st.one_of(st.none(), REALS, st.text(max_size=2))
            )
        ),
        st.none(),
        st.booleans(),
        ints,
        REALS,
        st.complex_numbers(),
        st.text(max_size=4),
        st.binary(max_size=4),
        st.lists(REALS, max_size=4),
        st.lists(st.lists(REALS, max_size=3), max_size=3),  # ragged or empty
        st.lists(st.text(max_size=2), max_size=3),
        st.dictionaries(st.text(max_size=2), REALS, max_size=2),
        st.sampled_from(NASTY),
    )


def either(ints: st.SearchStrategy[int], *plausible: st.SearchStrategy) -> st.SearchStrategy:
    """Junk one time in four; otherwise a value of the right kind, often with extreme numbers
    (a plain ``one_of`` would draw junk most of the time: it has many more branches)."""
    return st.integers(0, 3).flatmap(lambda i: junk(ints) if i == 0 else st.one_of(*plausible))


def arrays_shaped(
    shape: tuple[int, ...], elements: st.SearchStrategy | None = None
) -> st.SearchStrategy:
    """Arrays of the right shape: floats (ordinary or extreme), integers or booleans."""
    ordinary = st.floats(-10, 10) if elements is None else elements
    return st.one_of(
        hnp.arrays(np.float64, shape, elements=ordinary),
        hnp.arrays(st.sampled_from(ODD_DTYPES), shape),
        hnp.arrays(st.sampled_from(["float64", "float32"]), shape),  # NaN, inf, huge
        hnp.arrays(np.float64, shape, elements=st.one_of(ordinary, HUGE)),
        hnp.arrays(np.int64, shape, elements=SMALL_INTS),
        hnp.arrays(np.bool_, shape),
    )


def rows_of(
    columns: int, elements: st.SearchStrategy | None = None, rows: int | None = None
) -> st.SearchStrategy:
    """``(n, columns)`` arrays for n from 1 to 6 (or ``rows``), or lists of lists."""
    counts = st.integers(1, ROWS) if rows is None else st.just(rows)
    arrays = counts.flatmap(lambda n: arrays_shaped((n, columns), elements))
    return st.one_of(arrays, arrays.map(lambda a: a.tolist()))


def labels_for(classes: int, rows: int = ROWS) -> st.SearchStrategy:
    """Labels for ``rows`` rows: in and out of range, whole and not, or one-hot rows."""
    return st.one_of(
        hnp.arrays(np.int64, rows, elements=st.integers(-1, classes)),
        hnp.arrays(np.int64, rows, elements=st.integers(0, classes - 1)),
        hnp.arrays(np.float64, rows, elements=st.sampled_from([0.0, 1.0, 2.5, np.nan, 1e300])),
        hnp.arrays(np.int64, (rows, classes), elements=st.integers(0, 1)),
        st.integers(0, classes - 1).map(lambda k: np.eye(classes)[[k] * rows]),
        hnp.arrays(np.uint64, rows),
    )


@dataclass
class Target:
    """One argument of one public function: values to try, the call, and its correct result."""

    values: st.SearchStrategy
    call: Callable[[Any], Any]
    check: Callable[[Any, Any], None]
    examples: int = 40


class FileContent(NamedTuple):
    """Bytes to write to ``model.npz`` before loading it."""

    data: bytes


def names(error: Exception, argument: str, value: object) -> bool:
    """The message names the argument (for a file, naming the file will do)."""
    message = str(error)
    if re.search(rf"(^|\W){re.escape(argument)}\b", message):
        return True
    if isinstance(value, FileContent):
        return "model.npz" in message
    return isinstance(value, str | Path) and str(value) != "" and repr(str(value)) in message


def check_every_value(function: str, argument: str, target: Target) -> None:
    """Call ``target`` with every value Hypothesis draws for ``argument`` of ``function``:
    each call returns a result ``target.check`` accepts, or raises a ValueError or
    TypeError (not an IndexError or KeyError) whose message names ``argument``."""

    def one_call(value: object) -> None:
        try:
            result = target.call(value)
        except (FileNotFoundError, IsADirectoryError) as error:
            # Loading a path that is no file fails as open() would, naming the path.
            assert function == "load", f"{type(error).__name__}: {error}"
            assert repr(str(value)) in str(error) or str(value) in str(error), str(error)
            return
        except (ValueError, TypeError) as error:
            assert not isinstance(error, LookupError), f"{type(error).__name__}: {error}"
            assert names(error, argument, value), (
                f"{function} given {argument}={value!r:.200}: the message does not name "
                f"{argument}: {type(error).__name__}: {error}"
            )
            return
        target.check(value, result)

    examples = settings(ROBUSTNESS_SETTINGS, max_examples=target.examples)
    examples(for_all(target.values)(one_call))()
