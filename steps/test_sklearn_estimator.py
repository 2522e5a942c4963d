"""Binds features/sklearn_estimator.feature: ScratchNetClassifier among scikit-learn's tools."""

from __future__ import annotations

import ast
import contextlib
import copy
import copyreg
import functools
import importlib.util
import io
import pickle
import runpy
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import numpy as np
import sklearn
from pytest_bdd import given, parsers, scenarios, then, when
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils._param_validation import InvalidParameterError

import scratchnet
from scratchnet.data import Dataset
from scratchnet.experiment import TrainConfig
from scratchnet.layers import Dense
from scratchnet.network import Network, mlp
from scratchnet.optimizers import Adam, Optimizer, make_optimizer
from scratchnet.sklearn import ACTIVATION_NAMES, ScratchNetClassifier
from scratchnet.training import DivergenceError, train
from steps.digits_steps import digits_split
from steps.math_steps import refusal
from steps.network_steps import seeds_between

scenarios("sklearn_estimator.feature")

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "grid_search.py"
#: The feature's classifier: 32 hidden units, Adam at 0.01, 5 epochs.
SETTINGS = {
    "hidden_layer_sizes": (32,),
    "solver": "adam",
    "learning_rate_init": 0.01,
    "max_iter": 5,
}
#: The feature's relabellings of the digits 0 to 9, each keeping their order.
LABELLINGS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "7, 17, ..., 97": lambda digits: 10 * digits + 7,
    '"digit 0" to "digit 9"': lambda digits: np.char.add("digit ", digits.astype(str)),
}


def digits() -> Dataset:
    return digits_split(0)


def classifier(**changes: object) -> ScratchNetClassifier:
    return ScratchNetClassifier(**{**SETTINGS, **changes})


def all_weights(model: ScratchNetClassifier) -> list[np.ndarray]:
    return [*model.coefs_, *model.intercepts_]


