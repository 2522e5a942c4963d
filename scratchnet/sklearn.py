"""scratchnet as a scikit-learn classifier: fit, predict, pipelines, grid search.

Importing this module imports scikit-learn; ``import scratchnet`` does not.
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchnet.activations import get_activation
from scratchnet.initializers import INITIALIZERS
from scratchnet.layers import Dense, Dropout, Layer
from scratchnet.network import Network, mlp
from scratchnet.optimizers import SGD, Adam, Momentum, Optimizer
from scratchnet.training import DivergenceError, train_step
from scratchnet.validation import as_dtype, check_choice, check_number, check_positive_int

#: scikit-learn's activation names and scratchnet's layer for each.
ACTIVATION_NAMES = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "identity"}
SOLVERS = ("sgd", "adam")


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
        solver: ``"sgd"`` (with ``momentum`` and ``nesterovs_momentum``) or ``"adam"``.
        alpha: L2 strength in scikit-learn's convention: ``alpha / 2 · ΣW² / batch_rows``
            is added to each batch's loss (biases are not decayed).
        batch_size: rows per mini-batch, or ``"auto"`` for ``min(200, n_samples)``.
        learning_rate_init: the (constant) learning rate.
        max_iter: epochs per ``fit``; ``partial_fit`` runs one.
        shuffle: visit the rows in a new random order every epoch.
        random_state: seed (int), ``numpy.random.Generator``, or ``None`` for fresh
            entropy; it draws the initial weights, the batch order and the dropout masks.
        momentum: ``μ`` for ``solver="sgd"``; 0 is plain gradient descent.
        nesterovs_momentum: Nesterov's look-ahead step when ``momentum > 0``.
        beta_1: Adam's decay for the first moment.
        beta_2: Adam's decay for the second moment.
        epsilon: Adam's ``ε`` (scratchnet adds it to the bias-corrected ``√v̂``).
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = False
        return tags

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
        X = validate_data(self, X, reset=False, dtype=self._weights_dtype())
        return self._network(self._checked_parameters()).predict_proba(X)

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
        self._check_settings()
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
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._make_optimizer()
        self._run_epochs(X, labels, epochs=1 if incremental else self.max_iter)
        return self

    def _start(self, y: np.ndarray, classes: object | None, dtype: np.dtype, incremental: bool):
        """Fresh weights, classes and counters (a first fit, or any fit without warm_start)."""
        if incremental and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        self.classes_ = np.unique(y if classes is None else np.asarray(classes))
        self._rng = _make_rng(self.random_state)
        network = mlp(
            [self.n_features_in_, *self._hidden_sizes(), len(self.classes_)],
            activation=ACTIVATION_NAMES[self.activation],
            init=self.init,
            seed=self._rng,
            dtype=dtype,
        )
        dense = [layer for layer in network.layers if isinstance(layer, Dense)]
        self.coefs_ = [layer.parameters["W"] for layer in dense]
        self.intercepts_ = [layer.parameters["b"].ravel() for layer in dense]
        self.n_iter_ = 0
        self.loss_curve_ = []
        self.n_layers_ = len(dense) + 1
        self.n_outputs_ = len(self.classes_)
        self.out_activation_ = "softmax"
        if hasattr(self, "_optimizer"):
            del self._optimizer

    # --8<-- [start:epochs]
    def _run_epochs(self, X: np.ndarray, labels: np.ndarray, epochs: int) -> None:
        """Mini-batch training as scikit-learn's MLP does it, one ``train`` call per batch.

        Each batch gets its own L2 strength ``alpha / rows`` (the last batch of
        an epoch may be smaller), and ``loss_curve_`` adds scikit-learn's L2
        term, measured with the weights from before the batch's step.
        """
        network = self._network((self.coefs_, self.intercepts_))
        weights = [layer.parameters["W"] for layer in network.layers if isinstance(layer, Dense)]
        rows = len(X)
        batch_size = min(200, rows) if self.batch_size == "auto" else self.batch_size
        self.n_iter_ = 0  # as in scikit-learn: the epochs of this call
        try:
            for _ in range(epochs):
                order = self._rng.permutation(rows) if self.shuffle else np.arange(rows)
                loss_sum = 0.0
                for start in range(0, rows, batch_size):
                    batch = order[start : start + batch_size]
                    squares = sum(float(np.vdot(W, W)) for W in weights)
                    try:
                        # Overflow is handled: train_step turns it into a DivergenceError.
                        with np.errstate(over="ignore", invalid="ignore"):
                            loss = train_step(
                                network,
                                X[batch],
                                labels[batch],
                                self._optimizer,
                                l2=self.alpha / len(batch),
                                clip_norm=self.clip_norm,
                            )
                    except DivergenceError as error:
                        raise DivergenceError(
                            error.what, error.learning_rate, self.n_iter_
                        ) from None
                    loss_sum += loss * len(batch) + 0.5 * self.alpha * squares
                self.n_iter_ += 1
                self.loss_curve_.append(loss_sum / rows)
                if self.verbose:
                    print(f"Iteration {self.n_iter_}, loss = {self.loss_curve_[-1]:.8f}")
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.", stacklevel=3)
        finally:
            # The network keeps its parameters in one flat array of its own: copy them back
            # into coefs_ and intercepts_, whose arrays a user may hold.
            dense = [layer for layer in network.layers if isinstance(layer, Dense)]
            for W, b, layer in zip(self.coefs_, self.intercepts_, dense, strict=True):
                W[...] = layer.parameters["W"]
                b[...] = layer.parameters["b"].ravel()

    # --8<-- [end:epochs]

    def _make_optimizer(self) -> Optimizer:
        if self.solver == "adam":
            return Adam(self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon)
        if self.momentum > 0:
            return Momentum(
                self.learning_rate_init, self.momentum, nesterov=bool(self.nesterovs_momentum)
            )
        return SGD(self.learning_rate_init)

    # ------------------------------------------------------------ the network
    def _network(self, parameters: tuple[list[np.ndarray], list[np.ndarray]]) -> Network:
        """A scratchnet Network whose Dense layers start from the given arrays."""
        coefs, intercepts = parameters
        layers: list[Layer] = []
        for index, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
            dense = Dense(*W.shape, init="zeros", dtype=W.dtype)
            dense.parameters["W"], dense.parameters["b"] = W, b.reshape(1, -1)
            layers.append(dense)
            if index < len(coefs) - 1:
                layers.append(get_activation(ACTIVATION_NAMES[self.activation]))
                if self.dropout:
                    layers.append(Dropout(self.dropout, seed=self._rng))
        return Network(layers)

    def _weights_dtype(self) -> np.dtype:
        return np.asarray(self.coefs_[0]).dtype

    def _checked_parameters(
        self, dtype: np.dtype | None = None
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``coefs_`` and ``intercepts_`` as C-contiguous arrays of one float dtype, shapes checked.

        Arrays that already fit are returned as they are, so training updates them in place.
        """
        dtype = self._weights_dtype() if dtype is None else dtype
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

    # -------------------------------------------------------------- settings
    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral):
            sizes = [sizes]
        try:
            sizes = list(sizes)
        except TypeError:
            raise TypeError(
                f"hidden_layer_sizes must be a whole number or a sequence of them, got {sizes!r}"
            ) from None
        return [
            check_positive_int(size, f"hidden_layer_sizes[{index}]")
            for index, size in enumerate(sizes)
        ]

    def _check_settings(self) -> None:
        """Refuse bad hyper-parameters when fitting (scikit-learn's rule: never in ``__init__``)."""
        self._hidden_sizes()
        check_choice(self.activation, ACTIVATION_NAMES, "activation")
        check_choice(self.solver, SOLVERS, "solver")
        check_choice(self.init, INITIALIZERS, "init")
        check_number(self.alpha, "alpha", low=0.0)
        if self.batch_size != "auto":
            check_positive_int(self.batch_size, "batch_size")
        check_number(self.learning_rate_init, "learning_rate_init", low=0.0, low_inclusive=False)
        check_positive_int(self.max_iter, "max_iter")
        check_number(self.momentum, "momentum", low=0.0, high=1.0, high_inclusive=False)
        check_number(self.beta_1, "beta_1", low=0.0, high=1.0, high_inclusive=False)
        check_number(self.beta_2, "beta_2", low=0.0, high=1.0, high_inclusive=False)
        check_number(self.epsilon, "epsilon", low=0.0, low_inclusive=False)
        check_number(self.dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
        if self.clip_norm is not None:
            check_number(self.clip_norm, "clip_norm", low=0.0, low_inclusive=False)
        as_dtype(self.dtype)


def _make_rng(random_state: object) -> np.random.Generator:
    """A Generator from scikit-learn's kinds of ``random_state``: None, int, or a generator."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        # scikit-learn lets a RandomState instance be consumed; draw one seed from it.
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if random_state is None or (
        isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
    ):
        return np.random.default_rng(random_state)
    raise TypeError(
        "random_state must be None, a whole number, a numpy.random.Generator or a "
        f"numpy.random.RandomState, got {random_state!r}"
    )
