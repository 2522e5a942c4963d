"""``scratchnet check``: the tutorial's stages, run against someone else's network.

The stages are the ``@tutorial`` scenarios of the specification suite, which
lives in the repository (``features/`` and ``steps/``), not in the installed
package. The check runs that suite with pytest in a child process, from a
checkout: ``--specs DIR``, else the current folder, else the folder the package
was installed from in editable mode (``pip install -e``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scratchnet.validation import check_choice

#: The tutorial's stages, in the tutorial's order; each is one feature file.
STAGES = (
    "initialisation",
    "forward propagation",
    "softmax",
    "loss",
    "backpropagation",
    "training",
    "prediction",
    "complete example",
)
#: The packages the check needs beyond scratchnet's own.
NEEDED = {"pytest": "pytest", "pytest_bdd": "pytest-bdd"}


def find_specs(specs: str | None = None) -> Path:
    """The checkout that holds ``features/`` and ``steps/``.

    Raises:
        FileNotFoundError: none of the places looked in holds the suite.

    Args:
        specs: The folder named by ``--specs``, or ``None`` to look in the usual places.

    Returns:
        The checkout holding ``features/`` and ``steps/``.
    """
    here = Path(__file__).resolve().parents[1]
    candidates = [Path(specs)] if specs else [Path.cwd(), here]
    for candidate in candidates:
        if (candidate / "features").is_dir() and (candidate / "steps" / "conftest.py").is_file():
            return candidate.resolve()
    looked = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(
        f"the specification suite (features/ and steps/) is not in {looked}; run from a"
        " scratchnet checkout or pass --specs DIR"
    )


def stage_file(stage: str) -> str:
    """``forward propagation`` → ``steps/test_forward_propagation.py``.

    Raises:
        ValueError: ``stage`` is not one of :data:`STAGES`.

    Args:
        stage: A stage's name, e.g. ``"softmax"``.

    Returns:
        The test module that checks that stage.
    """
    return f"steps/test_{check_choice(stage, STAGES, 'stage').replace(' ', '_')}.py"


def run_check(
    implementations: Sequence[str], stages: list[str] | None = None, specs: str | None = None
) -> dict:
    """Run the tutorial's stages against each class (``package.module:ClassName``).

    One pytest run checks them all: every stage's scenarios run once per class, each class
    with its own state. The classes' modules are imported from the current folder or
    ``PYTHONPATH``.

    Returns:
        ``{"passed", "implementations": [report, ...]}``, one report per class in the order
        given, each ``{"implementation", "passed", "stages": [{"stage", "passed", "counts",
        "failures": [{"scenario", "message"}]}]}``; ``passed`` when every class passed.

    Raises:
        ModuleNotFoundError: pytest or pytest-bdd is not installed.
        FileNotFoundError: the suite cannot be found (see :func:`find_specs`).
        ValueError: an unknown stage, or pytest could not start the check (its message).

    Args:
        implementations: The classes to check, each as ``module:Class``.
        stages: The stages to run, or ``None`` for all.
        specs: The checkout holding the specification, or ``None`` to find it.
    """
    missing = [name for module, name in NEEDED.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise ModuleNotFoundError(
            f"scratchnet check runs the specification suite and needs {' and '.join(missing)};"
            ' install them with: pip install -e ".[test]"'
        )
    files = [stage_file(stage) for stage in stages or STAGES]
    root = find_specs(specs)
    path = os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *(f"--implementation={implementation}" for implementation in implementations),
            f"--implementation-report={report}",
            f"--bdd-results={Path(work) / 'results.json'}",
            *files,
        ]
        done = subprocess.run(
            command,
            cwd=root,
            env={**os.environ, "PYTHONPATH": path},
            capture_output=True,
            text=True,
            check=False,
        )
        if not report.is_file():
            said = (done.stderr.strip() or done.stdout.strip()).splitlines()
            raise ValueError("pytest could not run the check: " + " ".join(said[-3:]))
        return json.loads(report.read_text(encoding="utf-8"))


def report_text(summary: dict) -> str:
    """The report as lines a learner or a teacher can read: each class, then each stage.

    Args:
        summary: What ``run_check`` returned.

    Returns:
        The report as lines of text for the terminal.
    """
    lines = []
    for report in summary["implementations"]:
        lines += [*class_lines(report), ""]
    failed = [report for report in summary["implementations"] if not report["passed"]]
    if len(summary["implementations"]) == 1:
        lines.append(class_verdict(summary["implementations"][0]))
    elif failed:
        lines.append(f"{len(failed)} of {len(summary['implementations'])} classes failed:")
        lines.extend(f"  {report['implementation']}: {class_verdict(report)}" for report in failed)
    else:
        lines.append("Every class passed every stage checked.")
    return "\n".join(lines)


def class_lines(report: dict) -> list[str]:
    """One class's part of the report: a line per stage, and what each failure expected."""
    lines = [f"Checking {report['implementation']} against the tutorial's stages:", ""]
    for stage in report["stages"]:
        counts = stage["counts"]
        total = sum(counts.values())
        if stage["passed"]:
            lines.append(f"  passed  {stage['stage']:<20} {total} scenarios")
            continue
        failed = counts.get("failed", 0)
        lines.append(f"  FAILED  {stage['stage']:<20} {failed} of {total} scenarios failed")
        for failure in stage["failures"]:
            lines.append(f"          - {failure['scenario']}")
            lines.extend(f"            {line}" for line in failure["message"].splitlines())
    checked = {stage["stage"] for stage in report["stages"]}
    not_run = [stage for stage in STAGES if stage not in checked]
    if not_run:
        lines += ["", f"Not checked: {', '.join(not_run)}"]
    return lines