@functools.cache
def grid_search_example() -> tuple[GridSearchCV, list[str]]:
    """The documentation's example, run once per session: its search and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        namespace = runpy.run_path(str(EXAMPLE), run_name="__main__")
    return namespace["search"], printed.getvalue().splitlines()


@when("a fresh Python process imports scratchnet", target_fixture="loaded")
def fresh_import() -> set[str]:
    """The top-level names of every module loaded once ``import scratchnet`` has run."""
    code = "import sys, scratchnet; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return {name.partition(".")[0] for name in done.stdout.split()}


@then("NumPy is among its loaded modules")
def numpy_loaded(loaded: set[str]) -> None:
    assert "numpy" in loaded, f"numpy is not among the loaded modules: {sorted(loaded)}"


@then(parsers.parse("none of {first}, {second} and {third} is"))
def none_loaded(loaded: set[str], first: str, second: str, third: str) -> None:
    found = [name for name in (first, second, third) if name in loaded]
    assert not found, f"import scratchnet loaded {found}"


@then(parsers.parse("{names} and {last} are installed, so their absence is scratchnet's doing"))
def installed(names: str, last: str) -> None:
    modules = [*names.split(", "), last]
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    assert not missing, f"not installed here, so their absence proves nothing: {missing}"


@when("the grid-search example from the documentation is run", target_fixture="search")
def run_grid_search() -> GridSearchCV:
    return grid_search_example()[0]


@then(parsers.parse("it tried {settings:d} settings, each on {folds:d} folds"))
def tried_settings(search: GridSearchCV, settings: int, folds: int) -> None:
    assert len(search.cv_results_["params"]) == settings
    assert search.n_splits_ == folds


@then(parsers.parse("the best settings have {hidden:d} hidden units and alpha {alpha:g}"))
def best_settings(search: GridSearchCV, hidden: int, alpha: float) -> None:
    assert search.best_params_ == {
        "scratchnetclassifier__alpha": alpha,
        "scratchnetclassifier__hidden_layer_sizes": (hidden,),
    }, search.best_params_


@then(parsers.parse("the best cross-validated accuracy is above {percent:g}%"))
def best_score_above(search: GridSearchCV, percent: float) -> None:
    assert search.best_score_ > percent / 100, f"{search.best_score_:.4f}"


@then(parsers.parse("it reports a test accuracy above {percent:g}%"))
def reported_test_accuracy(percent: float) -> None:
    last = grid_search_example()[1][-1]
    assert last.startswith("Test accuracy: "), f"last line printed: {last!r}"
    assert float(last.removeprefix("Test accuracy: ")) > percent / 100, last


@when(
    parsers.parse(
        "a pipeline of StandardScaler and the classifier is cross-validated on the digits "
        "in {folds:d} folds with each seed from {first:d} to {last:d}"
    ),
    target_fixture="fold_scores",
)
def cross_validated(folds: int, first: int, last: int) -> dict[int, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    return {
        seed: cross_val_score(
            make_pipeline(StandardScaler(), classifier(random_state=seed)), X, y, cv=folds
        )
        for seed in seeds_between(first, last)
    }


@then(parsers.parse("every fold's accuracy is above {percent:g}%"))
def every_fold_above(fold_scores: dict[int, np.ndarray], percent: float) -> None:
    low = {seed: scores.round(4).tolist() for seed, scores in fold_scores.items()}
    assert all(min(scores) > percent / 100 for scores in fold_scores.values()), low


@given(parsers.parse("the classifier trained with seed {seed:d}"), target_fixture="model")
def trained_classifier(seed: int) -> ScratchNetClassifier:
    return classifier(random_state=seed).fit(digits().X_train, digits().y_train)


@given(
    parsers.parse(
        "the classifier trained with a generator seeded the legacy way, with seed {seed:d}"
    ),
    target_fixture="model",
)
def trained_with_legacy_generator(seed: int) -> ScratchNetClassifier:
    bit_generator = np.random.MT19937()
    bit_generator._legacy_seeding(seed)  # as RandomState(seed) seeds its own MT19937
    assert bit_generator.seed_seq is None
    model = classifier(random_state=np.random.Generator(bit_generator))
    return model.fit(digits().X_train, digits().y_train)


@given(
    parsers.parse("the classifier trained in {dtype} with seed {seed:d}"), target_fixture="model"
)
def trained_classifier_in(dtype: str, seed: int) -> ScratchNetClassifier:
    return classifier(random_state=seed, dtype=dtype).fit(digits().X_train, digits().y_train)


@when("it is pickled and unpickled", target_fixture="copy")
def pickled(model: ScratchNetClassifier) -> ScratchNetClassifier:
    return pickled_copy(model)


def generator_as_numpy_1(bit_generator: str, state: dict) -> np.random.Generator:
    """A generator as NumPy before 2.0 rebuilds a pickled or copied one: the same state,
    but a fresh seed sequence of random entropy."""
    fresh = getattr(np.random, bit_generator)()
    fresh.state = state
    return np.random.Generator(fresh)


def as_numpy_1(copier: Callable[[object], object]) -> Callable[[object], object]:
    """``copier``, with every Generator it meets pickled or copied as NumPy 1 did."""

    def reduce(rng: np.random.Generator) -> tuple:
        return generator_as_numpy_1, (type(rng.bit_generator).__name__, rng.bit_generator.state)

    def copied(thing: object) -> object:
        # pickle and copy both look a type up in copyreg's table before its own __reduce__.
        with mock.patch.dict(copyreg.dispatch_table, {np.random.Generator: reduce}):
            return copier(thing)

    return copied


def pickled_copy(thing: object) -> object:
    """``thing`` pickled and unpickled."""
    return pickle.loads(pickle.dumps(thing))


#: Ways a scenario can copy the classifier, by the words it names them with.
COPIES = {
    "pickled and unpickled": pickled_copy,
    "deep-copied": copy.deepcopy,
    "pickled and unpickled as NumPy 1 pickles generators": as_numpy_1(pickled_copy),
    "deep-copied as NumPy 1 copies generators": as_numpy_1(copy.deepcopy),
}


#: Random numbers a scenario can give the classifier, by the words it names them with.
RANDOM_STATES = {
    "seed 0": lambda: 0,
    "a generator spawned from seed 0": lambda: np.random.default_rng(0).spawn(1)[0],
    "a generator of seed 0 with an entropy pool of 8": lambda: np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(0, pool_size=8))
    ),
}


@when(
    parsers.parse(
        "the classifier with dropout {dropout:g} is trained for {first:d} epoch with {random} "
        "and {copied}, then the copy and the original are both set to dropout {later:g} and "
        "trained for {more:d} more with warm_start"
    ),
    target_fixture="pair",
)
def copied_then_trained(
    dropout: float, first: int, random: str, copied: str, later: float, more: int
) -> tuple:
    X, y = digits().X_train, digits().y_train
    settings = {"dropout": dropout, "max_iter": first, "warm_start": True}
    original = classifier(**settings, random_state=RANDOM_STATES[random]()).fit(X, y)
    duplicate = COPIES[copied](original)
    for model in (original, duplicate):
        model.set_params(dropout=later, max_iter=more).fit(X, y)
    return original, duplicate


@then("the copy's weights and loss curve are exactly the original's")
def copy_trained_alike(pair: tuple) -> None:
    pair_same_weights(pair)
    pair_same_curve(pair)


@then("the copy has the same attributes as the original")
def copy_same_attributes(pair: tuple) -> None:
    original, duplicate = pair
    assert sorted(vars(duplicate)) == sorted(vars(original)), (vars(duplicate), vars(original))


@then("the copy gives exactly the same class probabilities")
def copy_same(model: ScratchNetClassifier, copy: ScratchNetClassifier) -> None:
    X = digits().X_test
    assert np.array_equal(copy.predict_proba(X), model.predict_proba(X))


@when(
    parsers.parse(
        "a classifier with the same settings is trained on the same digits labelled {labels}"
    ),
    target_fixture="relabelled",
)
def relabelled_classifier(model: ScratchNetClassifier, labels: str) -> tuple:
    relabel = LABELLINGS[labels]
    again = classifier(random_state=model.random_state)
    return again.fit(digits().X_train, relabel(digits().y_train)), relabel


@then("its classes are the labels of the digits 0 to 9, in that order")
def classes_in_order(relabelled: tuple) -> None:
    again, relabel = relabelled
    assert np.array_equal(again.classes_, relabel(np.arange(10))), again.classes_


@then("it predicts the same digits, in those labels")
def same_digits(model: ScratchNetClassifier, relabelled: tuple) -> None:
    again, relabel = relabelled
    X = digits().X_test
    assert np.array_equal(again.predict(X), relabel(model.predict(X)))


@when("zeros are written into every array of coefs_ and intercepts_")
def write_zeros(model: ScratchNetClassifier) -> None:
    for array in all_weights(model):
        array[...] = 0.0


@then(parsers.parse("every class gets probability {probability:g} for every test digit"))
def uniform(model: ScratchNetClassifier, probability: float) -> None:
    assert np.all(model.predict_proba(digits().X_test) == probability)


@when(
    parsers.parse(
        "a classifier trained with seed {seed:d} is given new lists of copies of those weights"
    ),
    target_fixture="other",
)
def given_weights(model: ScratchNetClassifier, seed: int) -> ScratchNetClassifier:
    other = trained_classifier(seed)
    other.coefs_ = [W.copy() for W in model.coefs_]
    other.intercepts_ = [b.copy() for b in model.intercepts_]
    return other


@then("both give exactly the same class probabilities")
def same_probabilities(model: ScratchNetClassifier, other: ScratchNetClassifier) -> None:
    X = digits().X_test
    assert np.array_equal(other.predict_proba(X), model.predict_proba(X))


@given(
    parsers.parse(
        "the classifier set to plain SGD at learning rate {rate:g}, with dropout {dropout:g} "
        "in {dtype}"
    ),
    target_fixture="settings",
)
def plain_sgd(rate: float, dropout: float, dtype: str) -> dict[str, object]:
    return {"solver": "sgd", "learning_rate_init": rate, "dropout": dropout, "dtype": dtype}


@when(
    parsers.parse(
        "it is trained for {first:d} epochs with seed {seed:d} and then "
        "for {more:d} more with warm_start"
    ),
    target_fixture="pair",
)
def warm_started(settings: dict[str, object], first: int, seed: int, more: int) -> tuple:
    X, y = digits().X_train, digits().y_train
    warm = classifier(**settings, max_iter=first, random_state=seed, warm_start=True).fit(X, y)
    warm.set_params(max_iter=more).fit(X, y)
    whole = classifier(**settings, max_iter=first + more, random_state=seed).fit(X, y)
    return warm, whole


@then(parsers.parse("its weights are exactly those of {epochs:d} epochs in one fit"))
def warm_same_weights(pair: tuple, epochs: int) -> None:
    assert pair[1].max_iter == epochs
    assert all(np.array_equal(a, b) for a, b in zip(*map(all_weights, pair), strict=True))


@when(
    parsers.parse(
        "the classifier is trained once for {epochs:d} epochs and once by {calls:d} calls "
        "of partial_fit, both with seed {seed:d}"
    ),
    target_fixture="pair",
)
def fit_and_partial_fit(epochs: int, calls: int, seed: int) -> tuple:
    X, y = digits().X_train, digits().y_train
    whole = classifier(max_iter=epochs, random_state=seed).fit(X, y)
    stepwise = classifier(random_state=seed)
    for _ in range(calls):
        stepwise.partial_fit(X, y, classes=np.arange(10))
    return stepwise, whole


@then("both end at exactly the same weights")
def pair_same_weights(pair: tuple) -> None:
    assert all(np.array_equal(a, b) for a, b in zip(*map(all_weights, pair), strict=True))


@then("both have the same loss curve")
def pair_same_curve(pair: tuple) -> None:
    first, second = pair
    assert len(first.loss_curve_) > 0 and first.loss_curve_ == second.loss_curve_


@when("partial_fit is first called without classes", target_fixture="refused")
def partial_fit_without_classes() -> Exception | None:
    return refusal(lambda: classifier().partial_fit(digits().X_train, digits().y_train))


@when(
    parsers.parse(
        "the classifier is trained with dtype float32 and with float64, "
        "with each seed from {first:d} to {last:d}"
    ),
    target_fixture="by_dtype",
)
def both_dtypes(first: int, last: int) -> dict[int, tuple]:
    X, y = digits().X_train, digits().y_train
    return {
        seed: tuple(
            classifier(random_state=seed, dtype=dtype).fit(X, y) for dtype in ("float32", "float64")
        )
        for seed in seeds_between(first, last)
    }


@then("the float32 weights, biases and probabilities are all float32")
def all_float32(by_dtype: dict[int, tuple]) -> None:
    for single, _ in by_dtype.values():
        arrays = [*all_weights(single), single.predict_proba(digits().X_test)]
        assert {array.dtype for array in arrays} == {np.dtype(np.float32)}


@then(parsers.parse("the two loss curves agree to within {tolerance:g}"))
def dtype_curves(by_dtype: dict[int, tuple], tolerance: float) -> None:
    gaps = {
        seed: np.abs(np.subtract(single.loss_curve_, double.loss_curve_)).max()
        for seed, (single, double) in by_dtype.items()
    }
    assert max(gaps.values()) <= tolerance, gaps


@then(parsers.parse("the two give the same class probabilities to within {tolerance:g}"))
def dtype_probabilities(by_dtype: dict[int, tuple], tolerance: float) -> None:
    X = digits().X_test
    gaps = {
        seed: np.abs(single.predict_proba(X) - double.predict_proba(X)).max()
        for seed, (single, double) in by_dtype.items()
    }
    assert max(gaps.values()) <= tolerance, gaps


# ------------------------------------------------- scratchnet's own settings
#: Where scratchnet's own network and loop take each setting: ``mlp`` builds the network
#: with dropout and init, ``train`` runs it with clip_norm and the batch size.
NETWORK_SETTINGS = ("dropout", "init")


def setting_value(parameter: str, value: str) -> object:
    """The feature's value as the classifier takes it: a number, or a name."""
    try:
        return float(value)
    except ValueError:
        return value


