"""Steps about what training did to a model: its weights, its accuracy and its train–test gap."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from pytest_bdd import given, parsers, then

from scratchnet.experiment import RunResult, TrainConfig
from scratchnet.metrics import accuracy
from scratchnet.network import Network
from steps.run_steps import trained

#: What "without <regulariser>" switches off, as TrainConfig changes.
WITHOUT = {"dropout": {"dropout": 0.0}, "L2": {"l2": 0.0}}


def weight_matrices(network: Network) -> list[np.ndarray]:
    """The parameters L2 decays: the weight matrices, not the biases."""
    return [
        parameter
        for parameter, decayed in zip(network.parameters, network.decayed_parameters(), strict=True)
        if decayed
    ]


def weight_norm(network: Network) -> float:
    """The length of all weight matrices together, ``√(Σ‖W‖²)``; biases are left out."""
    return math.sqrt(sum(float(np.sum(W * W)) for W in weight_matrices(network)))


def training_accuracy(result: RunResult) -> float:
    """Accuracy on the digits the network learnt from (dropout is off when predicting)."""
    return accuracy(result.dataset.y_train, result.network.predict(result.dataset.X_train))


def accuracy_gap(result: RunResult) -> float:
    """Training accuracy minus test accuracy, in percentage points."""
    return 100 * (training_accuracy(result) - result.test_accuracy)


def without(result: RunResult, regulariser: str) -> RunResult:
    """The same run (settings and seed) with ``regulariser`` (dropout or L2) switched off."""
    if regulariser not in WITHOUT:
        raise ValueError(f"regulariser must be one of {sorted(WITHOUT)}, got {regulariser!r}")
    return trained(dataclasses.replace(result.config, **WITHOUT[regulariser]))


@given(
    "a network of two 256-unit hidden layers that learns from only one digit in twenty",
    target_fixture="config",
)
def overfitting_setup() -> TrainConfig:
    """He's start, SGD at 0.1 for 100 epochs, trained on 90 digits and tested on 1,707."""
    return TrainConfig(hidden=(256, 256), init="he", learning_rate=0.1, test_fraction=0.95)


@then(
    parsers.re(
        r"the gap between training and test accuracy is at least (?P<points>[\d.]+) points? "
        r"narrower than without (?P<regulariser>dropout|L2), for every seed"
    ),
    converters={"points": float},
)
def gap_narrower(results: list[RunResult], points: float, regulariser: str) -> None:
    gaps = {
        r.config.seed: (accuracy_gap(without(r, regulariser)), accuracy_gap(r)) for r in results
    }
    shown = {
        seed: f"{plain:.2f} → {regularised:.2f}" for seed, (plain, regularised) in gaps.items()
    }
    assert all(plain - regularised >= points for plain, regularised in gaps.values()), (
        f"gap without {regulariser} → with it, in points, by seed: {shown}"
    )
