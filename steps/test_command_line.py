"""Binds features/command_line.feature: `scratchnet train` and `scratchnet evaluate`."""

from __future__ import annotations

import dataclasses
import json
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet import cli
from scratchnet.experiment import TrainConfig
from scratchnet.network import mlp
from scratchnet.serialization import save
from steps.cli_steps import (
    ACCURACY_LINE,
    EPOCH_LINE,
    Outcome,
    epoch_losses,
    every_tenth,
    json_report,
    run_in_process,
)
from steps.support.implementation import scratchnet_run

scenarios("command_line.feature")


@then(
    parsers.parse(
        "the report gives, value for value, the training losses and test accuracy of the "
        "network trained with the command's default settings and seed {seed:d}"
    )
)
def report_matches_default_run(outcome: Outcome, seed: int) -> None:
    report = json_report(outcome)
    defaults = TrainConfig.from_options(vars(cli.build_parser().parse_args(["train"])))
    expected = scratchnet_run(dataclasses.replace(defaults, seed=seed))  # cached per session
    assert report["seed"] == seed, f"the report's seed is {report['seed']}, expected {seed}"
    assert report["train_loss"] == expected.history.train_loss, "the training losses differ"
    assert report["test_accuracy"] == expected.test_accuracy, (
        f"test accuracy {report['test_accuracy']}, expected {expected.test_accuracy}"
    )


@then(
    parsers.parse(
        "the report gives the seconds the run took and every setting, with {epochs:d} epochs"
    )
)
def report_seconds_and_settings(outcome: Outcome, epochs: int) -> None:
    report = json_report(outcome)
    assert report["seconds"] > 0
    expected = dataclasses.replace(TrainConfig(), epochs=epochs, seed=report["seed"])
    assert report["config"] == expected.to_dict()


@then('its last line reads "Test Accuracy: xx.xx%"')
def last_line_accuracy(outcome: Outcome) -> None:
    last = outcome.stdout.splitlines()[-1]
    assert ACCURACY_LINE.fullmatch(last), last


@then(parsers.parse("the error message names `{option}`"))
def error_names_option(outcome: Outcome, option: str) -> None:
    assert f"argument {option}" in outcome.stderr, outcome.stderr


@then(
    parsers.parse(
        "the error message says training diverged, naming the epoch and learning rate {rate:g}"
    )
)
def divergence_message(outcome: Outcome, rate: float) -> None:
    assert re.search(rf"diverged at epoch \d+ with learning rate {rate:g}\b", outcome.stderr), (
        outcome.stderr
    )


@when(
    parsers.parse("the installed command `{command}` is run in a new process"),
    target_fixture="outcome",
)
def run_installed_command(command: str) -> Outcome:
    """The console script pip installed next to this Python, run as a user would run it."""
    program, *arguments = shlex.split(command)
    script = Path(sys.executable).with_name(program)
    assert script.exists(), f"{script} is not installed"
    finished = subprocess.run(
        [str(script), *arguments], capture_output=True, text=True, timeout=300, check=False
    )
    return Outcome(finished.returncode, finished.stdout, finished.stderr)


@then(parsers.parse("the report's setting {setting} is {expected}"))
def report_setting(outcome: Outcome, setting: str, expected: str) -> None:
    """``expected`` is written as JSON: ``"tanh"``, ``[32, 16]``, ``0.5``, ``true``."""
    assert json_report(outcome)["config"][setting] == json.loads(expected)


@then("the report records a validation loss for every epoch it ran")
def validation_loss_every_epoch(outcome: Outcome) -> None:
    report = json_report(outcome)
    assert len(report["validation_loss"]) == report["epochs_run"] == len(report["train_loss"])


@then(parsers.parse("the report says training stopped early, before epoch {limit:d}"))
def stopped_early(outcome: Outcome, limit: int) -> None:
    report = json_report(outcome)
    assert report["stopped_early"] is True
    assert report["epochs_run"] < limit


@given("nothing else")
def nothing_else() -> None:
    """The working folder stays empty."""


@given("a folder named model.npz")
def folder_named_like_a_model(model_path: Path) -> None:
    model_path.mkdir()


@given(parsers.parse("a file named {name}"))
def file_named(name: str) -> None:
    Path(name).write_text("not a folder\n")


@given(
    parsers.parse("a saved network for {inputs:d} inputs and {classes:d} classes"),
)
def network_of_another_architecture(model_path: Path, inputs: int, classes: int) -> None:
    save(mlp([inputs, 8, classes], seed=0), model_path)


