"""Binds features/command_line.feature: `scratchnet train` and `scratchnet evaluate`."""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet import cli, experiment
from scratchnet.data import load_digits, train_test_split
from scratchnet.experiment import TrainConfig, dataset_for, network_for
from scratchnet.gradcheck import gradcheck, randomise_biases
from scratchnet.metrics import accuracy
from scratchnet.network import Network, mlp
from scratchnet.serialization import load, load_with_metadata, save
from steps.cli_steps import (
    ACCURACY_LINE,
    EPOCH_LINE,
    Outcome,
    epoch_losses,
    every_tenth,
    help_entries,
    json_report,
    run_in_process,
)
from steps.support.implementation import scratchnet_run
from steps.support.training_watch import (
    TrainingWatch,
    assert_each_row_once,
    row_numbers,
    summarised,
)

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
    assert 0 < report["seconds"] <= outcome.seconds, (report["seconds"], outcome.seconds)
    expected = dataclasses.replace(TrainConfig(), epochs=epochs, seed=report["seed"])
    assert report["config"] == expected.to_dict()


@then('its last line reads "Test Accuracy: xx.xx%"')
def last_line_accuracy(outcome: Outcome) -> None:
    last = outcome.stdout.splitlines()[-1]
    assert ACCURACY_LINE.fullmatch(last), last


@then(parsers.parse("the error message names `{option}`"))
def error_names_option(outcome: Outcome, option: str) -> None:
    assert f"argument {option}" in outcome.stderr, outcome.stderr


@then(parsers.parse('the help starts with "{usage}"'))
def help_starts_with(outcome: Outcome, usage: str) -> None:
    assert outcome.stdout.startswith(usage), outcome.stdout[:300]


@then(parsers.parse('the help describes the command as "{description}"'))
def help_describes(outcome: Outcome, description: str) -> None:
    paragraph = " ".join(outcome.stdout.split("\n\n")[1].split())
    assert paragraph.startswith(description), f"the description reads: {paragraph}"


@then(parsers.parse('the help shows {argument} as "{typed}", saying "{words}"'))
def help_shows_argument(outcome: Outcome, argument: str, typed: str, words: str) -> None:
    entries = help_entries(outcome.stdout)
    assert argument in entries, f"no help for {argument}: {sorted(entries)}"
    first, *rest = entries[argument]
    shown, _, explained = first.partition("  ")
    assert shown == typed, f"{argument} is shown as {shown!r}, expected {typed!r}"
    described = " ".join([explained.strip(), *rest]).strip()
    assert described == words, f"{argument}'s help says {described!r}"


@then(
    parsers.parse(
        "the error message says training diverged, naming the epoch and learning rate {rate:g}"
    )
)
def divergence_message(outcome: Outcome, rate: float) -> None:
    assert re.search(rf"diverged at epoch \d+ with learning rate {rate:g}\b", outcome.stderr), (
        outcome.stderr
    )


@then(parsers.parse("the error message points to the options `{first}` and `{second}`"))
def points_to_options(outcome: Outcome, first: str, second: str) -> None:
    assert first in outcome.stderr and second in outcome.stderr, outcome.stderr


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


@then("the report records a validation loss and accuracy for every epoch it ran")
def validation_loss_every_epoch(outcome: Outcome) -> None:
    report = json_report(outcome)
    assert len(report["validation_loss"]) == report["epochs_run"] == len(report["train_loss"])
    accuracies = report["validation_accuracy"]
    assert len(accuracies) == report["epochs_run"], accuracies
    assert all(0 <= accuracy <= 1 for accuracy in accuracies), accuracies


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


@given("a disk error happens while the network trains")
def disk_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(cli, "run", run)


@given("Ctrl-C is pressed while the data load")
def ctrl_c_while_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def dataset_for(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "dataset_for", dataset_for)


@given("running out of memory happens while the network trains")
def memory_runs_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(cli, "run", run)


