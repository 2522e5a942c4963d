"""The fuzzing targets: for each argument of each public function, the values to draw,
the call, and a check of its result against an independent NumPy computation.

Every other argument of a call stays at a fixed, valid value. :data:`TARGETS`
is keyed by the ``function`` and ``argument`` names the robustness feature's
Examples tables use.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchnet import (
    DivergenceError,
    History,
    NeuralNetwork,
    Standardizer,
    accuracy,
    confusion_matrix,
    load,
    mlp,
    one_hot,
    save,
    train,
    train_test_split,
)
from scratchnet.network import Network
from scratchnet.serialization import load_with_metadata
from steps.support.fuzzing import (
    BIG_INTS,
    CLASSES,
    FEATURES,
    HIDDEN,
    HUGE,
    REALS,
    ROWS,
    SHAPES,
    SMALL_INTS,
    FileContent,
    Target,
    arrays_shaped,
    either,
    junk,
    labels_for,
    rows_of,
)

# Fixed, valid values for the arguments not under test.
_rng = np.random.default_rng(0)
X_FIXED = _rng.standard_normal((ROWS, FEATURES))
Y_FIXED = np.array([0, 1, 2, 0, 1, 2])
P_FIXED = np.full((ROWS, CLASSES), 1.0 / CLASSES)


def tutorial_net() -> NeuralNetwork:
    return NeuralNetwork(FEATURES, HIDDEN, CLASSES, seed=0)


def small_net(**options: Any) -> Network:
    return mlp([FEATURES, HIDDEN, CLASSES], seed=0, **options)


def large_weights_net() -> Network:
    """A network whose weights are large enough that huge inputs overflow its outputs."""
    network = mlp([FEATURES, HIDDEN, CLASSES], init="he", seed=0)
    for parameter in network.parameters:
        parameter *= 100.0
    return network


# Independent computations the results are compared with.


def expected_probabilities(X: object, layers: list[np.ndarray]) -> np.ndarray:
    """Softmax of the tutorial's two-layer ReLU network, written out in plain NumPy."""
    W1, b1, W2, b2 = layers
    with np.errstate(all="ignore"):
        hidden = np.maximum(np.asarray(X, dtype=np.float64) @ W1 + b1, 0)
        logits = hidden @ W2 + b2
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)


def as_labels(y: object) -> np.ndarray:
    array = np.asarray(y)
    return array.argmax(axis=1) if array.ndim == 2 else array.astype(np.int64)


def expected_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    true_class = probabilities[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(true_class, 1e-12, 1.0))))


def assert_probabilities(result: np.ndarray, X: object, layers: list[np.ndarray]) -> None:
    assert result.shape == (len(np.asarray(X)), CLASSES)
    assert np.isfinite(result).all() and (result >= 0).all() and (result <= 1).all()
    np.testing.assert_allclose(result, expected_probabilities(X, layers), rtol=1e-6, atol=1e-9)


def assert_finite_network(network: Network) -> None:
    for name, value in network.named_parameters():
        assert np.isfinite(value).all(), f"{name} holds NaN or inf"


def assert_trained(history: History | None, network: Network, epochs: int) -> None:
    """A finished training (or a DivergenceError, which keeps the last finite weights)."""
    if history is not None:
        assert history.epochs_run == epochs or history.stopped_early, history
        assert all(math.isfinite(loss) for loss in history.train_loss), history.train_loss
    assert_finite_network(network)


def trained_or_diverged(train_it: Callable[[], History]) -> History | None:
    """Training may end in a DivergenceError: a documented outcome, not a crash."""
    try:
        return train_it()
    except DivergenceError:
        return None


