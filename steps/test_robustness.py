"""Binds features/robustness.feature: Ctrl-C keeps the work; any input gives a result or a refusal.

Each "for any value" row names one argument of one public function. Hypothesis
draws values for it (the generators are in :mod:`steps.support.fuzzing`), and
every call must return a result that the target's check confirms against an
independent NumPy computation (:mod:`steps.support.fuzz_targets`), or raise a
ValueError or TypeError naming the argument.
"""

from __future__ import annotations

import math
import signal
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from pytest_bdd import parsers, scenarios, then, when

from scratchnet import SGD, History, NeuralNetwork, train
from scratchnet import tutorial as tutorial_module
from scratchnet.network import Network
from scratchnet.optimizers import OPTIMIZERS
from steps.network_steps import Batch
from steps.support.fuzz_core_targets import CORE_TARGETS
from steps.support.fuzz_targets import TARGETS
from steps.support.fuzzing import Target, check_every_value

scenarios("robustness.feature")

# --- Ctrl-C -----------------------------------------------------------------------------------


class InterruptedRun(NamedTuple):
    """What an interrupted training left: its history, the network and every step's weights."""

    history: History
    parameters: np.ndarray  # all of them, flattened one after another
    snapshots: list[np.ndarray]
    interrupted_step: int


class CtrlCAtStep(SGD):
    """Plain SGD that presses Ctrl-C (a real SIGINT) at the start of step ``at``, counting
    from 1, and keeps a copy of the weights after every step it completes."""

    def __init__(self, learning_rate: float, *, at: int) -> None:
        super().__init__(learning_rate)
        self.at, self.steps, self.snapshots = at, 0, []

    def update(self, parameters, gradients) -> None:
        self.steps += 1
        if self.steps == self.at:
            signal.raise_signal(signal.SIGINT)
        super().update(parameters, gradients)
        # One flat copy of everything, whether the step got a list of arrays or one flat array.
        self.snapshots.append(np.concatenate([np.ravel(p) for p in parameters]))


def interrupted(train_it: Callable[[], History], optimizer: CtrlCAtStep, network: Network):
    # Python's own Ctrl-C handler, as in a terminal, even when the suite was started in
    # the background (where the shell makes Ctrl-C ignored and training leaves it so).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        history = train_it()
    except KeyboardInterrupt:  # reported as a failure instead of stopping pytest itself
        pytest.fail("Ctrl-C escaped from training as a KeyboardInterrupt")
    finally:
        signal.signal(signal.SIGINT, previous)
    return InterruptedRun(
        history,
        np.concatenate([p.ravel() for p in network.parameters]),
        optimizer.snapshots,
        optimizer.at,
    )


@when(
    parsers.parse(
        "it trains for {epochs:d} epochs in batches of {size:d} and Ctrl-C is pressed "
        "at the start of step {step:d}"
    ),
    target_fixture="run",
)
def train_with_ctrl_c(network: Network, batch: Batch, epochs: int, size: int, step: int):
    optimizer = CtrlCAtStep(0.01, at=step)
    return interrupted(
        lambda: train(
            network, batch.X, batch.y, optimizer=optimizer, epochs=epochs, batch_size=size
        ),
        optimizer,
        network,
    )


@when(
    parsers.parse(
        "it trains for {epochs:d} epochs in batches of {size:d} and the function called "
        "after epoch {epoch:d} raises KeyboardInterrupt"
    ),
    target_fixture="run",
)
def train_with_ctrl_c_after_epoch(
    network: Network, batch: Batch, epochs: int, size: int, epoch: int
):
    optimizer = CtrlCAtStep(0.01, at=0)  # step 0 never comes: only the callback stops training

    def after_epoch(finished: int, history: History) -> None:
        if finished == epoch:
            raise KeyboardInterrupt

    return interrupted(
        lambda: train(
            network,
            batch.X,
            batch.y,
            optimizer=optimizer,
            epochs=epochs,
            batch_size=size,
            on_epoch_end=after_epoch,
        ),
        optimizer,
        network,
    )


@when(
    parsers.parse(
        "the tutorial's class trains for {epochs:d} epochs in batches of {size:d} and Ctrl-C "
        "is pressed at the start of step {step:d}"
    ),
    target_fixture="run",
)
def tutorial_train_with_ctrl_c(
    tutorial: NeuralNetwork,
    batch: Batch,
    epochs: int,
    size: int,
    step: int,
    monkeypatch: pytest.MonkeyPatch,
):
    optimizer = CtrlCAtStep(0.01, at=step)
    # The tutorial's train() makes its own SGD(0.01): hand it this one instead.
    monkeypatch.setattr(tutorial_module, "SGD", lambda learning_rate: optimizer)
    return interrupted(
        lambda: tutorial.train(batch.X, batch.y, epochs=epochs, batch_size=size),
        optimizer,
        tutorial.network,
    )


@then("training returns normally, with a history that says it was interrupted")
def says_interrupted(run: InterruptedRun) -> None:
    assert isinstance(run.history, History)
    assert run.history.interrupted is True


@then(parsers.parse("the history holds the {epochs:d} epochs completed before Ctrl-C"))
def history_so_far(run: InterruptedRun, epochs: int) -> None:
    assert run.history.epochs_run == epochs, run.history.train_loss
    assert all(math.isfinite(loss) for loss in run.history.train_loss)


@then("no step was taken after the one that was running")
def no_step_after(run: InterruptedRun) -> None:
    # The step that was running either finished or was undone; none came after it.
    assert len(run.snapshots) in (run.interrupted_step - 1, run.interrupted_step)


@then("the network holds exactly the weights of the last completed step")
def last_step_weights(run: InterruptedRun) -> None:
    np.testing.assert_array_equal(run.parameters, run.snapshots[-1])


# --- Floating-point trouble -------------------------------------------------------------------

TROUBLE: dict[str, Callable[[], object]] = {
    "multiplies 1e308 by 10 in NumPy": lambda: np.float64(1e308) * np.array(10.0),
    "subtracts infinity from infinity in NumPy": lambda: np.array(np.inf) - np.array(np.inf),
    "divides 1 by 0 in NumPy": lambda: np.array(1.0) / np.array(0.0),
    "issues a RuntimeWarning": lambda: warnings.warn("went quietly wrong", RuntimeWarning, 2),
}


@when(parsers.parse("a step {action}"), target_fixture="raised")
def cause_trouble(action: str) -> BaseException | None:
    try:
        TROUBLE[action]()
    except (FloatingPointError, RuntimeWarning) as error:
        return error
    return None


@then(parsers.parse("the step fails with a {error}"))
def fails_with(raised: BaseException | None, error: str) -> None:
    assert type(raised).__name__ == error, f"got {raised!r}"


# --- Any input --------------------------------------------------------------------------------


@when(
    parsers.parse("{function} is called with any value Hypothesis draws for {argument}"),
    target_fixture="target",
)
def target_for(function: str, argument: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # files written by save and load stay in the test's folder
    targets = {**TARGETS, **CORE_TARGETS}
    if function == "every optimiser's step":  # each name in OPTIMIZERS, a new one included
        return [
            (f"{name} step", argument, targets[f"{name} step", argument]) for name in OPTIMIZERS
        ]
    return [(function, argument, targets[function, argument])]


@then(
    parsers.parse(
        "each call returns a correct result or raises a ValueError or TypeError that names "
        "{argument}"
    )
)
def correct_or_clear_refusal(target: list[tuple[str, str, Target]], argument: str) -> None:
    for function, _, spec in target:
        check_every_value(function, argument, spec)
