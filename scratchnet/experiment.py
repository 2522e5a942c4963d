"""One training run on the digits or MNIST, described by a :class:`TrainConfig`.

This is what ``scratchnet train`` runs; the scenarios and the docs' plots
run it too, so all three report the same numbers for the same settings.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from scratchnet.data import Dataset, load_digits, load_mnist, train_test_split
from scratchnet.metrics import accuracy
from scratchnet.network import Network, mlp
from scratchnet.optimizers import make_optimizer
from scratchnet.training import EpochCallback, History, train
from scratchnet.validation import check_choice

DATASETS = ("digits", "mnist")
"""``digits``: scikit-learn's 8×8 digits, split with the run's seed. ``mnist``: the
28×28 MNIST files in ``data_dir``, with their official training and test splits."""


# --8<-- [start:config]
@dataclass(frozen=True)
class TrainConfig:
    """Every setting of a run. The defaults are the tutorial's."""

    hidden: tuple[int, ...] = (128,)
    activation: str = "relu"
    init: str = "tutorial"
    optimizer: str = "sgd"
    learning_rate: float = 0.01
    momentum: float = 0.9
    epochs: int = 100
    batch_size: int = 32
    seed: int = 0
    dtype: str = "float64"
    l2: float = 0.0
    dropout: float = 0.0
    clip_norm: float | None = None
    gradients: str = "backprop"
    early_stopping: bool = False
    patience: int = 10
    validation_fraction: float = 0.1
    test_fraction: float = 0.2
    dataset: str = "digits"
    data_dir: str | None = None
    # --8<-- [end:config]

    def __post_init__(self) -> None:
        check_choice(self.dataset, DATASETS, "dataset")
        if self.dataset == "mnist" and not self.data_dir:
            raise ValueError("data_dir (--data-dir) must name the folder holding the MNIST files")

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> TrainConfig:
        """The settings among ``options`` (e.g. ``vars()`` of parsed command-line options).

        Args:
            options: Setting names mapped to values; names that are not settings are ignored.

        Returns:
            A configuration with those settings and the defaults for the rest.
        """
        settings = {name: options[name] for name in FIELD_NAMES if name in options}
        if "hidden" in settings:
            settings["hidden"] = tuple(settings["hidden"])
        return cls(**settings)

    def to_dict(self) -> dict:
        """The settings as JSON-able data (``hidden`` as a list).

        Returns:
            One entry per setting.
        """
        settings = asdict(self)
        settings["hidden"] = list(self.hidden)
        return settings


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


def dataset_for(config: TrainConfig) -> Dataset:
    """The data that a run with ``config`` trains and tests on.

    The digits are split with the run's seed; MNIST keeps its official split
    (``test_fraction`` does not apply) and its pixels are divided by 255.

    Args:
        config: The run's settings.

    Returns:
        The training and test data.
    """
    if config.dataset == "mnist":
        return load_mnist(config.data_dir, dtype=config.dtype)
    data_rng, _, _ = generators(config.seed)
    return load_digits(test_fraction=config.test_fraction, seed=data_rng, dtype=config.dtype)


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
) -> RunResult:
    """Load the data, build the network, train it and score it on the test split.

    Pass ``network=network_for(config, dataset_for(config))`` to keep hold of
    the network even when training stops with a ``DivergenceError``.

    Args:
        config: The run's settings.
        on_epoch_end: Called as ``on_epoch_end(epoch, history)`` after each epoch.
        network: The network to train; by default ``network_for(config, dataset)``.

    Returns:
        The trained network, its history, the data and the test accuracy.

    Raises:
        DivergenceError: the loss or the gradients stopped being finite.
    """
    started = time.perf_counter()
    dataset = dataset_for(config)
    if network is None:
        network = network_for(config, dataset)
    _, _, shuffle_rng = generators(config.seed)
    X_train, y_train, validation = dataset.X_train, dataset.y_train, None
    if config.early_stopping:
        X_train, X_val, y_train, y_val = train_test_split(
            X_train, y_train, test_fraction=config.validation_fraction, seed=shuffle_rng
        )
        validation = (X_val, y_val)
    history = train(
        network,
        X_train,
        y_train,
        optimizer=make_optimizer(config.optimizer, config.learning_rate, momentum=config.momentum),
        epochs=config.epochs,
        batch_size=config.batch_size,
        seed=shuffle_rng,
        validation=validation,
        l2=config.l2,
        clip_norm=config.clip_norm,
        gradients=config.gradients,
        patience=config.patience if config.early_stopping else None,
        on_epoch_end=on_epoch_end,
    )
    test_accuracy = accuracy(dataset.y_test, network.predict(dataset.X_test))
    seconds = time.perf_counter() - started
    return RunResult(config, network, history, dataset, test_accuracy, seconds)