@given("a bug that builds the network for 63 inputs, not 64 happens while the network trains")
def network_built_too_narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real bug inside the core: the data are right, the network built for them is not,
    so training refuses the rows with the core's own ValueError."""
    monkeypatch.setattr(experiment, "network_for", network_for_63_inputs)


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


#: A bug in the core's use, not the user's: a ValueError raised deep inside training.
def network_for_63_inputs(config, dataset):
    narrower = dataclasses.replace(dataset, X_train=dataset.X_train[:, :63])
    return network_for(config, narrower)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> TrainingWatch:
    """What training does in this scenario, once a step starts watching."""
    return TrainingWatch()


@when(
    parsers.re(r"I run `(?P<command>scratchnet train [^`]+)` while training is watched"),
    target_fixture="outcome",
)
def run_watched(
    command: str,
    watch: TrainingWatch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    watch.start(monkeypatch)
    watch.command = command
    return run_in_process(command, capsys)


@then(parsers.parse("the network trained has hidden layers of {widths} units"))
def hidden_layers(watch: TrainingWatch, widths: str) -> None:
    expected = [int(width) for width in widths.replace(" and ", " ").replace(",", " ").split()]
    assert watch.hidden_widths() == expected


#: Activations computed here, independently of scratchnet's.
ACTIVATION_FUNCTIONS = {
    "relu": lambda Z: np.maximum(Z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda Z: 1.0 / (1.0 + np.exp(-Z)),
}


@then(parsers.parse("the trained network applies {activation} between its layers"))
def applies_activation(watch: TrainingWatch, activation: str) -> None:
    network, rows = watch.network, watch.batches[-1].rows
    weights = [p for name, p in network.named_parameters() if name.startswith("W")]
    biases = [p for name, p in network.named_parameters() if name.startswith("b")]
    hidden = rows
    for W, b in zip(weights[:-1], biases[:-1], strict=True):
        hidden = ACTIVATION_FUNCTIONS[activation](hidden @ W + b)
    expected = hidden @ weights[-1] + biases[-1]
    np.testing.assert_allclose(network.forward(rows), expected, rtol=1e-10, atol=1e-12)


@then(
    "the first layer's starting weights have He's spread for 64 inputs, "
    "a standard deviation of √(2/64) within 5%"
)
def starts_with_he_spread(watch: TrainingWatch) -> None:
    first = watch.steps[0].before[0]
    assert first.shape[0] == 64, first.shape
    expected = np.sqrt(2 / 64)
    assert abs(first.std() / expected - 1) < 0.05, f"std {first.std():.4f}, He {expected:.4f}"


def reference_moves(
    rule: str, rate: float, momentum: float, gradients: list[list[np.ndarray]]
) -> list[list[np.ndarray]]:
    """How far each optimiser moves each array at each step, from the gradients alone."""
    moves, velocity, first, second = [], None, None, None
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for t, step_gradients in enumerate(gradients, start=1):
        if rule == "sgd":
            moves.append([-rate * g for g in step_gradients])
        elif rule in ("momentum", "nesterov"):
            velocity = [
                momentum * (v if velocity else 0.0) - rate * g
                for v, g in zip(velocity or step_gradients, step_gradients, strict=True)
            ]
            if rule == "momentum":
                moves.append(list(velocity))
            else:
                moves.append(
                    [momentum * v - rate * g for v, g in zip(velocity, step_gradients, strict=True)]
                )
        elif rule == "adam":
            first = [
                beta1 * (m if first else 0.0) + (1 - beta1) * g
                for m, g in zip(first or step_gradients, step_gradients, strict=True)
            ]
            second = [
                beta2 * (v if second else 0.0) + (1 - beta2) * g**2
                for v, g in zip(second or step_gradients, step_gradients, strict=True)
            ]
            moves.append(
                [
                    -rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + epsilon)
                    for m, v in zip(first, second, strict=True)
                ]
            )
        else:
            raise ValueError(f"no reference for {rule!r}")
    return moves


@then(
    parsers.re(
        r"each step moves the weights as (?P<rule>\w+) with learning rate (?P<rate>[\d.e-]+)"
        r"(?: and momentum (?P<momentum>[\d.]+))? does"
    )
)
def moves_as_optimizer(watch: TrainingWatch, rule: str, rate: str, momentum: str | None) -> None:
    expected = reference_moves(
        rule, float(rate), float(momentum or 0.0), [step.gradients for step in watch.steps]
    )
    assert watch.steps, "no step was taken"
    for index, (step, moves) in enumerate(zip(watch.steps, expected, strict=True)):
        for name, before, after, move in zip(
            step.names, step.before, step.after, moves, strict=True
        ):
            scale = np.abs(before).max() + 1.0
            np.testing.assert_allclose(
                after - before, move, rtol=1e-6, atol=1e-13 * scale, err_msg=f"step {index}, {name}"
            )


@then(
    parsers.parse(
        "each step's gradient is backpropagation's plus {strength:g} times the weights, "
        "the biases' unchanged"
    )
)
def gradient_has_l2(watch: TrainingWatch, strength: float) -> None:
    assert watch.steps, "no step was taken"
    for step in watch.steps:
        for name, before, handed, raw in zip(
            step.names, step.before, step.gradients, step.backpropagated, strict=True
        ):
            decay = strength * before if name.startswith("W") else 0.0
            np.testing.assert_allclose(handed, raw + decay, rtol=1e-12, atol=1e-15, err_msg=name)


@then(
    parsers.parse(
        "each step's gradients are backpropagation's scaled down to a global norm of {limit:g} "
        "whenever they were longer"
    )
)
def gradients_clipped(watch: TrainingWatch, limit: float) -> None:
    clipped = 0
    for index, step in enumerate(watch.steps):
        norm = np.sqrt(sum(float((g**2).sum()) for g in step.backpropagated))
        scale = min(1.0, limit / norm)
        clipped += scale < 1.0
        for name, handed, raw in zip(step.names, step.gradients, step.backpropagated, strict=True):
            np.testing.assert_allclose(
                handed, raw * scale, rtol=1e-12, atol=1e-15, err_msg=f"step {index}, {name}"
            )
    assert clipped, f"no step's gradients were longer than {limit}: the row checks nothing"


@then(
    parsers.parse(
        "training zeroes {percent:g}% of the hidden units it sees, within {margin:g} "
        "percentage point, and prediction zeroes none"
    )
)
def dropout_in_training(watch: TrainingWatch, percent: float, margin: float) -> None:
    assert watch.dropout_inputs, "no dropout layer saw a unit in training"
    zeroed = 100 * watch.dropout_zeroed / watch.dropout_inputs
    assert abs(zeroed - percent) <= margin, f"{zeroed:.2f}% of the units were zeroed"
    assert watch.dropout_changed_outside_training == 0


@then(
    parsers.parse(
        "each pass over the {rows:d} training rows takes steps of {size:d} rows, "
        "the last step the {rest:d} left"
    )
)
def batch_sizes(watch: TrainingWatch, outcome: Outcome, rows: int, size: int, rest: int) -> None:
    per_epoch = [size] * (rows // size) + [rest]
    assert sum(per_epoch) == rows
    epochs = json_report(outcome)["epochs_run"]
    assert watch.batch_sizes == per_epoch * epochs, (
        f"{epochs} passes should take steps on batches of {summarised(per_epoch * epochs)} rows;"
        f" training took them on batches of {summarised(watch.batch_sizes)} rows"
    )


@then(
    parsers.parse(
        "training passes {times:d} times over the same {rows:d} rows, each row once per pass"
    )
)
def passes_over_rows(watch: TrainingWatch, times: int, rows: int) -> None:
    assert watch.passes(rows) == times, f"{watch.passes(rows)} passes over {rows} rows"
    first = watch.epochs(rows)[0].rows  # the rows numbered in the order the first pass met them
    assert_each_row_once(watch.orders(first), rows)


@then(parsers.parse("every step's rows, weights and gradients are {dtype}"))
def everything_in_dtype(watch: TrainingWatch, dtype: str) -> None:
    assert {str(batch.rows.dtype) for batch in watch.batches} == {dtype}
    arrays = [array for step in watch.steps for array in (*step.after, *step.gradients)]
    assert {str(array.dtype) for array in arrays} == {dtype}


@then(
    "the split and the starting weights differ from seed 0's, "
    "and the same command again repeats every step exactly"
)
def seed_takes_effect(
    watch: TrainingWatch, outcome: Outcome, capsys: pytest.CaptureFixture[str]
) -> None:
    first_run = len(watch.steps), len(watch.batches)
    again = run_in_process(watch.command, capsys)
    assert json_report(again)["train_loss"] == json_report(outcome)["train_loss"]
    steps, batches = first_run
    assert len(watch.steps) == 2 * steps
    for step, repeated in zip(watch.steps[:steps], watch.steps[steps:], strict=True):
        for before, repeated_before in zip(step.before, repeated.before, strict=True):
            np.testing.assert_array_equal(before, repeated_before)
    seed_0 = re.sub(r"--seed \d+", "--seed 0", watch.command)
    assert seed_0 != watch.command
    run_in_process(seed_0, capsys)
    ours, zeros = (
        np.concatenate([batch.rows for batch in run])
        for run in (watch.batches[:batches], watch.batches[2 * batches :])
    )
    rows = len(ours) // json_report(outcome)["epochs_run"]
    assert (row_numbers(ours[:rows], zeros[:rows]) < 0).any(), "seed 0 trains on the same rows"
    assert not np.array_equal(watch.steps[0].before[0], watch.steps[2 * steps].before[0]), (
        "seed 0 starts from the same weights"
    )


@then(
    parsers.parse(
        "training on {rows:d} rows a pass stops {patience:d} epochs after its lowest "
        "validation loss"
    )
)
def stops_after_patience(watch: TrainingWatch, outcome: Outcome, rows: int, patience: int) -> None:
    report = json_report(outcome)
    assert report["stopped_early"], f"no early stop in {report['epochs_run']} epochs"
    losses = report["validation_loss"]
    best = int(np.argmin(losses))
    assert len(losses) == report["epochs_run"] == best + 1 + patience, (
        f"lowest validation loss at epoch {best}, stopped after {report['epochs_run']} epochs"
    )
    assert watch.passes(rows) == report["epochs_run"]


@then(
    parsers.parse(
        "over the {rows:d} rows trained on, each pixel has mean 0 and standard deviation 1, "
        "or is 0 throughout, within {tolerance:g}"
    )
)
def standardised_by_trained_rows(watch: TrainingWatch, rows: int, tolerance: float) -> None:
    assert watch.passes(rows) == 1, f"{watch.passes(rows)} passes over {rows} rows"
    (trained,) = (epoch.rows for epoch in watch.epochs(rows))
    np.testing.assert_allclose(trained.mean(axis=0), 0.0, atol=tolerance)
    spread = trained.std(axis=0)
    blank = np.all(trained == 0.0, axis=0)
    np.testing.assert_allclose(spread[~blank], 1.0, atol=tolerance)


@then("every step has gradients, and none of them came from the layers' own backward pass")
def gradients_from_autograd(watch: TrainingWatch) -> None:
    assert watch.steps, "no step was taken"
    for number, step in enumerate(watch.steps):
        assert step.backpropagated == [], f"step {number} ran the layers' backward pass"
        assert all(np.any(gradient != 0) for gradient in step.gradients), f"step {number}"


@then(
    parsers.parse(
        "its pass visits the training rows in the order of a permutation drawn from the "
        "third child of seed {seed:d}"
    )
)
def shuffled_by_third_child(watch: TrainingWatch, seed: int) -> None:
    X_train = dataset_for(TrainConfig(seed=seed)).X_train
    (order,) = watch.orders(X_train)
    shuffling = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[2])
    np.testing.assert_array_equal(order, shuffling.permutation(len(X_train)))


@when(
    "a run is configured from the settings epochs 3 and seed 4 alone, beside a name that "
    "is no setting",
    target_fixture="config",
)
def configured_from_some() -> TrainConfig:
    return TrainConfig.from_options({"epochs": 3, "seed": 4, "verbose": True})


@then("its epochs are 3 and its seed is 4")
def epochs_and_seed(config: TrainConfig) -> None:
    assert (config.epochs, config.seed) == (3, 4), config


@then("every other setting is that of a run configured with no settings at all")
def other_settings_default(config: TrainConfig) -> None:
    given, default = config.to_dict(), TrainConfig().to_dict()
    others = set(default) - {"epochs", "seed"}
    assert {name: given[name] for name in others} == {name: default[name] for name in others}


@then(
    parsers.parse(
        "its pass meets the labels of the training rows left after holding out a tenth drawn "
        "from the fourth child of seed {seed:d}, in the order of a permutation drawn from the "
        "third child"
    )
)
def validation_rows_from_fourth_child(watch: TrainingWatch, seed: int) -> None:
    _, _, kept_labels, _ = held_out_for_validation(seed, 0.1)
    shuffling = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[2])
    (first_pass,) = watch.epochs(len(kept_labels))
    expected = kept_labels[shuffling.permutation(len(kept_labels))]
    np.testing.assert_array_equal(first_pass.labels, expected)


