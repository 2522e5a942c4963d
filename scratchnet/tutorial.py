"""The tutorial's ``NeuralNetwork`` class, kept for code written against it.

Same constructor, attributes and methods as the tutorial (``W1``, ``b1``,
``W2``, ``b2``, ``relu``, ``softmax``, ``forward``, ``compute_loss``,
``backward``, ``train``, ``predict``), built on the general core: its layers
are a :class:`~scratchnet.network.Network`, and ``train`` is
:func:`~scratchnet.training.train` with plain SGD.
"""

from __future__ import annotations

import numpy as np

from scratchnet import activations
from scratchnet.losses import cross_entropy
from scratchnet.network import mlp
from scratchnet.optimizers import SGD
from scratchnet.training import DivergenceError, History, train, train_step
from scratchnet.validation import (
    check_features,
    check_finite_numbers,
    check_labels,
    check_positive_int,
    check_same_length,
    finite_result,
    make_rng,
)


class LayerParameter:
    """An attribute that reads and writes one parameter of one layer (``W1`` is ``hidden.W``)."""

    def __init__(self, layer: str, name: str) -> None:
        self.layer, self.name = layer, name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, instance: object, owner: type | None = None) -> np.ndarray:
        if instance is None:
            return self
        return getattr(instance, self.layer).parameters[self.name]

    def __set__(self, instance: object, value: object) -> None:
        current = self.__get__(instance)
        value = check_finite_numbers(value, self.attribute)
        if value.shape != current.shape:
            raise ValueError(f"{self.attribute} must have shape {current.shape}, got {value.shape}")
        current[...] = value


