"""Binds features/input_validation.feature: each mistake, its error type and its message."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import numpy as np
from pytest_bdd import parsers, scenarios, then, when

from scratchnet import SGD, NeuralNetwork, accuracy, gradcheck, mlp, one_hot, train
from scratchnet.activations import LeakyReLU, ReLU
from scratchnet.data import Standardizer, train_test_split
from scratchnet.experiment import TrainConfig
from scratchnet.layers import Dense, Dropout
from scratchnet.losses import cross_entropy, softmax_cross_entropy
from scratchnet.network import Network
from scratchnet.regularization import add_l2_gradient
from scratchnet.training import train_step
from scratchnet.validation import Closed, Interval, check_features, check_labels, check_number
from steps.math_steps import refusal
from steps.network_steps import Batch

scenarios("input_validation.feature")


def network() -> Network:
    """A small network for the 64-pixel digits: checks run before any training."""
    return mlp([64, 16, 10], seed=0)


def with_pixel(X: np.ndarray, *values: float) -> np.ndarray:
    """A copy of ``X`` with pixels of one row, side by side, set to ``values``."""
    changed = X.copy()
    changed[3, 5 : 5 + len(values)] = values
    return changed


def with_split_label(y: np.ndarray) -> np.ndarray:
    """``y`` as one-hot rows, the last of which says half one class, half another."""
    rows = one_hot(y)
    rows[-1] = 0.0
    rows[-1, :2] = 0.5
    return rows


def with_label(y: np.ndarray, value: float) -> np.ndarray:
    """A copy of ``y`` whose last label is ``value``."""
    return np.append(y[:-1], value)


def step_twice_with_other_shapes() -> None:
    """One step on a parameter of 2 numbers, then the same optimizer on one of 3."""
    optimizer = SGD(0.1)
    optimizer.step([np.zeros(2)], [np.zeros(2)])
    optimizer.step([np.zeros(3)], [np.zeros(3)])


def read_only(array: np.ndarray) -> np.ndarray:
    """``array``, made read-only."""
    array.flags.writeable = False
    return array


def step_with_nan_weight(batch: Batch) -> None:
    """One training step, outside any epoch, for a network with a NaN weight."""
    net = network()
    net.parameters[0][0, 0] = np.nan
    train_step(net, batch.X[:8], batch.y[:8], SGD(0.1))


def step_with_overflowing_gradients() -> None:
    """Finite scores, but weights and inputs so large that the gradients overflow."""
    net = mlp([2, 2, 2], seed=0)
    W1, _, W2, _ = net.parameters
    W1[...], W2[...] = 1e-300, [[1e300, -1e300], [1e300, -1e300]]
    with np.errstate(over="ignore", invalid="ignore"):  # as train() runs its steps
        train_step(net, np.full((2, 2), 1e300), np.array([0, 1]), SGD(1.0))


def tutorial_net() -> NeuralNetwork:
    """The tutorial's class for the 64-pixel digits."""
    return NeuralNetwork(64, 16, 10, seed=0)


def tutorial_step_at(X: np.ndarray, y: np.ndarray, learning_rate: float) -> None:
    """The tutorial's forward pass, then its backward step at ``learning_rate``."""
    net = tutorial_net()
    net.forward(X)
    net.backward(X, y, learning_rate)


def tutorial_backward(forward: np.ndarray, X: np.ndarray, y: np.ndarray) -> None:
    """The tutorial's backward step on ``X, y`` after a forward pass on ``forward``."""
    net = tutorial_net()
    net.forward(forward)
    net.backward(X, y)


def tutorial_overflow(layer: str) -> NeuralNetwork:
    """Inputs of 1e306 through weights set so that ``layer``'s scores overflow, and only its."""
    net = tutorial_net()
    net.W1 = np.full((64, 16), 100.0 if layer == "hidden" else 1.0)
    net.W2 = np.full((16, 10), 100.0)
    net.forward(np.full((2, 64), 1e306))
    return net


def backward_after_failed_forward(X: np.ndarray, y: np.ndarray) -> None:
    """A forward pass, then one that overflows, then a backward step on the second batch."""
    net = tutorial_net()
    net.forward(X)
    huge = np.full((len(X), 64), 1e306)
    net.W1 = np.full((64, 16), 100.0)
    with contextlib.suppress(ValueError):
        net.forward(huge)
    net.backward(huge, y)