def held_out_for_validation(seed: int, fraction: float) -> tuple[np.ndarray, ...]:
    """The raw training digits of a run with ``seed`` (split by the seed's first child),
    with ``fraction`` of them held out by its fourth child: kept X, held-out X, kept y,
    held-out y."""
    split, _, _, held_out = (
        np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(4)
    )
    digits = load_digits(seed=split, standardise=False)
    return train_test_split(digits.X_train, digits.y_train, test_fraction=fraction, seed=held_out)


@then(
    parsers.parse(
        "the rows it scores for validation are the fifth held out by the fourth child of "
        "seed {seed:d}, standardised with the means and spreads of the rows trained on"
    )
)
def validation_rows_standardised_by_trained_rows(watch: TrainingWatch, seed: int) -> None:
    kept, held_out, _, _ = held_out_for_validation(seed, 0.2)
    spread = kept.std(axis=0)
    spread[spread == 0] = 1.0  # a blank pixel is shifted, not scaled
    expected = (held_out - kept.mean(axis=0)) / spread
    validated = [rows for rows in watch.scored if len(rows) == len(held_out)]
    assert validated, f"no forward pass outside training scored {len(held_out)} rows"
    np.testing.assert_allclose(validated[0], expected, rtol=0, atol=1e-12)


@then(parsers.parse("the report describes a {sizes} network with {activation} activations"))
def gradcheck_report_describes(outcome: Outcome, sizes: str, activation: str) -> None:
    report = json_report(outcome)
    assert report["sizes"] == json.loads(sizes), report
    assert report["activation"] == activation, report


