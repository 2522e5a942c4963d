"""Shared set-up for every feature.

Step definitions shared between features live in ``steps/*_steps.py``, one
module per domain; the conftest at the project's root loads them as plugins so
every test module sees them. Each ``test_<feature>.py`` binds one feature file
and holds the steps that only that feature uses. Test infrastructure that is not
steps (the ``--implementation`` adapter, the results plugin, the headless-browser
client, the Gherkin walker) lives in ``steps/support/``.
"""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from scratchnet import plots
from steps.digits_steps import digits_split
from steps.support.implementation import (
    Implementation,
    complete_example_output,
    implementation_for,
    implementation_specs,
    scratchnet_run,
)
from steps.support.stages import CLASS_PROPERTY

#: What the steps compute once and share within a session: runs, printed output, data,
#: and the runs and pictures the drawing code keeps (scratchnet/plots.py).
SESSION_CACHES = (
    digits_split,
    scratchnet_run,
    complete_example_output,
    plots.tracked_run,
    plots.picture,
)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Every session computes its shared results afresh. A new process has empty caches
    anyway; this matters when one process runs several sessions, as mutation testing
    does: mutmut forks each mutant's session from a process that already ran the
    scenarios, and a run cached there was trained by the unmutated code."""
    for cache in SESSION_CACHES:
        cache.cache_clear()


def pytest_configure(config: pytest.Config) -> None:
    """One BLAS thread per test process: the digits' matrices are small, and extra
    threads only fight each other (and pytest-xdist's workers) for the two cores."""
    threadpool_limits(limits=1)


@pytest.fixture(scope="session", autouse=True)
def implementation(request: pytest.FixtureRequest) -> Implementation:
    """The network the @tutorial scenarios check; the only place that knows which one it is:
    scratchnet's own, or the class this scenario's run is for (see pytest_generate_tests).

    Used by every scenario, even one whose @tutorial tag sits on an Examples block or whose
    steps never ask for it, so that each one can be run once per class checked.
    """
    return implementation_for(getattr(request, "param", None))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With classes to check, every scenario runs once per class, its id naming the class."""
    specs = implementation_specs(metafunc.config)
    if specs:
        metafunc.parametrize("implementation", specs, indirect=True, ids=specs, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out @browser scenarios unless --browser is given (they need Chromium), and
    @mnist scenarios unless --mnist-dir is given (they need the real MNIST files).

    When another class is checked, leave out every scenario not tagged @tutorial:
    the others are about parts of scratchnet that the tutorial's class does not have.
    """
    if "mnist" in config.getoption("markexpr", "") and not config.getoption("--mnist-dir"):
        from scratchnet.mnist import HOW_TO_GET

        raise pytest.UsageError(
            f"the @mnist scenarios need the real MNIST files: pass --mnist-dir=DIR "
            f"or set SCRATCHNET_MNIST_DIR; {HOW_TO_GET}"
        )
    if implementation_specs(config):
        deselect(config, items, lambda item: not item.get_closest_marker("tutorial"))
        for item in items:  # the stage summary reads which class each run checked
            item.user_properties.append((CLASS_PROPERTY, item.callspec.params["implementation"]))
    for marker, option in (("browser", "--browser"), ("mnist", "--mnist-dir")):
        if not config.getoption(option):
            deselect(config, items, lambda item, m=marker: item.get_closest_marker(m) is not None)


def deselect(config: pytest.Config, items: list[pytest.Item], leave_out) -> None:
    """Remove the items ``leave_out`` picks and tell pytest they were deselected."""
    left_out = [item for item in items if leave_out(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not leave_out(item)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Overflow, invalid operations (NaN from 0/0, inf − inf) and division by zero raise
    FloatingPointError while a test runs, instead of a RuntimeWarning that could pass
    unnoticed. Underflow to zero stays allowed: it is how exp(-large) is meant to behave.
    Code where an overflow is expected and handled says so with its own np.errstate."""
    if implementation_specs(item.config):
        # Another class is being checked: its overflow should fail the stage's own
        # assertions, which say what was expected, not stop it with numpy's words.
        return (yield)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        return (yield)