def hidden_sizes(text: str) -> tuple[int, ...]:
    """``"32, 16"`` → ``(32, 16)``."""
    return tuple(int(size) for size in text.split(","))


class SettingRun(NamedTuple):
    """The classifier trained with one setting, by seed, and how it was set up."""

    hidden: tuple[int, ...]
    parameter: str
    value: object
    models: dict[int, ScratchNetClassifier]
    dtype: str = "float64"


@when(
    parsers.parse(
        "the classifier with hidden layers {hidden} is trained in {dtype} with {parameter} "
        "{value}, with each seed from {first:d} to {last:d}"
    ),
    target_fixture="setting_run",
)
def trained_with_setting(
    hidden: str, parameter: str, value: str, first: int, last: int, dtype: str = "float64"
):
    sizes, chosen = hidden_sizes(hidden), setting_value(parameter, value)
    X, y = digits().X_train, digits().y_train
    models = {
        seed: classifier(
            hidden_layer_sizes=sizes, random_state=seed, dtype=dtype, **{parameter: chosen}
        ).fit(X, y)
        for seed in seeds_between(first, last)
    }
    return SettingRun(sizes, parameter, chosen, models, dtype)


@when(
    parsers.parse(
        "the classifier with hidden layers {hidden} is trained with {parameter} {value} "
        "and seed {seed:d}"
    ),
    target_fixture="setting_run",
)
def trained_with_setting_and_seed(hidden: str, parameter: str, value: str, seed: int):
    return trained_with_setting(hidden, parameter, value, seed, seed)


