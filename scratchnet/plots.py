"""Pictures of real training runs on the digits, drawn with matplotlib.

Every picture is drawn from a run of the current code, so the documentation
shows what the network does today. ``python -m scratchnet.plots OUTDIR``
writes them all into a folder as PNG files; the documentation build draws
them with ``docs/hooks/plots.py``.

matplotlib comes with the ``docs`` and ``test`` extras and is imported only when
a picture is drawn; ``import scratchnet`` does not import this module. Figures are
built with :class:`matplotlib.figure.Figure`, so no window or pyplot state is
involved and any backend works.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scratchnet.experiment import RunResult, TrainConfig, dataset_for, network_for, run
from scratchnet.metrics import accuracy, confusion_matrix
from scratchnet.training import History

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TUTORIAL = TrainConfig()
"""The tutorial's settings: 64 → 128 (ReLU) → 10, SGD at 0.01, batch 32, 100 epochs, seed 0."""

OPTIMIZER_RUNS: dict[str, TrainConfig] = {
    "SGD, lr 0.01": TUTORIAL,
    "momentum 0.9, lr 0.01": dataclasses.replace(TUTORIAL, optimizer="momentum"),
    "Nesterov 0.9, lr 0.01": dataclasses.replace(TUTORIAL, optimizer="nesterov"),
    "Adam, lr 0.001": dataclasses.replace(TUTORIAL, optimizer="adam", learning_rate=0.001),
}
"""The optimisers compared side by side: the tutorial's run, only the optimiser changed."""


@dataclass
class TrackedRun:
    """A training run together with its test accuracy after every epoch."""

    result: RunResult
    test_accuracy_by_epoch: list[float]


@functools.cache
def tracked_run(config: TrainConfig = TUTORIAL) -> TrackedRun:
    """Run :func:`scratchnet.experiment.run`, scoring the test split after each epoch.

    Args:
        config: The run's settings.

    Returns:
        The run's result and its test accuracy after every epoch.
    """
    dataset = dataset_for(config)
    network = network_for(config, dataset)
    test_accuracy_by_epoch: list[float] = []

    def score_test_split(epoch: int, history: History) -> None:
        test_accuracy_by_epoch.append(accuracy(dataset.y_test, network.predict(dataset.X_test)))

    result = run(config, on_epoch_end=score_test_split, network=network)
    return TrackedRun(result, test_accuracy_by_epoch)


def describe(config: TrainConfig) -> str:
    """A one-line summary of a run's settings for a picture's title.

    Args:
        config: The run's settings.

    Returns:
        A one-line summary.
    """
    inputs = 784 if config.dataset == "mnist" else 64
    widths = " → ".join(str(width) for width in (inputs, *config.hidden, 10))
    return (
        f"{widths} ({config.activation}), {config.optimizer} lr {config.learning_rate:g}, "
        f"batch {config.batch_size}, seed {config.seed}"
    )


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def loss_and_accuracy_figure(config: TrainConfig = TUTORIAL) -> Figure:
    """Training loss and test accuracy after each epoch (epochs counted from 0).

    Args:
        config: The run's settings.

    Returns:
        The figure.
    """
    tracked = tracked_run(config)
    losses = tracked.result.history.train_loss
    epochs = np.arange(len(losses))
    figure = _figure(10, 4)
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    loss_axes.plot(epochs, losses, color="tab:blue")
    loss_axes.set(xlabel="epoch", ylabel="cross-entropy on the training split", yscale="log")
    loss_axes.set_title("Training loss")
    accuracy_axes.plot(epochs, np.array(tracked.test_accuracy_by_epoch) * 100, color="tab:green")
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy on the test split (%)")
    accuracy_axes.set_title(f"Test accuracy (final {tracked.result.test_accuracy:.1%})")
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
    figure.suptitle(describe(config))
    return figure


def optimizers_figure(configs: dict[str, TrainConfig] = OPTIMIZER_RUNS) -> Figure:
    """Training loss by epoch for each optimiser, all from the same seed.

    Args:
        configs: One run's settings per curve, by label.

    Returns:
        The figure.
    """
    figure = _figure(8, 4.5)
    axes = figure.subplots()
    # Momentum and Nesterov trace almost the same curve: dashes keep both visible.
    styles = ["-", "-", "--", "-"]
    for (label, config), style in zip(configs.items(), styles * len(configs), strict=False):
        losses = tracked_run(config).result.history.train_loss
        axes.plot(np.arange(len(losses)), losses, style, label=label)
    axes.set(xlabel="epoch", ylabel="cross-entropy on the training split", yscale="log")
    axes.grid(alpha=0.3)
    axes.legend()
    first = next(iter(configs.values()))
    axes.set_title(f"Optimisers compared: same network, data and seed {first.seed}")
    return figure


