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

import pytest
from hypothesis import Phase, settings

from steps.support.implementation import implementation_for, implementation_specs
from steps.support.stages import StageSummary

STEP_MODULES = sorted(
    f"steps.{module.stem}" for module in (Path(__file__).parent / "steps").glob("*_steps.py")
)
# Rewrite asserts in the step modules too, so failures show the values compared.
pytest.register_assert_rewrite(*STEP_MODULES)
pytest_plugins = [*STEP_MODULES]
# Records each scenario's and step's outcome in build/results.json for the docs.
pytest_plugins.append("steps.support.results")


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
#: example is reported as found instead of being shrunk (which took seconds per scenario).
settings.register_profile(
    "check", phases=[phase for phase in Phase if phase is not Phase.shrink], deadline=None
)


def pytest_configure(config: pytest.Config) -> None:
    """With other classes to check: load them now, report failing examples as found, sum
    up each class's stages (the results plugin writes their results away from the docs')."""
    specs = implementation_specs(config)
    if not specs:
        return
    # The classes' modules are looked up from where pytest was started, as `python -m` would.
    sys.path.insert(0, str(config.invocation_params.dir))
    for spec in specs:
        try:
            implementation_for(spec)
        except (ImportError, ValueError, TypeError) as error:
            raise pytest.UsageError(f"--implementation {spec}: {error}") from error
    settings.load_profile("check")
    # Its RuntimeWarnings (an overflowing exp, say) are reported, not raised: the
    # stage's assertions then say in plain words what went wrong.
    config.addinivalue_line("filterwarnings", "default::RuntimeWarning")
    if not hasattr(config, "workerinput"):  # with pytest-xdist, the controller sums up
        report = config.getoption("--implementation-report")
        path = None if report is None else config.invocation_params.dir / report
        config.pluginmanager.register(StageSummary(specs, path), "tutorial-stage-summary")
