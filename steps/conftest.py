"""Shared set-up for every feature.

Step definitions shared between features live in ``steps/*_steps.py``, one
module per domain; the conftest at the project's root loads them as plugins so
every test module sees them. Each ``test_<feature>.py`` binds one feature file
and holds the steps that only that feature uses.
"""

import pytest
from threadpoolctl import threadpool_limits

from steps.support.implementation import (
    Implementation,
    implementation_for,
    implementation_spec,
)


def pytest_configure(config: pytest.Config) -> None:
    """One BLAS thread per test process: the digits' matrices are small, and extra
    threads only fight each other (and pytest-xdist's workers) for the two cores."""
    threadpool_limits(limits=1)


@pytest.fixture(scope="session")
def implementation(pytestconfig: pytest.Config) -> Implementation:
    """The network the @tutorial scenarios check; the only place that knows which one it is."""
    return implementation_for(implementation_spec(pytestconfig))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser",
        action="store_true",
        help="also run the @browser scenarios (they need Chromium and the docs extra)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out @browser scenarios unless --browser is given; they need Chromium.

    When another class is checked, leave out every scenario not tagged @tutorial:
    the others are about parts of scratchnet that the tutorial's class does not have.
    """
    if implementation_spec(config):
        deselect(config, items, lambda item: not item.get_closest_marker("tutorial"))
    if not config.getoption("--browser"):
        deselect(config, items, lambda item: item.get_closest_marker("browser") is not None)


def deselect(config: pytest.Config, items: list[pytest.Item], leave_out) -> None:
    """Remove the items ``leave_out`` picks and tell pytest they were deselected."""
    left_out = [item for item in items if leave_out(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not leave_out(item)]
