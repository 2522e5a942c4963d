"""Binds features/regularisation.feature: L2, dropout, gradient clipping and early stopping."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.gradcheck import gradcheck
from scratchnet.layers import Dropout
from scratchnet.network import Network, mlp
from scratchnet.optimizers import SGD
from scratchnet.regularization import clip_by_global_norm, l2_penalty
from scratchnet.training import History, evaluate_loss, train
from steps.digits_steps import digits_split
from steps.math_steps import refusal
from steps.model_steps import weight_matrices
from steps.network_steps import Batch, drawn_per_seed, seeds_between
from steps.support.training_watch import TrainingWatch

scenarios("regularisation.feature")


class Split(NamedTuple):
    """A small training set and a validation set cut from the digits (split seed 0)."""

    train: Batch
    validation: Batch


def gradient_arrays(text: str) -> list[np.ndarray]:
    """``"3 4 and 12"`` → ``[array([3., 4.]), array([12.])]``; entries may be fractions."""
    return [
        np.array([float(Fraction(value)) for value in part.split()]) for part in text.split(" and ")
    ]


def random_gradients(rng: np.random.Generator) -> list[np.ndarray]:
    """N(0, 1) arrays shaped like the parameters of a 64 → 128 → 10 network."""
    return [rng.standard_normal(p.shape) for p in mlp([64, 128, 10], seed=0).parameters]


# L2 weight decay


@when(
    parsers.parse("its L2 penalty at strength {strength:g} is worked out"),
    target_fixture="penalties",
)
def work_out_penalty(network: Network, strength: float) -> tuple[float, float]:
    """The penalty, and what it would be if the biases were counted too."""
    return l2_penalty(weight_matrices(network), strength), l2_penalty(network.parameters, strength)


@then(
    parsers.parse(
        "the penalty is {expected:g} to within {tolerance:g}, with nothing from the biases"
    )
)
def penalty_is(penalties: tuple[float, float], expected: float, tolerance: float) -> None:
    penalty, with_biases = penalties
    assert abs(penalty - expected) <= tolerance, penalty
    assert with_biases > penalty + 1, "the example's biases must matter if counted"


@given(
    parsers.parse("a 64 → 32 → 10 network with seed {seed:d} and {rows:d} training digits"),
    target_fixture="start",
)
def network_and_digits(seed: int, rows: int) -> tuple[Network, Batch]:
    digits = digits_split(0)
    return mlp([64, 32, 10], seed=seed), Batch(digits.X_train[:rows], digits.y_train[:rows])


@when(
    parsers.parse(
        "it takes one full-batch step of gradient descent at learning rate {rate:g}, "
        "once with L2 strength {strength:g} and once without"
    ),
    target_fixture="l2_step",
)
def one_step_each_way(start: tuple[Network, Batch], rate: float, strength: float) -> dict:
    network, batch = start
    stepped = {}
    for l2 in (strength, 0.0):
        copied = copy.deepcopy(network)
        train(
            copied, batch.X, batch.y, optimizer=SGD(rate), epochs=1, batch_size=len(batch.X), l2=l2
        )
        stepped[l2] = copied
    return {"start": network, "with": stepped[strength], "without": stepped[0.0]}


@then(
    parsers.parse(
        "every weight differs between the two by −{rate:g} × {strength:g} × its starting value, "
        "to within {tolerance:g}"
    )
)
def weights_differ_by_decay(l2_step: dict, rate: float, strength: float, tolerance: float) -> None:
    for start, decayed, plain in zip(
        weight_matrices(l2_step["start"]),
        weight_matrices(l2_step["with"]),
        weight_matrices(l2_step["without"]),
        strict=True,
    ):
        np.testing.assert_allclose(
            decayed - plain, -rate * strength * start, rtol=0, atol=tolerance
        )


@then("every bias is the same in both, bit for bit")
def biases_same(l2_step: dict) -> None:
    for (name, decayed), (_, plain) in zip(
        l2_step["with"].named_parameters(), l2_step["without"].named_parameters(), strict=True
    ):
        if name.startswith("b"):
            np.testing.assert_array_equal(decayed, plain, err_msg=name)


# Dropout


@when(
    parsers.parse(
        "dropout at rate {rate:g} is applied in training to 100,000 ones, "
        "for each seed from {first:d} to {last:d}"
    ),
    target_fixture="dropped",
)
def dropout_on_ones(rate: float, first: int, last: int) -> dict[int, np.ndarray]:
    ones = np.ones((1000, 100))
    return {
        seed: Dropout(rate, seed=seed).forward(ones, training=True)
        for seed in seeds_between(first, last)
    }


@then(parsers.parse("the mean output is 1 to within {tolerance:g} for every seed"))
def mean_preserved(dropped: dict[int, np.ndarray], tolerance: float) -> None:
    off = {seed: out.mean() for seed, out in dropped.items() if abs(out.mean() - 1) > tolerance}
    assert not off, f"mean outputs off by more than {tolerance}: {off}"


@then(parsers.parse("the share of zeros is {rate:g} to within {tolerance:g} for every seed"))
def zero_share(dropped: dict[int, np.ndarray], rate: float, tolerance: float) -> None:
    shares = {seed: float(np.mean(out == 0)) for seed, out in dropped.items()}
    off = {seed: share for seed, share in shares.items() if abs(share - rate) > tolerance}
    assert not off, f"zero shares off by more than {tolerance}: {off}"


@when(
    parsers.parse(
        "dropout at rate {rate:g} is applied to a batch of digits, once in training and once not"
    ),
    target_fixture="dropout_outputs",
)
def dropout_both_ways(rate: float) -> dict[str, np.ndarray]:
    inputs = digits_split(0).X_test[:100]
    layer = Dropout(rate, seed=0)
    return {
        "inputs": inputs,
        "training": layer.forward(inputs, training=True),
        "not training": layer.forward(inputs),  # outside training is the default
    }


@then("outside training the batch comes out unchanged, bit for bit")
def unchanged_outside_training(dropout_outputs: dict[str, np.ndarray]) -> None:
    np.testing.assert_array_equal(dropout_outputs["not training"], dropout_outputs["inputs"])


@then("in training some values are zeroed")
def zeroed_in_training(dropout_outputs: dict[str, np.ndarray]) -> None:
    zeroed = (dropout_outputs["training"] == 0) & (dropout_outputs["inputs"] != 0)
    assert zeroed.any(), "dropout in training zeroed none of the non-zero inputs"


@when(
    parsers.parse(
        "dropout layers at rate {rate:g} built with seeds {a:d}, {b:d} and {c:d}"
        " are applied in training to 100,000 ones"
    ),
    target_fixture="dropped_by_layer",
)
def dropout_layers_on_ones(rate: float, a: int, b: int, c: int) -> list[tuple[int, np.ndarray]]:
    ones = np.ones((1000, 100))
    return [(seed, Dropout(rate, seed=seed).forward(ones, training=True)) for seed in (a, b, c)]


@then(parsers.parse("both layers with seed {seed:d} zero the same entries"))
def same_seed_same_zeros(dropped_by_layer: list[tuple[int, np.ndarray]], seed: int) -> None:
    first, second = (out == 0 for s, out in dropped_by_layer if s == seed)
    np.testing.assert_array_equal(first, second)


@then(parsers.parse("the layer with seed {seed:d} zeroes other entries"))
def other_seed_other_zeros(dropped_by_layer: list[tuple[int, np.ndarray]], seed: int) -> None:
    (other,) = (out == 0 for s, out in dropped_by_layer if s == seed)
    assert not np.array_equal(other, dropped_by_layer[0][1] == 0), "the same entries were zeroed"


@when(
    parsers.parse(
        "dropout at rate {rate:g} is applied in training to a batch of digits"
        " and their gradient goes back through it"
    ),
    target_fixture="passed_through",
)
def dropout_there_and_back(rate: float) -> dict[str, object]:
    inputs = digits_split(0).X_test[:100]
    gradient = np.random.default_rng(0).standard_normal(inputs.shape)
    layer = Dropout(rate, seed=0)
    outputs = layer.forward(inputs, training=True)
    return {
        "layer": layer,
        "inputs": inputs,
        "outputs": outputs,
        "gradient": gradient,
        "back": layer.backward(gradient),
    }


@then("the batch and the gradient come out unchanged, bit for bit")
def unchanged_both_ways(passed_through: dict[str, object]) -> None:
    np.testing.assert_array_equal(passed_through["outputs"], passed_through["inputs"])
    np.testing.assert_array_equal(passed_through["back"], passed_through["gradient"])


@then("the layer has no parameters and no parameter gradients")
def no_parameters(passed_through: dict) -> None:
    layer = passed_through["layer"]
    assert (layer.parameters, layer.gradients) == ({}, {})


@given(
    parsers.parse(
        "a network that drops its inputs at rate {rate:g} and then is {sizes}, seed {seed:d}"
    ),
    target_fixture="network",
)
def input_dropout_network(rate: float, sizes: str, seed: int) -> Network:
    widths = [int(width) for width in sizes.split(" → ")]
    rng = np.random.default_rng(seed)
    return Network([Dropout(rate, seed=rng), *mlp(widths, seed=rng).layers])


@then(
    parsers.parse(
        "backpropagation's gradients agree with finite differences"
        " to a relative error below {bound:g}"
    )
)
def agrees_with_finite_differences(network: Network, batch: Batch, bound: float) -> None:
    errors = gradcheck(network, batch.X, batch.y)
    assert max(errors.values()) < bound, errors


@when(
    "it gives its scores for the batch in training and outside training",
    target_fixture="scores_both_ways",
)
def scores_both_ways(network: Network, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    return network.forward(batch.X, training=True), network.forward(batch.X, training=False)


@when(
    parsers.parse(
        "it and a twin built with seed {seed:d} give their scores for the batch in training"
    ),
    target_fixture="scores_both_ways",
)
def scores_of_twins(network: Network, batch: Batch, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rate = next(layer.rate for layer in network.layers if isinstance(layer, Dropout))
    twin = mlp([64, 128, 10], dropout=rate, seed=seed)
    return network.forward(batch.X, training=True), twin.forward(batch.X, training=True)


@then("both scores are identical, bit for bit")
def scores_identical(scores_both_ways: tuple[np.ndarray, np.ndarray]) -> None:
    first, second = scores_both_ways
    assert first.tobytes() == second.tobytes()


@then("the scores differ")
def scores_differ(scores_both_ways: tuple[np.ndarray, np.ndarray]) -> None:
    in_training, outside = scores_both_ways
    assert not np.array_equal(in_training, outside), "dropout changed nothing in training"


@when("it gives its probabilities for the batch twice", target_fixture="predictions")
def probabilities_twice(network: Network, batch: Batch) -> list[np.ndarray]:
    without_dropout = Network([layer for layer in network.layers if not isinstance(layer, Dropout)])
    return [
        network.predict_proba(batch.X),
        network.predict_proba(batch.X),
        without_dropout.predict_proba(batch.X),
    ]


@then("both times are identical, bit for bit")
def predictions_identical(predictions: list[np.ndarray]) -> None:
    np.testing.assert_array_equal(predictions[0], predictions[1])


@then("they equal those of the same weights with the dropout layers taken out")
def same_as_without_dropout(predictions: list[np.ndarray]) -> None:
    np.testing.assert_array_equal(predictions[0], predictions[2])


# Gradient clipping


@given(parsers.parse("the gradients {gradients}"), target_fixture="gradients")
def gradients_given(gradients: str) -> dict[int, list[np.ndarray]]:
    return {0: gradient_arrays(gradients)}


@given(
    parsers.parse(
        "gradients for a 64 → 128 → 10 network drawn from N(0, 1), "
        "for each seed from {first:d} to {last:d}"
    ),
    target_fixture="gradients",
)
def random_gradients_per_seed(first: int, last: int) -> dict[int, list[np.ndarray]]:
    return drawn_per_seed(first, last, random_gradients)


@when(
    parsers.parse("they are clipped to a global norm of {limit:g}"),
    target_fixture="clipped",
)
def clip(gradients: dict[int, list[np.ndarray]], limit: float) -> dict[int, list[np.ndarray]]:
    clipped = {seed: [g.copy() for g in arrays] for seed, arrays in gradients.items()}
    for arrays in clipped.values():
        clip_by_global_norm(arrays, limit)
    return clipped


def joint_length(arrays: list[np.ndarray]) -> float:
    return float(np.sqrt(sum(np.sum(g * g) for g in arrays)))


@then(parsers.parse("the gradients are {expected} to within {tolerance:g}"))
def gradients_are(clipped: dict[int, list[np.ndarray]], expected: str, tolerance: float) -> None:
    for actual, wanted in zip(clipped[0], gradient_arrays(expected), strict=True):
        np.testing.assert_allclose(actual, wanted, rtol=0, atol=tolerance)


@then(parsers.parse("their joint length is {limit:g} to within {tolerance:g} for every seed"))
def length_is_limit(clipped: dict[int, list[np.ndarray]], limit: float, tolerance: float) -> None:
    lengths = {seed: joint_length(arrays) for seed, arrays in clipped.items()}
    off = {seed: length for seed, length in lengths.items() if abs(length - limit) > tolerance}
    assert not off, off


@then(
    parsers.parse(
        "every gradient was multiplied by the same factor, to within {tolerance:g}, for every seed"
    )
)
def same_factor(
    gradients: dict[int, list[np.ndarray]], clipped: dict[int, list[np.ndarray]], tolerance: float
) -> None:
    for seed, originals in gradients.items():
        factor = joint_length(clipped[seed]) / joint_length(originals)
        assert factor < 1, f"seed {seed}: the gradients were not long enough to need clipping"
        for original, shortened in zip(originals, clipped[seed], strict=True):
            np.testing.assert_allclose(shortened, factor * original, rtol=tolerance, atol=0)


@then("every gradient is unchanged, bit for bit, for every seed")
def gradients_unchanged(
    gradients: dict[int, list[np.ndarray]], clipped: dict[int, list[np.ndarray]]
) -> None:
    for seed, originals in gradients.items():
        for original, after in zip(originals, clipped[seed], strict=True):
            np.testing.assert_array_equal(after, original)


# Early stopping


@given(
    parsers.parse("{train_rows:d} training digits and {validation_rows:d} validation digits"),
    target_fixture="split",
)
def small_split(train_rows: int, validation_rows: int) -> Split:
    """Cut from the training part of the digits (split seed 0); the two do not overlap."""
    digits = digits_split(0)
    end = train_rows + validation_rows
    return Split(
        Batch(digits.X_train[:train_rows], digits.y_train[:train_rows]),
        Batch(digits.X_train[train_rows:end], digits.y_train[train_rows:end]),
    )


class Stopped(NamedTuple):
    """One seed's early-stopped training: its history, the validation loss of the weights
    it ended with, and a copy of the weights after each epoch."""

    history: History
    final_loss: float
    weights: list[list[np.ndarray]]


def train_with_patience(
    split: Split, rate: float, patience: int, epochs: int, first: int, last: int, dropout: float
) -> dict[int, Stopped]:
    stopped = {}
    for seed in seeds_between(first, last):
        network = mlp([64, 64, 10], init="he", dropout=dropout, seed=seed)
        weights: list[list[np.ndarray]] = []
        history = train(
            network,
            split.train.X,
            split.train.y,
            optimizer=SGD(rate),
            epochs=epochs,
            seed=seed,
            validation=(split.validation.X, split.validation.y),
            patience=patience,
            on_epoch_end=lambda epoch, history, net=network, kept=weights: kept.append(
                [p.copy() for p in net.parameters]
            ),
        )
        final = evaluate_loss(network, split.validation.X, split.validation.y)
        stopped[seed] = Stopped(history, final, weights)
    return stopped


@when(
    parsers.parse(
        "a 64 → 64 → 10 network learns at rate {rate:g} with patience {patience:d} "
        "for at most {epochs:d} epochs, for each seed from {first:d} to {last:d}"
    ),
    target_fixture="stopped",
)
def train_plain_with_patience(
    split: Split, rate: float, patience: int, epochs: int, first: int, last: int
) -> dict[int, Stopped]:
    return train_with_patience(split, rate, patience, epochs, first, last, dropout=0.0)


@when(
    parsers.parse(
        "a 64 → 64 → 10 network with dropout rate {dropout:g} learns at rate {rate:g} with "
        "patience {patience:d} for at most {epochs:d} epochs, for each seed from {first:d} "
        "to {last:d}"
    ),
    target_fixture="stopped",
)
def train_dropout_with_patience(
    split: Split, dropout: float, rate: float, patience: int, epochs: int, first: int, last: int
) -> dict[int, Stopped]:
    return train_with_patience(split, rate, patience, epochs, first, last, dropout=dropout)


@then(parsers.parse("training stopped early, before epoch {epoch:d}, for every seed"))
def stopped_early(stopped: dict[int, Stopped], epoch: int) -> None:
    late = {
        seed: history.epochs_run
        for seed, (history, _, _) in stopped.items()
        if not history.stopped_early or history.epochs_run > epoch
    }
    assert not late, f"epochs run, by seed: {late}"


@then(parsers.parse("it ran exactly {patience:d} epochs past the best one, for every seed"))
def patience_epochs_past_best(stopped: dict[int, Stopped], patience: int) -> None:
    past = {seed: s.history.epochs_run - 1 - s.history.best_epoch for seed, s in stopped.items()}
    assert set(past.values()) == {patience}, f"epochs past the best, by seed: {past}"


@given(
    parsers.parse(
        "a 64 → 32 → 32 → 10 network with dropout rate {rate:g} after each hidden layer, "
        "seed {seed:d}"
    ),
    target_fixture="network",
)
def deep_network_with_dropout(rate: float, seed: int) -> Network:
    return mlp([64, 32, 32, 10], dropout=rate, seed=seed)


@when("it gives its scores for the batch in training")
def scores_in_training(network: Network, batch: Batch) -> None:
    network.forward(batch.X, training=True)


@then(parsers.parse("each dropout layer kept exactly the units its child of seed {seed:d} keeps"))
def masks_from_children(network: Network, seed: int) -> None:
    dropouts = [layer for layer in network.layers if isinstance(layer, Dropout)]
    assert len(dropouts) == 2, f"expected 2 dropout layers, found {len(dropouts)}"
    for k, layer in enumerate(dropouts, start=1):
        child = np.random.default_rng(np.random.SeedSequence(seed).spawn(k)[k - 1])
        expected = child.random(layer.mask.shape) >= layer.rate
        np.testing.assert_array_equal(layer.mask != 0, expected, f"dropout layer {k}")


@then("every validation loss recorded is the same, for every seed")
def validation_loss_constant(stopped: dict[int, Stopped]) -> None:
    varied = {
        seed: history.validation_loss
        for seed, (history, _, _) in stopped.items()
        if len(set(history.validation_loss)) != 1
    }
    assert not varied, f"validation losses that changed, by seed: {varied}"


@then("the best epoch is the first, for every seed")
def best_epoch_first(stopped: dict[int, Stopped]) -> None:
    best = {seed: s.history.best_epoch for seed, s in stopped.items()}
    assert set(best.values()) == {0}, f"best epochs, by seed: {best}"


@then("the last validation loss recorded is higher than the lowest, for every seed")
def validation_loss_rose(stopped: dict[int, Stopped]) -> None:
    for seed, (history, _, _) in stopped.items():
        assert history.validation_loss[-1] > min(history.validation_loss), seed


@then(
    parsers.parse(
        "the validation loss after training equals the lowest one recorded, "
        "to within {tolerance:g}, for every seed"
    )
)
def best_weights_restored(stopped: dict[int, Stopped], tolerance: float) -> None:
    for seed, (history, final, _) in stopped.items():
        assert abs(final - min(history.validation_loss)) <= tolerance, (seed, final)


@when(
    parsers.parse("a network is trained with patience {patience:d} but no validation data"),
    target_fixture="refused",
)
def patience_without_validation(split: Split, patience: int) -> Exception | None:
    network = mlp([64, 64, 10], seed=0)
    return refusal(lambda: train(network, split.train.X, split.train.y, patience=patience))


def plain_numpy_scores(weights: list[np.ndarray], batch: Batch) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of a 2-layer ReLU network with no dropout, by hand."""
    W1, b1, W2, b2 = weights
    Z2 = np.maximum(batch.X @ W1 + b1, 0.0) @ W2 + b2
    log_p = Z2 - Z2.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    rows = np.arange(len(batch.y))
    return float(-log_p[rows, batch.y].mean()), float(np.mean(Z2.argmax(axis=1) == batch.y))