def expected_sgd_step(
    net: NeuralNetwork, X: np.ndarray, labels: np.ndarray, learning_rate: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """W2 and W1 after one step of the tutorial's backward(X, Y, lr), in plain NumPy, each
    with the rounding error it may carry (it grows with the terms summed, which can cancel):
    ``dZ2 = (A2 − Y) / m``, ``W2 −= lr · A1ᵀ dZ2``, ``dZ1 = dZ2 W2ᵀ · [Z1 > 0]``,
    ``W1 −= lr · Xᵀ dZ1``.
    """
    dZ2 = (net.A2 - np.eye(CLASSES)[labels]) / len(labels)
    dZ1 = dZ2 @ net.W2.T * (net.Z1 > 0)
    steps = []
    for W, inputs, dZ in ((net.W2, net.A1, dZ2), (net.W1, np.asarray(X, dtype=float), dZ1)):
        step = learning_rate * (inputs.T @ dZ)
        terms = learning_rate * (np.abs(inputs).T @ np.abs(dZ))
        steps.append((W - step, 1e-12 * (np.abs(W) + terms)))
    return steps


def check_backward(
    y_of: Callable[[Any], Any],
    lr_of: Callable[[Any], Any],
    forward_x_of: Callable[[Any], Any],
    x_of: Callable[[Any], Any] | None = None,
):
    """``x_of`` gives the X passed to backward, ``forward_x_of`` the one forward saw."""

    def check(value: object, net: NeuralNetwork) -> None:
        labels, learning_rate = as_labels(y_of(value)), float(lr_of(value))
        fresh = tutorial_net()
        fresh.forward(forward_x_of(value))
        X = (x_of or forward_x_of)(value)
        expected = expected_sgd_step(fresh, X, labels, learning_rate)
        for after, (should, rounding) in zip((net.W2, net.W1), expected, strict=True):
            assert np.all(np.abs(after - should) <= rounding), (after, should)
        assert_finite_network(net.network)

    return check


def backward_call(
    X: object, y: object, learning_rate: object, forward_X: object = X_FIXED
) -> NeuralNetwork:
    net = tutorial_net()
    net.forward(forward_X)
    net.backward(X, y, learning_rate)
    return net


def tutorial_train(**arguments: Any) -> tuple[History | None, NeuralNetwork]:
    settings_ = {"X_train": X_FIXED, "Y_train": Y_FIXED, "epochs": 2, "batch_size": 4}
    settings_.update(arguments)
    net = tutorial_net()
    return trained_or_diverged(lambda: net.train(**settings_)), net


def core_train(**arguments: Any) -> tuple[History | None, Network]:
    settings_ = {"X": X_FIXED, "y": Y_FIXED, "epochs": 2, "batch_size": 4}
    settings_.update(arguments)
    net = small_net()
    X, y = settings_.pop("X"), settings_.pop("y")
    return trained_or_diverged(lambda: train(net, X, y, **settings_)), net


def check_trained(value: object, result: tuple[History | None, Network | NeuralNetwork]) -> None:
    """Trained for the 2 epochs asked for, with finite losses and weights."""
    history, net = result
    assert_trained(history, net.network if isinstance(net, NeuralNetwork) else net, epochs=2)


def check_trained_epochs(value: int, result: tuple) -> None:
    """Trained for the ``value`` epochs asked for, with finite losses and weights."""
    history, net = result
    assert_trained(history, net.network if isinstance(net, NeuralNetwork) else net, epochs=value)


def check_network_shape(sizes: list[int]) -> Callable[[Any, Network], None]:
    def check(value: object, network: Network) -> None:
        assert (network.n_features, network.n_classes) == (sizes[0], sizes[-1])
        assert_finite_network(network)

    return check


def check_split(X: object, y: object, fraction: float, result: tuple) -> None:
    """Rows of X keep their labels, and the test part has ceil(fraction · rows) rows."""
    X_train, X_test, y_train, y_test = result
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    assert len(X_test) == len(y_test) == math.ceil(fraction * len(X))
    assert len(X_train) + len(X_test) == len(X)
    for part_X, part_y in ((X_train, y_train), (X_test, y_test)):
        for row, label in zip(part_X, part_y, strict=True):
            matches = np.flatnonzero((row == X).all(axis=1))
            assert any(np.array_equal(y[index], label) for index in matches)


def save_and_reload(
    network: object = None, path: object = None, metadata: object = None
) -> tuple[Network, Network, dict]:
    original = small_net() if network is None else network
    target = Path("model.npz") if path is None else path
    save(original, target, metadata=metadata)
    loaded, stored = load_with_metadata(target)
    return original, loaded, stored


def check_round_trip(value: object, result: tuple[Network, Network, dict]) -> None:
    original, loaded, stored = result
    assert loaded.architecture() == original.architecture()
    for (name, a), (_, b) in zip(
        original.named_parameters(), loaded.named_parameters(), strict=True
    ):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert isinstance(stored, dict)


# --- Model files with arbitrary content, for load(path) ---------------------------------------


def npz_bytes(entries: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **entries)
    return buffer.getvalue()


def model_entries() -> dict[str, np.ndarray]:
    network = small_net()
    entries = {
        "format_version": np.array(1),
        "architecture": np.array(json.dumps(network.architecture())),
        "metadata": np.array("{}"),
    }
    entries.update({f"parameter_{i:03d}": p for i, p in enumerate(network.parameters)})
    return entries


MODEL = npz_bytes(model_entries())


def changed_architecture(layer: int, key: str, value: object) -> list[dict]:
    """The small network's architecture with one setting of one layer changed or dropped."""
    architecture = small_net().architecture()
    if value == "drop":
        architecture[layer].pop(key, None)
    else:
        architecture[layer][key] = value
    return architecture


LAYER_SETTINGS = st.dictionaries(
    st.sampled_from(["type", "in_features", "out_features", "init", "rate", "negative_slope"]),
    st.one_of(
        st.integers(-1, 6),
        st.sampled_from(["Dense", "ReLU", "Dropout", "LeakyReLU", "Tanh", "tutorial", "x"]),
        REALS,
        st.none(),
        st.lists(st.integers(0, 3), max_size=2),
    ),
    max_size=6,
)
ENTRY_VALUES = st.one_of(
    SHAPES.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=REALS)),
    st.tuples(st.sampled_from(["float32", "int64", "U4", "bool"]), SHAPES).flatmap(
        lambda d: hnp.arrays(*d)
    ),
    SHAPES.flatmap(lambda shape: hnp.arrays(object, shape, elements=st.none())),  # pickled
    st.one_of(
        st.lists(LAYER_SETTINGS, max_size=3), LAYER_SETTINGS, st.integers(), st.text(max_size=5)
    ).map(lambda value: np.array(json.dumps(value))),
)
ARCHITECTURES = st.tuples(
    st.sampled_from([0, 2, 1]),  # the two Dense layers first, then the ReLU
    st.sampled_from(["in_features", "out_features", "type", "init", "extra"]),
    st.one_of(st.just("drop"), st.none(), st.integers(-1, 6), REALS, st.text(max_size=3)),
).map(lambda change: np.array(json.dumps(changed_architecture(*change))))
PARAMETER_SHAPES = [(FEATURES, HIDDEN), (1, HIDDEN), (HIDDEN, CLASSES), (1, CLASSES)]
#: The small network's file with one parameter replaced by one of the right shape.
CHANGED_PARAMETERS = st.tuples(
    st.integers(0, 3), st.sampled_from(["float64", "float32", "float16", "int64"])
).flatmap(
    lambda pick: hnp.arrays(pick[1], PARAMETER_SHAPES[pick[0]]).map(
        lambda array: npz_bytes({**model_entries(), f"parameter_{pick[0]:03d}": array})
    )
)
ENTRY_NAMES = st.sampled_from([*model_entries(), "parameter_004", "other"])
MODEL_FILES = st.one_of(
    CHANGED_PARAMETERS,
    st.binary(max_size=64),
    st.integers(0, len(MODEL)).map(lambda cut: MODEL[:cut]),
    st.tuples(st.integers(0, len(MODEL) - 1), st.integers(0, 255)).map(
        lambda change: MODEL[: change[0]] + bytes([change[1]]) + MODEL[change[0] + 1 :]
    ),
    ARCHITECTURES.map(
        lambda architecture: npz_bytes({**model_entries(), "architecture": architecture})
    ),
    st.dictionaries(ENTRY_NAMES, ENTRY_VALUES, max_size=3).map(
        lambda replaced: npz_bytes({**model_entries(), **replaced})
    ),
    st.lists(ENTRY_NAMES, max_size=2).map(
        lambda dropped: npz_bytes({k: v for k, v in model_entries().items() if k not in dropped})
    ),
    st.just(npz_bytes({"numbers": np.arange(3.0)})),
    st.just(io.BytesIO().getvalue()),
)