class NeuralNetwork:
    """input → hidden (ReLU) → output (softmax), weights ``N(0, 1) × 0.01``, biases zero.

    Args:
        input_size: Inputs per row (784 for MNIST, 64 for the digits).
        hidden_size: Hidden units.
        output_size: Classes.
        seed: A seed or generator for the weights and the shuffling.
    """

    def __init__(
        self,
        input_size: int = 784,
        hidden_size: int = 128,
        output_size: int = 10,
        *,
        seed: np.random.Generator | int | None = 0,
    ) -> None:
        sizes = {"input_size": input_size, "hidden_size": hidden_size, "output_size": output_size}
        for name, size in sizes.items():
            check_positive_int(size, name)
        self.rng = make_rng(seed)
        self.network = mlp(list(sizes.values()), init="tutorial", seed=self.rng)
        self.hidden, self.activation, self.output = self.network.layers

    # The tutorial's four arrays are the two Dense layers' parameters.
    W1 = LayerParameter("hidden", "W")
    b1 = LayerParameter("hidden", "b")
    W2 = LayerParameter("output", "W")
    b2 = LayerParameter("output", "b")

    def relu(self, Z: np.ndarray) -> np.ndarray:
        """``max(0, Z)``, element by element.

        Args:
            Z: Any array of finite numbers.

        Returns:
            ``Z`` with every negative entry replaced by zero.
        """
        return np.maximum(0, check_finite_numbers(Z, "Z"))

    def softmax(self, Z: np.ndarray) -> np.ndarray:
        """Rows of scores ``(batch, classes)`` → rows of probabilities.

        Args:
            Z: Scores of shape ``(batch, classes)``.

        Returns:
            Probabilities of shape ``(batch, classes)``.
        """
        Z = check_features(Z, "Z", dtype=np.float64)
        return finite_result(lambda: activations.softmax(Z), "Z")

    def forward(self, X: object) -> np.ndarray:
        """``(batch, input_size)`` → probabilities ``(batch, output_size)``; keeps Z1 A1 Z2 A2.

        Args:
            X: Inputs of shape ``(batch, input_size)``.

        Returns:
            ``A2``, probabilities of shape ``(batch, output_size)``.
        """
        X = check_features(X, "X", n_features=self.network.n_features)
        self.__dict__.pop("A2", None)  # a failed pass leaves nothing for backward to use
        self.Z1 = finite_result(lambda: self.hidden.forward_unchecked(X), "X")
        self.A1 = self.relu(self.Z1)
        self.Z2 = finite_result(lambda: self.output.forward_unchecked(self.A1), "X")
        self.A2 = activations.softmax(self.Z2)
        return self.A2

    def compute_loss(self, Y_true: object, Y_pred: object) -> float:
        """Mean cross-entropy of probabilities ``Y_pred`` against one-hot ``Y_true``.

        Args:
            Y_true: One-hot rows ``(batch, output_size)`` or labels ``(batch,)``.
            Y_pred: Probabilities of shape ``(batch, output_size)``.

        Returns:
            The mean cross-entropy over the rows.
        """
        Y_pred = check_features(Y_pred, "Y_pred", n_features=self.network.n_classes)
        if np.any((Y_pred < 0) | (Y_pred > 1)):
            raise ValueError("Y_pred must hold probabilities between 0 and 1")
        labels = check_labels(Y_true, self.network.n_classes, "Y_true")
        check_same_length(labels, Y_pred, "Y_true and Y_pred")
        return cross_entropy(Y_pred, labels)

    def backward(self, X: object, Y_true: object, learning_rate: float = 0.01) -> None:
        """One gradient-descent step on the batch of the last ``forward(X)``.

        Runs the project's one training step, whose fused gradient is the
        tutorial's ``dZ2 = A2 − Y`` (divided by the batch size, since the loss
        is a mean). ``Y_true`` holds labels or one-hot rows.

        Args:
            X: The batch given to the last ``forward``.
            Y_true: Its one-hot rows or labels.
            learning_rate: The step size.
        """
        if not hasattr(self, "A2"):
            raise ValueError("backward needs a forward pass first: call forward(X) with the same X")
        X = check_features(X, "X", n_features=self.network.n_features)
        if not np.array_equal(X, self.hidden.inputs):
            raise ValueError("X must be the batch given to the last forward pass")
        labels = check_labels(Y_true, self.network.n_classes, "Y_true")
        check_same_length(labels, X, "Y_true and X")
        parameters = self.network.parameters
        before = [p.copy() for p in parameters]
        # An overflowing step is an expected, handled case: it is undone and refused below.
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                train_step(self.network, X, labels, SGD(learning_rate))
                finite = all(np.isfinite(p).all() for p in parameters)
            except DivergenceError:
                finite = False
        if not finite:
            for parameter, kept in zip(parameters, before, strict=True):
                np.copyto(parameter, kept)
            raise ValueError(
                f"X or learning_rate ({learning_rate:g}) is so large that this step "
                "would make the weights overflow; the step was undone"
            )

    def train(
        self, X_train: object, Y_train: object, epochs: int = 100, batch_size: int = 32
    ) -> History:
        """Mini-batch SGD at learning rate 0.01, printing the loss every 10 epochs.

        Args:
            X_train: Inputs of shape ``(batch, input_size)``.
            Y_train: One-hot rows or labels.
            epochs: Passes over the data.
            batch_size: Rows per step.

        Returns:
            The loss epoch by epoch.
        """
        X_train = check_features(X_train, "X_train", n_features=self.network.n_features)
        labels = check_labels(Y_train, self.network.n_classes, "Y_train")
        check_same_length(X_train, labels, "X_train and Y_train")

        def report(epoch: int, history: History) -> None:
            if epoch % 10 == 0:
                print(f"Epoch {epoch}, Loss: {history.train_loss[-1]:.4f}")

        return train(
            self.network,
            X_train,
            labels,
            optimizer=SGD(0.01),
            epochs=epochs,
            batch_size=batch_size,
            seed=self.rng,
            on_epoch_end=report,
        )

    def predict(self, X: object) -> np.ndarray:
        """The class with the highest probability, shape ``(batch,)``.

        Args:
            X: Inputs of shape ``(batch, input_size)``.

        Returns:
            Class indices of shape ``(batch,)``.
        """
        return np.argmax(self.forward(X), axis=1)