@then(
    parsers.parse(
        "every validation loss and accuracy recorded is that of the epoch's weights with "
        "dropout off, worked out in plain NumPy, to within {tolerance:g}, for every seed"
    )
)
def validation_without_dropout(stopped: dict[int, Stopped], split: Split, tolerance: float):
    for seed, (history, _, weights) in stopped.items():
        assert len(weights) == len(history.validation_loss) == history.epochs_run, seed
        for epoch, kept in enumerate(weights):
            loss, accuracy = plain_numpy_scores(kept, split.validation)
            recorded = history.validation_loss[epoch], history.validation_accuracy[epoch]
            assert abs(recorded[0] - loss) <= tolerance, (seed, epoch, recorded, loss)
            assert recorded[1] == accuracy, (seed, epoch, recorded, accuracy)


@then("the dropout layer zeroes some of the hidden units in training")
def dropout_zeroes_some(network: Network, batch: Batch) -> None:
    """On a copy, whose dropout generator stands where the gradient check's copy starts."""
    work = copy.deepcopy(network)
    work.forward(batch.X, training=True)
    (mask,) = (layer.mask for layer in work.layers if isinstance(layer, Dropout))
    assert (mask == 0).any() and (mask != 0).any(), mask


@when(
    parsers.parse(
        "it is trained on the batch for {epochs:d} epochs in batches of {size:d}, "
        "noting the dropout mask of each step"
    ),
    target_fixture="masks",
)
def train_noting_masks(network: Network, batch: Batch, epochs: int, size: int) -> list[np.ndarray]:
    with TrainingWatch.watching() as watch:
        train(network, batch.X, batch.y, optimizer=SGD(0.01), epochs=epochs, batch_size=size)
    return watch.dropout_masks


