"""Binds features/reference_implementations.feature: scratchnet against scikit-learn's MLP."""

from __future__ import annotations

import re
import warnings
from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier

from scratchnet import SGD, Network, softmax_cross_entropy
from scratchnet.sklearn import ScratchNetClassifier
from scratchnet.training import History, train
from steps.network_steps import CLASSES, HIDDEN, Batch

scenarios("reference_implementations.feature")


@given(
    parsers.parse(
        "scikit-learn's MLPClassifier set to plain gradient descent "
        "at learning rate {rate:g} in batches of {size:d}"
    ),
    target_fixture="reference",
)
def sklearn_mlp(rate: float, size: int) -> MLPClassifier:
    return MLPClassifier(
        hidden_layer_sizes=(128,),
        solver="sgd",
        learning_rate_init=rate,
        momentum=0.0,
        alpha=0.0,
        batch_size=size,
        shuffle=False,
        random_state=0,
    )


@given("scikit-learn's network starts from the same weights")
def same_weights(reference: MLPClassifier, network: Network, batch: Batch) -> None:
    X, y = batch.X, batch.y
    # partial_fit once so scikit-learn allocates its arrays, then overwrite them.
    reference.partial_fit(
        X[: reference.batch_size], y[: reference.batch_size], classes=np.arange(10)
    )
    dense = [layer for layer in network.layers if "W" in layer.parameters]
    reference.coefs_ = [layer.parameters["W"].copy() for layer in dense]
    reference.intercepts_ = [layer.parameters["b"].ravel().copy() for layer in dense]


@when("both train for one epoch on the same batches in the same order")
def one_epoch_each(reference: MLPClassifier, network: Network, batch: Batch) -> None:
    X, y = batch.X, batch.y
    reference.partial_fit(X, y)
    optimizer = SGD(reference.learning_rate_init)
    for start in range(0, len(X), reference.batch_size):
        rows = slice(start, start + reference.batch_size)
        _, grad_logits = softmax_cross_entropy(network.forward(X[rows], training=True), y[rows])
        network.backward(grad_logits)
        optimizer.step(network.parameters, network.gradients)


@when(
    parsers.parse("both train for {epochs:d} epochs on the rows in their given order"),
    target_fixture="train_history",
)
def whole_epochs_each(
    reference: MLPClassifier, network: Network, batch: Batch, epochs: int
) -> History:
    """scratchnet's train() against MLPClassifier.partial_fit, one epoch per call."""
    reference.loss_curve_ = []  # forget the setting-up step
    for _ in range(epochs):
        reference.partial_fit(batch.X, batch.y)
    return train(
        network,
        batch.X,
        batch.y,
        optimizer=SGD(reference.learning_rate_init),
        epochs=epochs,
        batch_size=reference.batch_size,
        shuffle=False,
    )


@then(
    parsers.parse(
        "the training loss of every epoch agrees with MLPClassifier's loss curve "
        "to within {tolerance:g}"
    )
)
def same_epoch_losses(reference: MLPClassifier, train_history: History, tolerance: float) -> None:
    ours, theirs = np.array(train_history.train_loss), np.array(reference.loss_curve_)
    assert ours.shape == theirs.shape, f"{len(ours)} epochs against {len(theirs)}"
    gap = np.abs(ours - theirs).max()
    assert gap <= tolerance, f"largest gap in the epoch loss: {gap:.3g}"


@when(
    parsers.parse(
        "it trains for one epoch by plain gradient descent at learning rate {rate:g} "
        "in batches of {size:d}, rows in their given order"
    ),
    target_fixture="start_parameters",
)
def one_epoch_of_train(
    network: Network, batch: Batch, rate: float, size: int
) -> dict[str, np.ndarray]:
    start = {name: value.copy() for name, value in network.named_parameters()}
    train(network, batch.X, batch.y, optimizer=SGD(rate), epochs=1, batch_size=size, shuffle=False)
    return start


@then("every weight matrix and every bias vector has changed")
def every_parameter_moved(network: Network, start_parameters: dict[str, np.ndarray]) -> None:
    unchanged = [
        name
        for name, value in network.named_parameters()
        if np.array_equal(value, start_parameters[name])
    ]
    assert not unchanged, f"unchanged after one epoch: {unchanged}"


