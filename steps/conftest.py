"""Shared set-up for every feature.

Step definitions shared between features live in ``steps/*_steps.py``, one
module per domain; they are loaded here as plugins so every test module sees
them. Each ``test_<feature>.py`` binds one feature file and holds the steps
that only that feature uses.
"""

import os
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

STEP_MODULES = sorted(f"steps.{module.stem}" for module in Path(__file__).parent.glob("*_steps.py"))
# Rewrite asserts in the step modules too, so failures show the values compared.
pytest.register_assert_rewrite(*STEP_MODULES)
pytest_plugins = [*STEP_MODULES]
# Records each scenario's and step's outcome in build/results.json for the docs.
pytest_plugins.append("steps.bdd_results")


def pytest_configure(config: pytest.Config) -> None:
    """One BLAS thread per test process: the digits' matrices are small, and extra
    threads only fight each other (and pytest-xdist's workers) for the two cores."""
    threadpool_limits(limits=1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser",
        action="store_true",
        help="also run the @browser scenarios (they need Chromium and the docs extra)",
    )
    parser.addoption(
        "--mnist-dir",
        metavar="DIR",
        default=os.environ.get("SCRATCHNET_MNIST_DIR"),
        help="folder holding the real MNIST files; runs the @mnist scenarios "
        "(default: $SCRATCHNET_MNIST_DIR)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out @browser scenarios unless --browser is given (they need Chromium), and
    @mnist scenarios unless --mnist-dir is given (they need the real MNIST files)."""
    if "mnist" in config.getoption("markexpr", "") and not config.getoption("--mnist-dir"):
        from scratchnet.mnist import HOW_TO_GET

        raise pytest.UsageError(
            f"the @mnist scenarios need the real MNIST files: pass --mnist-dir DIR "
            f"or set SCRATCHNET_MNIST_DIR; {HOW_TO_GET}"
        )
    for marker, option in (("browser", "--browser"), ("mnist", "--mnist-dir")):
        if config.getoption(option):
            continue
        left_out = [item for item in items if item.get_closest_marker(marker)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker(marker)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Overflow, invalid operations (NaN from 0/0, inf − inf) and division by zero raise
    FloatingPointError while a test runs, instead of a RuntimeWarning that could pass
    unnoticed. Underflow to zero stays allowed: it is how exp(-large) is meant to behave.
    Code where an overflow is expected and handled says so with its own np.errstate."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        return (yield)