def scratchnet_reference(run: SettingRun, seed: int) -> tuple[list[np.ndarray], list[float]]:
    """The same training by hand with scratchnet's ``mlp`` and ``train``: weights, epoch losses.

    One generator seeded with ``seed`` draws the starting weights, then the batch
    orders (``mlp`` gives each dropout layer a child of it); Adam at the feature's
    learning rate, the feature's epochs, batches of 32 unless "auto" asks for min(200, rows).
    """
    X = digits().X_train
    network_settings = {"dropout": 0.0, "init": "tutorial", "dtype": run.dtype}
    training_settings: dict[str, object] = {"batch_size": 32, "clip_norm": None}
    if run.parameter in NETWORK_SETTINGS:
        network_settings[run.parameter] = run.value
    elif run.parameter == "batch_size" and run.value == "auto":
        training_settings["batch_size"] = min(200, len(X))
    else:
        training_settings[run.parameter] = run.value
    rng = np.random.default_rng(seed)
    network = mlp([X.shape[1], *run.hidden, 10], seed=rng, **network_settings)
    losses = trained_by_hand(
        network, rng, Adam(SETTINGS["learning_rate_init"]), **training_settings
    )
    weights = [value for name, value in network.named_parameters() if name.startswith("W")]
    return weights, losses


def trained_by_hand(
    network: Network,
    rng: np.random.Generator,
    optimizer: Optimizer,
    *,
    epochs: int = SETTINGS["max_iter"],
    batch_size: int = 32,
    clip_norm: float | None = None,
) -> list[float]:
    """``network`` trained by scratchnet's ``train`` on the digits, batch orders from ``rng``:
    the loss of each epoch."""
    X, y = digits().X_train, digits().y_train
    history = train(
        network,
        X,
        y,
        optimizer=optimizer,
        epochs=epochs,
        seed=rng,
        batch_size=batch_size,
        clip_norm=clip_norm,
    )
    return history.train_loss


@then(
    "its weights and loss curve are exactly those of scratchnet's network trained with "
    "that setting from the same seed"
)
def same_as_scratchnet(setting_run: SettingRun) -> None:
    for seed, model in setting_run.models.items():
        weights, losses = scratchnet_reference(setting_run, seed)
        differ = [
            f"W{number}"
            for number, (ours, reference) in enumerate(zip(model.coefs_, weights, strict=True), 1)
            if not np.array_equal(ours, reference)
        ]
        assert not differ, f"seed {seed}: {differ} differ from scratchnet's own training"
        assert model.loss_curve_ == losses, f"seed {seed}: {model.loss_curve_} != {losses}"


@then("its weights differ from those of the same classifier trained without the setting")
def differs_without(setting_run: SettingRun) -> None:
    X, y = digits().X_train, digits().y_train
    for seed, model in setting_run.models.items():
        plain = classifier(
            hidden_layer_sizes=setting_run.hidden, random_state=seed, dtype=setting_run.dtype
        ).fit(X, y)
        assert not all(
            np.array_equal(a, b)
            for a, b in zip(all_weights(model), all_weights(plain), strict=True)
        ), f"seed {seed}: {setting_run.parameter} {setting_run.value} changed nothing"


#: The hidden units the scenarios compute by hand, by scikit-learn's name.
UNITS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
}


def probabilities_by_hand(model: ScratchNetClassifier, X: np.ndarray, units: str) -> np.ndarray:
    """The softmax of a one-hidden-layer classifier's weights applied to ``X``, every unit kept."""
    (W1, W2), (b1, b2) = model.coefs_, model.intercepts_
    logits = UNITS[units](X @ W1 + b1) @ W2 + b2
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


@then(
    parsers.parse(
        "on two calls in a row it gives the probabilities of its weights with every unit kept, "
        "to within {tolerance:g}"
    )
)
def predicts_without_dropout(setting_run: SettingRun, tolerance: float) -> None:
    X = digits().X_test
    for seed, model in setting_run.models.items():
        kept = probabilities_by_hand(model, X, "relu")
        for call in (1, 2):
            gap = np.abs(model.predict_proba(X) - kept).max()
            assert gap <= tolerance, f"seed {seed}, call {call}: {gap:.3g} from every unit kept"


@when(
    parsers.parse("the classifier is trained with random_state a RandomState seeded with {seed:d}"),
    target_fixture="pair",
)
def trained_with_random_state(seed: int) -> tuple:
    X, y = digits().X_train, digits().y_train
    drawn = int(np.random.RandomState(seed).randint(2**31 - 1))
    model = classifier(random_state=np.random.RandomState(seed)).fit(X, y)
    return model, classifier(random_state=drawn).fit(X, y)


@then(
    "its weights are exactly those of the classifier trained with the first number "
    "that RandomState draws below 2³¹ − 1"
)
def same_as_drawn_seed(pair: tuple) -> None:
    pair_same_weights(pair)


#: How scratchnet's core checks each of the classifier's settings: the run's settings
#: (TrainConfig) where it has the setting, Adam for Adam's own.
CORE_CHECKS: dict[str, Callable[[object], object]] = {
    "learning_rate_init": lambda value: TrainConfig(learning_rate=value),
    "momentum": lambda value: TrainConfig(momentum=value),
    "beta_1": lambda value: Adam(beta1=value),
    "beta_2": lambda value: Adam(beta2=value),
    "epsilon": lambda value: Adam(epsilon=value),
    "alpha": lambda value: TrainConfig(l2=value),
    "dropout": lambda value: TrainConfig(dropout=value),
    "clip_norm": lambda value: TrainConfig(clip_norm=value),
    "max_iter": lambda value: TrainConfig(epochs=value),
    "batch_size": lambda value: TrainConfig(batch_size=value),
    "hidden_layer_sizes": lambda value: TrainConfig(hidden=(value,)),
    "solver": lambda value: TrainConfig(optimizer=value),
    "activation": lambda value: TrainConfig(activation=value),
    "init": lambda value: TrainConfig(init=value),
    "dtype": lambda value: TrainConfig(dtype=value),
}


class Verdicts(NamedTuple):
    """What scikit-learn's parameter validation and scratchnet's core made of one value."""

    setting: str
    sklearn: Exception | None
    core: Exception | None


