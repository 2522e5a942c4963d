"""Binds features/reference_implementations.feature: scratchnet against scikit-learn's MLP."""

from __future__ import annotations

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when
from sklearn.neural_network import MLPClassifier

from scratchnet import SGD, Network, softmax_cross_entropy
from steps.network_steps import Batch

scenarios("reference_implementations.feature")


@given(
    parsers.parse(
        "scikit-learn's MLPClassifier set to plain gradient descent "
        "at learning rate {rate:g} in batches of {size:d}"
    ),
    target_fixture="reference",
)
def sklearn_mlp(rate: float, size: int) -> MLPClassifier:
    return MLPClassifier(
        hidden_layer_sizes=(128,),
        solver="sgd",
        learning_rate_init=rate,
        momentum=0.0,
        alpha=0.0,
        batch_size=size,
        shuffle=False,
        random_state=0,
    )


@given("scikit-learn's network starts from the same weights")
def same_weights(reference: MLPClassifier, network: Network, batch: Batch) -> None:
    X, y = batch.X, batch.y
    # partial_fit once so scikit-learn allocates its arrays, then overwrite them.
    reference.partial_fit(
        X[: reference.batch_size], y[: reference.batch_size], classes=np.arange(10)
    )
    dense = [layer for layer in network.layers if "W" in layer.parameters]
    reference.coefs_ = [layer.parameters["W"].copy() for layer in dense]
    reference.intercepts_ = [layer.parameters["b"].ravel().copy() for layer in dense]


@when("both train for one epoch on the same batches in the same order")
def one_epoch_each(reference: MLPClassifier, network: Network, batch: Batch) -> None:
    X, y = batch.X, batch.y
    reference.partial_fit(X, y)
    optimizer = SGD(reference.learning_rate_init)
    for start in range(0, len(X), reference.batch_size):
        rows = slice(start, start + reference.batch_size)
        _, grad_logits = softmax_cross_entropy(network.forward(X[rows], training=True), y[rows])
        network.backward(grad_logits)
        optimizer.step(network.parameters(), network.gradients())


@then(parsers.parse("both give the same class probabilities to within {tolerance:g}"))
def same_probabilities(
    reference: MLPClassifier,
    network: Network,
    batch: Batch,
    tolerance: float,
) -> None:
    X = batch.X
    difference = np.abs(reference.predict_proba(X) - network.predict_proba(X)).max()
    assert difference <= tolerance, f"largest difference in probability: {difference:.3g}"


@then(parsers.parse("every weight and bias agrees to within {tolerance:g}"))
def same_parameters(reference: MLPClassifier, network: Network, tolerance: float) -> None:
    dense = [layer for layer in network.layers if "W" in layer.parameters]
    for number, (layer, W, b) in enumerate(
        zip(dense, reference.coefs_, reference.intercepts_, strict=True), start=1
    ):
        gaps = {
            f"W{number}": np.abs(layer.parameters["W"] - W).max(),
            f"b{number}": np.abs(layer.parameters["b"].ravel() - b).max(),
        }
        far = {name: f"{gap:.3g}" for name, gap in gaps.items() if gap > tolerance}
        assert not far, f"largest difference from scikit-learn: {far}"