def class_verdict(report: dict) -> str:
    """``Failed: softmax.``, ``Every stage checked passed.`` or ``No stage ran.``"""
    if not report["stages"]:
        return "No stage ran."
    failed = [stage["stage"] for stage in report["stages"] if not stage["passed"]]
    return f"Failed: {', '.join(failed)}." if failed else "Every stage checked passed."


# --8<-- [start:command]
HELP = "run the tutorial's stages of the specification against your own network classes"
DESCRIPTION = (
    "Run the tutorial-stage scenarios against one or more classes with the tutorial's API,"
    " in one pytest run, and report each class and each stage; exits with 1 when any class"
    " fails a stage. Needs pytest and pytest-bdd, and a scratchnet checkout."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``scratchnet check``.

    Args:
        parser: The ``check`` command's parser.
    """
    parser.add_argument(
        "implementation",
        metavar="MODULE:CLASS",
        nargs="+",
        help="your class, e.g. mynet:NeuralNetwork (imported from the current folder); name"
        " several to check a whole class of students' networks at once, e.g."
        " alice:NeuralNetwork bob:NeuralNetwork",
    )
    parser.add_argument(
        "--stage",
        action="append",
        metavar="NAME",
        help="check only this stage (repeatable), e.g. --stage softmax (default: all eight)",
    )
    parser.add_argument(
        "--specs",
        metavar="DIR",
        default=None,
        help="the checkout holding features/ and steps/ (default: the current folder, else the"
        " folder scratchnet was installed from with pip install -e)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run_command(args: argparse.Namespace) -> int:
    """``scratchnet check``: run the stages and print the report.

    Args:
        args: The options :func:`add_arguments` defines.

    Returns:
        The exit status: 0 when every class passed every stage, 1 when a class failed one.

    Raises:
        UsageError: the check cannot start (a class that cannot be imported, an unknown
            stage, no suite, pytest missing).
    """
    from scratchnet.cli import UsageError

    try:
        report = run_check(args.implementation, args.stage, args.specs)
    except (ModuleNotFoundError, FileNotFoundError, ValueError) as error:
        raise UsageError(str(error)) from None
    print(json.dumps(report) if args.json else report_text(report))
    return 0 if report["passed"] else 1


# --8<-- [end:command]