@then(
    parsers.parse(
        "its relative errors are the library's for that network, "
        "checked on {rows:d} rows drawn with seed {seed:d}"
    )
)
def gradcheck_errors_as_library(outcome: Outcome, rows: int, seed: int) -> None:
    report = json_report(outcome)
    sizes = report["sizes"]
    rng = np.random.default_rng(seed)
    network = mlp(sizes, activation=report["activation"], init="xavier", seed=rng)
    randomise_biases(network, rng)
    X = rng.standard_normal((rows, sizes[0]))
    y = rng.integers(0, sizes[-1], size=rows)
    assert report["relative_errors"] == gradcheck(network, X, y)


@then(parsers.parse('its first line reads "{line}"'))
def first_line_reads(outcome: Outcome, line: str) -> None:
    assert outcome.stdout.splitlines()[0] == line, outcome.stdout


@then(parsers.parse("it then gives the relative error of {names}, one per line"))
def one_error_per_line(outcome: Outcome, names: str) -> None:
    expected = re.split(r", | and ", names)
    lines = outcome.stdout.splitlines()[1:]
    found = [re.fullmatch(r"  (\w+)\s+\d\.\d\de[-+]\d\d", line) for line in lines]
    assert all(found), lines
    assert [match[1] for match in found] == expected, lines


