"""Pictures of the tutorial's ideas, drawn from the code while the site is built.

Each function returns a matplotlib figure made from what the code computes:
the shapes come from the learner's class, the curves from scratchnet's
activation layers, the boundaries and loss curves from short training runs
(each well under a second). The backgrounds are transparent; the site's
stylesheet puts a light card behind them in the dark scheme.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from scratchnet.activations import ACTIVATIONS
from scratchnet.data import load_digits
from scratchnet.network import mlp
from scratchnet.optimizers import SGD
from scratchnet.training import DivergenceError, History, train

GREY = "#555555"


def _learner(*sizes: int):
    """The learner's class from the repository's examples (imported when first drawn: the
    project's root is on ``sys.path`` only once the build has started)."""
    from examples.implementations.correct import NeuralNetwork

    return NeuralNetwork(*sizes)


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0.0)
    return figure


def _boxes(axes, boxes: list[tuple[str, float, float]], color: str) -> None:
    """Rounded labelled boxes at (x, y), joined left to right by arrows."""
    for label, x, y in boxes:
        axes.add_patch(
            FancyBboxPatch(
                (x - 1.8, y - 0.5), 3.6, 1.0, boxstyle="round,pad=0.05", fc=color, ec=GREY
            )
        )
        axes.text(x, y, label, ha="center", va="center", fontsize=9)
    for (_, x0, y0), (_, x1, y1) in itertools.pairwise(boxes):
        axes.add_patch(
            FancyArrowPatch((x0 + 1.85, y0), (x1 - 1.85, y1), arrowstyle="-|>", mutation_scale=12)
        )


def _canvas(figure: Figure, width: float, height: float):
    axes = figure.subplots()
    axes.set(xlim=(-0.2, width + 0.2), ylim=(0, height), aspect="equal")
    axes.axis("off")
    return axes


# Where the five boxes of a pass sit, and which of them take parameters.
COLUMNS = (1.8, 6.0, 10.2, 14.4, 18.6)


def _pass_figure(
    boxes: list[str], parameters: dict[int, str], color: str, caption: str, upwards: bool
) -> Figure:
    """Five boxes in a row joined by arrows; under the boxes named in ``parameters`` (by
    position) a label, with an arrow into the box (``upwards``) or out of it."""
    figure = _figure(10, 2.7)
    axes = _canvas(figure, 20.4, 5.2)
    _boxes(axes, [(label, x, 3.3) for label, x in zip(boxes, COLUMNS, strict=True)], color)
    for position, text in parameters.items():
        x = COLUMNS[position]
        axes.text(x, 1.4, text, ha="center", va="center", fontsize=9, color="#b35900")
        ends = ((x, 1.7), (x, 2.75)) if upwards else ((x, 2.75), (x, 1.7))
        axes.add_patch(FancyArrowPatch(*ends, arrowstyle="-|>", mutation_scale=12))
    axes.text(10.2, 4.7, caption, ha="center", fontsize=10, color=GREY)
    return figure


def network_figure(sizes: tuple[int, int, int] = (64, 128, 10)) -> Figure:
    """The tutorial's network as boxes, with the shape of every array the learner's class holds."""
    network = _learner(*sizes)
    network.forward(np.zeros((1, sizes[0])))
    shape = {name: "×".join(map(str, getattr(network, name).shape)) for name in vars(network)}
    # One row went through; a batch has m rows.
    shape |= {name: shape[name].replace("1×", "m×", 1) for name in ("Z1", "A1", "Z2", "A2")}
    return _pass_figure(
        [
            f"X\nm×{sizes[0]}",
            f"Z1 = X W1 + b1\n{shape['Z1']}",
            f"A1 = ReLU(Z1)\n{shape['A1']}",
            f"Z2 = A1 W2 + b2\n{shape['Z2']}",
            f"A2 = softmax(Z2)\n{shape['A2']}",
        ],
        {1: f"W1: {shape['W1']}   b1: {shape['b1']}", 3: f"W2: {shape['W2']}   b2: {shape['b2']}"},
        "#e3f2fd",
        f"{sizes[0]} inputs → {sizes[1]} hidden units → {sizes[2]} classes, m examples per batch",
        upwards=True,
    )


def activations_figure() -> Figure:
    """ReLU and its derivative, sigmoid and tanh, from scratchnet's activation layers."""
    z = np.linspace(-4, 4, 401)[:, np.newaxis]
    figure = _figure(10, 3)
    panels = figure.subplots(1, 3, sharex=True)
    for axes, name in zip(panels, ("relu", "sigmoid", "tanh"), strict=True):
        layer = ACTIVATIONS[name]()
        values = layer.forward(z)
        slope = layer.backward(np.ones_like(z))
        axes.plot(z, values, label=f"{name}(z)", color="tab:blue")
        axes.plot(z, slope, label="its derivative", color="tab:orange", linestyle="--")
        axes.axhline(0, color=GREY, linewidth=0.5)
        axes.axvline(0, color=GREY, linewidth=0.5)
        axes.set(title=name, xlabel="z")
        axes.legend(fontsize=8, loc="upper left")
        axes.grid(alpha=0.3)
    return figure