def load_any(value: object) -> Network:
    if isinstance(value, FileContent):
        Path("model.npz").write_bytes(value.data)
        return load("model.npz")
    return load(value)


def check_loaded(value: object, network: Network) -> None:
    assert isinstance(network, Network)
    assert network.dtype in (np.float64, np.float32)
    assert_finite_network(network)


def tutorial_parameters() -> list[np.ndarray]:
    net = tutorial_net()
    return [net.W1, net.b1, net.W2, net.b2]


def check_softmax(Z: object, result: np.ndarray) -> None:
    """Rows of finite probabilities summing to 1, largest where the score is largest."""
    assert np.isfinite(result).all() and (result >= 0).all(), result
    np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-12)
    at_top_score = result[np.arange(len(result)), np.asarray(Z).argmax(axis=1)]
    np.testing.assert_array_equal(at_top_score, result.max(axis=1))


def check_loss_of_probabilities(Y_pred: object, loss: float) -> None:
    """A loss is only correct for probabilities: anything else must be refused."""
    values = np.asarray(Y_pred, dtype=np.float64)
    assert ((values >= 0) & (values <= 1)).all(), f"a loss was computed for {values}"
    np.testing.assert_allclose(loss, expected_loss(values, Y_FIXED))


def check_metadata_round_trip(metadata: object, result: tuple[Network, Network, dict]) -> None:
    check_round_trip(metadata, result)
    np.testing.assert_equal(result[2], metadata or {})


