"""scratchnet as a scikit-learn classifier: fit, predict, pipelines, grid search.

Importing this module imports scikit-learn; ``import scratchnet`` does not.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchnet.activations import get_activation
from scratchnet.initializers import INITIALIZERS
from scratchnet.layers import Dense, Dropout, Layer
from scratchnet.network import Network, mlp
from scratchnet.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from scratchnet.training import diverging_at, minibatches, train_step
from scratchnet.validation import (
    CLIP_NORM,
    COUNT,
    DECAY,
    DROPOUT,
    EPSILON,
    FLOAT_TYPES,
    L2,
    LEARNING_RATE,
    Choice,
    as_dtype,
)

#: scikit-learn's activation names and scratchnet's layer for each.
ACTIVATION_NAMES = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "identity"}
#: The classifier's optimiser settings and the attribute each sets on an optimiser that has it.
OPTIMIZER_SETTINGS = {"beta_1": "beta1", "beta_2": "beta2", "epsilon": "epsilon"}


class ScratchNetClassifier(ClassifierMixin, BaseEstimator):
    """A scratchnet multi-layer perceptron with scikit-learn's ``MLPClassifier`` interface.

    The defaults are the tutorial's, not scikit-learn's: one hidden layer of
    128 ReLU units, weights drawn as N(0, 1) × 0.01 (``init="tutorial"``),
    plain SGD at learning rate 0.01 without momentum, batches of 32, 100
    epochs, no L2 (``alpha=0``). The output layer is always a softmax over
    every class (two units for two classes, where scikit-learn uses one
    logistic unit). Training always runs ``max_iter`` epochs: there is no
    ``tol`` / ``n_iter_no_change`` stopping rule and no learning-rate schedule.

    Args:
        hidden_layer_sizes: the width of each hidden layer, e.g. ``(128,)`` or ``(64, 32)``.
        activation: ``"relu"``, ``"tanh"``, ``"logistic"`` or ``"identity"`` for every hidden layer.
        solver: a name of scratchnet's ``OPTIMIZERS``: ``"sgd"`` as in MLPClassifier (plain,
            or with ``momentum`` and ``nesterovs_momentum``), ``"adam"``, or scratchnet's
            ``"momentum"``, ``"nesterov"`` and any other optimiser registered there.
        alpha: L2 strength in scikit-learn's convention: ``alpha / 2 · ΣW² / batch_rows``
            is added to each batch's loss (biases are not decayed).
        batch_size: rows per mini-batch, or ``"auto"`` for ``min(200, n_samples)``.
        learning_rate_init: the (constant) learning rate.
        max_iter: epochs per ``fit``; ``partial_fit`` runs one.
        shuffle: visit the rows in a new random order every epoch.
        random_state: what scikit-learn accepts (``None`` for fresh entropy, a seed from 0
            to 2³² − 1, a ``numpy.random.RandomState``, from which one seed is drawn at the
            start of a fit), or a ``numpy.random.Generator``. It draws the initial weights,
            then the batch orders; each dropout layer draws its masks from its own child.
        momentum: ``μ`` for ``solver="sgd"``; 0 is plain gradient descent.
        nesterovs_momentum: Nesterov's look-ahead step when ``momentum > 0``.
        beta_1: Adam's decay for the first moment.
        beta_2: Adam's decay for the second moment.
        epsilon: Adam's ``ε`` (scratchnet adds it to the bias-corrected ``√v̂``); also the
            ``ε`` of any other solver that has one.
        warm_start: ``fit`` continues from ``coefs_`` and ``intercepts_`` instead of a fresh start.
        verbose: print the loss after every epoch.
        dropout: the rate of the dropout layer after each hidden activation (0 for none).
        init: scratchnet's weight initialiser: ``"tutorial"``, ``"he"``, ``"xavier"`` or
            ``"zeros"``.
        clip_norm: clip each batch's gradients to this joint L2 norm (``None``: no clipping).
        dtype: ``"float64"`` or ``"float32"``; weights, inputs and probabilities all use it.

    Attributes:
        classes_: the class labels, sorted, shape ``(n_classes,)``.
        coefs_: weight matrices, ``coefs_[i]`` of shape ``(n_in, n_out)``.
        intercepts_: bias vectors, ``intercepts_[i]`` of shape ``(n_out,)``.
        n_iter_: epochs run by the last ``fit`` or ``partial_fit`` call (as in scikit-learn).
        loss_curve_: scikit-learn's ``loss_curve_``: for each epoch the mean of the batch
            losses (each taken before its step, L2 term included), weighted by batch rows.
        n_features_in_: the number of input features.
        n_layers_: the number of layers, input and output included.
        n_outputs_: the number of output units (one per class).
        out_activation_: always ``"softmax"``.
    """

    #: Each setting's limits, from the constraints the rest of scratchnet checks with.
    _parameter_constraints: ClassVar[dict] = {
        "hidden_layer_sizes": ["array-like", *COUNT.sklearn()],
        "activation": Choice(ACTIVATION_NAMES).sklearn(),
        "solver": Choice(OPTIMIZERS).sklearn(),
        "alpha": L2.sklearn(),
        "batch_size": [*Choice(("auto",)).sklearn(), *COUNT.sklearn()],
        "learning_rate_init": LEARNING_RATE.sklearn(),
        "max_iter": COUNT.sklearn(),
        "shuffle": ["boolean"],
        "random_state": ["random_state", np.random.Generator],
        "momentum": DECAY.sklearn(),
        "nesterovs_momentum": ["boolean"],
        "beta_1": DECAY.sklearn(),
        "beta_2": DECAY.sklearn(),
        "epsilon": EPSILON.sklearn(),
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "dropout": DROPOUT.sklearn(),
        "init": Choice(INITIALIZERS).sklearn(),
        "clip_norm": CLIP_NORM.sklearn(),
        "dtype": Choice(FLOAT_TYPES).sklearn(),
    }

    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (128,),
        activation: str = "relu",
        *,
        solver: str = "sgd",
        alpha: float = 0.0,
        batch_size: int | str = 32,
        learning_rate_init: float = 0.01,
        max_iter: int = 100,
        shuffle: bool = True,
        random_state: int | np.random.Generator | None = None,
        momentum: float = 0.0,
        nesterovs_momentum: bool = True,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warm_start: bool = False,
        verbose: bool = False,
        dropout: float = 0.0,
        init: str = "tutorial",
        clip_norm: float | None = None,
        dtype: str = "float64",
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warm_start = warm_start
        self.verbose = verbose
        self.dropout = dropout
        self.init = init
        self.clip_norm = clip_norm
        self.dtype = dtype

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: it may be the instance's own dict
        rng = state.get("_rng")
        # A generator seeded the legacy way has no seed sequence to keep (nor to spawn from).
        if isinstance(rng, np.random.Generator) and isinstance(
            rng.bit_generator.seed_seq, np.random.SeedSequence
        ):
            state["_rng"] = _generator_state(rng)
        return state

    def __setstate__(self, state: dict) -> None:
        if isinstance(state.get("_rng"), dict):
            state = {**state, "_rng": _generator_from(state["_rng"])}
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = False
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: object, y: object) -> ScratchNetClassifier:
        """Train for ``max_iter`` epochs on ``X`` (n_samples, n_features) and labels ``y``.

        Starts from fresh weights unless ``warm_start`` is set and the estimator
        was fitted (or given ``coefs_`` and ``intercepts_``) before.

        Args:
            X: Inputs of shape ``(batch, features)``.
            y: Labels of shape ``(batch,)``.

        Returns:
            The classifier itself.
        """
        return self._fit(X, y, classes=None, incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self, X: object, y: object, classes: object | None = None
    ) -> ScratchNetClassifier:
        """One epoch on ``X`` and ``y``, continuing from the current weights.

        ``classes`` lists every class and is needed on the first call.

        Args:
            X: Inputs of shape ``(batch, features)``.
            y: Labels of shape ``(batch,)``.
            classes: Every class, on the first call.

        Returns:
            The classifier itself.
        """
        return self._fit(X, y, classes=classes, incremental=True)

    def predict_proba(self, X: object) -> np.ndarray:
        """Class probabilities, shape ``(n_samples, n_classes)``, in the order of ``classes_``.

        Args:
            X: Inputs of shape ``(batch, features)``.

        Returns:
            Probabilities of shape ``(batch, classes)``.
        """
        check_is_fitted(self)
        dtype = np.asarray(self.coefs_[0]).dtype
        X = validate_data(self, X, reset=False, dtype=dtype)
        return self._current_network(dtype).predict_proba(X)

    def predict(self, X: object) -> np.ndarray:
        """The most probable class label for each row, shape ``(n_samples,)``.

        Args:
            X: Inputs of shape ``(batch, features)``.

        Returns:
            The most probable class of each row, shape ``(batch,)``.
        """
        check_is_fitted(self)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    # ---------------------------------------------------------------- training
    def _fit(self, X: object, y: object, classes: object | None, incremental: bool):
        dtype = as_dtype(self.dtype)
        first_pass = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        X, y = validate_data(self, X, y, reset=first_pass, dtype=dtype)
        check_classification_targets(y)
        if first_pass:
            self._start(y, classes, dtype, incremental)
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(
                f"classes must be the same on every call to partial_fit: first "
                f"{self.classes_.tolist()}, now {np.unique(classes).tolist()}"
            )
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y holds labels {unknown.tolist()} that are not in classes_ "
                f"{self.classes_.tolist()}"
            )
        labels = np.searchsorted(self.classes_, y)
        self.coefs_, self.intercepts_ = self._checked_parameters(dtype)
        self._network = self._current_network(dtype, training=True)
        self._network_settings = self._settings_of_network(dtype)
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._make_optimizer()
        self._run_epochs(X, labels, epochs=1 if incremental else self.max_iter)
        return self

    def _start(self, y: np.ndarray, classes: object | None, dtype: np.dtype, incremental: bool):
        """Fresh network, weights, classes and counters (a first fit, or a fit without warm_start).

        The network is built here, once, and kept: later fits, ``partial_fit`` and
        predictions use it with whatever ``coefs_`` and ``intercepts_`` hold.
        """
        if incremental and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        self.classes_ = np.unique(y if classes is None else np.asarray(classes))
        self._rng = _make_rng(self.random_state)
        self._network = mlp(
            [self.n_features_in_, *self._hidden_sizes(), len(self.classes_)],
            activation=ACTIVATION_NAMES[self.activation],
            init=self.init,
            dropout=self.dropout,
            seed=self._rng,
            dtype=dtype,
        )
        self._network_settings = self._settings_of_network(dtype)
        dense = [layer for layer in self._network.layers if isinstance(layer, Dense)]
        # The network's own arrays (views of its flat parameter array): training updates them.
        self.coefs_ = [layer.parameters["W"] for layer in dense]
        self.intercepts_ = [layer.parameters["b"].reshape(-1) for layer in dense]
        self.n_iter_ = 0
        self.loss_curve_ = []
        self.n_layers_ = len(dense) + 1
        self.n_outputs_ = len(self.classes_)
        self.out_activation_ = "softmax"
        if hasattr(self, "_optimizer"):
            del self._optimizer

    # --8<-- [start:epochs]
    def _run_epochs(self, X: np.ndarray, labels: np.ndarray, epochs: int) -> None:
        """Mini-batch training as scikit-learn's MLP does it, one ``train_step`` per batch.

        Each batch gets its own L2 strength ``alpha / rows`` (the last batch of
        an epoch may be smaller), and ``loss_curve_`` adds scikit-learn's L2
        term, measured with the weights from before the batch's step.
        """
        network = self._network
        network.flat_parameters()  # packs arrays a user put in, so `weights` are the trained ones
        weights = [layer.parameters["W"] for layer in network.layers if isinstance(layer, Dense)]
        rows = len(X)
        batch_size = min(200, rows) if self.batch_size == "auto" else self.batch_size
        self.n_iter_ = 0  # as in scikit-learn: the epochs of this call
        try:
            # Overflow is handled: train_step turns it into a DivergenceError.
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(epochs):
                    loss_sum = 0.0
                    with diverging_at(self.n_iter_):
                        for batch in minibatches(rows, batch_size, self._rng, shuffle=self.shuffle):
                            squares = sum(float(np.vdot(W, W)) for W in weights)
                            loss = train_step(
                                network,
                                X[batch],
                                labels[batch],
                                self._optimizer,
                                l2=self.alpha / len(batch),
                                clip_norm=self.clip_norm,
                            )
                            loss_sum += loss * len(batch) + 0.5 * self.alpha * squares
                    self.n_iter_ += 1
                    self.loss_curve_.append(loss_sum / rows)
                    if self.verbose:
                        print(f"Iteration {self.n_iter_}, loss = {self.loss_curve_[-1]:.8f}")
        except KeyboardInterrupt:
            # Frames up to the caller: _fit, fit or partial_fit, scikit-learn's _fit_context.
            warnings.warn("Training interrupted by user.", stacklevel=5)
        finally:
            # Training may have moved the weights into a flat array of the network's own
            # (when a user had put arrays of their own in coefs_ or intercepts_): copy them
            # back into those arrays, which the user may hold.
            dense = [layer for layer in network.layers if isinstance(layer, Dense)]
            for W, b, layer in zip(self.coefs_, self.intercepts_, dense, strict=True):
                W[...] = layer.parameters["W"]
                b[...] = layer.parameters["b"].ravel()

    # --8<-- [end:epochs]

    def _make_optimizer(self) -> Optimizer:
        """The solver from scratchnet's ``OPTIMIZERS``, with the classifier's settings.

        ``"sgd"`` means what it means in MLPClassifier: plain gradient descent, or
        momentum (Nesterov's with ``nesterovs_momentum``) when ``momentum > 0``.
        """
        name = self.solver
        if name == "sgd" and self.momentum > 0:
            name = "nesterov" if self.nesterovs_momentum else "momentum"
        optimizer = make_optimizer(name, self.learning_rate_init, momentum=self.momentum)
        for setting, attribute in OPTIMIZER_SETTINGS.items():
            if hasattr(optimizer, attribute):
                setattr(optimizer, attribute, float(getattr(self, setting)))
        return optimizer

    # ------------------------------------------------------------ the network
    def _settings_of_network(self, dtype: np.dtype) -> tuple:
        """What the kept network was built with, beyond its weights (its layers' widths too:
        weights assigned for other hidden layers need a network of those layers)."""
        return (self.activation, self.dropout, np.dtype(dtype), tuple(self._hidden_sizes()))

    def _current_network(self, dtype: np.dtype, *, training: bool = False) -> Network:
        """The kept network, holding ``coefs_`` and ``intercepts_`` as its weights.

        A user may have written into those arrays (the network sees it) or put
        new ones in (they are put into the network's layers). When ``activation``,
        ``dropout`` or ``dtype`` changed since the network was built, a network
        with the new settings is made around the same weights: kept by a fit,
        used once by a prediction.
        """
        coefs, intercepts = self._checked_parameters(dtype)
        network = getattr(self, "_network", None)
        if network is None or self._network_settings != self._settings_of_network(dtype):
            return self._rebuilt_network(coefs, intercepts, dtype, for_training=training)
        dense = [layer for layer in network.layers if isinstance(layer, Dense)]
        for layer, W, b in zip(dense, coefs, intercepts, strict=True):
            if layer.parameters["W"] is not W:
                layer.parameters["W"] = W
            if not np.shares_memory(layer.parameters["b"], b):
                layer.parameters["b"] = b.reshape(1, -1)
        return network

    def _rebuilt_network(
        self,
        coefs: list[np.ndarray],
        intercepts: list[np.ndarray],
        dtype: np.dtype,
        *,
        for_training: bool,
    ) -> Network:
        """A network of the current settings around these weights.

        For training, dropout layers get new children of the seed, as ``mlp`` gives
        them; a prediction has no use for dropout and leaves the generator alone.
        """
        layers: list[Layer] = []
        for index, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
            dense = Dense(*W.shape, init="zeros", dtype=dtype)
            dense.parameters["W"], dense.parameters["b"] = W, b.reshape(1, -1)
            layers.append(dense)
            if index < len(coefs) - 1:
                layers.append(get_activation(ACTIVATION_NAMES[self.activation]))
                if self.dropout and for_training:
                    layers.append(Dropout(self.dropout, seed=self._rng.spawn(1)[0]))
        return Network(layers)

    def _checked_parameters(self, dtype: np.dtype) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``coefs_`` and ``intercepts_`` as C-contiguous arrays of one float dtype, shapes checked.

        Arrays that already fit are returned as they are, so training updates them in place.
        """
        units = [self.n_features_in_, *self._hidden_sizes(), len(self.classes_)]
        coefs, intercepts = list(self.coefs_), list(self.intercepts_)
        if len(coefs) != len(units) - 1 or len(intercepts) != len(units) - 1:
            raise ValueError(
                f"coefs_ and intercepts_ must hold {len(units) - 1} arrays each for layers "
                f"of {units} units, got {len(coefs)} and {len(intercepts)}"
            )
        for index, (fan_in, fan_out) in enumerate(itertools.pairwise(units)):
            coefs[index] = np.ascontiguousarray(coefs[index], dtype=dtype)
            intercepts[index] = np.ascontiguousarray(intercepts[index], dtype=dtype)
            if coefs[index].shape != (fan_in, fan_out):
                raise ValueError(
                    f"coefs_[{index}] must have shape {(fan_in, fan_out)}, got {coefs[index].shape}"
                )
            if intercepts[index].shape != (fan_out,):
                raise ValueError(
                    f"intercepts_[{index}] must have shape {(fan_out,)}, "
                    f"got {intercepts[index].shape}"
                )
        return coefs, intercepts

    def _hidden_sizes(self) -> list[int]:
        """``hidden_layer_sizes`` as a list (its type is checked by ``_parameter_constraints``)."""
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, Integral) else list(sizes)
        return [
            COUNT.check(size, f"hidden_layer_sizes[{index}]") for index, size in enumerate(sizes)
        ]


def _generator_state(rng: np.random.Generator) -> dict:
    """What a pickle or a deep copy keeps of the classifier's generator.

    Dropout's generators are spawned from the generator's seed sequence at each fit. Before
    NumPy 2 a pickled Generator comes back with a fresh, random seed sequence, so the
    sequence is kept here beside the generator's state.
    """
    seeds = rng.bit_generator.seed_seq
    return {
        "bit_generator": type(rng.bit_generator).__name__,
        "state": rng.bit_generator.state,
        "entropy": seeds.entropy,
        "spawn_key": seeds.spawn_key,
        "pool_size": seeds.pool_size,
        "n_children_spawned": seeds.n_children_spawned,
    }


def _generator_from(saved: dict) -> np.random.Generator:
    """The generator :func:`_generator_state` kept: same state, same seed sequence."""
    seeds = np.random.SeedSequence(
        saved["entropy"],
        spawn_key=saved["spawn_key"],
        pool_size=saved["pool_size"],
        n_children_spawned=saved["n_children_spawned"],
    )
    bit_generator = getattr(np.random, saved["bit_generator"])(seeds)
    bit_generator.state = saved["state"]
    return np.random.Generator(bit_generator)


def _make_rng(random_state: object) -> np.random.Generator:
    """A Generator from what ``random_state`` may be (checked by ``_parameter_constraints``).

    A ``RandomState`` is consumed as scikit-learn consumes one: one seed is drawn from it.
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)