@then(parsers.parse("no two of the {steps:d} steps used the same mask"))
def masks_all_differ(masks: list[np.ndarray], steps: int) -> None:
    assert len(masks) == steps, f"{len(masks)} steps"
    same = [
        (a, b)
        for a in range(len(masks))
        for b in range(a + 1, len(masks))
        if np.array_equal(masks[a], masks[b])
    ]
    assert not same, f"steps with the same mask: {same}"


@then(parsers.parse("the masks are successive draws of the first child of seed {seed:d}"))
def masks_successive_draws(masks: list[np.ndarray], network: Network, seed: int) -> None:
    (rate,) = (layer.rate for layer in network.layers if isinstance(layer, Dropout))
    child = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    for step, mask in enumerate(masks, start=1):
        np.testing.assert_array_equal(mask != 0, child.random(mask.shape) >= rate, f"step {step}")


class ForgetfulDropout(Dropout):
    """Dropout whose backward pass lets every gradient through, as if there were no mask."""

    def backward(self, grad_outputs: np.ndarray) -> np.ndarray:
        return grad_outputs


@given(
    parsers.parse(
        "a {sizes} network with dropout rate {rate:g} after its hidden layer, seed {seed:d}, "
        "whose dropout forgets its mask going back"
    ),
    target_fixture="network",
)
def network_with_forgetful_dropout(sizes: str, rate: float, seed: int) -> Network:
    network = mlp([int(width) for width in sizes.split(" → ")], dropout=rate, seed=seed)
    for index, layer in enumerate(network.layers):
        if isinstance(layer, Dropout):
            forgetful = ForgetfulDropout(layer.rate, seed=layer.rng)
            network.layers[index] = forgetful
    return network


@then(
    parsers.parse(
        "the gradient check reports a relative error above {bound:g} for the first layer's weights"
    )
)
def gradcheck_notices(network: Network, batch: Batch, bound: float) -> None:
    errors = gradcheck(network, batch.X, batch.y)
    assert errors["W1"] > bound, errors