@given(parsers.parse("the folder {folder} is replaced by a file while the network trains"))
def folder_replaced_while_training(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if someone removed the output folder and created a file of that name meanwhile."""
    train_then_replace = cli.run

    def run(*args, **kwargs):
        result = train_then_replace(*args, **kwargs)
        shutil.rmtree(folder)
        Path(folder).write_text("in the way\n")
        return result

    monkeypatch.setattr(cli, "run", run)


#: Failures nobody plans for, raised in place of training.
FAILURES = {"running out of memory": MemoryError(), "a bug": RuntimeError("a bug")}


@given(parsers.parse("{failure} happens while the network trains"))
def failure_while_training(failure: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args, **kwargs):
        raise FAILURES[failure]

    monkeypatch.setattr(cli, "run", run)


@then(parsers.parse('it prints nothing but one line on standard error, saying "{words}"'))
def one_line_error(outcome: Outcome, words: str) -> None:
    assert outcome.stdout == "", f"it printed: {outcome.stdout[:300]}"
    assert_one_line(outcome.stderr, words)


@then(parsers.parse('the one line on standard error says "{words}"'))
def one_line_error_after_results(outcome: Outcome, words: str) -> None:
    assert_one_line(outcome.stderr, words)


def assert_one_line(stderr: str, words: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, f"not one line: {stderr!r}"
    assert words in stderr, f"it does not say {words!r}: {stderr}"


def read_lines(stream, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")  # end of output


@when(
    parsers.parse(
        "`{command}` is started in a new process and Ctrl-C is pressed once it prints "
        "its first progress line"
    ),
    target_fixture="outcome",
)
def ctrl_c_after_first_progress_line(command: str) -> Outcome:
    """Start the installed command, wait (at most 2 minutes) for its first "Epoch" line,
    then send SIGINT, as Ctrl-C in a terminal does, and collect what it prints."""
    program, *arguments = shlex.split(command)
    script = Path(sys.executable).with_name(program)
    with subprocess.Popen(
        [str(script), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C acts in the command as in a terminal, even when the suite itself was
        # started in the background, where the shell makes its children ignore it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:
        try:
            lines: queue.Queue[str] = queue.Queue()
            reader = threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True)
            reader.start()
            printed = [lines.get(timeout=120)]
            assert printed[0].startswith("Epoch"), f"first line: {printed[0]!r}"
            process.send_signal(signal.SIGINT)
            stderr = process.stderr.read()
            exit_code = process.wait(timeout=60)
            reader.join(timeout=60)
            while not lines.empty():
                printed.append(lines.get())
        finally:
            if process.poll() is None:
                process.kill()
    return Outcome(exit_code, "".join(printed), stderr)


@then(parsers.parse("it exits with code {code:d}, without a traceback"))
def exits_without_traceback(outcome: Outcome, code: int) -> None:
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.exit_code == code, f"exit code {outcome.exit_code}: {outcome.stderr}"


@then(
    parsers.parse(
        "it says in which epoch it was interrupted and that it saved the network "
        "as it was then to {path}"
    ),
)
def says_interrupted_and_saved(outcome: Outcome, path: str) -> None:
    interrupted = re.search(r"interrupted in epoch (\d+) after \1 complete epochs", outcome.stderr)
    assert interrupted, outcome.stderr
    epoch = int(interrupted[1])
    assert epoch >= 1, "the first progress line comes after epoch 0 is complete"
    assert f"Saved the network as it was in epoch {epoch} to {path}" in outcome.stderr, (
        outcome.stderr
    )


@then("the saved network scores the test accuracy the command reported when it is evaluated again")
def saved_network_scores_as_reported(outcome: Outcome, capsys: pytest.CaptureFixture[str]) -> None:
    reported = ACCURACY_LINE.fullmatch(outcome.stdout.splitlines()[-1])
    assert reported, outcome.stdout
    evaluation = json_report(run_in_process("scratchnet evaluate --json model.npz", capsys))
    assert f"{evaluation['test_accuracy'] * 100:.2f}" == reported["percent"]


@then("it prints one JSON object")
def prints_json(outcome: Outcome) -> None:
    json_report(outcome)


@then(
    parsers.parse(
        "the report's seed is {seed:d} and its training loss has {epochs:d} values, one per epoch"
    )
)
def report_seed_and_losses(outcome: Outcome, seed: int, epochs: int) -> None:
    report = json_report(outcome)
    assert report["seed"] == seed
    assert len(report["train_loss"]) == epochs
    assert all(isinstance(loss, float) for loss in report["train_loss"])


@then(
    parsers.parse(
        'it prints "Epoch N, Loss: x.xxxx" for every 10th epoch from {first:d} to {last:d}'
    )
)
def prints_epoch_lines(outcome: Outcome, first: int, last: int) -> None:
    lines = outcome.stdout.splitlines()
    progress = [line for line in lines if line.startswith("Epoch")]
    assert all(EPOCH_LINE.fullmatch(line) for line in progress), progress
    assert list(epoch_losses(progress)) == every_tenth(first, last), progress