@then(parsers.parse("both give the same class probabilities to within {tolerance:g}"))
def same_probabilities(
    reference: MLPClassifier,
    network: Network,
    batch: Batch,
    tolerance: float,
) -> None:
    X = batch.X
    difference = np.abs(reference.predict_proba(X) - network.predict_proba(X)).max()
    assert difference <= tolerance, f"largest difference in probability: {difference:.3g}"


@then(parsers.parse("every weight and bias agrees to within {tolerance:g}"))
def same_parameters(reference: MLPClassifier, network: Network, tolerance: float) -> None:
    dense = [layer for layer in network.layers if "W" in layer.parameters]
    for number, (layer, W, b) in enumerate(
        zip(dense, reference.coefs_, reference.intercepts_, strict=True), start=1
    ):
        gaps = {
            f"W{number}": np.abs(layer.parameters["W"] - W).max(),
            f"b{number}": np.abs(layer.parameters["b"].ravel() - b).max(),
        }
        far = {name: f"{gap:.3g}" for name, gap in gaps.items() if gap > tolerance}
        assert not far, f"largest difference from scikit-learn: {far}"


# ------------------------------------------------- through ScratchNetClassifier
#: The optimiser phrases of the feature, as the settings both classifiers share.
OPTIMISERS = {
    r"plain SGD": {"solver": "sgd", "momentum": 0.0},
    r"momentum (?P<momentum>[\d.]+)": {"solver": "sgd", "nesterovs_momentum": False},
    r"Nesterov momentum (?P<momentum>[\d.]+)": {"solver": "sgd", "nesterovs_momentum": True},
    r"Adam with epsilon (?P<epsilon>[\d.e+-]+)": {"solver": "adam"},
}


class Twins(NamedTuple):
    """scratchnet's classifier and scikit-learn's, set up alike."""

    ours: ScratchNetClassifier
    reference: MLPClassifier


def optimiser_settings(phrase: str) -> dict[str, object]:
    for pattern, settings in OPTIMISERS.items():
        match = re.fullmatch(pattern, phrase)
        if match:
            return {**settings, **{k: float(v) for k, v in match.groupdict().items()}}
    raise ValueError(f"optimiser must match one of {list(OPTIMISERS)}, got {phrase!r}")


def weights(model: ScratchNetClassifier | MLPClassifier) -> dict[str, np.ndarray]:
    """Every weight and bias by the docs' names: W1, b1, W2, b2, ..."""
    named = {}
    for number, (W, b) in enumerate(zip(model.coefs_, model.intercepts_, strict=True), start=1):
        named[f"W{number}"], named[f"b{number}"] = W.copy(), b.copy()
    return named


@given(
    parsers.parse(
        "ScratchNetClassifier and MLPClassifier with {activation} hidden units "
        "trained by {optimiser} at learning rate {rate:g}"
    ),
    target_fixture="twins",
)
def twin_classifiers(activation: str, optimiser: str, rate: float) -> Twins:
    settings = {
        "hidden_layer_sizes": (HIDDEN,),
        "activation": activation,
        "learning_rate_init": rate,
        "batch_size": 320,
        "alpha": 0.0,
        "shuffle": False,
        "warm_start": True,
        **optimiser_settings(optimiser),
    }
    # No early stop on scikit-learn's side: scratchnet always runs every epoch.
    reference = MLPClassifier(**settings, n_iter_no_change=10**6)
    return Twins(ScratchNetClassifier(**settings), reference)


@given(parsers.parse("both train in batches of {rows:d} rows with alpha {alpha:g}"))
def batches_and_alpha(twins: Twins, rows: int, alpha: float) -> None:
    for model in twins:
        model.set_params(batch_size=rows, alpha=alpha)


@given("both classifiers start from the network's weights", target_fixture="start")
def start_from_network(twins: Twins, network: Network, batch: Batch) -> dict[str, np.ndarray]:
    """One short fit sets each classifier up for these data; then both get the network's weights."""
    for model in twins:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.set_params(max_iter=1).fit(batch.X, batch.y)
    start = {name: value.copy() for name, value in network.named_parameters()}
    put_weights(twins, start)
    return start


