"""Which network the tutorial-stage scenarios check: scratchnet's own or one named by the user.

The scenarios tagged ``@tutorial`` talk to the network under test only through an
:class:`Implementation`, handed to them by the ``implementation`` fixture. By
default that is :class:`Scratchnet`, which does exactly what the steps did before
there was a choice (scratchnet's general ``Network`` for "the tutorial's network",
its ``NeuralNetwork`` for "the tutorial's NeuralNetwork"). ``pytest
--implementation package.module:ClassName`` (or ``SCRATCHNET_IMPLEMENTATION``)
swaps in :class:`TutorialClass`, which drives any class with the tutorial's API:
``__init__(input_size, hidden_size, output_size)``, ``W1 b1 W2 b2``, ``forward``,
``compute_loss(Y_true, Y_pred)`` and ``backward(X, Y_true, learning_rate)`` with
one-hot ``Y_true``, ``train(X, Y, epochs, batch_size)`` and ``predict``. Given
several times, every ``@tutorial`` scenario runs once per class, each class with
its own :class:`TutorialClass`.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import importlib
import importlib.util
import inspect
import io
import os
import runpy
import sys
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import numpy as np

from scratchnet import activations
from scratchnet.check import is_file, split_submission
from scratchnet.data import one_hot
from scratchnet.experiment import RunResult, TrainConfig, dataset_for, generators, run
from scratchnet.gradcheck import gradcheck
from scratchnet.losses import cross_entropy
from scratchnet.metrics import accuracy
from scratchnet.network import Network, mlp
from scratchnet.training import History, minibatches
from scratchnet.tutorial import NeuralNetwork
from steps.support.training_watch import TrainingWatch, watch_backward

#: The environment variable that names the class to check, like ``--implementation``.
ENVIRONMENT_VARIABLE = "SCRATCHNET_IMPLEMENTATION"
#: The tutorial's hidden width and number of classes.
HIDDEN, CLASSES = 128, 10
#: The tutorial's names for the network's parameters, in layer order.
TUTORIAL_NAMES = ("W1", "b1", "W2", "b2")
#: The methods a class needs to be checked.
TUTORIAL_METHODS = ("forward", "compute_loss", "backward", "train", "predict")
#: The documented script the complete-example stage runs for scratchnet's own network.
COMPLETE_EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "complete_example.py"
#: How many units in the last place of its number type a result of another class may be off,
#: per unit of its size, before rounding stops being the explanation.
ROUNDINGS = 4
#: The largest ε another class may add inside the log (``log(p + ε)``) or clip probabilities
#: to, to keep log(0) finite; Keras clips at 1e-7, and 1e-8 to 1e-12 are common too.
LOG_EPSILON = 1e-7
#: The seeds of a whole-training scenario another class is checked with, at most: each seed
#: is one 100-epoch run of its own (about a second); scratchnet's network runs every seed.
SEEDS_FOR_OTHER_CLASSES = 3


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """How far a result may be from the expected one, and why, for an assertion's message."""

    value: float
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.value:.3g}" + (f" ({self.reason})" if self.reason else "")


class GradientCheck(NamedTuple):
    """One parameter's backpropagated gradient against finite differences.

    ``error`` is ``‖numerical − analytic‖ / (‖numerical‖ + ‖analytic‖)``; ``ratio`` is the
    multiple of the finite-difference gradient that best explains the analytic one
    (``⟨analytic, numerical⟩ / ‖numerical‖²``): −1 for a step uphill, 0 for no step,
    the batch size for a gradient not divided by it; ``None`` when not measured.
    """

    error: float
    ratio: float | None = None


def seeds_up_to(first: int, last: int, most: int | None) -> range:
    """The seeds from ``first`` to ``last``, or only the first ``most`` of them."""
    last = last if most is None else min(last, first + most - 1)
    return range(first, last + 1)


def implementation_specs(config: object) -> list[str]:
    """The classes to check, in the order named: each ``--implementation``, else the ones the
    environment names (separated by spaces); empty for scratchnet's own network."""
    named = config.getoption("--implementation") or os.environ.get(ENVIRONMENT_VARIABLE, "").split()
    return list(dict.fromkeys(named))  # a class named twice is checked once