def python_value(text: str) -> object:
    """The Python value a cell spells, whole numbers as int (unlike ``setting_value``): a
    number, None, else the text itself."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


@when(
    parsers.parse(
        "scikit-learn's parameter validation checks the classifier with {parameter} {value}"
    ),
    target_fixture="verdicts",
)
def validate_setting(parameter: str, value: str) -> Verdicts:
    given = python_value(value)
    model = ScratchNetClassifier(**{parameter: given})
    return Verdicts(
        parameter, refusal(model._validate_params), refusal(lambda: CORE_CHECKS[parameter](given))
    )


@then(
    parsers.parse(
        "it {verdict} the value, and scratchnet's own check of that setting {again} it too"
    )
)
def same_verdicts(verdicts: Verdicts, verdict: str, again: str) -> None:
    assert verdict == again and verdict in ("accepts", "refuses"), verdict
    if verdict == "accepts":
        assert verdicts.sklearn is None, f"scikit-learn refused it: {verdicts.sklearn}"
        assert verdicts.core is None, f"scratchnet refused it: {verdicts.core}"
    else:
        assert isinstance(verdicts.sklearn, InvalidParameterError), (
            f"scikit-learn did not refuse it: {verdicts.sklearn!r}"
        )
        assert f"'{verdicts.setting}' parameter" in str(verdicts.sklearn), verdicts.sklearn
        assert verdicts.core is not None, "scratchnet's own check accepted it"


# ------------------------------------------------------ fitted attributes, verbose
class Snapshot(NamedTuple):
    """What a fitted classifier's attributes say about its network and its training."""

    layers: int
    outputs: int
    out_activation: str
    epochs_run: int
    losses: int


def snapshot(model: ScratchNetClassifier) -> Snapshot:
    return Snapshot(
        model.n_layers_,
        model.n_outputs_,
        model.out_activation_,
        model.n_iter_,
        len(model.loss_curve_),
    )


@when(
    parsers.parse(
        "the classifier with hidden layers {hidden} is trained for {epochs:d} epochs "
        "and then once by partial_fit"
    ),
    target_fixture="snapshots",
)
def fit_then_partial_fit(hidden: str, epochs: int) -> tuple[Snapshot, Snapshot]:
    X, y = digits().X_train, digits().y_train
    model = classifier(hidden_layer_sizes=hidden_sizes(hidden), max_iter=epochs, random_state=0)
    after_fit = snapshot(model.fit(X, y))
    return after_fit, snapshot(model.partial_fit(X, y))


@then(
    parsers.parse(
        "after the fit it has {layers:d} layers, {outputs:d} softmax outputs, "
        "{epochs:d} epochs run and {losses:d} losses recorded"
    )
)
def after_fit(snapshots: tuple, layers: int, outputs: int, epochs: int, losses: int) -> None:
    assert snapshots[0] == Snapshot(layers, outputs, "softmax", epochs, losses), snapshots[0]


@then(
    parsers.parse(
        "after the partial_fit it has {epochs:d} epoch run and {losses:d} losses recorded"
    )
)
def after_partial_fit(snapshots: tuple, epochs: int, losses: int) -> None:
    assert snapshots[1][3:] == (epochs, losses), snapshots[1]


@when(
    parsers.parse("the classifier is trained for {epochs:d} epochs with verbose on"),
    target_fixture="verbose_run",
)
def trained_verbose(epochs: int) -> tuple[ScratchNetClassifier, list[str]]:
    printed = io.StringIO()
    model = classifier(max_iter=epochs, random_state=0, verbose=True)
    with contextlib.redirect_stdout(printed):
        model.fit(digits().X_train, digits().y_train)
    return model, printed.getvalue().splitlines()


@then(
    'it printed "Iteration <epoch>, loss = <loss>" for each epoch, '
    "with its loss_curve_ value to 8 decimals"
)
def printed_each_epoch(verbose_run: tuple) -> None:
    model, printed = verbose_run
    expected = [
        f"Iteration {epoch}, loss = {loss:.8f}" for epoch, loss in enumerate(model.loss_curve_, 1)
    ]
    assert len(expected) == model.max_iter and printed == expected, printed


# ------------------------------------------------------------ settings and solvers
@when(
    parsers.parse(
        "the classifier is trained with hidden_layer_sizes {number:d} and with ({same:d},), "
        "both with seed {seed:d}"
    ),
    target_fixture="pair",
)
def trained_with_a_number(number: int, same: int, seed: int) -> tuple:
    X, y = digits().X_train, digits().y_train
    as_number = classifier(hidden_layer_sizes=number, random_state=seed).fit(X, y)
    return as_number, classifier(hidden_layer_sizes=(same,), random_state=seed).fit(X, y)


class SolverRun(NamedTuple):
    """The classifier trained with one solver, and the seed it was given."""

    seed: int
    model: ScratchNetClassifier


#: The feature's solver runs are short: 2 epochs.
SOLVER_EPOCHS = 2


@when(
    parsers.parse(
        "the classifier is trained with solver {solver}, momentum {momentum:g} "
        "and nesterovs_momentum {nesterov}, with seed {seed:d}"
    ),
    target_fixture="solver_run",
)
def trained_with_solver(solver: str, momentum: float, nesterov: str, seed: int) -> SolverRun:
    model = classifier(
        solver=solver,
        momentum=momentum,
        nesterovs_momentum=nesterov == "True",
        max_iter=SOLVER_EPOCHS,
        random_state=seed,
    )
    return SolverRun(seed, model.fit(digits().X_train, digits().y_train))


def optimizer_named(text: str) -> Optimizer:
    """``"plain SGD"``, ``"adam"`` or ``"nesterov with momentum 0.5"`` at the feature's rate."""
    name, _, momentum = text.partition(" with momentum ")
    name = {"plain SGD": "sgd"}.get(name, name)
    rate = SETTINGS["learning_rate_init"]
    return (
        make_optimizer(name, rate, momentum=float(momentum))
        if momentum
        else make_optimizer(name, rate)
    )