#: What each row of the Examples tables does, given the training digits.
ACTIONS: dict[str, Callable[[Batch], object]] = {
    "train a 64-input network on rows of 63 pixels": lambda d: train(network(), d.X[:, :63], d.y),
    "train on one image given as a flat row of 64 numbers": lambda d: train(
        network(), d.X[0], d.y[:1]
    ),
    "train on no rows at all": lambda d: train(network(), d.X[:0], d.y[:0]),
    "train on images with a NaN pixel": lambda d: train(network(), with_pixel(d.X, np.nan), d.y),
    "train on images with an infinite pixel": lambda d: train(
        network(), with_pixel(d.X, np.inf), d.y
    ),
    "train on images with a NaN, an inf and a -inf pixel": lambda d: train(
        network(), with_pixel(d.X, np.nan, np.inf, -np.inf), d.y
    ),
    "train on pixels given as text": lambda d: train(network(), d.X.astype(str), d.y),
    "train on None instead of images": lambda d: train(network(), None, d.y),
    "train on a word instead of images": lambda d: train(network(), "digits", d.y),
    "predict digits for rows of 63 pixels": lambda d: network().predict(d.X[:, :63]),
    "train with a label of 10 when digits go from 0 to 9": lambda d: train(
        network(), d.X, with_label(d.y, 10)
    ),
    "train with a label of -1": lambda d: train(network(), d.X, with_label(d.y, -1)),
    "train with a label of 2.5": lambda d: train(network(), d.X, with_label(d.y, 2.5)),
    "train with one-hot rows that have two 1s": lambda d: train(
        network(), d.X, one_hot(d.y) + one_hot((d.y + 1) % 10)
    ),
    "train with a one-hot row that says half 0, half 1": lambda d: train(
        network(), d.X, with_split_label(d.y)
    ),
    "train with an empty table of one-hot rows": lambda d: train(network(), d.X, np.zeros((0, 10))),
    "train with labels given as text": lambda d: train(network(), d.X, d.y.astype(str)),
    "train with labels given as True and False": lambda d: train(network(), d.X, d.y % 2 == 0),
    "train with a float32 label of 2.5": lambda d: train(
        network(), d.X, with_label(d.y, 2.5).astype(np.float32)
    ),
    "score predictions against a label of -1": lambda d: accuracy(with_label(d.y, -1), d.y),
    "train on all the images with one label fewer": lambda d: train(network(), d.X, d.y[:-1]),
    "one-hot encode the label 10 for 10 classes": lambda d: one_hot([10], 10),
    "score 3 predictions against 2 labels": lambda d: accuracy(d.y[:2], d.y[:3]),
    "score predictions with no labels at all": lambda d: accuracy(d.y[:0], d.y[:0]),
    "score predictions with a probability of 1.5": lambda d: cross_entropy(
        np.eye(10)[[0]] * 1.5, [0]
    ),
    "score 10 probabilities per row against a label of 10": lambda d: cross_entropy(
        np.full((1, 10), 0.1), [10]
    ),
    "score 10 scores per row against a label of 10": lambda d: softmax_cross_entropy(
        np.zeros((1, 10)), [10]
    ),
    "train with validation rows of 63 pixels": lambda d: train(
        network(), d.X, d.y, epochs=1, validation=(d.X[:, :63], d.y)
    ),
    "train with a validation label of 10": lambda d: train(
        network(), d.X, d.y, epochs=1, validation=(d.X, with_label(d.y, 10))
    ),
    "train with validation labels one fewer than validation rows": lambda d: train(
        network(), d.X, d.y, epochs=1, validation=(d.X, d.y[:-1])
    ),
    "train with an L2 strength of -0.1": lambda d: train(network(), d.X, d.y, l2=-0.1),
    "train with gradients clipped to 0": lambda d: train(network(), d.X, d.y, clip_norm=0),
    "train with patience but no validation data": lambda d: train(network(), d.X, d.y, patience=3),
    "train with a number in place of an optimizer": lambda d: train(
        network(), d.X, d.y, optimizer=0.1
    ),
    "train with text in place of the function called after each epoch": lambda d: train(
        network(), d.X, d.y, on_epoch_end="print"
    ),
    "train with its gradients found by an unknown method": lambda d: train(
        network(), d.X, d.y, gradients="magic"
    ),
    "take a training step whose gradients overflow": lambda d: step_with_overflowing_gradients(),
    "take a training step with a NaN among the weights": lambda d: step_with_nan_weight(d),
    "train for 0 epochs": lambda d: train(network(), d.X, d.y, epochs=0),
    "train for 2.5 epochs": lambda d: train(network(), d.X, d.y, epochs=2.5),
    "train in batches of 0 rows": lambda d: train(network(), d.X, d.y, batch_size=0),
    "train with a learning rate of 0": lambda d: train(network(), d.X, d.y, optimizer=SGD(0)),
    "train with a learning rate of -1": lambda d: train(network(), d.X, d.y, optimizer=SGD(-1)),
    "train with a learning rate of 10**400, too large for a float": lambda d: train(
        network(), d.X, d.y, optimizer=SGD(10**400)
    ),
    "train with a learning rate of -10**400, too large for a float": lambda d: train(
        network(), d.X, d.y, optimizer=SGD(-(10**400))
    ),
    "train with a seed of -1": lambda d: train(network(), d.X, d.y, seed=-1),
    "train with a seed of 2.5": lambda d: train(network(), d.X, d.y, seed=2.5),
    "build the tutorial's network with 0 hidden units": lambda d: NeuralNetwork(64, 0, 10),
    "build a network of float16 numbers": lambda d: mlp([64, 16, 10], dtype="float16"),
    "build a network of no layers": lambda d: Network([]),
    "build a network from a word instead of a layer": lambda d: Network(["dense"]),
    "build a network of a ReLU layer alone": lambda d: Network([ReLU()]),
    "build a network whose dense layers do not fit together": lambda d: Network(
        [Dense(64, 16), ReLU(), Dense(8, 10)]
    ),
    "build a network with its sizes given as text": lambda d: mlp("64 16 10"),
    "build a network with its activation given as a number": lambda d: mlp(
        [64, 16, 10], activation=3
    ),
    "build a network with dropout 1": lambda d: mlp([64, 16, 10], dropout=1.0),
    "build a dense layer with 0 inputs": lambda d: Dense(0, 16),
    "build a dense layer with 0 outputs": lambda d: Dense(64, 0),
    "give dropout a rate of 1": lambda d: Dropout(1.0),
    "give dropout a rate of -0.5": lambda d: Dropout(-0.5),
    "give leaky ReLU a negative slope of 0": lambda d: LeakyReLU(0.0),
    "add the L2 gradient of two weight matrices to one gradient": lambda d: add_l2_gradient(
        [np.ones((2, 2)), np.ones((2, 2))], [np.zeros((2, 2))], 0.1
    ),
    "step with one parameter and no gradient": lambda d: SGD(0.1).step([np.zeros(2)], []),
    "step with a gradient of 3 numbers for a parameter of 2": lambda d: SGD(0.1).step(
        [np.zeros(2)], [np.zeros(3)]
    ),
    "step an optimizer with parameters of another shape": lambda d: step_twice_with_other_shapes(),
    "step with the parameters given as one array instead of a list": lambda d: SGD(0.1).step(
        np.zeros(2), [np.zeros(2)]
    ),
    "step with the gradients given as one array instead of a list": lambda d: SGD(0.1).step(
        [np.zeros(2)], np.zeros(2)
    ),
    "step a parameter of whole numbers": lambda d: SGD(0.1).step(
        [np.zeros(2, dtype=np.int64)], [np.zeros(2)]
    ),
    "step a parameter given as a list of numbers": lambda d: SGD(0.1).step([[0.0]], [[0.0]]),
    "step a read-only parameter": lambda d: SGD(0.1).step([read_only(np.zeros(2))], [np.zeros(2)]),
    "step a parameter holding a NaN": lambda d: SGD(0.1).step(
        [np.array([0.0, np.nan])], [np.zeros(2)]
    ),
    "step a float32 parameter with a gradient of 1e300": lambda d: SGD(0.1).step(
        [np.zeros(1, dtype=np.float32)], [np.array([1e300])]
    ),
    "step with a gradient so large that the parameter overflows": lambda d: SGD(10).step(
        [np.zeros(1)], [np.array([1e308])]
    ),
    "configure a run with momentum 1": lambda d: TrainConfig(momentum=1.0),
    "configure a run with dropout 1": lambda d: TrainConfig(dropout=1.0),
    "configure a run with a learning rate of 0": lambda d: TrainConfig(learning_rate=0.0),
    "configure a run with gradients clipped to 0": lambda d: TrainConfig(clip_norm=0.0),
    "configure a run with an L2 strength of -0.1": lambda d: TrainConfig(l2=-0.1),
    "configure a run with a second hidden layer of 0 units": lambda d: TrainConfig(hidden=(8, 0)),
    "configure a run for 2.5 epochs": lambda d: TrainConfig(epochs=2.5),
    'configure a run with the optimizer "rmsprops"': lambda d: TrainConfig(optimizer="rmsprops"),
    "configure a run in float16": lambda d: TrainConfig(dtype="float16"),
    "configure a run on MNIST without saying where its files are": lambda d: TrainConfig(
        dataset="mnist"
    ),
    "configure a run that stops early after 0 epochs of patience": lambda d: TrainConfig(
        patience=0
    ),
    "configure a run that holds out all its training rows": lambda d: TrainConfig(
        validation_fraction=1.0
    ),
    "configure a run that tests on none of the digits": lambda d: TrainConfig(test_fraction=0.0),
    'configure a run on the dataset "cifar"': lambda d: TrainConfig(dataset="cifar"),
    "set aside a test fraction of 0": lambda d: train_test_split(d.X, d.y, test_fraction=0),
    "set aside a test fraction of 1": lambda d: train_test_split(d.X, d.y, test_fraction=1),
    "set aside a test fraction of 1.5": lambda d: train_test_split(d.X, d.y, test_fraction=1.5),
    "set aside a test fraction of 0.9 of 5 rows": lambda d: train_test_split(
        d.X[:5], d.y[:5], test_fraction=0.9
    ),
    "split the images with a single number for labels": lambda d: train_test_split(d.X, 3),
    "standardise with a standardiser that was never fitted": lambda d: Standardizer().transform(
        d.X
    ),
    "standardise rows of 63 pixels with statistics of 64": lambda d: (
        Standardizer().fit(d.X).transform(d.X[:, :63])
    ),
    "standardise a pixel of 1e308 with a standard deviation of 0.1": lambda d: (
        Standardizer().fit(d.X / 10).transform(with_pixel(d.X, 1e308))
    ),
    "check the gradients of a list of layers, not a network": lambda d: gradcheck(
        network().layers, d.X[:4], d.y[:4]
    ),
    "check a 64-input network's gradients on rows of 63 pixels": lambda d: gradcheck(
        network(), d.X[:4, :63], d.y[:4]
    ),
    "check the gradients on pixels of 1e300": lambda d: gradcheck(
        network(), d.X[:4] * 1e300, d.y[:4]
    ),
    "score the tutorial's predictions with 9 probabilities per row": lambda d: (
        tutorial_net().compute_loss(d.y[:4], np.full((4, 9), 1 / 9))
    ),
    "score the tutorial's predictions with a probability of 1.5": lambda d: (
        tutorial_net().compute_loss(d.y[:1], np.eye(10)[[0]] * 1.5)
    ),
    "score 3 of the tutorial's predictions against 2 labels": lambda d: tutorial_net().compute_loss(
        d.y[:2], np.full((3, 10), 0.1)
    ),
    "take the tutorial's backward step before any forward pass": lambda d: tutorial_net().backward(
        d.X[:4], d.y[:4]
    ),
    "take the tutorial's backward step on rows of 63 pixels": lambda d: tutorial_backward(
        d.X[:4], d.X[:4, :63], d.y[:4]
    ),
    "take the tutorial's backward step on other rows than the forward pass": lambda d: (
        tutorial_backward(d.X[:4], d.X[4:8], d.y[4:8])
    ),
    "take the tutorial's backward step with one label fewer than rows": lambda d: tutorial_backward(
        d.X[:4], d.X[:4], d.y[:3]
    ),
    "take the tutorial's step at a learning rate so large the weights overflow": lambda d: (
        tutorial_step_at(d.X[:4] * 1e6, d.y[:4], 1e308)
    ),
    "build the tutorial's network with 0 outputs": lambda d: NeuralNetwork(64, 16, 0),
    "run the tutorial's forward pass on rows of 63 pixels": lambda d: tutorial_net().forward(
        d.X[:4, :63]
    ),
    "run the tutorial's forward pass where the hidden layer overflows": lambda d: tutorial_overflow(
        "hidden"
    ),
    "run the tutorial's forward pass where the output layer overflows": lambda d: tutorial_overflow(
        "output"
    ),
    "take the tutorial's backward step after a forward pass that failed": lambda d: (
        backward_after_failed_forward(d.X[:4], d.y[:4])
    ),
    "train the tutorial's network on rows of 63 pixels": lambda d: tutorial_net().train(
        d.X[:, :63], d.y, epochs=1
    ),
}