def load_class(spec: str) -> type:
    """The class named by ``package.module:ClassName`` or ``path/to/file.py:ClassName``
    (``NeuralNetwork`` when no class is named), checked up front for the tutorial's API.

    Raises:
        ValueError: ``spec`` names no module or file, or its class's name is not a name.
        ImportError: the module cannot be imported (a module that raises while it is
            imported raises that error instead).
        TypeError: the name is not a class; or it lacks one of the tutorial's methods, or
            its constructor cannot be called with the three sizes: one message for all.
    """
    where, class_name = split_submission(spec)
    module = import_file(Path(where)) if is_file(where) else importlib.import_module(where)
    found = getattr(module, class_name, None)
    if not isinstance(found, type):
        raise TypeError(f"implementation {spec!r}: {where} has no class {class_name}")
    problems = []
    missing = [name for name in TUTORIAL_METHODS if not callable(getattr(found, name, None))]
    if missing:
        problems.append(f"lacks the tutorial's method(s) {', '.join(missing)}")
    try:
        inspect.signature(found).bind(64, HIDDEN, CLASSES)
    except TypeError as error:
        problems.append(
            f"its constructor cannot be called as {class_name}(input_size, hidden_size,"
            f" output_size): {error}"
        )
    except ValueError:  # no signature to read (a class written in C): try it in the stages
        pass
    if problems:
        raise TypeError(f"{class_name} in {where} {'; and '.join(problems)}")
    return found


def import_file(path: Path) -> object:
    """The module in the file ``path``, imported under its file's name (its folder first on
    ``sys.path``, so the modules beside it import too)."""
    if not path.is_file():
        raise ImportError(f"there is no file {path}")
    name = path.stem if path.stem.isidentifier() and path.stem not in sys.modules else "submission"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported as a Python module")
    sys.path.insert(0, str(path.resolve().parent))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def scratchnet_network(inputs: int, seed: int, dtype: object = np.float64) -> Network:
    """The tutorial's architecture: ``inputs`` → 128 (ReLU) → 10, weights N(0, 1) × 0.01."""
    return mlp([inputs, HIDDEN, CLASSES], init="tutorial", seed=seed, dtype=dtype)


@functools.cache
def complete_example_output(seed: int) -> list[str]:
    """The lines the documented script prints when run as ``python complete_example.py SEED``."""
    printed = io.StringIO()
    arguments = [str(COMPLETE_EXAMPLE), str(seed)]
    with mock.patch.object(sys, "argv", arguments), contextlib.redirect_stdout(printed):
        runpy.run_path(str(COMPLETE_EXAMPLE), run_name="__main__")
    return printed.getvalue().splitlines()


@functools.cache
def scratchnet_run(config: TrainConfig) -> RunResult:
    """Train once per distinct configuration in a test session; every run is deterministic."""
    return run(config)