@then(
    parsers.parse(
        "its weights and loss curve are exactly those of scratchnet's network trained by "
        "{optimizer} from the same seed"
    )
)
def same_as_optimizer(solver_run: SolverRun, optimizer: str) -> None:
    rng = np.random.default_rng(solver_run.seed)
    network = mlp([digits().X_train.shape[1], *SETTINGS["hidden_layer_sizes"], 10], seed=rng)
    losses = trained_by_hand(network, rng, optimizer_named(optimizer), epochs=SOLVER_EPOCHS)
    assert_same_training(solver_run.model, network, losses)


def assert_same_training(model: ScratchNetClassifier, network: Network, losses: list[float]):
    """The classifier holds ``network``'s weights and biases, in its dtype, and its loss curve
    is ``losses``."""
    dense = dense_layers(network)
    differ = [
        f"layer {number}"
        for number, (W, b, layer) in enumerate(
            zip(model.coefs_, model.intercepts_, dense, strict=True), 1
        )
        if not (
            np.array_equal(W, layer.parameters["W"])
            and np.array_equal(b, layer.parameters["b"].ravel())
            and (W.dtype, b.dtype) == (layer.parameters["W"].dtype, layer.parameters["b"].dtype)
        )
    ]
    assert not differ, f"{differ} differ from scratchnet's own training"
    assert model.loss_curve_ == losses, f"{model.loss_curve_} != {losses}"


# ------------------------------------------------------- settings changed after a fit
class ChangedRun(NamedTuple):
    """A classifier trained, given a new setting, and trained on with warm_start."""

    hidden: tuple[int, ...]
    seed: int
    epochs: tuple[int, int]
    parameter: str
    value: object
    model: ScratchNetClassifier


@when(
    parsers.parse(
        "the classifier with hidden layers {hidden} is trained for {first:d} epochs with seed "
        "{seed:d}, then set to {parameter} {value} and trained for {more:d} more with warm_start"
    ),
    target_fixture="changed_run",
)
def changed_after_fit(
    hidden: str, first: int, seed: int, parameter: str, value: str, more: int
) -> ChangedRun:
    X, y = digits().X_train, digits().y_train
    sizes, chosen = hidden_sizes(hidden), setting_value(parameter, value)
    model = classifier(hidden_layer_sizes=sizes, max_iter=first, random_state=seed).fit(X, y)
    model.set_params(**{parameter: chosen}, max_iter=more, warm_start=True).fit(X, y)
    return ChangedRun(sizes, seed, (first, more), parameter, chosen, model)


@then("its weights and loss curve are exactly those of scratchnet's network trained the same way")
def changed_same_as_scratchnet(changed_run: ChangedRun) -> None:
    first, more = changed_run.epochs
    rate = SETTINGS["learning_rate_init"]
    rng = np.random.default_rng(changed_run.seed)
    sizes = [digits().X_train.shape[1], *changed_run.hidden, 10]
    network = mlp(sizes, seed=rng)
    losses = trained_by_hand(network, rng, Adam(rate), epochs=first)
    settings = {"activation": "relu", "dropout": 0.0, "dtype": "float64"}
    settings[changed_run.parameter] = changed_run.value
    settings["activation"] = ACTIVATION_NAMES[settings["activation"]]
    again = mlp(sizes, init="zeros", seed=rng, **settings)
    for old, new in zip(dense_layers(network), dense_layers(again), strict=True):
        for name in ("W", "b"):
            new.parameters[name][...] = old.parameters[name]
    losses += trained_by_hand(again, rng, Adam(rate), epochs=more)
    assert_same_training(changed_run.model, again, losses)


def dense_layers(network: Network) -> list[Dense]:
    """The Dense layers of ``network``, in order."""
    return [layer for layer in network.layers if isinstance(layer, Dense)]


@when(
    parsers.parse(
        "it is set to hidden layers {hidden} and given new lists of copies of the weights of "
        "a classifier with those layers trained with seed {seed:d}"
    ),
    target_fixture="other",
)
def given_weights_of_other_layers(
    model: ScratchNetClassifier, hidden: str, seed: int
) -> ScratchNetClassifier:
    sizes = hidden_sizes(hidden)
    other = classifier(hidden_layer_sizes=sizes, random_state=seed)
    other.fit(digits().X_train, digits().y_train)
    model.set_params(hidden_layer_sizes=sizes)
    model.coefs_ = [W.copy() for W in other.coefs_]
    model.intercepts_ = [b.copy() for b in other.intercepts_]
    return other


#: Which of a classifier's weights the feature replaces by copies in another precision.
COPIED: dict[str, Callable[[int], bool]] = {
    "all its weights": lambda layer: True,
    "its first layer's weights alone": lambda layer: layer == 0,
    "all its weights but the first layer's": lambda layer: layer > 0,
}


@when(
    parsers.parse(
        "it is given {dtype} copies of {which}, and a {same} classifier trained with seed "
        "{seed:d} is given {again} copies of all its weights"
    ),
    target_fixture="other",
)
def given_weights_in(
    model: ScratchNetClassifier, dtype: str, which: str, same: str, seed: int, again: str
) -> ScratchNetClassifier:
    other = classifier(random_state=seed, dtype=same).fit(digits().X_train, digits().y_train)
    other.coefs_ = [W.astype(again) for W in model.coefs_]
    other.intercepts_ = [b.astype(again) for b in model.intercepts_]
    copied = COPIED[which]
    model.coefs_ = [
        W.astype(dtype) if copied(layer) else W.copy() for layer, W in enumerate(model.coefs_)
    ]
    model.intercepts_ = [
        b.astype(dtype) if copied(layer) else b.copy() for layer, b in enumerate(model.intercepts_)
    ]
    return other


