"""Steps about running commands and reading what they print."""

from __future__ import annotations

import json
import re
import shlex
import sys
import time
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import pytest
from pytest_bdd import given, parsers, then, when

from scratchnet import cli, plots

#: A progress line in the tutorial's format, and the line with the final score.
EPOCH_LINE = re.compile(r"Epoch (?P<epoch>\d+), Loss: (?P<loss>\d+\.\d{4})")
ACCURACY_LINE = re.compile(r"Test Accuracy: (?P<percent>\d+\.\d{2})%")


class Outcome(NamedTuple):
    """What a command did: its exit code, what it printed, and (run in this process) the
    seconds it took."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float | None = None


def epoch_losses(lines: list[str]) -> dict[int, float]:
    """``{epoch: loss}`` from the lines in the tutorial's ``Epoch N, Loss: x.xxxx`` format."""
    matches = (EPOCH_LINE.fullmatch(line) for line in lines)
    return {int(m["epoch"]): float(m["loss"]) for m in matches if m}


def every_tenth(first: int, last: int) -> list[int]:
    """Epochs ``first, first + 10, ...`` up to ``last``: those that print a progress line."""
    return list(range(first, last + 1, 10))


#: The commands a scenario may run, each by the words that start it and its entry point.
PROGRAMS = {("scratchnet",): cli.main, ("python", "-m", "scratchnet.plots"): plots.main}


def run_in_process(
    command: str, capsys: pytest.CaptureFixture[str], from_shell: bool = False
) -> Outcome:
    """Run ``scratchnet ...`` (or ``python -m scratchnet.plots ...``) through its entry point
    in this process and capture its output.

    ``from_shell`` calls the entry point as the shell's start does, with no arguments:
    it reads them from ``sys.argv``, which holds the command's words meanwhile."""
    words = shlex.split(command)
    programs = [program for program in PROGRAMS if tuple(words[: len(program)]) == program]
    assert programs, f"not a scratchnet command: {command}"
    (program,) = programs
    arguments = words[len(program) :]
    started = time.perf_counter()
    try:
        if from_shell:
            with mock.patch.object(sys, "argv", [program[-1], *arguments]):
                exit_code = PROGRAMS[program]()
        else:
            exit_code = PROGRAMS[program](arguments)
    except SystemExit as exit:
        exit_code = exit.code
    seconds = time.perf_counter() - started
    printed = capsys.readouterr()
    return Outcome(exit_code, printed.out, printed.err, seconds)


def json_report(outcome: Outcome) -> dict:
    """The one JSON object a ``--json`` command prints."""
    lines = outcome.stdout.splitlines()
    assert len(lines) == 1, f"expected one line of JSON, got {len(lines)}: {outcome.stdout[:300]}"
    report = json.loads(lines[0])
    assert isinstance(report, dict), f"expected a JSON object, got {type(report).__name__}"
    return report


@when(
    parsers.re(r"I run `(?P<command>(?:scratchnet|python -m scratchnet\.plots)(?: [^`]+)?)`"),
    target_fixture="outcome",
)
def run_command(command: str, capsys: pytest.CaptureFixture[str]) -> Outcome:
    return run_in_process(command, capsys)


@when(
    parsers.re(
        r"`(?P<command>(?:scratchnet|python -m scratchnet\.plots)(?: [^`]+)?)` "
        r"is started from a shell"
    ),
    target_fixture="outcome",
)
def start_from_shell(command: str, capsys: pytest.CaptureFixture[str]) -> Outcome:
    return run_in_process(command, capsys, from_shell=True)


@then("the command succeeds")
def command_succeeds(outcome: Outcome) -> None:
    assert outcome.exit_code == 0, f"exit code {outcome.exit_code}: {outcome.stderr}"


@then(parsers.parse("the command fails with exit code {code:d}"))
def command_fails(outcome: Outcome, code: int) -> None:
    assert outcome.exit_code == code, f"exit code {outcome.exit_code}: {outcome.stderr}"


@given("an empty working folder")
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@when(
    parsers.parse("the saved network is scored again with `{command}`"),
    target_fixture="evaluation",
)
def evaluate_saved(command: str, capsys: pytest.CaptureFixture[str]) -> Outcome:
    return run_in_process(command, capsys)


@then("both reports give the same test accuracy")
def same_accuracy(outcome: Outcome, evaluation: Outcome) -> None:
    trained, evaluated = json_report(outcome), json_report(evaluation)
    assert evaluated["test_accuracy"] == trained["test_accuracy"]
    assert evaluated["seed"] == trained["seed"]


@when(parsers.parse("the folder {folder} is renamed to {name}"))
def rename_folder(folder: str, name: str) -> None:
    Path(folder).rename(name)


@then(
    parsers.parse('the evaluation succeeds and reads "{line}", with the training\'s test accuracy')
)
def evaluation_reads(outcome: Outcome, evaluation: Outcome, line: str) -> None:
    assert evaluation.exit_code == 0, evaluation.stderr
    percent = f"{json_report(outcome)['test_accuracy'] * 100:.2f}"
    assert evaluation.stdout == line.replace("<percent>", percent) + "\n", evaluation.stdout


@then(parsers.parse('the evaluation fails with exit code {code:d}, saying "{words}"'))
def evaluation_fails(evaluation: Outcome, code: int, words: str) -> None:
    assert evaluation.exit_code == code, evaluation.stderr
    assert words in evaluation.stderr and evaluation.stderr.count("\n") == 1, evaluation.stderr


def help_entries(help_text: str) -> dict[str, list[str]]:
    """Each argument's lines in ``--help``, keyed by its first spelling: the options,
    the positional arguments and the sub-commands listed under them."""
    entries: dict[str, list[str]] = {}
    current: list[str] = []
    sections = help_text.split("\n\n")[1:]  # after the usage
    for line in "\n".join(sections).splitlines():
        if re.match(r" {2,4}\S", line):
            current = entries.setdefault(re.split(r"[\s,]", line.strip())[0], [])
        elif not line.startswith(" "):
            current = []  # a section's title or the description
        current.append(line.strip())
    return entries


def option_help(help_text: str, option: str) -> str:
    """The help ``--help`` prints for ``option`` (or a positional argument, by its
    metavar): its lines joined, every run of white space made one space."""
    entries = help_entries(help_text)
    assert option in entries, f"no help for {option}: {sorted(entries)}"
    return " ".join(" ".join(entries[option]).split())


@then(parsers.parse('the help for `{option}` gives its limits as "{limits}"'))
def help_gives_limits(outcome: Outcome, option: str, limits: str) -> None:
    described = option_help(outcome.stdout, option)
    assert f"({limits})" in described, f"{option}'s help does not say ({limits}): {described}"


@then(parsers.parse('the help for `{option}` says "{words}"'))
def help_says(outcome: Outcome, option: str, words: str) -> None:
    described = option_help(outcome.stdout, option)
    assert words in described, f"{option}'s help does not say {words!r}: {described}"