class Scratchnet:
    """scratchnet itself: the general ``Network`` and the tutorial's ``NeuralNetwork``."""

    name = "scratchnet.NeuralNetwork"
    #: The number type scratchnet's tutorial network computes in.
    dtype = np.dtype(np.float64)
    #: Seeds of whole-training scenarios: scratchnet runs every seed a scenario names.
    most_seeds = None

    def tolerance(self, stated: float, size: object = 0.0, slack: object = 0.0) -> Tolerance:
        """The tolerance the feature states: scratchnet's own claims are never widened."""
        return Tolerance(stated)

    def seeds(self, first: int, last: int) -> range:
        return seeds_up_to(first, last, self.most_seeds)

    def network(self, inputs: int, seed: int) -> Network:
        return scratchnet_network(inputs, seed)

    def tutorial(self, inputs: int, seed: int) -> NeuralNetwork:
        return NeuralNetwork(inputs, HIDDEN, CLASSES, seed=seed)

    def parameter(self, network: Network, name: str) -> np.ndarray:
        if isinstance(network, NeuralNetwork):
            return getattr(network, name)
        return dict(network.named_parameters())[name]

    def probabilities(self, network: Network | NeuralNetwork, X: np.ndarray) -> np.ndarray:
        if isinstance(network, NeuralNetwork):
            return network.forward(X)
        return network.predict_proba(X)

    def predict(self, network: Network | NeuralNetwork, X: np.ndarray) -> np.ndarray:
        return network.predict(X)

    def softmax(self, scores: np.ndarray) -> np.ndarray:
        return activations.softmax(scores)

    def loss(self, probabilities: np.ndarray, labels: np.ndarray) -> float:
        return cross_entropy(probabilities, labels)

    def gradient_errors(
        self, network: Network, X: np.ndarray, labels: np.ndarray
    ) -> dict[str, GradientCheck]:
        return {name: GradientCheck(error) for name, error in gradcheck(network, X, labels).items()}

    def step(self, tutorial: NeuralNetwork, X: np.ndarray, labels: np.ndarray, rate: float) -> None:
        tutorial.forward(X)
        tutorial.backward(X, labels, learning_rate=rate)

    def run(self, config: TrainConfig) -> RunResult:
        return run(config)

    def trained(self, config: TrainConfig) -> RunResult:
        return scratchnet_run(config)

    def trained_tutorial(self, config: TrainConfig) -> NeuralNetwork:
        """The tutorial's ``NeuralNetwork`` holding the weights of scratchnet's run with
        ``config``, so that the prediction stage calls that class's own ``predict``."""
        trained = self.trained(config).network
        tutorial = NeuralNetwork(trained.n_features, HIDDEN, CLASSES, seed=config.seed)
        for name in TUTORIAL_NAMES:
            setattr(tutorial, name, self.parameter(trained, name))
        return tutorial

    def watch_training(
        self, X: np.ndarray, labels: np.ndarray, epochs: int, batch_size: int, seed: int
    ) -> TrainingWatch:
        """What the tutorial class's own ``train`` does, watched in the network it trains."""
        classes = int(labels.max()) + 1
        tutorial = NeuralNetwork(X.shape[1], 8, classes, seed=seed)
        with TrainingWatch.watching() as watch, contextlib.redirect_stdout(io.StringIO()):
            tutorial.train(X.copy(), one_hot(labels, classes), epochs, batch_size)
        return watch

    def complete_example(self, seed: int) -> list[str]:
        return complete_example_output(seed)


