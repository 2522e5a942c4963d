"""Binds features/autograd.feature: autograd against finite differences and hand-written
backpropagation."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import strategies as st
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.autograd import (
    Node,
    Tensor,
    cross_entropy,
    graph,
    network_gradients,
    network_loss,
)
from scratchnet.experiment import RunResult
from scratchnet.losses import softmax_cross_entropy
from scratchnet.network import Network, mlp
from scratchnet.training import History, train
from steps.cli_steps import Outcome, run_in_process
from steps.digits_steps import digits_split
from steps.network_steps import Batch, for_every, seeds_between
from steps.support.implementation import scratchnet_run

scenarios("autograd.feature")

EPSILON = 1e-6  # the finite differences' step


class Case(NamedTuple):
    """Inputs for one operation and the random weights its output is summed with."""

    inputs: tuple[np.ndarray, ...]
    weights: np.ndarray


class Operation(NamedTuple):
    """How to draw inputs for an operation, and the operation itself on tensors."""

    draw: Callable[[st.DrawFn], tuple[np.ndarray, ...]]
    apply: Callable[..., Tensor]


# Drawing inputs. Shapes have up to three axes of 1 to 4 entries; values are drawn by a
# seeded NumPy generator (Hypothesis draws the seed), away from kinks and poles.


def any_shape(draw: st.DrawFn, min_axes: int = 1) -> tuple[int, ...]:
    return tuple(draw(st.lists(st.integers(1, 4), min_size=min_axes, max_size=3)))


def broadcast_partner(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts with ``shape``: trailing axes kept or set to 1, leading ones
    maybe dropped."""
    kept = draw(st.integers(0, len(shape)))
    return tuple(1 if draw(st.booleans()) else size for size in shape[len(shape) - kept :])