def assert_most_probable(result: np.ndarray, X: object, layers: list[np.ndarray]) -> None:
    """Each predicted class is one with the highest probability for its row."""
    probabilities = expected_probabilities(X, layers)
    assert result.shape == (len(probabilities),)
    chosen = probabilities[np.arange(len(result)), result]
    np.testing.assert_allclose(chosen, probabilities.max(axis=1), rtol=1e-9)


def assign_w1(value: object) -> NeuralNetwork:
    net = tutorial_net()
    net.W1 = value
    return net


# --- The table of targets: (function, argument) -> values, call, check ------------------------

SIZE_VALUES = st.one_of(st.integers(-2, 12), junk())
NAMES = ["relu", "tanh", "sigmoid", "leaky_relu", "identity", "he", "xavier", "tutorial", "zeros"]


def training_targets(
    function: str, call: Callable[..., object], X: str, y: str
) -> dict[tuple[str, str], Target]:
    """The four arguments both training functions share: data, labels, epochs, batch size."""
    return {
        (function, X): Target(
            either(BIG_INTS, rows_of(FEATURES)), lambda v: call(**{X: v}), check_trained
        ),
        (function, y): Target(
            either(BIG_INTS, labels_for(CLASSES)), lambda v: call(**{y: v}), check_trained
        ),
        (function, "epochs"): Target(
            junk(st.integers(-2, 3)), lambda v: call(epochs=v), check_trained_epochs
        ),
        (function, "batch_size"): Target(
            junk(st.one_of(st.integers(-2, 8), st.integers(2**40, 2**70))),
            lambda v: call(batch_size=v),
            check_trained,
        ),
    }