@then(parsers.parse("both give exactly the same class probabilities, in {dtype}"))
def same_probabilities_in(model: ScratchNetClassifier, other: ScratchNetClassifier, dtype: str):
    X = digits().X_test
    ours, theirs = model.predict_proba(X), other.predict_proba(X)
    assert ours.dtype == theirs.dtype == np.dtype(dtype), (ours.dtype, theirs.dtype)
    assert np.array_equal(ours, theirs)


@when(
    "a new classifier with the same settings is given copies of its classes_, n_features_in_, "
    "coefs_ and intercepts_",
    target_fixture="other",
)
def given_fitted_attributes(model: ScratchNetClassifier) -> ScratchNetClassifier:
    other = classifier(**model.get_params())
    other.classes_ = model.classes_.copy()
    other.n_features_in_ = model.n_features_in_
    other.coefs_ = [W.copy() for W in model.coefs_]
    other.intercepts_ = [b.copy() for b in model.intercepts_]
    return other


@when(parsers.re(r"it is set to activation (?P<activation>\w+)"))
def set_activation(model: ScratchNetClassifier, activation: str) -> None:
    model.set_params(activation=activation)


@then(
    parsers.parse(
        "it gives the probabilities of its weights through {units} units, to within {tolerance:g}"
    )
)
def predicts_through(model: ScratchNetClassifier, units: str, tolerance: float) -> None:
    X = digits().X_test
    gap = np.abs(model.predict_proba(X) - probabilities_by_hand(model, X, units)).max()
    assert gap <= tolerance, f"{gap:.3g} from {units} units"


@when(
    parsers.parse(
        "it is set to activation {activation} and dropout {rate:g}, and trained for {more:d} "
        "more epochs with warm_start, once with a prediction before and once without"
    ),
    target_fixture="pair",
)
def predicted_between_fits(model: ScratchNetClassifier, activation: str, rate: float, more: int):
    X, y = digits().X_train, digits().y_train
    # A twin trained again, not a deep copy: before NumPy 2 a copied generator loses its
    # seed sequence, so the copies' dropout layers would spawn from fresh entropy.
    pair = model, clone(model).fit(X, y)
    for each in pair:
        each.set_params(activation=activation, dropout=rate, max_iter=more, warm_start=True)
    pair[0].predict_proba(digits().X_test)
    return tuple(each.fit(X, y) for each in pair)


# ------------------------------------------------------------------------ refusals
#: The feature's changes to a fitted classifier's weights, each leaving them unusable.
WEIGHT_CHANGES: dict[str, Callable[[ScratchNetClassifier], None]] = {
    "its coefs_ lose their last array": lambda model: setattr(model, "coefs_", model.coefs_[:-1]),
    "its intercepts_ lose their last array": lambda model: setattr(
        model, "intercepts_", model.intercepts_[:-1]
    ),
    "its first weight array is transposed": lambda model: setattr(
        model, "coefs_", [model.coefs_[0].T, *model.coefs_[1:]]
    ),
    "its last bias gets one value too many": lambda model: setattr(
        model, "intercepts_", [*model.intercepts_[:-1], np.append(model.intercepts_[-1], 0.0)]
    ),
}


@when(parsers.parse("{change} and it predicts"), target_fixture="refused")
def predicts_after_change(model: ScratchNetClassifier, change: str) -> Exception | None:
    WEIGHT_CHANGES[change](model)
    return refusal(lambda: model.predict_proba(digits().X_test))


@when(
    parsers.parse("the classifier with hidden layers {hidden} is trained"),
    target_fixture="refused",
)
def trained_with_hidden(hidden: str) -> Exception | None:
    model = classifier(hidden_layer_sizes=hidden_sizes(hidden))
    return refusal(lambda: model.fit(digits().X_train, digits().y_train))


@given(
    parsers.parse("the classifier trained by one partial_fit with classes {first:d} to {last:d}"),
    target_fixture="model",
)
def partially_fitted(first: int, last: int) -> ScratchNetClassifier:
    model = classifier(random_state=0)
    classes = seeds_between(first, last)
    return model.partial_fit(digits().X_train, digits().y_train, classes=list(classes))


@when(
    parsers.parse("partial_fit is called again with classes {first:d} to {last:d}"),
    target_fixture="refused",
)
def partial_fit_other_classes(model: ScratchNetClassifier, first: int, last: int):
    classes = list(range(first, last + 1))
    return refusal(lambda: model.partial_fit(digits().X_train, digits().y_train, classes=classes))


@when(
    parsers.parse("partial_fit is called again on a row labelled {label:d}"),
    target_fixture="refused",
)
def partial_fit_unknown_label(model: ScratchNetClassifier, label: int) -> Exception | None:
    return refusal(lambda: model.partial_fit(digits().X_train[:1], np.array([label])))


@given("a new classifier", target_fixture="model")
def new_classifier() -> ScratchNetClassifier:
    return classifier(random_state=0)


@when(
    parsers.parse(
        "partial_fit is first called with classes {first:d} to {last:d} on digits "
        "that include {label:d}s"
    ),
    target_fixture="refused",
)
def partial_fit_label_outside(
    model: ScratchNetClassifier, first: int, last: int, label: int
) -> Exception | None:
    classes = list(range(first, last + 1))
    assert label in digits().y_train and label not in classes
    return refusal(lambda: model.partial_fit(digits().X_train, digits().y_train, classes=classes))


@then("it has run no epoch")
def no_epoch_run(model: ScratchNetClassifier) -> None:
    assert getattr(model, "n_iter_", 0) == 0, model.n_iter_


@when(
    parsers.parse(
        "partial_fit is first called with classes {first:d} to {last:d} on digits "
        "without any {missing:d}"
    ),
    target_fixture="model",
)
def partial_fit_missing_class(first: int, last: int, missing: int) -> ScratchNetClassifier:
    X, y = digits().X_train, digits().y_train
    kept = y != missing
    classes = list(range(first, last + 1))
    return classifier(random_state=0).partial_fit(X[kept], y[kept], classes=classes)