@when(parsers.parse("someone tries to {action}"), target_fixture="refused")
def attempt(action: str, batch: Batch) -> Exception | None:
    return refusal(lambda: ACTIONS[action](batch))


@then(parsers.parse('a {error} is raised that names {argument} and says "{message}"'))
def raised_naming(refused: Exception | None, error: str, argument: str, message: str) -> None:
    assert refused is not None, "nothing was raised"
    assert type(refused).__name__ == error, f"{type(refused).__name__}: {refused}"
    assert re.search(rf"(^|\W){re.escape(argument)}\b", str(refused)), (
        f"the message does not name {argument!r}: {refused}"
    )
    # Whole words: a message that only contains the words inside longer ones does not say them.
    assert re.search(rf"(?<!\w){re.escape(message)}(?!\w)", str(refused)), (
        f"the message does not say {message!r}: {refused}"
    )


@then(parsers.parse('a {error} is raised whose message reads "{message}"'))
def raised_reading(refused: Exception | None, error: str, message: str) -> None:
    assert refused is not None, "nothing was raised"
    assert type(refused).__name__ == error, f"{type(refused).__name__}: {refused}"
    assert str(refused) == message, f"the message reads {str(refused)!r}"


@when(
    parsers.parse("the labels {labels}, given as {dtype}, are scored against themselves"),
    target_fixture="score",
)
def score_against_themselves(labels: str, dtype: str) -> float:
    values = np.array([int(label) for label in labels.split(",")], dtype=dtype)
    return accuracy(values, values.copy())