def values(draw: st.DrawFn, shape: tuple[int, ...], low: float, high: float) -> np.ndarray:
    """Uniform values in ``[low, high]``, from a generator seeded by Hypothesis."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.uniform(low, high, size=shape)


def signed_away_from_zero(draw: st.DrawFn, shape: tuple[int, ...]) -> np.ndarray:
    """Values of either sign, at least 0.1 away from 0 (where ReLU's slope jumps)."""
    magnitude = values(draw, shape, 0.1, 2.0)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return magnitude * rng.choice([-1.0, 1.0], size=shape)


def broadcast_pair(draw: st.DrawFn, low: float = -2.0, high: float = 2.0) -> tuple:
    """Two arrays that broadcast against each other; the second one's values in [low, high]."""
    shape = any_shape(draw)
    partner = broadcast_partner(draw, shape)
    first, second = (shape, partner) if draw(st.booleans()) else (partner, shape)
    return values(draw, first, -2.0, 2.0), values(draw, second, low, high)


def one_array(draw: st.DrawFn) -> tuple[np.ndarray]:
    return (values(draw, any_shape(draw), -2.0, 2.0),)


def matrices(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    rows, inner, columns = (draw(st.integers(1, 4)) for _ in range(3))
    return values(draw, (rows, inner), -2.0, 2.0), values(draw, (inner, columns), -2.0, 2.0)


def rows_of_scores(draw: st.DrawFn) -> tuple[np.ndarray]:
    return (values(draw, any_shape(draw, min_axes=2)[:2], -3.0, 3.0),)


def with_axis(draw: st.DrawFn) -> tuple:
    (array,) = one_array(draw)
    axis = draw(st.sampled_from([None, *range(array.ndim)]))
    return array, axis, draw(st.booleans())


def scores_and_labels(draw: st.DrawFn) -> tuple:
    (scores,) = rows_of_scores(draw)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return scores, rng.integers(0, scores.shape[1], size=len(scores))


def away_from_zero_pair(draw: st.DrawFn) -> tuple:
    first, second = broadcast_pair(draw, 0.5, 2.0)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return first, second * rng.choice([-1.0, 1.0], size=second.shape)


#: Each operation of the Examples tables: how its inputs are drawn and how it is applied.
#: Entries after the arrays (an axis, labels) are passed as they are, not as tensors.
OPERATIONS: dict[str, Operation] = {
    "a + b": Operation(broadcast_pair, lambda a, b: a + b),
    "a - b": Operation(broadcast_pair, lambda a, b: a - b),
    "a * b": Operation(broadcast_pair, lambda a, b: a * b),
    "a / b": Operation(away_from_zero_pair, lambda a, b: a / b),
    "-a": Operation(one_array, lambda a: -a),
    "exp(a)": Operation(one_array, Tensor.exp),
    "log(a)": Operation(lambda draw: (values(draw, any_shape(draw), 0.5, 3.0),), Tensor.log),
    "relu(a)": Operation(lambda draw: (signed_away_from_zero(draw, any_shape(draw)),), Tensor.relu),
    "leaky_relu(a)": Operation(
        lambda draw: (signed_away_from_zero(draw, any_shape(draw)),), Tensor.leaky_relu
    ),
    "tanh(a)": Operation(one_array, Tensor.tanh),
    "sigmoid(a)": Operation(one_array, Tensor.sigmoid),
    "a @ b": Operation(matrices, lambda a, b: a @ b),
    "sum(a, axis)": Operation(with_axis, lambda a, axis, keep: a.sum(axis=axis, keepdims=keep)),
    "mean(a, axis)": Operation(with_axis, lambda a, axis, keep: a.mean(axis=axis, keepdims=keep)),
    "softmax(a)": Operation(rows_of_scores, lambda a: a.softmax(axis=1)),
    "log_softmax(a)": Operation(rows_of_scores, lambda a: a.log_softmax(axis=1)),
    "cross_entropy(a)": Operation(scores_and_labels, cross_entropy),
}


def apply(operation: Operation, inputs: tuple[np.ndarray, ...], arrays: int) -> Tensor:
    """The operation on the first ``arrays`` inputs as tensors that need gradients."""
    tensors = [Tensor(value, requires_grad=True) for value in inputs[:arrays]]
    return operation.apply(*tensors, *inputs[arrays:]), tensors


def array_count(inputs: tuple) -> int:
    """How many leading entries of ``inputs`` are float arrays (the rest are settings)."""
    return sum(1 for value in inputs if isinstance(value, np.ndarray) and value.dtype.kind == "f")


def finite_differences(operation: Operation, case: Case, index: int) -> np.ndarray:
    """Central differences of ``Σ weights · output`` for every entry of input ``index``,
    computed with plain NumPy values (no gradients asked)."""
    arrays = array_count(case.inputs)

    def weighted_output(nudged: tuple) -> float:
        output, _ = apply(operation, nudged, arrays)
        return float(np.sum(case.weights * output.value))

    gradient = np.zeros_like(case.inputs[index])
    for entry in np.ndindex(gradient.shape):
        up, down = list(case.inputs), list(case.inputs)
        up[index], down[index] = up[index].copy(), down[index].copy()
        up[index][entry] += EPSILON
        down[index][entry] -= EPSILON
        gradient[entry] = (weighted_output(tuple(up)) - weighted_output(tuple(down))) / (
            2 * EPSILON
        )
    return gradient


def relative_error(numerical: np.ndarray, analytic: np.ndarray) -> float:
    """``‖numerical − analytic‖ / (‖numerical‖ + ‖analytic‖)``, 0 when both are zero."""
    scale = np.linalg.norm(numerical) + np.linalg.norm(analytic)
    return 0.0 if scale == 0 else float(np.linalg.norm(numerical - analytic) / scale)


@given(parsers.parse("inputs of any shapes that {name} accepts"), target_fixture="operation")
def operation_named(name: str) -> Operation:
    return OPERATIONS[name]


@when(
    "the gradient of its output, weighted by random numbers, is taken by autograd",
    target_fixture="gradient_check",
)
def gradient_check(operation: Operation) -> Callable[[float], None]:
    """A check to run for every case Hypothesis draws, given the bound of the Then step."""

    @st.composite
    def cases(draw: st.DrawFn) -> Case:
        inputs = operation.draw(draw)
        output, _ = apply(operation, inputs, array_count(inputs))
        return Case(inputs, values(draw, output.shape, -1.0, 1.0))

    def check_below(bound: float) -> None:
        def check(case: Case) -> None:
            output, tensors = apply(operation, case.inputs, array_count(case.inputs))
            output.backward(case.weights)
            for index, tensor in enumerate(tensors):
                numerical = finite_differences(operation, case, index)
                error = relative_error(numerical, tensor.grad)
                assert error < bound, (
                    f"input {index} of shape {tensor.shape}: autograd's gradient is "
                    f"{error:.2e} (relative) from central finite differences, above {bound:g}"
                    f"\nautograd: {tensor.grad}\nfinite differences: {numerical}"
                )

        for_every(cases(), check)

    return check_below


@then(
    parsers.parse(
        "it agrees with central finite differences to a relative error below {bound:g}"
        " for every input"
    )
)
def agrees_with_finite_differences(gradient_check: Callable[[float], None], bound: float) -> None:
    gradient_check(bound)


@then(parsers.parse('the graph calls the tensor it computes "{node}"'))
def output_node_named(operation: Operation, node: str) -> None:
    def check(inputs: tuple) -> None:
        output, _ = apply(operation, inputs, array_count(inputs))
        assert graph(output)[-1].name == node, f"the graph calls it {graph(output)[-1].name!r}"

    for_every(st.composite(operation.draw)(), check)


# A value used twice, constants, retain_graph.


@given(parsers.parse("the number {value:g} as a tensor that needs a gradient"), target_fixture="x")
def number_needing_gradient(value: float) -> Tensor:
    return Tensor(value, requires_grad=True)


@given("the number 4 in a 1 × 1 matrix, as a tensor x that needs a gradient", target_fixture="x")
def one_by_one_needing_gradient() -> Tensor:
    return Tensor(np.array([[4.0]]), requires_grad=True)


@given("a 2 × 3 tensor x that needs a gradient", target_fixture="x")
def matrix_needing_gradient() -> Tensor:
    return Tensor(np.random.default_rng(0).normal(size=(2, 3)), requires_grad=True)


@given("3 numbers in single precision as a tensor x that needs a gradient", target_fixture="x")
def single_precision_needing_gradient() -> Tensor:
    return Tensor(np.array([-1.5, 0.5, 2.0], dtype=np.float32), requires_grad=True)


@when("y = x·x + x is computed and run backward")
def used_twice(x: Tensor) -> None:
    (x * x + x).backward()


@when("y = x·x + x is computed and run backward twice, keeping the graph", target_fixture="y")
def used_twice_backward_twice(x: Tensor) -> Tensor:
    y = x * x + x
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    return y


@when(
    "y = x·x + x is computed and run backward twice, keeping the graph, with the gradient of x"
    " zeroed in between"
)
def backward_twice_zeroed_between(x: Tensor) -> None:
    y = x * x + x
    y.backward(retain_graph=True)
    x.zero_grad()
    y.backward(retain_graph=True)


#: Expressions with a plain number or array on the left of the tensor ``x``.
LEFT_OPERANDS: dict[str, Callable[[Tensor], Tensor]] = {
    "2 + x": lambda x: 2 + x,
    "2 - x": lambda x: 2 - x,
    "2 * x": lambda x: 2 * x,
    "2 / x": lambda x: 2 / x,
    "[[2]] @ x": lambda x: [[2.0]] @ x,
}


@when(
    parsers.re(
        "(?P<expression>" + "|".join(re.escape(key) for key in LEFT_OPERANDS) + ")"
        " is computed and run backward"
    ),
    target_fixture="y",
)
def left_operand_backward(x: Tensor, expression: str) -> Tensor:
    y = LEFT_OPERANDS[expression](x)
    y.backward()
    return y


@when(parsers.parse("its {activation} is run backward"))
def activation_backward(x: Tensor, activation: str) -> None:
    getattr(x, activation)().backward()


@then(parsers.parse("the result is {expected:g}"))
def result_is(y: Tensor, expected: float) -> None:
    assert y.value.item() == expected, f"the result should be {expected}, got {y.value}"


@then(parsers.parse("the gradient of x is {expected:g}"))
def gradient_of_x(x: Tensor, expected: float) -> None:
    assert x.grad is not None, "x got no gradient"
    assert x.grad.item() == expected, f"the gradient of x should be {expected}, got {x.grad}"


@then(parsers.parse("the gradient of x·x is {expected:g}"))
def gradient_of_product(y: Tensor, expected: float) -> None:
    product = y.parents[0]  # y = (x·x) + x
    assert product.grad is not None, "x·x holds no gradient"
    assert product.grad.item() == expected, f"x·x holds the gradient {product.grad}"


class SinglePrecision(NamedTuple):
    result: Tensor
    x: Tensor


@when(
    "its leaky ReLU is run backward from a starting gradient in double precision",
    target_fixture="single",
)
def leaky_relu_from_double(x: Tensor) -> SinglePrecision:
    result = x.leaky_relu()
    result.backward(np.ones(3, dtype=np.float64))
    return SinglePrecision(result, x)


@then("the leaky ReLU and the gradient of x are in single precision")
def in_single_precision(single: SinglePrecision) -> None:
    assert single.result.value.dtype == np.float32, f"the result is {single.result.value.dtype}"
    assert single.x.grad is not None and single.x.grad.dtype == np.float32, (
        f"the gradient of x is {None if single.x.grad is None else single.x.grad.dtype}"
    )


@given("two rows of scores, 1000 and 1001, and 0 and 1", target_fixture="scores")
def large_and_small_rows() -> Tensor:
    return Tensor(np.array([[1000.0, 1001.0], [0.0, 1.0]]), requires_grad=True)


@when("their softmax is taken along each row", target_fixture="probabilities")
def softmax_by_row(scores: Tensor) -> np.ndarray:
    return scores.softmax(axis=1).value


@then(parsers.parse("both rows hold e⁰ / (e⁰ + e¹) and e¹ / (e⁰ + e¹), within {tolerance:g}"))
def rows_hold_probabilities_of_zero_and_one(probabilities: np.ndarray, tolerance: float) -> None:
    expected = np.exp([0.0, 1.0]) / np.exp([0.0, 1.0]).sum()
    assert np.all(np.abs(probabilities - expected) <= tolerance), (
        f"the rows hold {probabilities.tolist()}, expected {expected.tolist()} each"
    )


@when("a tensor that needs a gradient is made from x", target_fixture="copy")
def tensor_from_tensor(x: Tensor) -> Tensor:
    return Tensor(x, requires_grad=True)


@then("it holds the numbers of x")
def holds_numbers_of(copy: Tensor, x: Tensor) -> None:
    assert copy.shape == x.shape and np.array_equal(copy.value, x.value), (
        f"it holds {copy.value!r}, x holds {x.value!r}"
    )


#: The tensors whose printed form a scenario names.
SHOWN: dict[str, Callable[[], Tensor]] = {
    "a 2 × 3 tensor that needs a gradient": lambda: Tensor(np.ones((2, 3)), requires_grad=True),
    "a 2 × 3 tensor that does not": lambda: Tensor(np.ones((2, 3))),
    "the sum of a 2 × 3 tensor that needs a gradient": lambda: Tensor(
        np.ones((2, 3)), requires_grad=True
    ).sum(),
}


@given(
    parsers.re("(?P<tensor>" + "|".join(re.escape(tensor) for tensor in SHOWN) + ")"),
    target_fixture="shown_tensor",
)
def tensor_to_show(tensor: str) -> Tensor:
    return SHOWN[tensor]()


@then(parsers.parse('it is shown as "{text}"'))
def shown_as(shown_tensor: Tensor, text: str) -> None:
    assert repr(shown_tensor) == text, f"it is shown as {shown_tensor!r}"


class Product(NamedTuple):
    weights: Tensor
    inputs: Tensor


@given(
    "a 3 × 2 weight matrix that needs a gradient and a 3 × 2 input that does not",
    target_fixture="product",
)
def weights_and_constant_input() -> Product:
    rng = np.random.default_rng(0)
    return Product(
        Tensor(rng.normal(size=(3, 2)), requires_grad=True), Tensor(rng.normal(size=(3, 2)))
    )


@when("the mean of their product, entry by entry, is run backward")
def mean_of_product_backward(product: Product) -> None:
    (product.inputs * product.weights).mean().backward()


@then("the weight matrix has a gradient of its own shape")
def weight_gradient_shape(product: Product) -> None:
    assert product.weights.grad is not None, "the weight matrix got no gradient"
    assert product.weights.grad.shape == (3, 2), product.weights.grad.shape


@then("the input has no gradient")
def constant_has_no_gradient(product: Product) -> None:
    assert product.inputs.grad is None, f"a constant got a gradient: {product.inputs.grad}"


# Mistakes.


def backward_twice() -> None:
    x = Tensor(3.0, requires_grad=True)
    y = x * x
    y.backward()
    y.backward()


def own_operation_one_gradient_short() -> None:
    """An operation made with ``Tensor.made_by`` whose rule forgets its second input."""
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    Tensor.made_by(a.value + b.value, "mine", (a, b), lambda g: (g,)).sum().backward()


def ones_needing_gradient(*shape: int) -> Tensor:
    return Tensor(np.ones(shape), requires_grad=True)


MISTAKES: dict[str, Callable[[], object]] = {
    "running backward from 3 numbers without a starting gradient": lambda: (
        Tensor(np.ones(3), requires_grad=True) * 2
    ).backward(),
    "running backward from 3 numbers with a starting gradient of 2": lambda: (
        ones_needing_gradient(3) * 2
    ).backward(np.ones(2)),
    "running backward from a tensor that needs no gradient": lambda: (
        (Tensor(np.ones(3)) * 2).sum().backward()
    ),
    "adding tensors of shapes 2 × 3 and 4": lambda: (
        Tensor(np.ones((2, 3)), requires_grad=True) + Tensor(np.ones(4))
    ),
    "subtracting tensors of shapes 2 × 3 and 4": lambda: ones_needing_gradient(2, 3) - np.ones(4),
    "multiplying tensors of shapes 2 × 3 and 4": lambda: ones_needing_gradient(2, 3) * np.ones(4),
    "dividing tensors of shapes 2 × 3 and 4": lambda: ones_needing_gradient(2, 3) / np.ones(4),
    "multiplying a 2 × 3 matrix by a vector of 3": lambda: ones_needing_gradient(2, 3) @ np.ones(3),
    "running the same graph backward twice": backward_twice,
    "asking for the gradient of whole numbers": lambda: Tensor(
        np.arange(3, dtype=np.int64), requires_grad=True
    ),
    "a cross-entropy with a label outside the classes": lambda: cross_entropy(
        Tensor(np.zeros((2, 10)), requires_grad=True), np.array([3, 10])
    ),
    "a cross-entropy of one row of scores that is not a matrix": lambda: cross_entropy(
        ones_needing_gradient(10), np.array([3])
    ),
    "a cross-entropy with one label for two rows": lambda: cross_entropy(
        ones_needing_gradient(2, 10), np.array([3])
    ),
    "an operation of one's own whose rule gives one gradient for its two inputs": (
        own_operation_one_gradient_short
    ),
}


@given(
    parsers.re("(?P<mistake>" + "|".join(re.escape(mistake) for mistake in MISTAKES) + ")"),
    target_fixture="raised",
)
def make_mistake(mistake: str) -> Exception | None:
    try:
        MISTAKES[mistake]()
    except (ValueError, TypeError, RuntimeError) as error:
        return error
    return None


@then(parsers.re("it is refused with a (?P<error>\\w+)"))
def refused(raised: Exception | None, error: str) -> None:
    assert type(raised).__name__ == error, f"expected a {error}, got {raised!r}"


@then(parsers.parse('it is refused with a {error} that says "{words}"'))
def refused_with(raised: Exception | None, error: str, words: str) -> None:
    """``words`` may leave out a stretch of the message with " … "; the parts come in order."""
    assert type(raised).__name__ == error, f"expected a {error}, got {raised!r}"
    message, start = str(raised), 0
    for part in words.split(" … "):
        found = message.find(part, start)
        assert found >= 0, f"the message should say {words!r}: {raised}"
        start = found + len(part)


# The tutorial's network, by hand and by autograd.


def parse_sizes(layers: str) -> list[int]:
    """``64 → 128 → 10`` → ``[64, 128, 10]``."""
    return [int(width) for width in layers.split("→")]


@given(
    parsers.re(
        r"networks of (?P<layers>[\d →]+) with (?P<activation>\w+) hidden layers"
        r"(?: and dropout (?P<dropout>[\d.]+))?, one for each seed from (?P<first>\d+) to "
        r"(?P<last>\d+)"
    ),
    target_fixture="networks",
)
def networks_per_seed(
    layers: str, activation: str, dropout: str | None, first: str, last: str
) -> dict[int, Network]:
    rate = float(dropout) if dropout else 0.0
    return {
        seed: mlp(parse_sizes(layers), activation=activation, dropout=rate, seed=seed)
        for seed in seeds_between(int(first), int(last))
    }


@given(
    parsers.parse("a batch of {rows:d} training digits drawn with each seed"),
    target_fixture="batches",
)
def batches_per_seed(networks: dict[int, Network], rows: int) -> dict[int, Batch]:
    digits = digits_split(0)
    batches = {}
    for seed in networks:
        chosen = np.random.default_rng(seed).choice(len(digits.X_train), rows, replace=False)
        batches[seed] = Batch(digits.X_train[chosen], digits.y_train[chosen])
    return batches


class Compared(NamedTuple):
    """The loss and gradients of one network on one batch, both ways."""

    hand_loss: float
    autograd_loss: float
    hand: list[np.ndarray]
    autograd: list[np.ndarray]
    names: list[str]


def autograd_loss_and_gradients(
    network: Network, X: np.ndarray, labels: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    """The loss of the graph ``network_loss`` records (training, its default) and the
    gradients ``backward`` gives its leaves."""
    loss, parameters = network_loss(network, X, labels)
    loss.backward()
    return float(loss.value), [parameter.grad for parameter in parameters]


def training_step_loss_and_gradients(
    network: Network, X: np.ndarray, labels: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    """The loss and gradients of autograd's training step, which fills ``network.gradients``."""
    loss = network_gradients(network, X, labels)
    return loss, [gradient.copy() for gradient in network.gradients]


#: The two ways autograd's side of a comparison is computed, by the words of the When step.
AUTOGRAD_WAYS = {
    "hand-written backpropagation and by autograd": autograd_loss_and_gradients,
    "a hand-written training step and by autograd's": training_step_loss_and_gradients,
}


@when(
    parsers.re(
        "each network's loss and gradients are computed by "
        "(?P<way>" + "|".join(re.escape(way) for way in AUTOGRAD_WAYS) + ")"
    ),
    target_fixture="compared",
)
def compare_by_seed(
    networks: dict[int, Network], batches: dict[int, Batch], way: str
) -> dict[int, Compared]:
    by_autograd = AUTOGRAD_WAYS[way]
    compared = {}
    for seed, network in networks.items():
        X, labels = batches[seed]
        # The same dropout masks both ways: each pass draws from a copy of the same generators.
        dropouts = [layer for layer in network.layers if hasattr(layer, "rng")]
        states = [layer.rng.bit_generator.state for layer in dropouts]
        hand_loss, grad_logits = softmax_cross_entropy(network.forward(X, training=True), labels)
        network.backward(grad_logits)
        hand = [gradient.copy() for gradient in network.gradients]
        for layer, state in zip(dropouts, states, strict=True):
            layer.rng.bit_generator.state = state
        autograd_loss, autograd = by_autograd(network, X, labels)
        compared[seed] = Compared(
            hand_loss,
            autograd_loss,
            hand,
            autograd,
            [name for name, _ in network.named_parameters()],
        )
    return compared


@then(parsers.parse("the losses agree within {bound:g} of the loss"))
def losses_agree(compared: dict[int, Compared], bound: float) -> None:
    apart = {
        seed: f"{abs(c.hand_loss - c.autograd_loss) / c.hand_loss:.2e}"
        for seed, c in compared.items()
        if abs(c.hand_loss - c.autograd_loss) > bound * c.hand_loss
    }
    assert not apart, f"losses further apart than {bound:g} of the loss, by seed: {apart}"


def relative_to_largest(expected: np.ndarray, actual: np.ndarray) -> float:
    """The largest difference, as a fraction of the largest entry of ``expected``."""
    return float(np.abs(expected - actual).max() / np.abs(expected).max())


@then(parsers.parse("every gradient agrees within {bound:g} of its largest entry"))
def gradients_agree(compared: dict[int, Compared], bound: float) -> None:
    apart = {
        (seed, name): f"{relative_to_largest(hand, auto):.2e}"
        for seed, c in compared.items()
        for name, hand, auto in zip(c.names, c.hand, c.autograd, strict=True)
        if auto is None or relative_to_largest(hand, auto) > bound
    }
    assert not apart, (
        f"gradients further apart than {bound:g} of their largest entry, by (seed, name): {apart}"
    )


# Training.


def with_backpropagation(result: RunResult) -> RunResult:
    return scratchnet_run(dataclasses.replace(result.config, gradients="backprop"))


@then(
    parsers.parse(
        "every weight and bias is within {bound:g} of its largest entry of the same network"
        " trained with backpropagation"
    )
)
def same_weights(result: RunResult, bound: float) -> None:
    reference = with_backpropagation(result).network
    apart = {
        name: f"{relative_to_largest(expected, actual):.2e}"
        for (name, expected), actual in zip(
            reference.named_parameters(), result.network.parameters, strict=True
        )
        if relative_to_largest(expected, actual) > bound
    }
    assert not apart, f"weights further apart than {bound:g} of their largest entry: {apart}"


@then("the test accuracy equals that of the network trained with backpropagation")
def same_accuracy(result: RunResult) -> None:
    expected = with_backpropagation(result).test_accuracy
    assert result.test_accuracy == expected, (
        f"autograd's run scored {result.test_accuracy:.2%}, backpropagation's {expected:.2%}"
    )


@then("the test accuracy of every seed equals that of training with backpropagation")
def same_accuracy_every_seed(results: list[RunResult]) -> None:
    differ = {
        r.config.seed: f"{r.test_accuracy:.2%} against {with_backpropagation(r).test_accuracy:.2%}"
        for r in results
        if r.test_accuracy != with_backpropagation(r).test_accuracy
    }
    assert not differ, f"autograd's accuracy differs from backpropagation's, by seed: {differ}"


@then(parsers.parse("it prints exactly what `{command}` prints"))
def prints_the_same(outcome: Outcome, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = run_in_process(command, capsys)
    assert outcome.stdout == expected.stdout, (
        f"autograd's run printed:\n{outcome.stdout}\nbackpropagation's:\n{expected.stdout}"
    )


# The graph.


@when("its loss on the batch is recorded as a graph", target_fixture="nodes")
def recorded_graph(network: Network, batch: Batch) -> list[Node]:
    loss, _ = network_loss(network, batch.X, batch.y, training=False)
    return graph(loss)


def shown(shape: tuple[int, ...]) -> str:
    """``(32, 64)`` → ``32 × 64``; a single number is ``one``."""
    return " × ".join(str(size) for size in shape) if shape else "one"


@when("the sum of x·x + x is recorded as a graph", target_fixture="nodes")
def graph_of_value_used_twice(x: Tensor) -> list[Node]:
    return graph((x * x + x).sum())


def made_from(node: Node) -> str:
    """The node numbers (counted from 1) of the nodes ``node`` was computed from: ``2, 1``."""
    return ", ".join(str(position + 1) for position in node.inputs)


#: What each column of a table of nodes shows; ``number`` counts the nodes from 1.
NODE_COLUMNS: dict[str, Callable[[int, Node], str]] = {
    "number": lambda index, node: str(index + 1),
    "node": lambda index, node: node.name,
    "shape": lambda index, node: shown(node.shape),
    "made from": lambda index, node: made_from(node),
}


@then("the graph has these nodes, in the order they are computed:")
def graph_has_nodes(nodes: list[Node], datatable: list[list[str]]) -> None:
    columns = [NODE_COLUMNS[name.strip()] for name in datatable[0]]
    expected = [[cell.strip() for cell in row] for row in datatable[1:]]
    actual = [[column(index, node) for column in columns] for index, node in enumerate(nodes)]
    assert actual == expected, f"the graph's nodes are {actual}"


class Watched(NamedTuple):
    """A training run's history, and how often each layer's backward pass ran."""

    history: History
    backward_calls: dict[str, int]


@when(
    parsers.parse(
        "it trains for {epochs:d} epochs in batches of {size:d} with autograd's gradients,"
        " its layers' backward passes watched"
    ),
    target_fixture="watched",
)
def train_watching_backward(
    network: Network, batch: Batch, epochs: int, size: int, monkeypatch: pytest.MonkeyPatch
) -> Watched:
    calls: dict[str, int] = {}

    def counting(label: str, method: Callable) -> Callable:
        def counted(*args: object, **kwargs: object) -> object:
            calls[label] = calls.get(label, 0) + 1
            return method(*args, **kwargs)

        return counted

    for index, layer in enumerate(network.layers):
        for name in ("backward_unchecked", "backward_parameters"):
            if hasattr(layer, name):
                label = f"{type(layer).__name__} {index}: {name}"
                monkeypatch.setattr(layer, name, counting(label, getattr(layer, name)))
    history = train(network, batch.X, batch.y, epochs=epochs, batch_size=size, gradients="autograd")
    return Watched(history, calls)


@then(parsers.parse("training ran {epochs:d} epochs and no layer's hand-written backward pass ran"))
def no_backward_ran(watched: Watched, epochs: int) -> None:
    assert watched.history.epochs_run == epochs, f"{watched.history.epochs_run} epochs ran"
    assert not watched.backward_calls, f"backward passes ran: {watched.backward_calls}"