class TutorialClass:
    """Any class with the tutorial's API, seeded through NumPy's global generator.

    Each stage calls only the methods it is about, so that a mistake is reported at its own
    stage first:

    - the network "built with seed s" is ``np.random.seed(s)`` then ``cls(inputs, 128, 10)``;
    - softmax is read off ``forward`` (see :meth:`softmax`), the loss off ``compute_loss``;
    - gradients are read off one ``backward`` step at learning rate 1 (before − after) and
      compared with central differences of a reference loss written here, in float64, from
      the class's weights: not the class's own ``forward`` or ``compute_loss``;
    - training (the training and prediction stages) is driven here, not by the class's own
      ``train``: the same digits split and the same order of mini-batches as scratchnet's runs
      with that seed, ``forward`` then ``backward`` at learning rate 0.01 per batch of 32; the
      loss recorded for an epoch is the reference cross-entropy of ``forward``'s probabilities,
      taken before each batch's step and weighted by the batch's rows, and the test accuracy is
      that of the most probable digits: ``compute_loss`` and ``predict`` are not called;
    - the class's own ``train`` is watched (:meth:`watch_training`) on made-up rows;
    - the prediction stage calls ``predict``; the complete example the class's own ``train``
      and ``predict``.

    Tolerances follow the number type the class computes in (:attr:`dtype`): a stated
    tolerance is widened, never narrowed, to what that type's rounding allows.
    """

    #: Seeds of whole-training scenarios: the first three of the ones a scenario names.
    most_seeds = SEEDS_FOR_OTHER_CLASSES

    def __init__(self, cls: type, name: str) -> None:
        self.cls, self.name = cls, name

    @functools.cached_property
    def dtype(self) -> np.dtype:
        """The least precise floating type among the class's parameters and its probabilities.

        Read from a small network of its own; NumPy's global generator is left as it was.
        """
        state, arrays = np.random.get_state(), []  # noqa: NPY002
        try:  # the class's own mistakes are for its stages to report, not for this
            network = self.build(4, 0, hidden=3, classes=2)
            arrays += [self.parameter(network, name) for name in TUTORIAL_NAMES]
            arrays.append(np.asarray(network.forward(np.ones((2, 4)))))
        except Exception:  # whatever it raises, float64 is assumed
            pass
        finally:
            np.random.set_state(state)  # noqa: NPY002
        floats = [a.dtype for a in arrays if np.issubdtype(a.dtype, np.floating)]
        return min(floats, key=lambda d: np.finfo(d).bits, default=np.dtype(np.float64))

    def tolerance(self, stated: float, size: object = 0.0, slack: object = 0.0) -> Tolerance:
        """``stated``, widened to :data:`ROUNDINGS` units in the last place of the class's number
        type times ``size`` (the magnitude of the result), plus ``slack`` (what an ε inside the
        log may take off a loss)."""
        rounding = ROUNDINGS * float(np.finfo(self.dtype).eps) * float(np.max(size))
        value = max(stated, rounding) + float(np.max(slack))
        if value == stated:
            return Tolerance(stated)
        reason = f"the rounding of {self.dtype.name} at this size"
        if float(np.max(slack)):
            reason += f", plus what an ε of at most {LOG_EPSILON:g} inside the log may take off"
        return Tolerance(value, reason)

    def seeds(self, first: int, last: int) -> range:
        return seeds_up_to(first, last, self.most_seeds)

    def build(self, inputs: int, seed: int, hidden: int = HIDDEN, classes: int = CLASSES):
        """A fresh instance; its weights come from NumPy's global generator, seeded here."""
        # The tutorial's class takes no seed: it draws from np.random. Seeding that global
        # generator is the only way to make its runs repeatable, so this is the one place in
        # scratchnet that calls np.random.seed.
        np.random.seed(seed)  # noqa: NPY002
        return self.cls(inputs, hidden, classes)

    def network(self, inputs: int, seed: int) -> object:
        return self.build(inputs, seed)

    def tutorial(self, inputs: int, seed: int) -> object:
        return self.build(inputs, seed)

    def parameter(self, network: object, name: str) -> np.ndarray:
        return np.asarray(getattr(network, name))

    def probabilities(self, network: object, X: np.ndarray) -> np.ndarray:
        return np.array(network.forward(X))

    def predict(self, network: object, X: np.ndarray) -> np.ndarray:
        return np.asarray(network.predict(X))

    def softmax(self, scores: np.ndarray) -> np.ndarray:
        """Softmax as the class's ``forward`` applies it: W1 = I, b1 = 0, W2 = scores, b2 = 0.

        Fed the identity matrix, row ``i`` of the network's scores is exactly ``scores[i]``
        (products with 0 and 1 are exact), so ``forward`` returns softmax of each row.
        """
        rows, classes = scores.shape
        network = self.build(rows, 0, hidden=rows, classes=classes)
        network.W1, network.b1 = np.eye(rows), np.zeros((1, rows))
        network.W2, network.b2 = np.array(scores, dtype=float), np.zeros((1, classes))
        return np.array(network.forward(np.eye(rows)))

    def loss(self, probabilities: np.ndarray, labels: np.ndarray) -> float:
        classes = probabilities.shape[1]
        network = self.build(classes, 0, hidden=1, classes=classes)
        return float(network.compute_loss(one_hot(labels, classes), probabilities))

    def gradients(self, network: object, X: np.ndarray, labels: np.ndarray) -> dict:
        """What one ``backward`` step at learning rate 1 subtracts from each parameter."""
        work = copy.deepcopy(network)
        before = {name: self.parameter(work, name).astype(np.float64) for name in TUTORIAL_NAMES}
        work.forward(X)
        work.backward(X, one_hot(labels, CLASSES), 1.0)
        return {name: before[name] - self.parameter(work, name) for name in TUTORIAL_NAMES}

    def gradient_errors(
        self, network: object, X: np.ndarray, labels: np.ndarray
    ) -> dict[str, GradientCheck]:
        """Backpropagation against central differences of :func:`reference_gradients`."""
        analytic = self.gradients(network, X, labels)
        weights = {name: self.parameter(network, name) for name in TUTORIAL_NAMES}
        numerical = reference_gradients(X, labels, **weights)
        checks = {}
        for name in TUTORIAL_NAMES:
            found, wanted = np.ravel(analytic[name]), np.ravel(numerical[name])
            if found.shape != wanted.shape:
                raise AssertionError(
                    f"backward changed the shape of {name}: it was {weights[name].shape},"
                    f" it is {np.shape(analytic[name])} after one step"
                )
            scale = np.linalg.norm(wanted) + np.linalg.norm(found)
            error = float(np.linalg.norm(wanted - found) / scale) if scale > 0 else 0.0
            ratio = float(found @ wanted / (wanted @ wanted)) if wanted.any() else None
            checks[name] = GradientCheck(error, ratio)
        return checks

    def step(self, tutorial: object, X: np.ndarray, labels: np.ndarray, rate: float) -> None:
        tutorial.forward(X)
        tutorial.backward(X, one_hot(labels, CLASSES), rate)

    def run(self, config: TrainConfig) -> RunResult:
        """Train on the digits as scratchnet's run with ``config`` would; see the class docs."""
        tutorial = TrainConfig(seed=config.seed, epochs=config.epochs)
        if config != tutorial:
            changed = {
                field.name: getattr(config, field.name)
                for field in dataclasses.fields(config)
                if getattr(config, field.name) != getattr(tutorial, field.name)
            }
            raise ValueError(
                f"a class with the tutorial's API trains only with the tutorial's settings; "
                f"this scenario changes {changed}"
            )
        dataset = dataset_for(config)
        network = self.build(dataset.n_features, config.seed)
        _, _, shuffling = generators(config.seed)
        X, Y = dataset.X_train, one_hot(dataset.y_train, CLASSES)
        history = History()
        for _ in range(config.epochs):
            total = 0.0
            for rows in minibatches(len(X), config.batch_size, shuffling):
                probabilities = np.asarray(network.forward(X[rows]), dtype=np.float64)
                total += len(rows) * mean_cross_entropy(probabilities, dataset.y_train[rows])
                network.backward(X[rows], Y[rows], config.learning_rate)
            history.train_loss.append(total / len(X))
        most_probable = np.argmax(self.probabilities(network, dataset.X_test), axis=1)
        test_accuracy = accuracy(dataset.y_test, most_probable)
        return RunResult(config, network, history, dataset, test_accuracy)

    @functools.cache  # noqa: B019 - one instance per test session, cached for that session
    def trained(self, config: TrainConfig) -> RunResult:
        return self.run(config)

    def trained_tutorial(self, config: TrainConfig) -> object:
        """The class trained by :meth:`trained`: its own ``predict`` is what gets checked."""
        return self.trained(config).network

    def watch_training(
        self, X: np.ndarray, labels: np.ndarray, epochs: int, batch_size: int, seed: int
    ) -> TrainingWatch:
        """What the class's own ``train`` does, watched at each call of its ``backward``.

        Built and trained after ``np.random.seed(seed)``: its shuffles come from that generator.
        """
        classes = int(labels.max()) + 1
        network = self.build(X.shape[1], seed, hidden=8, classes=classes)
        watch = watch_backward(network)
        with contextlib.redirect_stdout(io.StringIO()):  # copies: a train may shuffle in place
            network.train(X.copy(), one_hot(labels, classes), epochs, batch_size)
        return watch

    @functools.cache  # noqa: B019 - one instance per test session, cached for that session
    def complete_example(self, seed: int) -> list[str]:
        """The tutorial's closing script with this class: its own ``train`` and ``predict``.

        The class's printed lines, then ``Test Accuracy: xx.xx%`` computed here from its
        predictions on the digits split scratchnet's run with ``seed`` uses (or a line
        saying why there is none, when ``predict`` gives no digit per row).
        """
        dataset = dataset_for(TrainConfig(seed=seed))
        network = self.build(dataset.n_features, seed)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            # A copy: a train may shuffle its rows in place.
            network.train(dataset.X_train.copy(), one_hot(dataset.y_train, CLASSES), 100, 32)
        lines = printed.getvalue().splitlines()
        predictions = self.predict(network, dataset.X_test)
        if predictions.shape != dataset.y_test.shape:
            return [
                *lines,
                f"predict returned shape {predictions.shape} for {len(dataset.y_test)} test rows,"
                f" where one digit per row, shape {dataset.y_test.shape}, was expected",
            ]
        test_accuracy = accuracy(dataset.y_test, predictions)
        return [*lines, f"Test Accuracy: {test_accuracy * 100:.2f}%"]


