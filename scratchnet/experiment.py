"""One training run on the digits or MNIST, described by a :class:`TrainConfig`.

This is what ``scratchnet train`` runs; the scenarios and the docs' plots
run it too, so all three report the same numbers for the same settings.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

import numpy as np

from scratchnet.activations import ACTIVATIONS
from scratchnet.data import Dataset, Standardizer, load_digits, load_mnist, train_test_split
from scratchnet.initializers import INITIALIZERS
from scratchnet.metrics import accuracy
from scratchnet.network import Network, mlp
from scratchnet.optimizers import OPTIMIZERS, make_optimizer
from scratchnet.training import EpochCallback, History, train
from scratchnet.validation import (
    CLIP_NORM,
    COUNT,
    DECAY,
    DROPOUT,
    FLOAT_TYPES,
    FRACTION,
    L2,
    LEARNING_RATE,
    SEED,
    Choice,
    Constraint,
)

DATASETS = ("digits", "mnist")
"""``digits``: scikit-learn's 8×8 digits, split with the run's seed. ``mnist``: the
28×28 MNIST files in ``data_dir``, with their official training and test splits."""


def setting(
    default: Any,
    help: str,
    constraint: Constraint | None = None,
    *,
    flags: tuple[str, ...] = (),
    each: bool = False,
    metavar: str | None = None,
) -> Any:
    """A :class:`TrainConfig` field that carries everything its command-line option needs.

    Args:
        default: The setting's default (the tutorial's).
        help: What the setting does, for ``scratchnet train --help``.
        constraint: The values allowed (one of ``validation``'s constraints), checked when
            a configuration is made.
        flags: The option's spellings; by default ``--`` and the name with dashes.
        each: The setting is a tuple and ``constraint`` applies to each of its items.
        metavar: How the help names the option's value.

    Returns:
        A dataclass field.
    """
    metadata = {
        "help": help,
        "constraint": constraint,
        "flags": flags,
        "each": each,
        "metavar": metavar,
    }
    return field(default=default, metadata=metadata)


# --8<-- [start:config]
@dataclass(frozen=True)
class TrainConfig:
    """Every setting of a run, with its help text and limits. The defaults are the tutorial's."""

    hidden: tuple[int, ...] = setting(
        (128,), "width of each hidden layer", COUNT, each=True, metavar="N"
    )
    activation: str = setting("relu", "activation of the hidden layers", Choice(ACTIVATIONS))
    init: str = setting("tutorial", "weight initialisation", Choice(INITIALIZERS))
    optimizer: str = setting("sgd", "how the weights follow their gradients", Choice(OPTIMIZERS))
    learning_rate: float = setting(
        0.01, "learning rate", LEARNING_RATE, flags=("--lr", "--learning-rate")
    )
    momentum: float = setting(0.9, "momentum coefficient (momentum and nesterov only)", DECAY)
    epochs: int = setting(100, "passes over the data", COUNT)
    batch_size: int = setting(32, "rows per gradient step", COUNT)
    seed: int = setting(0, "seed for the split, the initial weights and the shuffling", SEED)
    dtype: str = setting(
        "float64", "floating-point type of the weights and data", Choice(FLOAT_TYPES)
    )
    l2: float = setting(0.0, "L2 weight decay strength", L2)
    dropout: float = setting(0.0, "dropout rate after each hidden layer", DROPOUT)
    clip_norm: float | None = setting(None, "clip gradients to this global norm", CLIP_NORM)
    early_stopping: bool = setting(
        False, "hold out part of the training set and stop when its loss stalls"
    )
    patience: int = setting(10, "epochs without improvement before early stopping", COUNT)
    validation_fraction: float = setting(
        0.1, "share of the training rows held out for early stopping", FRACTION
    )
    test_fraction: float = setting(0.2, "share of the digits held out for testing", FRACTION)
    dataset: str = setting(
        "digits",
        "scikit-learn's 8×8 digits, or MNIST's 28×28 digits read from --data-dir",
        Choice(DATASETS),
    )
    data_dir: str | None = setting(
        None, "folder holding the MNIST files (IDX or CSV, see the README)", metavar="DIR"
    )
    # --8<-- [end:config]

    def __post_init__(self) -> None:
        for setting_field in fields(self):
            constraint = setting_field.metadata["constraint"]
            value = getattr(self, setting_field.name)
            if constraint is None:
                continue
            if setting_field.metadata["each"]:
                for index, item in enumerate(value):
                    constraint.check(item, f"{setting_field.name}[{index}]")
            else:
                constraint.check(value, setting_field.name)
        if self.dataset == "mnist" and not self.data_dir:
            raise ValueError("data_dir must name the folder holding the MNIST files")

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> TrainConfig:
        """The settings among ``options`` (e.g. ``vars()`` of parsed command-line options).

        Args:
            options: Setting names mapped to values; names that are not settings are ignored.

        Returns:
            A configuration with those settings and the defaults for the rest.
        """
        settings = {
            setting.name: tuple(value) if setting.metadata["each"] else value
            for setting in fields(cls)
            if (value := options.get(setting.name, MISSING)) is not MISSING
        }
        return cls(**settings)

    def to_dict(self) -> dict:
        """The settings as JSON-able data (tuples such as ``hidden`` as lists).

        Returns:
            One entry per setting.
        """
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(self).items()
        }


FIELD_NAMES = tuple(field.name for field in fields(TrainConfig))
"""The names of the settings, in declaration order."""