TARGETS: dict[tuple[str, str], Target] = {
    ("NeuralNetwork", "input_size"): Target(
        SIZE_VALUES,
        lambda v: NeuralNetwork(v, HIDDEN, CLASSES),
        lambda v, net: np.testing.assert_equal(net.W1.shape, (v, HIDDEN)),
    ),
    ("NeuralNetwork", "hidden_size"): Target(
        SIZE_VALUES,
        lambda v: NeuralNetwork(FEATURES, v, CLASSES),
        lambda v, net: np.testing.assert_equal(net.W2.shape, (v, CLASSES)),
    ),
    ("NeuralNetwork", "seed"): Target(
        either(BIG_INTS, st.integers(0, 2**200)),
        lambda v: NeuralNetwork(FEATURES, HIDDEN, CLASSES, seed=v),
        lambda v, net: assert_finite_network(net.network),
    ),
    ("NeuralNetwork.relu", "Z"): Target(
        either(BIG_INTS, rows_of(3)),
        lambda v: tutorial_net().relu(v),
        lambda v, result: np.testing.assert_array_equal(result, np.maximum(np.asarray(v), 0)),
    ),
    ("NeuralNetwork.softmax", "Z"): Target(
        either(BIG_INTS, rows_of(CLASSES)),
        lambda v: tutorial_net().softmax(v),
        check_softmax,
    ),
    ("NeuralNetwork.forward", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: tutorial_net().forward(v),
        lambda v, result: assert_probabilities(result, v, tutorial_parameters()),
    ),
    ("NeuralNetwork.predict", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: tutorial_net().predict(v),
        lambda v, result: assert_most_probable(result, v, tutorial_parameters()),
    ),
    ("NeuralNetwork.compute_loss", "Y_true"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: tutorial_net().compute_loss(v, P_FIXED),
        lambda v, loss: np.testing.assert_allclose(loss, expected_loss(P_FIXED, as_labels(v))),
    ),
    ("NeuralNetwork.compute_loss", "Y_pred"): Target(
        st.one_of(
            junk(BIG_INTS),
            arrays_shaped((ROWS, CLASSES), st.floats(0, 1)),
            arrays_shaped((ROWS, CLASSES), st.floats(-1, 2)),
        ),
        lambda v: tutorial_net().compute_loss(Y_FIXED, v),
        check_loss_of_probabilities,
    ),
    ("NeuralNetwork.backward", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES, rows=ROWS)),
        # after a forward pass on the same X, with a learning rate so large that
        # big inputs make the step overflow
        lambda v: backward_call(v, Y_FIXED, 1e300, forward_X=v),
        check_backward(lambda v: Y_FIXED, lambda v: 1e300, lambda v: v),
    ),
    ("NeuralNetwork.backward, after a forward pass on other rows", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES), st.just(X_FIXED)),
        lambda v: backward_call(v, Y_FIXED, 0.01),
        check_backward(lambda v: Y_FIXED, lambda v: 0.01, lambda v: X_FIXED, lambda v: v),
    ),
    ("NeuralNetwork.backward", "Y_true"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: backward_call(X_FIXED, v, 0.01),
        check_backward(lambda v: v, lambda v: 0.01, lambda v: X_FIXED),
    ),
    ("NeuralNetwork.backward", "learning_rate"): Target(
        either(BIG_INTS, st.floats(0, 1e10), HUGE),
        lambda v: backward_call(X_FIXED, Y_FIXED, v),
        check_backward(lambda v: Y_FIXED, lambda v: v, lambda v: X_FIXED),
    ),
    **training_targets("NeuralNetwork.train", tutorial_train, "X_train", "Y_train"),
    ("NeuralNetwork.W1 (assigned)", "W1"): Target(
        either(BIG_INTS, arrays_shaped((FEATURES, HIDDEN))),
        lambda v: assign_w1(v),
        lambda v, net: np.testing.assert_array_equal(net.W1, np.asarray(v, dtype=np.float64)),
    ),
    ("mlp", "sizes"): Target(
        st.one_of(
            junk(), st.lists(st.one_of(st.integers(-1, 6), REALS, st.text(max_size=1)), max_size=4)
        ),
        lambda v: mlp(v, seed=0),
        lambda v, network: check_network_shape(list(v))(v, network),
    ),
    ("mlp", "activation"): Target(
        either(SMALL_INTS, st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=3)),
        lambda v: mlp([FEATURES, HIDDEN, HIDDEN, CLASSES], activation=v, seed=0),
        check_network_shape([FEATURES, CLASSES]),
    ),
    ("mlp", "init"): Target(
        either(SMALL_INTS, st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=4)),
        lambda v: mlp([FEATURES, HIDDEN, HIDDEN, CLASSES], init=v, seed=0),
        check_network_shape([FEATURES, CLASSES]),
    ),
    ("mlp", "dropout"): Target(
        either(SMALL_INTS, st.floats(-1, 2)),
        lambda v: small_net(dropout=v),
        check_network_shape([FEATURES, CLASSES]),
    ),
    ("mlp", "dtype"): Target(
        st.one_of(
            junk(),
            st.sampled_from(["float64", "float32", "float16", "int64", "f8", np.float32, float]),
        ),
        lambda v: small_net(dtype=v),
        lambda v, network: np.testing.assert_equal(network.dtype, np.dtype(v)),
    ),
    **training_targets("train", core_train, "X", "y"),
    ("train", "seed"): Target(junk(BIG_INTS), lambda v: core_train(seed=v), check_trained),
    ("train", "validation"): Target(
        st.one_of(
            junk(),
            st.tuples(rows_of(FEATURES), labels_for(CLASSES)),
            st.lists(st.just(X_FIXED), max_size=3),
        ),
        lambda v: core_train(validation=v),
        check_trained,
    ),
    ("train", "l2"): Target(either(BIG_INTS, HUGE), lambda v: core_train(l2=v), check_trained),
    ("train", "clip_norm"): Target(
        either(BIG_INTS, st.floats(0, 1e300)),
        lambda v: core_train(clip_norm=v),
        check_trained,
    ),
    ("train", "patience"): Target(
        junk(BIG_INTS),
        lambda v: core_train(patience=v, validation=(X_FIXED, Y_FIXED)),
        check_trained,
    ),
    ("Network.predict", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: large_weights_net().predict(v),
        lambda v, result: assert_most_probable(result, v, large_weights_net().parameters),
    ),
    ("Network.predict_proba", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: large_weights_net().predict_proba(v),
        lambda v, result: assert_probabilities(result, v, large_weights_net().parameters),
    ),
    ("Network.predict_proba, float32", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: small_net(dtype="float32").predict_proba(v),
        lambda v, result: np.testing.assert_allclose(
            result, expected_probabilities(v, small_net().parameters), rtol=1e-4, atol=1e-6
        ),
    ),
    ("one_hot", "labels"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: one_hot(v, CLASSES),
        lambda v, result: np.testing.assert_array_equal(result, np.eye(CLASSES)[as_labels(v)]),
    ),
    ("one_hot", "n_classes"): Target(
        junk(st.integers(-2, 6)),
        lambda v: one_hot([0, 1, 2], v),
        lambda v, result: np.testing.assert_array_equal(result, np.eye(v)[[0, 1, 2]]),
    ),
    ("train_test_split", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: train_test_split(v, Y_FIXED, test_fraction=0.5),
        lambda v, result: check_split(v, Y_FIXED, 0.5, result),
    ),
    ("train_test_split", "y"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: train_test_split(X_FIXED, v, test_fraction=0.5),
        lambda v, result: check_split(X_FIXED, v, 0.5, result),
    ),
    ("train_test_split", "test_fraction"): Target(
        either(BIG_INTS, st.floats(0, 1)),
        lambda v: train_test_split(X_FIXED, Y_FIXED, test_fraction=v),
        lambda v, result: check_split(X_FIXED, Y_FIXED, v, result),
    ),
    ("Standardizer.fit", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: Standardizer().fit(v),
        lambda v, fitted: np.testing.assert_allclose(
            fitted.mean, np.mean(np.asarray(v, dtype=np.float64), axis=0), rtol=1e-6
        ),
    ),
    ("Standardizer.transform", "X"): Target(
        either(BIG_INTS, rows_of(FEATURES)),
        lambda v: Standardizer().fit(X_FIXED).transform(v),
        lambda v, result: np.testing.assert_allclose(
            result,
            (np.asarray(v, dtype=np.float64) - X_FIXED.mean(axis=0)) / X_FIXED.std(axis=0),
            rtol=1e-9,
        ),
    ),
    ("accuracy", "y_true"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: accuracy(v, Y_FIXED),
        lambda v, result: np.testing.assert_equal(result, np.mean(np.asarray(v) == Y_FIXED)),
    ),
    ("accuracy", "y_pred"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: accuracy(Y_FIXED, v),
        lambda v, result: np.testing.assert_equal(result, np.mean(np.asarray(v) == Y_FIXED)),
    ),
    ("confusion_matrix", "y_true"): Target(
        either(BIG_INTS, labels_for(CLASSES)),
        lambda v: confusion_matrix(v, Y_FIXED, CLASSES),
        lambda v, counts: np.testing.assert_array_equal(
            counts,
            [[np.sum((as_labels(v) == t) & (p == Y_FIXED)) for p in range(3)] for t in range(3)],
        ),
    ),
    ("confusion_matrix", "n_classes"): Target(
        junk(st.integers(-2, 6)),
        lambda v: confusion_matrix(Y_FIXED, Y_FIXED, v),
        lambda v, counts: np.testing.assert_array_equal(
            counts, np.diag(np.bincount(Y_FIXED, minlength=v))
        ),
    ),
    ("save", "network"): Target(
        either(SMALL_INTS, st.just(small_net()), st.just(tutorial_net())),
        lambda v: save_and_reload(network=v),
        check_round_trip,
    ),
    ("save", "path"): Target(
        st.one_of(
            junk(),
            st.text(alphabet="ab._ ", max_size=6),
            st.text(alphabet="ab._", max_size=4).map(lambda name: f"sub/{name}.npz"),
            st.just(Path("model.npz")),
        ),
        lambda v: save_and_reload(path=v),
        check_round_trip,
    ),
    ("save", "metadata"): Target(
        st.one_of(
            junk(),
            st.dictionaries(
                st.text(max_size=3),
                st.one_of(REALS, st.text(max_size=3), st.lists(st.integers(), max_size=2)),
                max_size=3,
            ),
        ),
        lambda v: save_and_reload(metadata=v),
        check_metadata_round_trip,
    ),
    ("load", "path"): Target(
        either(SMALL_INTS, MODEL_FILES.map(FileContent)),
        load_any,
        check_loaded,
        examples=300,  # cheap calls, and many ways for a file to be broken
    ),
}