@then(
    parsers.parse(
        "its classes are the digits {first:d} to {last:d} and it gives a probability "
        "for each of them"
    )
)
def every_class_named(model: ScratchNetClassifier, first: int, last: int) -> None:
    classes = np.arange(first, last + 1)
    assert np.array_equal(model.classes_, classes), model.classes_
    probabilities = model.predict_proba(digits().X_test)
    assert probabilities.shape == (len(digits().X_test), len(classes)), probabilities.shape


@when("the classifier is trained on digits with two labels per row", target_fixture="refused")
def trained_multi_label() -> Exception | None:
    y = digits().y_train
    two_labels = np.column_stack([y % 2 == 0, y > 4]).astype(int)
    return refusal(lambda: classifier().fit(digits().X_train, two_labels))


@then("scikit-learn's tags for the classifier say it does not take multi-label targets")
def not_multi_label() -> None:
    assert get_tags(classifier()).classifier_tags.multi_label is False


# ------------------------------------------------------------ divergence, interruption
class Outcome(NamedTuple):
    """What a fit raised, and the warnings it gave."""

    error: Exception | None
    warned: list[str]
    #: The file each warning was attributed to.
    warned_from: tuple[str, ...] = ()


@when(
    parsers.parse(
        "the classifier is trained with plain SGD at learning rate {rate:g} with seed {seed:d}"
    ),
    target_fixture="outcome",
)
def trained_to_diverge(rate: float, seed: int) -> Outcome:
    model = classifier(solver="sgd", learning_rate_init=rate, random_state=seed)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        error = refusal(lambda: model.fit(digits().X_train, digits().y_train))
    return Outcome(error, [str(warning.message) for warning in warned])


@then(parsers.parse("it stops with a DivergenceError at epoch {epoch:d}, and no warning"))
def diverged_at(outcome: Outcome, epoch: int) -> None:
    assert isinstance(outcome.error, DivergenceError), repr(outcome.error)
    assert outcome.error.epoch == epoch and f"at epoch {epoch} " in str(outcome.error)
    assert not outcome.warned, outcome.warned


@when(
    parsers.parse(
        "a fit of {epochs:d} epochs with seed {seed:d} is interrupted from the keyboard "
        "as its second epoch begins"
    ),
    target_fixture="interrupted",
)
def interrupted_fit(epochs: int, seed: int, monkeypatch) -> tuple[ScratchNetClassifier, Outcome]:
    import scratchnet.sklearn

    steps_per_epoch = -(-len(digits().X_train) // 32)
    step = scratchnet.sklearn.train_step
    calls = []

    def interrupting_step(*args, **kwargs):
        calls.append(1)
        if len(calls) > steps_per_epoch:
            raise KeyboardInterrupt
        return step(*args, **kwargs)

    model = classifier(max_iter=epochs, random_state=seed)
    with monkeypatch.context() as patched, warnings.catch_warnings(record=True) as warned:
        patched.setattr(scratchnet.sklearn, "train_step", interrupting_step)
        warnings.simplefilter("always")
        error = refusal(lambda: model.fit(digits().X_train, digits().y_train))
    messages = [str(warning.message) for warning in warned]
    return model, Outcome(error, messages, tuple(warning.filename for warning in warned))


@then(parsers.parse('it warns "{message}"'))
def warned(interrupted: tuple, message: str) -> None:
    assert interrupted[1].error is None, repr(interrupted[1].error)
    assert interrupted[1].warned == [message], interrupted[1].warned


@then(
    "the warning is attributed to a line of the caller's code, outside scratchnet and scikit-learn"
)
def warning_points_at_caller(interrupted: tuple) -> None:
    # Outside both packages rather than this very file: a mutation tester's wrappers put
    # frames of their own between a caller and the classifier.
    packages = [Path(package.__file__).parent for package in (scratchnet, sklearn)]
    (where,) = (Path(name) for name in interrupted[1].warned_from)
    assert not any(where.is_relative_to(package) for package in packages), where


@then(
    parsers.parse(
        "it has run {epochs:d} epoch, with exactly the weights and loss curve of a fit of "
        "{same:d} epoch with seed {seed:d}"
    )
)
def interrupted_as_shorter(interrupted: tuple, epochs: int, same: int, seed: int) -> None:
    model = interrupted[0]
    shorter = classifier(max_iter=same, random_state=seed).fit(digits().X_train, digits().y_train)
    assert model.n_iter_ == epochs, model.n_iter_
    pair_same_weights((model, shorter))
    assert model.loss_curve_ == shorter.loss_curve_


# --------------------------------------------------------- assigned arrays, trained
class AssignedRun(NamedTuple):
    """A classifier trained on from arrays it was given, the same trained on without them,
    and the arrays given."""

    given: ScratchNetClassifier
    kept: ScratchNetClassifier
    arrays: list[np.ndarray]


@when(
    parsers.parse(
        "it is given new lists of copies of its weights and trained for {epochs:d} more epoch "
        "by partial_fit"
    ),
    target_fixture="assigned_run",
)
def trained_from_copies(model: ScratchNetClassifier, epochs: int) -> AssignedRun:
    X, y = digits().X_train, digits().y_train
    given, kept = model, copy.deepcopy(model)
    given.coefs_ = [W.copy() for W in model.coefs_]
    given.intercepts_ = [b.copy() for b in model.intercepts_]
    arrays = all_weights(given)
    for _ in range(epochs):
        given.partial_fit(X, y)
        kept.partial_fit(X, y)
    return AssignedRun(given, kept, arrays)


@then(
    "its weights are exactly those of the same classifier trained for that epoch without the copies"
)
def trained_as_without_copies(assigned_run: AssignedRun) -> None:
    pair_same_weights((assigned_run.given, assigned_run.kept))


@then("the arrays it was given hold those weights")
def given_arrays_trained(assigned_run: AssignedRun) -> None:
    trained = all_weights(assigned_run.kept)
    assert all(
        np.array_equal(array, weights)
        for array, weights in zip(assigned_run.arrays, trained, strict=True)
    ), "the arrays given do not hold the trained weights"