def mean_cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of −ln of each row's probability for its label, written out here (no floor)."""
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probabilities[np.arange(len(labels)), labels])))


def reference_gradients(
    X: np.ndarray, labels: np.ndarray, W1: object, b1: object, W2: object, b2: object
) -> dict[str, np.ndarray]:
    """Central differences (ε = 1e-6) of the tutorial's mean cross-entropy, in float64.

    The loss is written out here, from the weights alone (ReLU layer, softmax through
    log-sum-exp, mean over the rows), so that a mistake in the class's ``forward`` or
    ``compute_loss`` cannot hide one in its ``backward``. Nudging one entry of W1 or b1
    changes one hidden unit's column of Z1, nudging one of W2 or b2 one column of Z2, so
    every entry's two losses are computed at once, as arrays.
    """
    X = np.asarray(X, dtype=np.float64)
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in (W1, b1, W2, b2))
    epsilon, rows = 1e-6, np.arange(len(labels))
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2

    def loss(scores: np.ndarray) -> np.ndarray:
        """(..., rows, classes) → (...): mean cross-entropy over the rows."""
        top = scores.max(axis=-1, keepdims=True)
        log_total = top[..., 0] + np.log(np.exp(scores - top).sum(axis=-1))
        return (log_total - scores[..., rows, labels]).mean(axis=-1)

    def through_hidden(inputs: np.ndarray, sign: float) -> np.ndarray:
        """Z2 for every entry (i, j) nudged: Z1[:, j] += sign·ε·inputs[:, i]."""
        nudged = Z1.T[np.newaxis] + sign * epsilon * inputs.T[:, np.newaxis, :]
        change = np.maximum(nudged, 0.0) - A1.T[np.newaxis]
        return Z2 + change[..., np.newaxis] * W2[np.newaxis, :, np.newaxis, :]

    def at_output(inputs: np.ndarray, sign: float) -> np.ndarray:
        """Z2 for every entry (j, k) nudged: Z2[:, k] += sign·ε·inputs[:, j]."""
        columns = np.eye(Z2.shape[1])[np.newaxis, :, np.newaxis, :]
        return Z2 + sign * epsilon * inputs.T[:, np.newaxis, :, np.newaxis] * columns

    ones = np.ones((len(X), 1))
    nudges = {"W1": (through_hidden, X), "b1": (through_hidden, ones)}
    nudges |= {"W2": (at_output, A1), "b2": (at_output, ones)}
    return {
        name: (loss(nudge(inputs, 1.0)) - loss(nudge(inputs, -1.0))) / (2 * epsilon)
        for name, (nudge, inputs) in nudges.items()
    }


#: What the ``implementation`` fixture hands to the steps.
Implementation = Scratchnet | TutorialClass


@functools.cache
def implementation_for(spec: str | None) -> Implementation:
    """scratchnet's own network when ``spec`` is empty, else the class it names.

    One object per class for the whole session, whatever order the scenarios run in: the
    runs it caches (training, the complete example) belong to that class alone.
    """
    if not spec:
        return Scratchnet()
    return TutorialClass(load_class(spec), spec)
