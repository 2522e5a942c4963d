"""Binds features/training.feature: how the loss falls, reproducibility, shuffling, precision."""

from __future__ import annotations

import copy
import dataclasses
import itertools

import numpy as np
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.activations import softmax
from scratchnet.data import Dataset
from scratchnet.experiment import RunResult, TrainConfig
from scratchnet.layers import Dense
from scratchnet.losses import cross_entropy, softmax_cross_entropy
from scratchnet.metrics import accuracy
from scratchnet.network import Network, mlp
from scratchnet.optimizers import SGD
from scratchnet.training import History, minibatches, train, train_step
from scratchnet.tutorial import NeuralNetwork
from steps.network_steps import TUTORIAL_NAMES, Batch, matrix, parameter
from steps.run_steps import trained
from steps.support.implementation import Implementation
from steps.support.training_watch import TrainingWatch, assert_each_row_once, summarised

scenarios("training.feature")


@then("the training loss is lower after every epoch than after the one before, for every seed")
def loss_falls_every_epoch(results: list[RunResult]) -> None:
    rises = {}
    for result in results:
        losses = result.history.train_loss
        rises.update(
            {
                (result.config.seed, epoch): f"{before:.6f} → {after:.6f}"
                for epoch, (before, after) in enumerate(itertools.pairwise(losses), start=1)
                if after >= before
            }
        )
    assert not rises, f"the loss should fall at every epoch; it did not, by (seed, epoch): {rises}"


@then(
    parsers.parse(
        "the training loss at epoch {last:d} is less than {percent:g}% of the loss at epoch"
        " {first:d} for every seed"
    )
)
def loss_ends_below_fraction(
    results: list[RunResult], last: int, percent: float, first: int
) -> None:
    ratios = {
        r.config.seed: r.history.train_loss[last] / r.history.train_loss[first] for r in results
    }
    high = {seed: f"{ratio:.2%}" for seed, ratio in ratios.items() if ratio * 100 >= percent}
    assert not high, (
        f"the loss at epoch {last} should be less than {percent:g}% of the loss at epoch {first};"
        f" measured, by seed: {high}"
    )


@then(
    parsers.parse(
        "the training loss at epoch {epoch:d} is between {low:g} and {high:g} for every seed"
    )
)
def loss_at_epoch_between(results: list[RunResult], epoch: int, low: float, high: float) -> None:
    outside = {
        r.config.seed: f"{r.history.train_loss[epoch]:.4f}"
        for r in results
        if not low <= r.history.train_loss[epoch] <= high
    }
    assert not outside, f"loss at epoch {epoch} outside [{low}, {high}], by seed: {outside}"


@when(
    parsers.parse("the network is trained twice with seed {seed:d}, from scratch each time"),
    target_fixture="twins",
)
def train_twice(
    implementation: Implementation, config: TrainConfig, seed: int
) -> tuple[RunResult, RunResult]:
    """Two fresh runs, bypassing the session's cache of trained networks."""
    config = dataclasses.replace(config, seed=seed)
    return implementation.run(config), implementation.run(config)


@then("the two loss histories are identical, bit for bit")
def histories_identical(twins: tuple[RunResult, RunResult]) -> None:
    first, second = (np.array(result.history.train_loss) for result in twins)
    assert first.tobytes() == second.tobytes(), (
        f"two runs with the same seed should record the same losses: {first} and {second}"
    )


@then("the two networks' weights are identical, bit for bit")
def weights_identical(implementation: Implementation, twins: tuple[RunResult, RunResult]) -> None:
    first, second = (
        {name: implementation.parameter(result.network, name) for name in TUTORIAL_NAMES}
        for result in twins
    )
    differ = [name for name in first if first[name].tobytes() != second[name].tobytes()]
    assert not differ, f"two runs with the same seed should end with the same weights: {differ}"


