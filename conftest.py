"""What pytest must know before it reads the command line: options and plugins.

``--implementation pkg.module:Class`` and ``--mnist-dir=DIR`` take a value; had
they been declared in ``steps/conftest.py``, pytest would mistake that value
for a path to test and never load the file that declares the option. (Give a
folder with ``=``: a separate argument that names a folder is taken for the
place to start from before any conftest is read.) This
conftest, at the root, is loaded first whatever the arguments, so every option
is declared here; and pytest accepts ``pytest_plugins`` only in the root
conftest, so the step modules are loaded here too.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import Phase, settings

from steps.support.implementation import TutorialClass, implementation_for, implementation_specs
from steps.support.stages import FailureMessages, StageEvents, StageSummary, error_message

STEP_MODULES = sorted(
    f"steps.{module.stem}" for module in (Path(__file__).parent / "steps").glob("*_steps.py")
)
# Rewrite asserts in the step modules too, so failures show the values compared.
pytest.register_assert_rewrite(*STEP_MODULES)
pytest_plugins = [
    # Records each scenario's and step's outcome in build/results.json for the docs.
    "steps.support.results",
    # Keeps the figures steps record with record_fact() in build/facts.json for the docs.
    # Both come before the step modules, which import them.
    "steps.support.facts",
    *STEP_MODULES,
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--implementation",
        metavar="MODULE:CLASS",
        action="append",
        default=None,
        help="check this class (tutorial API) with the @tutorial scenarios only, instead of"
        " scratchnet's own network; repeat it to check several classes in one run, each"
        " scenario once per class; also read from $SCRATCHNET_IMPLEMENTATION (space-separated)",
    )
    parser.addoption(
        "--implementation-report",
        metavar="PATH",
        default=None,
        help="with --implementation, also write each class's and stage's outcome to PATH as JSON",
    )
    parser.addoption(
        "--implementation-events",
        metavar="PATH",
        default=None,
        help="with one --implementation, report each scenario as it starts and ends to PATH,"
        " one JSON object a line (scratchnet check reads it)",
    )
    parser.addoption(
        "--implementation-seeds",
        metavar="N",
        default=None,
        help="with --implementation, train with the first N seeds (or 'all') of a scenario"
        " that trains once per seed (default: the first 3)",
    )
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


#: How Hypothesis runs the "for any ..." steps when another class is checked: a learner
#: needs what was expected and one failing example, not the smallest one, so a failing
#: example is reported as found instead of being shrunk (which took seconds per scenario);
#: and nothing is saved in a .hypothesis folder.
settings.register_profile(
    "check",
    phases=[phase for phase in Phase if phase is not Phase.shrink],
    deadline=None,
    database=None,
)


def pytest_configure(config: pytest.Config) -> None:
    """With other classes to check: load them now, report failing examples as found, sum
    up each class's stages (the results plugin writes their results away from the docs')."""
    specs = implementation_specs(config)
    if not specs:
        return
    # The classes' modules are looked up from where pytest was started, as `python -m` would.
    sys.path.insert(0, str(config.invocation_params.dir))
    events_path = config.getoption("--implementation-events")
    events = None if events_path is None else StageEvents(events_path)
    for spec in specs:
        try:
            implementation_for(spec)
        except BaseException as error:  # whatever the class's module raises
            if events is None and not isinstance(error, Exception):
                raise
            _, message = error_message(error)
            if events is not None:
                events.write("unusable", message=message)
            raise pytest.UsageError(f"--implementation {spec}: {message}") from error
    if events is not None:
        events.write("loaded")
        config.pluginmanager.register(events, "tutorial-stage-events")
    seeds = config.getoption("--implementation-seeds")
    if seeds is not None:
        TutorialClass.most_seeds = None if seeds == "all" else int(seeds)
    settings.load_profile("check")
    # Numbers in messages read 2.3, not np.float64(2.3). NumPy 1 prints them so already, and
    # takes legacy="1.25" with a warning, for a setting that breaks printing arrays later.
    if np.lib.NumpyVersion(np.__version__) >= "2.0.0":
        np.set_printoptions(legacy="1.25")
    # Its RuntimeWarnings (an overflowing exp, say) are reported, not raised: the
    # stage's assertions then say in plain words what went wrong.
    config.addinivalue_line("filterwarnings", "default::RuntimeWarning")
    config.pluginmanager.register(FailureMessages(), "tutorial-failure-messages")
    if not hasattr(config, "workerinput"):  # with pytest-xdist, the controller sums up
        report = config.getoption("--implementation-report")
        path = None if report is None else config.invocation_params.dir / report
        config.pluginmanager.register(StageSummary(specs, path), "tutorial-stage-summary")
