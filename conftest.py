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

from steps.support.implementation import implementation_for, implementation_spec
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
        default=None,
        help="check this class (tutorial API) with the @tutorial scenarios only, instead of"
        " scratchnet's own network; also read from $SCRATCHNET_IMPLEMENTATION",
    )
    parser.addoption(
        "--implementation-report",
        metavar="PATH",
        default=None,
        help="with --implementation, also write each stage's outcome to PATH as JSON",
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


def pytest_configure(config: pytest.Config) -> None:
    """With another class to check: load it now, keep the docs' results, sum up each stage."""
    spec = implementation_spec(config)
    if not spec:
        return
    # The class's module is looked up from where pytest was started, as `python -m` would.
    sys.path.insert(0, str(config.invocation_params.dir))
    try:
        implementation_for(spec)
    except (ImportError, ValueError, TypeError) as error:
        raise pytest.UsageError(f"--implementation {spec}: {error}") from error
    # Its RuntimeWarnings (an overflowing exp, say) are reported, not raised: the
    # stage's assertions then say in plain words what went wrong.
    config.addinivalue_line("filterwarnings", "default::RuntimeWarning")
    if config.getoption("bdd_results") is None:
        # build/results.json, which the docs show, stays about scratchnet's own network.
        config.option.bdd_results = str(config.rootpath / "build" / "results-implementation.json")
    if not hasattr(config, "workerinput"):  # with pytest-xdist, the controller sums up
        report = config.getoption("--implementation-report")
        path = None if report is None else config.invocation_params.dir / report
        config.pluginmanager.register(StageSummary(spec, path), "tutorial-stage-summary")