@given(
    parsers.parse(
        "backpropagation's first-layer weight gradients are off by a factor of 1 + {slip:g}"
    )
)
def first_layer_gradients_off(slip: float, monkeypatch: pytest.MonkeyPatch) -> None:
    backward = Network.backward

    def slipping_backward(self: Network, grad_logits: np.ndarray) -> None:
        backward(self, grad_logits)
        self.layers[0].gradients["W"] *= 1 + slip

    monkeypatch.setattr(Network, "backward", slipping_backward)


@then(
    parsers.parse(
        "the evaluation reports {model} scored on {rows:d} test digits of split seed {seed:d}"
    )
)
def evaluation_report(evaluation: Outcome, model: str, rows: int, seed: int) -> None:
    report = json_report(evaluation)
    expected = {"model": model, "dataset": "digits", "seed": seed, "test_size": rows}
    assert {key: report[key] for key in expected} == expected, report


@then(parsers.parse("its test accuracy is the saved network's on the test split of seed {seed:d}"))
def evaluation_accuracy_on_split(evaluation: Outcome, seed: int) -> None:
    network = load("model.npz")
    dataset = dataset_for(TrainConfig(seed=seed))
    expected = accuracy(dataset.y_test, network.predict(dataset.X_test))
    assert json_report(evaluation)["test_accuracy"] == expected