@dataclass
class RunResult:
    """What a run produced: the trained network, its history and its test accuracy."""

    config: TrainConfig
    network: Network
    history: History
    dataset: Dataset
    test_accuracy: float
    seconds: float = field(default=0.0)

    def to_dict(self) -> dict:
        """The report ``scratchnet train --json`` prints.

        Returns:
            The test accuracy, the loss curves, the epochs run and the settings, as JSON-able
                data.
        """
        return {
            "test_accuracy": self.test_accuracy,
            "train_loss": self.history.train_loss,
            "validation_loss": self.history.validation_loss,
            "validation_accuracy": self.history.validation_accuracy,
            "epochs_run": self.history.epochs_run,
            "stopped_early": self.history.stopped_early,
            "seed": self.config.seed,
            "seconds": self.seconds,
            "config": self.config.to_dict(),
        }


def generators(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """Independent generators for the data split, the initial weights and the shuffling.

    Args:
        seed: The run's seed.

    Returns:
        Generators for the data split, the initial weights and the shuffling.
    """
    data, weights, shuffling = np.random.SeedSequence(seed).spawn(3)
    return (
        np.random.default_rng(data),
        np.random.default_rng(weights),
        np.random.default_rng(shuffling),
    )


def validation_generator(seed: int) -> np.random.Generator:
    """The generator that picks a run's validation rows, independent of :func:`generators`.

    Args:
        seed: The run's seed.

    Returns:
        A generator of its own (the fourth child of the seed; the first three are
            :func:`generators`').
    """
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[3])


@dataclass
class RunData(Dataset):
    """A :class:`Dataset` whose training rows leave out the validation rows, if any.

    ``X_val (batch, features)`` and ``y_val (batch,)`` are the rows early stopping
    watches, or ``None`` without early stopping.
    """

    X_val: np.ndarray | None = None
    y_val: np.ndarray | None = None

    @property
    def validation(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(X_val, y_val)``, or ``None`` without validation rows."""
        return None if self.X_val is None else (self.X_val, self.y_val)


# --8<-- [start:dataset_for]
def dataset_for(config: TrainConfig) -> RunData:
    """The data that a run with ``config`` trains, validates and tests on.

    The digits are split with the run's seed; MNIST keeps its official split
    (``test_fraction`` does not apply) and its pixels are divided by 255. With
    early stopping, ``validation_fraction`` of the training rows are held out
    *before* the digits' standardiser is fitted, so that it learns nothing from them.

    Args:
        config: The run's settings.

    Returns:
        The training, validation and test data.
    """
    if config.dataset == "mnist":
        data = load_mnist(config.data_dir, dtype=np.float64)
    else:
        data_rng, _, _ = generators(config.seed)
        data = load_digits(test_fraction=config.test_fraction, seed=data_rng, standardise=False)
    X_train, y_train, X_val, y_val = data.X_train, data.y_train, None, None
    if config.early_stopping:
        X_train, X_val, y_train, y_val = train_test_split(
            X_train,
            y_train,
            test_fraction=config.validation_fraction,
            seed=validation_generator(config.seed),
        )
    X_test, standardizer = data.X_test, None
    if config.dataset == "digits":
        standardizer = Standardizer().fit(X_train)
        X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)
        X_val = None if X_val is None else standardizer.transform(X_val)
    dtype = np.dtype(config.dtype)
    return RunData(
        X_train=X_train.astype(dtype),
        X_test=X_test.astype(dtype),
        y_train=y_train,
        y_test=data.y_test,
        standardizer=standardizer,
        images_test=data.images_test,
        X_val=None if X_val is None else X_val.astype(dtype),
        y_val=y_val,
    )


# --8<-- [end:dataset_for]


def network_for(config: TrainConfig, dataset: Dataset) -> Network:
    """The untrained network that a run with ``config`` starts from.

    Args:
        config: The run's settings.
        dataset: The data, for the number of inputs.

    Returns:
        A new, untrained network.
    """
    _, weights_rng, _ = generators(config.seed)
    return mlp(
        [dataset.n_features, *config.hidden, 10],
        activation=config.activation,
        init=config.init,
        dropout=config.dropout,
        seed=weights_rng,
        dtype=config.dtype,
    )


def run(
    config: TrainConfig,
    *,
    on_epoch_end: EpochCallback | None = None,
    network: Network | None = None,
    dataset: RunData | None = None,
) -> RunResult:
    """Load the data, build the network, train it and score it on the test split.

    Pass ``network=network_for(config, dataset_for(config))`` to keep hold of
    the network even when training stops with a ``DivergenceError``.

    Args:
        config: The run's settings.
        on_epoch_end: Called as ``on_epoch_end(epoch, history)`` after each epoch.
        network: The network to train; by default ``network_for(config, dataset)``.
        dataset: The data; by default ``dataset_for(config)``.

    Returns:
        The trained network, its history, the data and the test accuracy.

    Raises:
        DivergenceError: the loss or the gradients stopped being finite.
    """
    started = time.perf_counter()
    if dataset is None:
        dataset = dataset_for(config)
    if network is None:
        network = network_for(config, dataset)
    _, _, shuffle_rng = generators(config.seed)
    history = train(
        network,
        dataset.X_train,
        dataset.y_train,
        optimizer=make_optimizer(config.optimizer, config.learning_rate, momentum=config.momentum),
        epochs=config.epochs,
        batch_size=config.batch_size,
        seed=shuffle_rng,
        validation=dataset.validation,
        l2=config.l2,
        clip_norm=config.clip_norm,
        patience=config.patience if config.early_stopping else None,
        on_epoch_end=on_epoch_end,
    )
    test_accuracy = accuracy(dataset.y_test, network.predict(dataset.X_test))
    seconds = time.perf_counter() - started
    return RunResult(config, network, history, dataset, test_accuracy, seconds)