@given(
    parsers.parse(
        "{rows:d} rows of made-up data with {features:d} features and {classes:d} classes"
    ),
    target_fixture="made_up",
)
def made_up_data(rows: int, features: int, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Normal random features (every row different) and random labels.

    The features are values float32 holds exactly, so rows are recognised by their values
    even after a single-precision class has converted them.
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((rows, features)).astype(np.float32).astype(np.float64)
    return X, rng.integers(0, classes, size=rows)


@when(
    parsers.parse(
        "a network is trained on them for {epochs:d} epochs in batches of {batch_size:d}"
        " with seed {seed:d}"
    ),
    target_fixture="watch",
)
@when(
    parsers.parse(
        "a network is trained on them for {epochs:d} epochs in batches of {batch_size:d}"
        " with seed {seed:d}, noting the label each row is trained towards"
    ),
    target_fixture="watch",
)
def train_watched(
    made_up: tuple[np.ndarray, np.ndarray], epochs: int, batch_size: int, seed: int
) -> TrainingWatch:
    """Train a small network on the made-up rows, watched step by step: each step's rows,
    and the label each row is trained towards, read off the loss gradient it sends back."""
    X, y = made_up
    network = mlp([X.shape[1], 8, int(y.max()) + 1], seed=0)
    with TrainingWatch.watching() as watch:
        train(network, X, y, epochs=epochs, batch_size=batch_size, seed=seed)
    return watch


@then("every epoch visits each row exactly once")
@then("every epoch learns from each row exactly once")
def each_row_once(watch: TrainingWatch, made_up: tuple[np.ndarray, np.ndarray]) -> None:
    X = made_up[0]
    assert_each_row_once(watch.orders(X), len(X))


@then("no two epochs visit the rows in the same order")
@then("no two epochs learn from the rows in the same order")
def orders_differ(watch: TrainingWatch, made_up: tuple[np.ndarray, np.ndarray]) -> None:
    visits = watch.orders(made_up[0])
    repeats = [
        (a, b)
        for (a, first), (b, second) in itertools.combinations(enumerate(visits), 2)
        if np.array_equal(first, second)
    ]
    unshuffled = [epoch for epoch, order in enumerate(visits) if np.all(np.diff(order) == 1)]
    assert not repeats, (
        f"every epoch should shuffle the rows anew; epochs (counted from 0) that visited them"
        f" in the same order: {repeats}"
        + (f"; epochs that kept the rows' own order: {unshuffled}" if unshuffled else "")
    )


@when(
    parsers.parse(
        "the network's own training loop runs on them for {epochs:d} epochs in batches of"
        " {batch_size:d} with seed {seed:d}, watched step by step"
    ),
    target_fixture="watch",
)
def watch_own_training(
    implementation: Implementation,
    made_up: tuple[np.ndarray, np.ndarray],
    epochs: int,
    batch_size: int,
    seed: int,
) -> TrainingWatch:
    X, y = made_up
    return implementation.watch_training(X, y, epochs, batch_size, seed)


@then(
    parsers.parse(
        "every epoch takes its steps on {full:d} batches of {size:d} rows"
        " and a last one of {last:d}"
    )
)
def batch_sizes(
    watch: TrainingWatch, made_up: tuple[np.ndarray, np.ndarray], full: int, size: int, last: int
) -> None:
    epoch = [size] * full + [last]
    taken = watch.batch_sizes
    epochs = len(taken) // len(epoch) if len(taken) % len(epoch) == 0 else None
    assert epochs and taken == epoch * epochs, (
        f"train was given {len(made_up[0])} rows in batches of {size}: each epoch should"
        f" take {full} steps on {size} rows and one on the {last} left over;"
        f" it took {len(taken)} steps on batches of {summarised(taken)} rows"
    )


@then("every row is learned from with its own label")
@then("every row was trained towards its own label, in every epoch")
def labels_travel(watch: TrainingWatch, made_up: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = made_up
    learned, orders = watch.epochs(len(y)), watch.orders(X)
    assert all(epoch.labels is not None for epoch in learned), "no labels were seen"
    wrong = [
        (epoch, int(row), int(label), int(y[row]))
        for epoch, (order, step) in enumerate(zip(orders, learned, strict=True))
        for row, label in zip(order, step.labels, strict=True)
        if row >= 0 and label != y[row]
    ]
    assert not wrong, (
        f"each row should be learned from with its own label; {len(wrong)} of the"
        f" {sum(len(step.rows) for step in learned)} rows learned from came with another label,"
        f" first in epoch {wrong[0][0]}: row {wrong[0][1]}, whose label is {wrong[0][3]}, came"
        f" with label {wrong[0][2]} (are the images and labels shuffled with one permutation?)"
    )
    assert_each_row_once(orders, len(y))


@then(
    parsers.parse(
        "the orders are successive shuffles of a NumPy random generator seeded with {seed:d}"
    )
)
def orders_from_generator(
    watch: TrainingWatch, made_up: tuple[np.ndarray, np.ndarray], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    for epoch, order in enumerate(watch.orders(made_up[0])):
        np.testing.assert_array_equal(order, rng.permutation(len(order)), f"epoch {epoch}")


@then(parsers.parse("the network's weights are {dtype} numbers"))
def weights_have_dtype(results: list[RunResult], dtype: str) -> None:
    found = {str(p.dtype) for r in results for p in r.network.parameters}
    assert found == {dtype}, f"parameter dtypes: {found}"


@then(
    parsers.parse(
        "the training loss is within {tolerance:g} of the {reference} run's at every epoch,"
        " for every seed"
    )
)
def loss_tracks_reference(results: list[RunResult], tolerance: float, reference: str) -> None:
    gaps = {}
    for result in results:
        other = trained(dataclasses.replace(result.config, dtype=reference)).history.train_loss
        gaps[result.config.seed] = np.abs(np.subtract(result.history.train_loss, other)).max()
    far = {seed: f"{gap:.2e}" for seed, gap in gaps.items() if gap > tolerance}
    assert not far, f"largest loss gap to {reference}, by seed: {far}"


@when(
    parsers.parse(
        "a network is trained for {epochs:d} epochs with the test part as validation data"
    ),
    target_fixture="validated",
)
def train_with_validation(dataset: Dataset, epochs: int) -> tuple[Network, History]:
    network = mlp([dataset.n_features, 128, 10], seed=0)
    history = train(
        network,
        dataset.X_train,
        dataset.y_train,
        epochs=epochs,
        seed=0,
        validation=(dataset.X_test, dataset.y_test),
    )
    return network, history


@then(
    parsers.parse(
        "the history holds {losses:d} validation losses and {accuracies:d} validation accuracies"
    )
)
def validation_recorded(validated: tuple[Network, History], losses: int, accuracies: int) -> None:
    _, history = validated
    assert len(history.validation_loss) == losses, history.validation_loss
    assert len(history.validation_accuracy) == accuracies, history.validation_accuracy


@then("the last validation loss and accuracy are those of the trained network on the test part")
def validation_matches_test(validated: tuple[Network, History], dataset: Dataset) -> None:
    network, history = validated
    probabilities = softmax(network.forward(dataset.X_test))
    assert history.validation_loss[-1] == pytest.approx(
        cross_entropy(probabilities, dataset.y_test), rel=1e-12
    )
    assert history.validation_accuracy[-1] == accuracy(dataset.y_test, probabilities.argmax(axis=1))


@then("the history holds no validation losses and no validation accuracies")
def no_validation(result: RunResult) -> None:
    assert result.history.validation_loss == []
    assert result.history.validation_accuracy == []


@then("every weight, gradient, layer input and probability of the network is float32")
def everything_float32(result: RunResult) -> None:
    """After the run, one more training-mode pass on a copy shows what each stage hands on."""
    work = copy.deepcopy(result.network)
    X, y = result.dataset.X_train[:32], result.dataset.y_train[:32]
    logits = work.forward(X, training=True)
    _, grad_logits = softmax_cross_entropy(logits, y)
    found = {}
    grad = grad_logits
    for index in reversed(range(len(work.layers))):  # the backward sweep, one layer at a time
        grad = work.layers[index].backward(grad)
        found[f"gradient handed back by layer {index + 1}"] = grad.dtype
    found |= {f"weight {name}": value.dtype for name, value in result.network.named_parameters()}
    dense = [layer for layer in work.layers if isinstance(layer, Dense)]
    found.update((f"input of Dense layer {i + 1}", d.inputs.dtype) for i, d in enumerate(dense))
    found["logits"], found["gradient of the logits"] = logits.dtype, grad_logits.dtype
    found.update(
        (f"gradient of {name}", gradient.dtype)
        for (name, _), gradient in zip(work.named_parameters(), work.gradients, strict=True)
    )
    found["probabilities"] = result.network.predict_proba(result.dataset.X_test).dtype
    upcast = {what: str(dtype) for what, dtype in found.items() if dtype != np.float32}
    assert not upcast, f"not float32: {upcast}"


@when("the network trains on the batch without epochs or batch size", target_fixture="twin")
def tutorial_trains_with_defaults(tutorial: NeuralNetwork, batch: Batch) -> NeuralNetwork:
    """Train the network with the defaults; hand on an untrained twin (same weights, same seed)."""
    twin = copy.deepcopy(tutorial)
    tutorial.train(batch.X, batch.y)
    return twin


@when(
    parsers.parse("the network trains on the batch for 1 epoch in one batch of {rows:d} rows"),
    target_fixture="twin",
)
def tutorial_trains_one_step(tutorial: NeuralNetwork, batch: Batch, rows: int) -> NeuralNetwork:
    """One epoch in one batch: a single step; hand on an untrained twin."""
    assert len(batch.X) == rows, f"the batch has {len(batch.X)} rows, not {rows}"
    twin = copy.deepcopy(tutorial)
    tutorial.train(batch.X, batch.y, epochs=1, batch_size=rows)
    return twin


@then(
    parsers.parse(
        "it holds the weights its twin has after one backward pass at a learning rate of"
        " {learning_rate:g}"
    )
)
def same_as_one_backward_pass(
    tutorial: NeuralNetwork, twin: NeuralNetwork, batch: Batch, learning_rate: float
) -> None:
    twin.forward(batch.X)
    twin.backward(batch.X, batch.y, learning_rate)
    for name in TUTORIAL_NAMES:
        # The rows are summed in the shuffled order in training, in the given order here.
        np.testing.assert_allclose(
            getattr(tutorial, name), getattr(twin, name), rtol=1e-12, atol=1e-15, err_msg=name
        )


@then(
    parsers.parse(
        "a network made with seed {seed:d} and trained in {calls:d} calls of 1 epoch in batches"
        " of {size:d} holds, bit for bit, the weights of its twin trained for the {epochs:d}"
        " epochs in one call"
    )
)
def calls_carry_on(
    implementation: Implementation, batch: Batch, seed: int, calls: int, size: int, epochs: int
) -> None:
    assert calls == epochs, f"{calls} calls of 1 epoch are not {epochs} epochs"
    inputs = batch.X.shape[1]
    in_calls, at_once = (implementation.tutorial(inputs, seed) for _ in range(2))
    for _ in range(calls):
        in_calls.train(batch.X, batch.y, epochs=1, batch_size=size)
    at_once.train(batch.X, batch.y, epochs=epochs, batch_size=size)
    for name in TUTORIAL_NAMES:
        assert getattr(in_calls, name).tobytes() == getattr(at_once, name).tobytes(), (
            f"{name} differs: does each call of train start the shuffling afresh"
            " instead of carrying on with the class's generator?"
        )


@then(
    parsers.parse(
        "it holds the weights of a twin trained for {epochs:d} epochs in batches of {size:d},"
        " bit for bit"
    )
)
def same_as_twin(
    tutorial: NeuralNetwork, twin: NeuralNetwork, batch: Batch, epochs: int, size: int
):
    twin.train(batch.X, batch.y, epochs=epochs, batch_size=size)
    for name in TUTORIAL_NAMES:
        assert getattr(tutorial, name).tobytes() == getattr(twin, name).tobytes(), name


@when(
    "its first weight array is replaced by a copy and the network takes one training step",
    target_fixture="swapped",
)
def swap_then_step(network: Network, batch: Batch) -> dict[str, np.ndarray]:
    dense = network.layers[0]
    replaced = dense.parameters["W"]
    dense.parameters["W"] = replaced.copy()
    before = replaced.copy()
    train_step(network, batch.X, batch.y, SGD(0.1))
    return {"replaced": replaced, "before": before}


@then("the network's first weights have moved and the array replaced has not")
def copy_moved(network: Network, swapped: dict[str, np.ndarray]) -> None:
    moved = network.layers[0].parameters["W"]
    assert not np.array_equal(moved, swapped["before"]), "the network's weights did not move"
    np.testing.assert_array_equal(swapped["replaced"], swapped["before"])


@given(parsers.parse("a history of training losses {losses}"), target_fixture="history")
def history_of_losses(losses: str) -> History:
    return History(train_loss=[float(x) for x in losses.replace(" and ", ", ").split(", ")])


@then(parsers.parse("the first epoch with a loss below {threshold:g} is {epoch}"))
def first_below(history: History, threshold: float, epoch: str) -> None:
    expected = None if epoch == "none" else int(epoch)
    assert history.first_epoch_below(threshold) == expected


@when("the network is trained on the batch without settings", target_fixture="twin")
def trained_without_settings(network: Network, batch: Batch) -> Network:
    """Train with every default; hand on an untrained twin."""
    twin = copy.deepcopy(network)
    train(network, batch.X, batch.y)
    return twin


@then(
    parsers.parse(
        "it holds the weights of a twin trained for {epochs:d} epochs in batches of {size:d}"
        " with seed {seed:d} and plain gradient descent at {rate:g}, bit for bit"
    )
)
def same_as_explicit_twin(
    network: Network, twin: Network, batch: Batch, epochs: int, size: int, seed: int, rate: float
) -> None:
    train(twin, batch.X, batch.y, epochs=epochs, batch_size=size, seed=seed, optimizer=SGD(rate))
    for (name, ours), (_, theirs) in zip(
        network.named_parameters(), twin.named_parameters(), strict=True
    ):
        assert ours.tobytes() == theirs.tobytes(), name


def rows_first_layer_saw_last(network: Network, batch: Batch, **options) -> list[np.dtype]:
    """Train one epoch; after it, note the type of the rows the first layer saw last."""
    seen = []
    train(
        network,
        batch.X,
        batch.y,
        epochs=1,
        on_epoch_end=lambda epoch, history: seen.append(network.layers[0].inputs.dtype),
        **options,
    )
    return seen


@when(
    "the network is trained on the batch for 1 epoch, noting the rows its first layer saw",
    target_fixture="rows_seen",
)
def rows_first_layer_saw(network: Network, batch: Batch) -> list[np.dtype]:
    return rows_first_layer_saw_last(network, batch)


@when(
    "the network is trained on the batch for 1 epoch, validated on the batch,"
    " noting the rows its first layer saw last",
    target_fixture="rows_seen",
)
def rows_seen_with_validation(network: Network, batch: Batch) -> list[np.dtype]:
    """Validation comes after the epoch's steps, so the first layer last saw the validation rows."""
    return rows_first_layer_saw_last(network, batch, validation=(batch.X.copy(), batch.y))


@then(parsers.parse("those rows were {dtype}"))
def rows_were(rows_seen: list[np.dtype], dtype: str) -> None:
    assert rows_seen == [np.dtype(dtype)], rows_seen


@when(
    parsers.parse(
        "the network is trained on the batch for 1 epoch in batches of {size:d}"
        " at learning rate {rate:g} with gradients clipped to {limit:g}"
    ),
    target_fixture="before",
)
def trained_clipped(network: Network, batch: Batch, size: int, rate: float, limit: float):
    before = [p.copy() for p in network.parameters]
    train(
        network, batch.X, batch.y, epochs=1, batch_size=size, optimizer=SGD(rate), clip_norm=limit
    )
    return before


@then(
    parsers.parse(
        "no weight or bias moved by more than {steps:d} × {rate:g} × {limit:g}, and some moved"
    )
)
def moved_at_most(network: Network, before: list, steps: int, rate: float, limit: float) -> None:
    moves = [
        np.abs(after - start).max() for after, start in zip(network.parameters, before, strict=True)
    ]
    assert max(moves) <= steps * rate * limit, moves
    assert max(moves) > 0, "nothing moved"


@given(
    parsers.parse("the rows {rows} with labels {labels}"),
    target_fixture="batch",
)
def rows_with_labels(rows: str, labels: str) -> Batch:
    """``"1 2; 3 4"`` and ``"0 and 1"`` (or ``"0, 1 and 1"``) → a batch."""
    return Batch(matrix(rows), np.array([int(x) for x in labels.replace(" and ", ", ").split(",")]))


def plain_numpy_gradients(network: Network, batch: Batch) -> list[np.ndarray]:
    """dW1, db1, dW2, db2 of the mean cross-entropy of a 2-layer ReLU network, by the formulas."""
    W1, b1, W2, b2 = (parameter(network, name) for name in ("W1", "b1", "W2", "b2"))
    X, Y = batch.X, np.eye(W2.shape[1])[batch.y]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    exponentials = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = exponentials / exponentials.sum(axis=1, keepdims=True)
    dZ2 = (P - Y) / len(X)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return [X.T @ dZ1, dZ1.sum(axis=0, keepdims=True), A1.T @ dZ2, dZ2.sum(axis=0, keepdims=True)]


@when(
    parsers.parse(
        "the network takes one full-batch training step at learning rate {rate:g}"
        " with gradients clipped to {limit:g}"
    ),
    target_fixture="clipped_step",
)
def one_clipped_step(network: Network, batch: Batch, rate: float, limit: float) -> dict:
    """The weights before and after, and the gradients worked out in plain NumPy before."""
    before = [p.copy() for p in network.parameters]
    gradients = plain_numpy_gradients(network, batch)
    train(
        network,
        batch.X,
        batch.y,
        epochs=1,
        batch_size=len(batch.X),
        optimizer=SGD(rate),
        clip_norm=limit,
        shuffle=False,
    )
    return {"before": before, "gradients": gradients, "after": network.parameters}


@then(
    parsers.parse(
        "the gradients' joint length before clipping was above {limit:g}, and no single array's was"
    )
)
def clipping_acted_jointly(clipped_step: dict, limit: float) -> None:
    lengths = [float(np.sqrt(np.sum(g * g))) for g in clipped_step["gradients"]]
    assert float(np.sqrt(sum(length**2 for length in lengths))) > limit, lengths
    assert max(lengths) < limit, lengths


@then(
    parsers.parse(
        "every weight and bias moved by −{rate:g} × {limit:g} / (joint length) × its gradient"
        " worked out in plain NumPy, to within {tolerance:g}"
    )
)
def moved_by_clipped_gradient(
    clipped_step: dict, rate: float, limit: float, tolerance: float
) -> None:
    gradients = clipped_step["gradients"]
    scale = limit / np.sqrt(sum(np.sum(g * g) for g in gradients))
    for name, start, after, gradient in zip(
        TUTORIAL_NAMES, clipped_step["before"], clipped_step["after"], gradients, strict=True
    ):
        np.testing.assert_allclose(
            after, start - rate * scale * gradient, rtol=0, atol=tolerance, err_msg=name
        )


@when(
    parsers.parse(
        "an epoch of {rows:d} rows is cut into mini-batches of {size:d},"
        " drawn from a NumPy random generator seeded with {seed:d}"
    ),
    target_fixture="epoch_batches",
)
def epoch_batches(rows: int, size: int, seed: int) -> dict:
    """The batches ``minibatches`` gives with its settings left as they are."""
    return {
        "batches": list(minibatches(rows, size, np.random.default_rng(seed))),
        "rows": rows,
        "seed": seed,
    }


@then(parsers.parse("the batches hold {size:d} rows each and the last {last:d}"))
def epoch_batch_sizes(epoch_batches: dict, size: int, last: int) -> None:
    sizes = [len(batch) for batch in epoch_batches["batches"]]
    assert sizes[:-1] == [size] * (len(sizes) - 1) and sizes[-1] == last, sizes


@then("they visit the rows in the order of that generator's first shuffle")
def in_shuffled_order(epoch_batches: dict) -> None:
    visited = np.concatenate(epoch_batches["batches"])
    expected = np.random.default_rng(epoch_batches["seed"]).permutation(epoch_batches["rows"])
    assert np.array_equal(visited, expected), f"visited {visited.tolist()}"