@then("the report says training was not interrupted")
def not_interrupted(outcome: Outcome) -> None:
    assert json_report(outcome)["interrupted"] is False


@then(parsers.parse("the report says training was interrupted after {epochs:d} epochs"))
def interrupted_after(outcome: Outcome, epochs: int) -> None:
    report = json_report(outcome)
    assert report["interrupted"] is True, report
    assert report["epochs_run"] == len(report["train_loss"]) == epochs, report


@then(parsers.parse("the accuracy it prints is the test accuracy `{command}` reports, in percent"))
def printed_accuracy_as_json(
    outcome: Outcome, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = ACCURACY_LINE.fullmatch(outcome.stdout.splitlines()[-1])
    assert printed, outcome.stdout
    report = json_report(run_in_process(command, capsys))
    assert printed["percent"] == f"{report['test_accuracy'] * 100:.2f}"


@then("it prints nothing on standard error, where a terminal would show the progress bar")
def nothing_on_stderr(outcome: Outcome) -> None:
    assert outcome.stderr == "", outcome.stderr


@then(
    parsers.parse(
        'it prints "Stopped early after N epochs (best validation loss at epoch M)", '
        "where N is M + 1 + {patience:d}, the patience"
    )
)
def prints_stopped_early(outcome: Outcome, patience: int) -> None:
    pattern = r"Stopped early after (\d+) epochs \(best validation loss at epoch (\d+)\)"
    found = [re.fullmatch(pattern, line) for line in outcome.stdout.splitlines()]
    found = [match for match in found if match]
    assert len(found) == 1, outcome.stdout
    assert int(found[0][1]) == int(found[0][2]) + 1 + patience, found[0][0]


@then(parsers.parse('its last line reads "Saved to {path}"'))
def last_line_saved(outcome: Outcome, path: str) -> None:
    assert outcome.stdout.splitlines()[-1] == f"Saved to {path}", outcome.stdout


@then("the saved file records the settings and the test accuracy of the report")
def saved_metadata(outcome: Outcome) -> None:
    report = json_report(outcome)
    _, metadata = load_with_metadata("model.npz")
    assert metadata["config"] == report["config"]
    assert metadata["test_accuracy"] == report["test_accuracy"]


@given(parsers.parse("Ctrl-C is pressed once epoch {epoch:d} is complete"))
def ctrl_c_after_epoch(epoch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the terminal's Ctrl-C reaches training: between two epochs."""
    train = cli.run

    def run(config, *, on_epoch_end, **kwargs):
        def report(done: int, history) -> None:
            on_epoch_end(done, history)
            if done == epoch:
                raise KeyboardInterrupt

        return train(config, on_epoch_end=report, **kwargs)

    monkeypatch.setattr(cli, "run", run)


#: One drawing of tqdm's bar: its count, rate and, once an epoch is done, the loss.
PROGRESS_BAR = re.compile(
    r"training: +\d+%\|[^|]*\| (?P<done>\d+)/(?P<total>\d+) "
    # tqdm pads a rate to five characters: " 9.87epoch/s" once an epoch takes over 0.1 s.
    r"\[[^,\]]*, +(?:\?epoch/s|[\d.]+epoch/s|[\d.]+s/epoch)(?:, loss=(?P<loss>\d+\.\d{4}))?\]"
)


class Terminal(io.StringIO):
    """Standard error as a terminal shows it: a stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@when(parsers.re(r"I run `(?P<command>scratchnet [^`]+)` on a terminal"), target_fixture="outcome")
def run_on_terminal(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Outcome:
    terminal = Terminal()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", terminal)
        outcome = run_in_process(command, capsys)
    return outcome._replace(stderr=terminal.getvalue())


@then(
    parsers.parse(
        'standard error shows the bar "training: … k/{total:d} … epoch/s, loss=x.xxxx" '
        "for k from 0 to {last:d}, the first loss the one printed for epoch 0"
    )
)
def shows_progress_bar(outcome: Outcome, total: int, last: int) -> None:
    drawings = [part for part in outcome.stderr.split("\r") if part.strip()]
    bars = [PROGRESS_BAR.fullmatch(part.rstrip()) for part in drawings]
    unreadable = [drawing for drawing, bar in zip(drawings, bars, strict=True) if not bar]
    assert bars and not unreadable, unreadable or outcome.stderr
    counts = [int(bar["done"]) for bar in bars]
    assert counts == sorted(counts), counts
    assert sorted(set(counts)) == list(range(last + 1)), counts
    assert {int(bar["total"]) for bar in bars} == {total}, drawings
    assert all(bar["loss"] for bar in bars if int(bar["done"]) > 0), drawings
    first = next(bar for bar in bars if int(bar["done"]) == 1)
    assert epoch_losses(outcome.stdout.splitlines())[0] == float(first["loss"]), drawings


@then("the bar is cleared once training ends, leaving no line behind")
def bar_cleared(outcome: Outcome) -> None:
    assert "\n" not in outcome.stderr, outcome.stderr
    assert outcome.stderr.split("\r")[-2].strip() == "", outcome.stderr


class BrokenPipe(io.StringIO):
    """Standard output whose reader has gone away: every write fails, as a pipe's does."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self.descriptor = descriptor

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.descriptor


@given("the reader of its standard output has gone away", target_fixture="stdout_descriptor")
def reader_gone(tmp_path: Path, request: pytest.FixtureRequest) -> int:
    """The file descriptor standard output will write to (a file here, as a pipe would be)."""
    descriptor = os.open(tmp_path / "stdout", os.O_WRONLY | os.O_CREAT)
    request.addfinalizer(lambda: os.close(descriptor))
    return descriptor


#: Running a command whose standard output's reader has gone away.
INTO_BROKEN_PIPE = parsers.re(r"I run `(?P<command>scratchnet [^`]+)` into that broken pipe")


@when(INTO_BROKEN_PIPE, target_fixture="outcome")
def run_into_broken_pipe(command: str, stdout_descriptor: int, capsys, monkeypatch) -> Outcome:
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", BrokenPipe(stdout_descriptor))
        return run_in_process(command, capsys)


@then("it prints nothing on standard error")
def prints_nothing_on_stderr(outcome: Outcome) -> None:
    assert outcome.stderr == "", outcome.stderr


@then("its standard output leads to the null device")
def stdout_to_devnull(stdout_descriptor: int) -> None:
    leads_to = os.fstat(stdout_descriptor)
    null = os.stat(os.devnull)
    assert (leads_to.st_dev, leads_to.st_ino) == (null.st_dev, null.st_ino)