@then("every prediction counts as right")
def every_prediction_right(score: float) -> None:
    assert score == 1.0, score


#: What each row checks with scratchnet's own checks, naming no argument.
OWN_CHECKS: dict[str, Callable[[], object]] = {
    "features given as a flat row": lambda: check_features(np.zeros(3)),
    "the label -1 for 10 classes": lambda: check_labels([-1], 10),
}


@when(
    parsers.parse("someone checks {checked} with scratchnet's own check, naming no argument"),
    target_fixture="refused",
)
def check_unnamed(checked: str) -> Exception | None:
    return refusal(OWN_CHECKS[checked])


#: Which ends of the limits are allowed, as the Examples say it, in scikit-learn's words.
CLOSED: dict[str, Closed] = {
    "both": "both",
    "the lower end only": "left",
    "the upper end only": "right",
    "neither end": "neither",
}

#: The same ends as check_number's flags.
ENDS: dict[str, dict[str, bool]] = {
    "both (the default)": {},
    **{
        ends: {
            "low_inclusive": closed in ("left", "both"),
            "high_inclusive": closed in ("right", "both"),
        }
        for ends, closed in CLOSED.items()
    },
}


def bound(text: str) -> float | None:
    """The limit a cell gives, or ``None`` for "none"."""
    return None if text == "none" else float(text)


@when(
    parsers.parse(
        "someone checks {value:g} as a threshold from {lowest:g} to {highest}, {ends} included"
    ),
    target_fixture="refused",
)
def check_threshold(value: float, lowest: float, highest: str, ends: str) -> Exception | None:
    high = bound(highest)
    return refusal(lambda: check_number(value, "threshold", low=lowest, high=high, **ENDS[ends]))


@then("the threshold is accepted")
def threshold_accepted(refused: Exception | None) -> None:
    assert refused is None, f"refused: {refused}"


@when(
    parsers.parse("limits from {lowest} to {highest}, {ends} included, are written in words"),
    target_fixture="described",
)
def limits_in_words(lowest: str, highest: str, ends: str) -> str:
    return Interval(bound(lowest), bound(highest), closed=CLOSED[ends]).describe()


@then(parsers.parse('they read "{words}"'))
def read_as(described: str, words: str) -> None:
    assert described == words, f"they read {described!r}"
