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
from scratchnet.training import History
from scratchnet.tutorial import NeuralNetwork

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
    #: Parameters after one gradient step must equal the formula's result bit for bit.
    rounding = 0.0

    def network(self, inputs: int, seed: int) -> Network:
        return scratchnet_network(inputs, seed)

    def tutorial(self, inputs: int, seed: int) -> NeuralNetwork:
        return NeuralNetwork(inputs, HIDDEN, CLASSES, seed=seed)

    def parameter(self, network: Network, name: str) -> np.ndarray:
        return dict(network.named_parameters())[name]

    def probabilities(self, network: Network, X: np.ndarray) -> np.ndarray:
        return network.predict_proba(X)

    def predict(self, network: Network, X: np.ndarray) -> np.ndarray:
        return network.predict(X)

    def softmax(self, scores: np.ndarray) -> np.ndarray:
        return activations.softmax(scores)

    def loss(self, probabilities: np.ndarray, labels: np.ndarray) -> float:
        return cross_entropy(probabilities, labels)

    def gradient_errors(self, network: Network, X: np.ndarray, labels: np.ndarray) -> dict:
        return gradcheck(network, X, labels)

    def step(self, tutorial: NeuralNetwork, X: np.ndarray, labels: np.ndarray, rate: float) -> None:
        tutorial.forward(X)
        tutorial.backward(X, labels, learning_rate=rate)

    def run(self, config: TrainConfig) -> RunResult:
        return run(config)

    def trained(self, config: TrainConfig) -> RunResult:
        return scratchnet_run(config)

    def complete_example(self, seed: int) -> list[str]:
        return complete_example_output(seed)


class TutorialClass:
    """Any class with the tutorial's API, seeded through NumPy's global generator.

    What each stage measures:

    - the network "built with seed s" is ``np.random.seed(s)`` then ``cls(inputs, 128, 10)``;
    - gradients are read off one ``backward`` step at learning rate 1 (before − after)
      and compared with central differences of ``compute_loss``;
    - training (the training and prediction stages) is driven here, not by the class's own
      ``train``: the same digits split and the same order of mini-batches as scratchnet's runs
      with that seed, ``forward`` then ``backward`` at learning rate 0.01 per batch of 32; the
      loss recorded for an epoch is the mean of ``compute_loss`` over its batches, each taken
      before the batch's step and weighted by the batch's rows;
    - the complete example calls the class's own ``train`` and ``predict`` on that split.
    """

    #: A class may order the same arithmetic differently: "exactly" allows this relative rounding.
    rounding = 1e-12

    def __init__(self, cls: type, name: str) -> None:
        self.cls, self.name = cls, name

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
        before = {name: self.parameter(work, name).copy() for name in TUTORIAL_NAMES}
        work.forward(X)
        work.backward(X, one_hot(labels, CLASSES), 1.0)
        return {name: before[name] - self.parameter(work, name) for name in TUTORIAL_NAMES}

    def gradient_errors(self, network: object, X: np.ndarray, labels: np.ndarray) -> dict:
        """Relative error of backpropagation against central differences, per parameter."""
        epsilon, Y = 1e-6, one_hot(labels, CLASSES)
        analytic = self.gradients(network, X, labels)
        work = copy.deepcopy(network)

        def loss() -> float:
            return float(work.compute_loss(Y, work.forward(X)))

        errors = {}
        for name in TUTORIAL_NAMES:
            values = np.array(self.parameter(work, name), dtype=float)
            numerical = np.zeros_like(values)
            for index in np.ndindex(values.shape):
                original = values[index]
                values[index] = original + epsilon
                setattr(work, name, values)
                up = loss()
                values[index] = original - epsilon
                setattr(work, name, values)
                down = loss()
                values[index] = original
                numerical[index] = (up - down) / (2 * epsilon)
            setattr(work, name, values)
            difference = np.linalg.norm(numerical - analytic[name])
            scale = np.linalg.norm(numerical) + np.linalg.norm(analytic[name])
            errors[name] = float(difference / scale) if scale > 0 else 0.0
        return errors

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
            order, total = shuffling.permutation(len(X)), 0.0
            for start in range(0, len(X), config.batch_size):
                rows = order[start : start + config.batch_size]
                total += len(rows) * float(network.compute_loss(Y[rows], network.forward(X[rows])))
                network.backward(X[rows], Y[rows], config.learning_rate)
            history.train_loss.append(total / len(X))
        test_accuracy = accuracy(dataset.y_test, self.predict(network, dataset.X_test))
        return RunResult(config, network, history, dataset, test_accuracy)

    @functools.cache  # noqa: B019 - one instance per test session, cached for that session
    def trained(self, config: TrainConfig) -> RunResult:
        return self.run(config)

    @functools.cache  # noqa: B019 - one instance per test session, cached for that session
    def complete_example(self, seed: int) -> list[str]:
        """The tutorial's closing script with this class: its own ``train`` and ``predict``.

        The class's printed lines, then ``Test Accuracy: xx.xx%`` computed here from its
        predictions on the digits split scratchnet's run with ``seed`` uses.
        """
        dataset = dataset_for(TrainConfig(seed=seed))
        network = self.build(dataset.n_features, seed)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            network.train(dataset.X_train, one_hot(dataset.y_train, CLASSES), 100, 32)
        test_accuracy = accuracy(dataset.y_test, self.predict(network, dataset.X_test))
        return [*printed.getvalue().splitlines(), f"Test Accuracy: {test_accuracy * 100:.2f}%"]


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