def put_weights(twins: Twins, start: dict[str, np.ndarray]) -> None:
    """Give both classifiers the weights ``start`` (new lists of fresh arrays) and no history."""
    layers = len(start) // 2
    for model in twins:
        model.coefs_ = [start[f"W{n}"].copy() for n in range(1, layers + 1)]
        model.intercepts_ = [start[f"b{n}"].ravel().copy() for n in range(1, layers + 1)]
        model.loss_curve_ = []


@when(parsers.parse("both train for {epochs:d} epoch"), target_fixture="snapshots")
@when(parsers.parse("both train for {epochs:d} epochs"), target_fixture="snapshots")
def both_train(
    twins: Twins, start: dict[str, np.ndarray], batch: Batch, epochs: int
) -> list[Twins]:
    """Both fit from the start for 1, 2, ... ``epochs`` epochs; the weights after each, both sides.

    Each fit begins again from the starting weights with a fresh optimiser, so
    the weights after ``e`` epochs are those a single run shows at epoch ``e``.
    """
    snapshots = []
    for epoch in range(1, epochs + 1):
        put_weights(twins, start)
        for model in twins:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.set_params(max_iter=epoch).fit(batch.X, batch.y)
        snapshots.append(Twins(*(weights(model) for model in twins)))
    return snapshots


def largest_gaps(snapshots: list[Twins]) -> list[float]:
    """For each epoch, the largest gap between the two in any weight or bias."""
    return [
        max(np.abs(ours[name] - reference[name]).max() for name in ours)
        for ours, reference in snapshots
    ]


@then(parsers.parse("after every epoch every weight and bias agrees to within {tolerance:g}"))
def same_weights_every_epoch(snapshots: list[Twins], tolerance: float) -> None:
    gaps = largest_gaps(snapshots)
    assert max(gaps) <= tolerance, f"largest gap per epoch: {[f'{g:.2g}' for g in gaps]}"


@then(
    parsers.parse(
        "after every epoch the largest gap in any weight or bias is between {low:g} and {high:g}"
    )
)
def gap_between(snapshots: list[Twins], low: float, high: float) -> None:
    gaps = largest_gaps(snapshots)
    assert all(low <= gap <= high for gap in gaps), (
        f"largest gap per epoch: {[f'{g:.2g}' for g in gaps]}"
    )


@then(parsers.parse("both loss curves agree to within {tolerance:g}"))
def same_loss_curves(twins: Twins, tolerance: float) -> None:
    ours, reference = (np.array(model.loss_curve_) for model in twins)
    assert len(ours) == len(reference) > 0, f"{len(ours)} and {len(reference)} epochs recorded"
    gap = np.abs(ours - reference).max()
    assert gap <= tolerance, f"largest gap in loss: {gap:.3g}"


@then(parsers.parse("both classifiers give the same class probabilities to within {tolerance:g}"))
def same_classifier_probabilities(twins: Twins, batch: Batch, tolerance: float) -> None:
    ours, reference = (model.predict_proba(batch.X) for model in twins)
    gap = np.abs(ours - reference).max()
    assert gap <= tolerance, f"largest difference in probability: {gap:.3g}"


@then(
    parsers.parse(
        "the classifier's first loss is log_loss of the starting probabilities "
        "plus alpha/2 · ΣW² / {rows:d}, to within {tolerance:g}"
    )
)
def loss_is_log_loss(
    twins: Twins, start: dict[str, np.ndarray], batch: Batch, rows: int, tolerance: float
) -> None:
    # The starting probabilities come from scikit-learn's forward pass at the starting weights.
    twins.reference.coefs_ = [start["W1"], start["W2"]]
    twins.reference.intercepts_ = [start["b1"].ravel(), start["b2"].ravel()]
    probabilities = twins.reference.predict_proba(batch.X)
    squares = sum(float(np.sum(start[name] ** 2)) for name in ("W1", "W2"))
    expected = log_loss(batch.y, probabilities, labels=np.arange(CLASSES))
    expected += 0.5 * twins.ours.alpha * squares / rows
    gap = abs(twins.ours.loss_curve_[0] - expected)
    assert gap <= tolerance, f"loss {twins.ours.loss_curve_[0]!r}, expected {expected!r}"