def softmax_figure(scores: tuple[float, ...] = (2.0, 1.0, 0.1, -1.0, 3.0)) -> Figure:
    """A row of scores and the probabilities softmax turns them into."""
    Z = np.array([scores])
    probabilities = _learner(1, 1, len(scores)).softmax(Z)[0]
    figure = _figure(10, 3)
    left, right = figure.subplots(1, 2)
    classes = np.arange(len(scores))
    left.bar(classes, scores, color="tab:blue")
    left.axhline(0, color=GREY, linewidth=0.5)
    left.set(title="scores z (any real numbers)", xlabel="class", xticks=classes)
    right.bar(classes, probabilities, color="tab:green")
    for k, p in zip(classes, probabilities, strict=True):
        right.text(k, p + 0.01, f"{p:.2f}", ha="center", fontsize=9)
    right.set(
        title="softmax(z): positive, summing to 1", xlabel="class", xticks=classes, ylim=(0, 1)
    )
    return figure


def backward_figure(sizes: tuple[int, int, int] = (64, 128, 10)) -> Figure:
    """The backward pass as a graph from the loss to the inputs, each gradient with its shape."""
    network = _learner(*sizes)
    X = np.zeros((1, sizes[0]))
    network.forward(X)
    gradients = network.gradients(X, np.eye(sizes[2])[[0]])
    shape = {f"d{name}": "×".join(map(str, value.shape)) for name, value in gradients.items()}
    return _pass_figure(
        [
            "L\n(one number)",
            f"dZ2 = (A2 − Y)/m\nm×{sizes[2]}",
            f"dA1 = dZ2 W2ᵀ\nm×{sizes[1]}",
            f"dZ1 = dA1 ⊙ 1[Z1>0]\nm×{sizes[1]}",
            "X\n(no gradient needed)",
        ],
        {
            1: f"dW2: {shape['dW2']}   db2: {shape['db2']}",
            3: f"dW1: {shape['dW1']}   db1: {shape['db1']}",
        },
        "#fde7e9",
        "backward: from the loss to the first layer; each gradient has the shape of its array",
        upwards=False,
    )


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def xor_figure(seed: int = 0) -> Figure:
    """XOR's decision regions learned without a hidden layer (2 → 2) and with one (2 → 16 → 2)."""
    grid = np.linspace(-0.5, 1.5, 161)
    points = np.array([[x, y] for y in grid for x in grid])
    figure = _figure(10, 4)
    for axes, sizes in zip(figure.subplots(1, 2), ([2, 2], [2, 16, 2]), strict=True):
        network = mlp(sizes, init="he", seed=seed)
        train(network, XOR_X, XOR_Y, optimizer=SGD(0.5), epochs=300, batch_size=4, seed=seed)
        classes = network.forward(points).argmax(axis=1).reshape(len(grid), len(grid))
        axes.contourf(grid, grid, classes, levels=[-0.5, 0.5, 1.5], colors=["#bbdefb", "#ffcdd2"])
        right = network.forward(XOR_X).argmax(axis=1) == XOR_Y
        for (x, y), label in zip(XOR_X, XOR_Y, strict=True):
            axes.scatter(x, y, s=120, marker="o" if label else "s", color="black")
        title = "no hidden layer" if len(sizes) == 2 else "one ReLU hidden layer of 16"
        axes.set(
            title=f"{title}: {right.sum()} of 4 right", xlabel="x₁", ylabel="x₂", aspect="equal"
        )
    return figure


LEARNING_RATES = {"too low: 0.001": 0.001, "right: 0.1": 0.1, "too high: 3": 3.0}


def learning_rates_figure(epochs: int = 30, seed: int = 0) -> Figure:
    """Training loss of the tutorial's network on the digits for three learning rates."""
    digits = load_digits(seed=seed)
    figure = _figure(10, 3.5)
    axes = figure.subplots()
    for label, rate in LEARNING_RATES.items():
        losses: list[float] = []

        def record(epoch: int, history: History, losses: list[float] = losses) -> None:
            losses[:] = history.train_loss

        network = mlp([64, 128, 10], seed=seed)
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                train(
                    network,
                    digits.X_train,
                    digits.y_train,
                    optimizer=SGD(rate),
                    epochs=epochs,
                    seed=seed,
                    on_epoch_end=record,
                )
        except DivergenceError:
            label += f" (diverged after epoch {len(losses) - 1})"
        axes.plot(range(len(losses)), losses, marker=".", label=label)
    axes.set(
        xlabel="epoch",
        ylabel="training loss",
        yscale="log",
        title=f"The tutorial's network on the digits, seed {seed}",
    )
    axes.legend()
    axes.grid(alpha=0.3)
    return figure


#: Each picture's file name (``network.png`` for ``network_figure``) → the function drawing it.
IDEAS: dict[str, Callable[[], Figure]] = {
    drawing.__name__.removesuffix("_figure") + ".png": drawing
    for drawing in (
        network_figure,
        activations_figure,
        softmax_figure,
        backward_figure,
        xor_figure,
        learning_rates_figure,
    )
}


def idea_png(name: str) -> bytes:
    """One picture of :data:`IDEAS` as PNG bytes with a transparent background."""
    buffer = io.BytesIO()
    IDEAS[name]().savefig(buffer, format="png", dpi=100, transparent=True)
    return buffer.getvalue()