def confusion_matrix_figure(config: TrainConfig = TUTORIAL) -> Figure:
    """How often each true digit (row) was predicted as each digit (column) on the test split.

    Args:
        config: The run's settings.

    Returns:
        The figure.
    """
    result = tracked_run(config).result
    predicted = result.network.predict(result.dataset.X_test)
    counts = confusion_matrix(result.dataset.y_test, predicted)
    figure = _figure(6, 5.5)
    axes = figure.subplots()
    image = axes.imshow(counts, cmap="Blues")
    for (true, guess), count in np.ndenumerate(counts):
        if count:
            dark = count > counts.max() / 2
            colour = "white" if dark else "black"
            size = 9 if counts.max() < 1000 else 7
            axes.text(
                guess, true, str(count), ha="center", va="center", color=colour, fontsize=size
            )
    axes.set(xlabel="predicted digit", ylabel="true digit", xticks=range(10), yticks=range(10))
    axes.set_title(f"Confusion matrix, {len(predicted)} test digits, {result.test_accuracy:.1%}")
    figure.colorbar(image, ax=axes, shrink=0.8)
    return figure


def misclassified_figure(config: TrainConfig = TUTORIAL, limit: int = 24) -> Figure:
    """The test digits the trained network gets wrong, with predicted and true labels.

    Args:
        config: The run's settings.
        limit: How many digits to show at most.

    Returns:
        The figure.
    """
    result = tracked_run(config).result
    predicted = result.network.predict(result.dataset.X_test)
    wrong = np.flatnonzero(predicted != result.dataset.y_test)
    shown = wrong[:limit]
    columns = 8
    rows = max(1, -(-len(shown) // columns))
    figure = _figure(columns * 1.2, rows * 1.6 + 0.5)
    grid = figure.subplots(rows, columns, squeeze=False).ravel()
    for axes in grid:
        axes.set_axis_off()
    for axes, index in zip(grid, shown, strict=False):
        axes.imshow(result.dataset.images_test[index], cmap="gray_r", vmin=0, vmax=16)
        true = result.dataset.y_test[index]
        axes.set_title(f"predicted {predicted[index]}\ntrue {true}", fontsize=9, color="tab:red")
    figure.suptitle(
        f"{len(shown)} of the {len(wrong)} test digits the network gets wrong ({describe(config)})",
        fontsize=10,
    )
    return figure


def first_layer_weights_figure(config: TrainConfig = TUTORIAL, units: int = 32) -> Figure:
    """Each hidden unit's incoming weights drawn as the picture (8×8 or 28×28) they respond to.

    Args:
        config: The run's settings.
        units: How many hidden units to show.

    Returns:
        The figure.
    """
    result = tracked_run(config).result
    weights = dict(result.network.named_parameters())["W1"][:, :units]  # (pixels, units)
    side = round(np.sqrt(weights.shape[0]))
    inputs = "pixels divided by 255" if config.dataset == "mnist" else "standardised pixels"
    columns = 8
    rows = -(-weights.shape[1] // columns)
    figure = _figure(columns * 1.1, rows * 1.1 + 0.6)
    grid = figure.subplots(rows, columns, squeeze=False).ravel()
    for axes in grid:
        axes.set_axis_off()
    for unit, axes in enumerate(grid[: weights.shape[1]]):
        image = weights[:, unit].reshape(side, side)
        limit = np.abs(image).max()
        axes.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes.set_title(f"unit {unit}", fontsize=8)
    figure.suptitle(
        f"Incoming weights of hidden units 0–{weights.shape[1] - 1} after training\n"
        f"each on its own scale: red positive, blue negative (the inputs are {inputs})",
        fontsize=10,
    )
    return figure


def autograd_graph_figure(batch: int = 32) -> Figure:
    """The graph autograd records for the tutorial's network on a batch of digits.

    Operations run down the middle column in the order they are computed; the
    data and the parameters stand on the left, beside the operation that uses
    them; each arrow carries the shape of the tensor that flows along it (and
    its gradient, the same shape, flows back).

    Args:
        batch: Rows in the batch.

    Returns:
        The figure.
    """
    from scratchnet.autograd import graph, network_loss

    dataset = dataset_for(TUTORIAL)
    network = network_for(TUTORIAL, dataset)
    loss, _ = network_loss(
        network, dataset.X_train[:batch], dataset.y_train[:batch], training=False
    )
    nodes = graph(loss)
    operations = [index for index, node in enumerate(nodes) if node.inputs]
    place: dict[int, tuple[float, float]] = {}
    for row, index in enumerate(operations):
        place[index] = (1.0, -row)
        leaves = [i for i in nodes[index].inputs if not nodes[i].inputs]
        for number, parent in enumerate(leaves):  # one leaf level with it, two around it
            place[parent] = (-0.1, -row + (0.0 if len(leaves) == 1 else 0.3 - 0.6 * number))
    figure = _figure(6.0, 0.62 * len(operations) + 0.6)
    axes = figure.subplots()
    for index, node in enumerate(nodes):
        x, y = place[index]
        leaf = not node.inputs
        axes.annotate(
            node.name,
            (x, y),
            ha="center",
            va="center",
            fontsize=10,
            family="monospace",
            bbox={
                "boxstyle": "round,pad=0.3",
                "facecolor": "#e8eaf6" if leaf else "#fff3e0",
                "edgecolor": "#3f51b5" if leaf else "#ff5722",
            },
        )
        for parent in node.inputs:
            px, py = place[parent]
            shape = " × ".join(map(str, nodes[parent].shape)) or "one number"
            axes.annotate(
                "",
                (x, y),
                (px, py),
                arrowprops={"arrowstyle": "->", "color": "#616161", "shrinkA": 14, "shrinkB": 14},
            )
            along = 0.5 if px == x else 0.4  # the label sits on its own arrow
            axes.text(
                px + along * (x - px) + 0.06,
                py + along * (y - py) + 0.08,
                shape,
                fontsize=8,
                color="#616161",
                ha="left" if px == x else "center",
            )
    axes.set_xlim(-0.6, 2.0)
    axes.set_ylim(-len(operations) + 0.4, 0.6)
    axes.axis("off")
    return figure


PICTURES: dict[str, Callable[[], Figure]] = {
    "loss_accuracy.png": loss_and_accuracy_figure,
    "optimizers.png": optimizers_figure,
    "confusion_matrix.png": confusion_matrix_figure,
    "misclassified.png": misclassified_figure,
    "first_layer_weights.png": first_layer_weights_figure,
    "autograd_graph.png": autograd_graph_figure,
}
"""Every picture by file name."""


def png_bytes(figure: Figure, dpi: int = 100) -> bytes:
    """The figure encoded as PNG.

    Args:
        figure: A matplotlib figure.
        dpi: Dots per inch.

    Returns:
        The PNG file's bytes.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


@functools.cache
def picture(name: str) -> bytes:
    """One picture from :data:`PICTURES` as PNG bytes, drawn once per process.

    Args:
        name: A key of ``PICTURES``.

    Returns:
        The picture's PNG bytes.
    """
    return png_bytes(PICTURES[name]())


def write_pictures(folder: str | Path) -> list[Path]:
    """Write every picture into ``folder`` (created if missing) and return the paths.

    Args:
        folder: Where to write the PNG files.

    Returns:
        The paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PICTURES:
        path = folder / name
        path.write_bytes(picture(name))
        written.append(path)
    return written


def mnist_config(data_dir: str | Path) -> TrainConfig:
    """The settings of the real-MNIST scenario in ``features/mnist.feature``, seed 0:
    784 → 128 (ReLU) → 10, He initialisation, Adam at 0.001, batch 32, 5 epochs, float32.

    Args:
        data_dir: The folder holding the MNIST files.

    Returns:
        The settings of the MNIST run the pictures show.
    """
    return TrainConfig(
        dataset="mnist",
        data_dir=str(data_dir),
        init="he",
        optimizer="adam",
        learning_rate=0.001,
        epochs=5,
        dtype="float32",
    )


MNIST_PICTURES: dict[str, Callable[[TrainConfig], Figure]] = {
    "loss_accuracy.png": loss_and_accuracy_figure,
    "confusion_matrix.png": confusion_matrix_figure,
    "first_layer_weights.png": first_layer_weights_figure,
}
"""The pictures of ``docs/mnist.md``, drawn from a run with :func:`mnist_config`."""


def write_mnist_pictures(data_dir: str | Path, folder: str | Path) -> list[Path]:
    """Train on the MNIST files in ``data_dir`` and write :data:`MNIST_PICTURES` into ``folder``.

    Args:
        data_dir: The folder holding the MNIST files.
        folder: Where to write the PNG files.

    Returns:
        The paths written.
    """
    config = mnist_config(data_dir)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in MNIST_PICTURES.items():
        path = folder / name
        path.write_bytes(png_bytes(draw(config)))
        written.append(path)
    return written


USAGE = (
    "usage: python -m scratchnet.plots OUTDIR\n"
    "       python -m scratchnet.plots --mnist DATA_DIR OUTDIR"
)


def main(argv: list[str] | None = None) -> int:
    """``python -m scratchnet.plots OUTDIR``: write every picture as PNG into OUTDIR.

    ``python -m scratchnet.plots --mnist DATA_DIR OUTDIR`` writes the MNIST page's
    pictures instead (``docs/images/mnist`` holds the committed ones).

    Args:
        argv: The arguments; ``None`` reads ``sys.argv``.

    Returns:
        The exit status.
    """
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == "--mnist":
        written = write_mnist_pictures(argv[1], argv[2])
    elif len(argv) == 1 and not argv[0].startswith("-"):
        written = write_pictures(argv[0])
    else:
        print(USAGE, file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
