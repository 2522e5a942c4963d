"""Binds features/figures.feature: the site's pictures show the run they claim to show.

The steps shared with other features (settings, runs, commands) and the ones about
reading a drawn figure live in ``steps/*_steps.py``; here are the steps about
particular pictures.
"""

from __future__ import annotations

import dataclasses
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from unittest import mock

import numpy as np
import pytest
from gherkin.parser import Parser
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet import plots
from scratchnet.autograd import Tensor, network_loss
from scratchnet.experiment import TrainConfig, dataset_for, network_for, run
from steps.cli_steps import Outcome
from steps.figure_steps import (
    assert_curve,
    assert_states_percent,
    drawn_texts,
    extent,
    image_panels,
    only_curve,
    optimizers_compared,
    panel,
    predictions,
)
from steps.run_steps import parse_setting, setting_changes, trained
from steps.support.gherkin import scenarios_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation, Text

scenarios("figures.feature")

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# The loss and the accuracy, epoch by epoch.


def accuracy_after_each_epoch(config: TrainConfig) -> list[float]:
    """The run with ``config`` again, scoring the test split after each epoch, by hand."""
    dataset = dataset_for(config)
    network = network_for(config, dataset)
    scores: list[float] = []

    def score(epoch: int, history: object) -> None:
        scores.append(float(np.mean(network.predict(dataset.X_test) == dataset.y_test)))

    run(config, on_epoch_end=score, network=network, dataset=dataset)
    return scores


@then(
    "the loss curve has one point per epoch, counted from 0, at the run's training loss",
)
def loss_curve(figure: Figure, config: TrainConfig) -> None:
    xy = only_curve(panel(figure, "loss"))
    assert_curve(xy, trained(config).history.train_loss, "training loss")


@then("the loss axis is logarithmic")
def loss_axis_logarithmic(figure: Figure) -> None:
    assert panel(figure, "loss").get_yscale() == "log"


@then(
    "the accuracy curve has one point per epoch, counted from 0, "
    "at the test accuracy after that epoch in percent"
)
def accuracy_curve(figure: Figure, config: TrainConfig) -> None:
    xy = only_curve(panel(figure, "accuracy"))
    expected = 100 * np.array(accuracy_after_each_epoch(config))
    assert_curve(xy, expected, "test accuracy in percent")


@then("the accuracy curve ends at the run's final test accuracy")
def accuracy_curve_ends(figure: Figure, config: TrainConfig) -> None:
    result = trained(config)
    final = 100 * float(np.mean(predictions(result) == result.dataset.y_test))
    last = only_curve(panel(figure, "accuracy"))[-1, 1]
    assert abs(last - final) <= 1e-12 * final, f"the curve ends at {last}%, the run at {final}%"


@then(
    "the accuracy panel's title states the final test accuracy, to a tenth of a percent",
)
def accuracy_title(figure: Figure, config: TrainConfig) -> None:
    result = trained(config)
    final = float(np.mean(predictions(result) == result.dataset.y_test))
    assert_states_percent(panel(figure, "accuracy").get_title(), final)


# The optimisers compared.


@when(
    parsers.parse(
        "the site's comparison of optimisers is drawn, each run cut to {epochs:d} epochs"
    ),
    target_fixture="figure",
)
def draw_optimizers(epochs: int) -> Figure:
    return optimizers_compared(TrainConfig(epochs=epochs))


@then("the picture has one curve per optimiser, labelled:", target_fixture="curves")
def one_curve_per_optimizer(figure: Figure, datatable: list[list[str]]) -> dict[str, dict]:
    """The table's rows by label: each the optimiser and learning rate of that curve."""
    (axes,) = figure.axes
    names = [name.strip().replace(" ", "_") for name in datatable[0][1:]]
    curves = {
        row[0]: {
            name: parse_setting(name, value) for name, value in zip(names, row[1:], strict=True)
        }
        for row in datatable[1:]
    }
    drawn = [line.get_label() for line in axes.get_lines()]
    legend = axes.get_legend()
    assert legend is not None, "the picture has no legend"
    assert drawn == list(curves), f"curves labelled {drawn}"
    assert [text.get_text() for text in legend.get_texts()] == list(curves)
    return curves


@then(
    "each curve is the training loss, epoch by epoch, of a run with these settings, "
    "only the optimizer and the learning rate changed"
)
def curves_are_runs(figure: Figure, curves: dict[str, dict], config: TrainConfig) -> None:
    for line in figure.axes[0].get_lines():
        expected = trained(dataclasses.replace(config, **curves[line.get_label()]))
        assert_curve(line.get_xydata(), expected.history.train_loss, line.get_label())


@then("the picture's title names the seed every run shares")
def title_names_seed(figure: Figure, config: TrainConfig) -> None:
    title = figure.axes[0].get_title()
    assert re.search(rf"\bseed {config.seed}\b", title), title


@then(parsers.parse("on the site every run compared lasts the tutorial's {epochs:d} epochs"))
def site_runs_full_length(epochs: int) -> None:
    assert TrainConfig().epochs == epochs
    lengths = {label: config.epochs for label, config in plots.OPTIMIZER_RUNS.items()}
    assert set(lengths.values()) == {epochs}, lengths


# The confusion matrix.


def confusion_counts(config: TrainConfig) -> np.ndarray:
    """``counts[true, predicted]`` over the run's test digits, counted here."""
    result = trained(config)
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (result.dataset.y_test, predictions(result)), 1)
    return counts


@then(
    "each cell holds how many test digits of its row's label the network predicts "
    "as its column's digit"
)
def cells_are_counts(figure: Figure, config: TrainConfig) -> None:
    (axes,) = image_panels(figure)
    shown = np.ma.getdata(axes.images[0].get_array())
    np.testing.assert_array_equal(shown, confusion_counts(config))


@then("the cells add up to the number of test digits")
def cells_add_up(figure: Figure, config: TrainConfig) -> None:
    (axes,) = image_panels(figure)
    total = np.ma.getdata(axes.images[0].get_array()).sum()
    assert total == len(trained(config).dataset.y_test), total


@then("every cell that is not zero, and no other, has its count written on it")
def counts_written(figure: Figure, config: TrainConfig) -> None:
    (axes,) = image_panels(figure)
    written = {}
    for text in axes.texts:
        column, row = text.get_position()
        assert (row, column) not in written, f"two numbers written on cell {(row, column)}"
        written[row, column] = text.get_text()
    counts = confusion_counts(config)
    expected = {cell: str(count) for cell, count in np.ndenumerate(counts) if count}
    assert written == expected


@then("the title states the number of test digits and the test accuracy, to a tenth of a percent")
def confusion_title(figure: Figure, config: TrainConfig) -> None:
    (axes,) = image_panels(figure)
    result = trained(config)
    title = axes.get_title()
    assert f"{len(result.dataset.y_test)} test digits" in title, title
    assert_states_percent(title, float(np.mean(predictions(result) == result.dataset.y_test)))


@then("its rows and its columns are each marked 0 to 9, one digit a cell, and with nothing else")
def confusion_marked(figure: Figure) -> None:
    (axes,) = image_panels(figure)
    drawn = {id(text) for text in drawn_texts(figure)}
    digits = [str(digit) for digit in range(10)]
    for name, axis, limits in (
        ("columns", axes.xaxis, axes.get_xlim()),
        ("rows", axes.yaxis, axes.get_ylim()),
    ):
        marks = [label for label in axis.get_ticklabels() if id(label) in drawn]
        assert [label.get_text() for label in marks] == digits, f"{name}: {marks}"
        np.testing.assert_array_equal(axis.get_ticklocs(), range(10), err_msg=name)
        assert sorted(limits) == [-0.5, 9.5], f"{name} span {limits}, not the 10 cells"


def relative_luminance(colour: tuple[float, ...]) -> float:
    """How bright a colour looks, from 0 (black) to 1 (white), as WCAG defines it."""
    rgb = np.asarray(colour[:3], dtype=float)
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(one: tuple[float, ...], other: tuple[float, ...]) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    darker, lighter = sorted([relative_luminance(one), relative_luminance(other)])
    return (lighter + 0.05) / (darker + 0.05)


@then("the more digits a cell counts, the darker its colour")
def darker_more(figure: Figure) -> None:
    (axes,) = image_panels(figure)
    image = axes.images[0]
    largest = np.ma.getdata(image.get_array()).max()
    shades = [relative_luminance(image.cmap(image.norm(count))) for count in range(largest + 1)]
    assert all(np.diff(shades) < 0), f"brightness by count: {np.round(shades, 3)}"


@then("a colour bar beside the matrix runs from 0 to the largest count")
def colour_bar(figure: Figure, config: TrainConfig) -> None:
    (axes,) = image_panels(figure)
    bar = axes.images[0].colorbar
    assert bar is not None and bar.ax in figure.axes, "no colour bar for the matrix"
    largest = confusion_counts(config).max()
    assert sorted(bar.ax.get_ylim()) == [0, largest], f"the bar spans {bar.ax.get_ylim()}"


@then(
    parsers.parse(
        "each count is written in a colour that contrasts with its cell's by at least "
        "{ratio:g} to 1"
    )
)
def counts_stand_out(figure: Figure, ratio: float) -> None:
    from matplotlib.colors import to_rgba

    (axes,) = image_panels(figure)
    image = axes.images[0]
    counts = np.ma.getdata(image.get_array())
    for text in axes.texts:
        column, row = text.get_position()
        cell = image.cmap(image.norm(counts[row, column]))
        seen = contrast(to_rgba(text.get_color()), cell)
        assert seen >= ratio, f"{text.get_text()} on cell {(row, column)}: contrast {seen:.2f}"


@then("each count is written within a twentieth of a cell of its cell's middle")
def counts_centred(figure: Figure) -> None:
    drawn_texts(figure)
    (axes,) = image_panels(figure)
    for text in axes.texts:
        column, row = text.get_position()
        corners = axes.transData.transform([(column - 0.5, row - 0.5), (column + 0.5, row + 0.5)])
        middle, size = corners.mean(axis=0), np.abs(corners[1] - corners[0])
        box = extent(text)
        off = np.abs([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2] - middle) / size
        assert (off <= 1 / 20).all(), (
            f"{text.get_text()} on cell {(row, column)}: {off} of a cell off"
        )


# The digits the network gets wrong.

TITLE = re.compile(r"predicted (?P<predicted>\d)\s+true (?P<true>\d)")


@when(
    parsers.parse("the misclassified digits picture is drawn with at most {limit:d} digits"),
    target_fixture="figure",
)
def draw_misclassified(config: TrainConfig, limit: int) -> Figure:
    return plots.misclassified_figure(config, limit=limit)


def wrong_digits(config: TrainConfig) -> np.ndarray:
    """The indices of the test digits the run's network gets wrong."""
    result = trained(config)
    return np.flatnonzero(predictions(result) != result.dataset.y_test)


def shown_digits(figure: Figure, config: TrainConfig) -> list[int]:
    """Which test digit each panel shows: the one with its picture and its two labels.

    A picture the test split holds twice is matched to a copy not matched yet."""
    result = trained(config)
    predicted = predictions(result)
    images = result.dataset.images_test
    found: list[int] = []
    for axes in image_panels(figure):
        image = np.ma.getdata(axes.images[0].get_array())
        labels = TITLE.fullmatch(axes.get_title())
        assert labels, f"a digit titled {axes.get_title()!r}"
        guess, true = int(labels["predicted"]), int(labels["true"])
        same = [
            index
            for index in range(len(images))
            if image.shape == images[index].shape
            and np.array_equal(image, images[index])
            and (predicted[index], result.dataset.y_test[index]) == (guess, true)
            and index not in found
        ]
        assert same, f"no test digit like the one titled predicted {guess}, true {true}"
        found.append(same[0])
    return found


@then(
    parsers.parse(
        "it shows {limit:d} digits, or every wrong one if there are fewer, no test digit twice"
    )
)
def shows_at_most(figure: Figure, config: TrainConfig, limit: int) -> None:
    shown = shown_digits(figure, config)
    assert len(shown) == min(limit, len(wrong_digits(config))), len(shown)


@then("each digit shown is a test digit the network gets wrong, drawn as its raw 8 × 8 grey levels")
def shown_are_wrong(figure: Figure, config: TrainConfig) -> None:
    wrong = set(wrong_digits(config).tolist())
    for index in shown_digits(figure, config):
        assert index in wrong, f"test digit {index} is predicted right"
    for axes in image_panels(figure):
        image = axes.images[0]
        assert image.get_array().shape == (8, 8)
        assert image.get_clim() == (0, 16), f"grey levels 0–16 drawn as {image.get_clim()}"
        shades = np.array([image.cmap(image.norm(level))[:3] for level in range(17)])
        assert np.ptp(shades, axis=1).max() < 1e-6, "a digit drawn in colours, not in greys"
        assert shades[0].min() > 0.95 and shades[-1].max() < 0.05, (
            "blank is not white, ink not black"
        )


@then("each digit shown is titled with the network's prediction and the true label")
def titled_with_labels(figure: Figure, config: TrainConfig) -> None:
    for axes in image_panels(figure):
        labels = TITLE.fullmatch(axes.get_title())
        assert labels and labels["predicted"] != labels["true"], axes.get_title()
    shown_digits(figure, config)  # each title names that digit's own two labels


@then("the title says how many digits it shows of how many the network gets wrong")
def says_how_many(figure: Figure, config: TrainConfig) -> None:
    title = figure.get_suptitle()
    counts = re.match(r"(\d+) of the (\d+) test digits", title)
    assert counts, title
    shown, wrong = len(image_panels(figure)), len(wrong_digits(config))
    assert (int(counts[1]), int(counts[2])) == (shown, wrong), title


# The first layer's weights.


@when(
    parsers.parse("the first-layer weights picture is drawn for {units:d} hidden units"),
    target_fixture="figure",
)
def draw_weights(config: TrainConfig, units: int) -> Figure:
    return plots.first_layer_weights_figure(config, units=units)


@then(
    parsers.parse(
        "it has {units:d} panels, panel u showing hidden unit u's 64 incoming weights "
        "laid out as the digits' 8 × 8 pixels"
    )
)
def weights_panels(figure: Figure, config: TrainConfig, units: int) -> None:
    W1 = dict(trained(config).network.named_parameters())["W1"]  # (pixels, units)
    panels = image_panels(figure)
    assert len(panels) == units, f"{len(panels)} panels"
    for unit, axes in enumerate(panels):
        assert axes.get_title() == f"unit {unit}", axes.get_title()
        shown = np.ma.getdata(axes.images[0].get_array())
        expected = [[W1[8 * row + column, unit] for column in range(8)] for row in range(8)]
        np.testing.assert_array_equal(shown, expected, err_msg=f"unit {unit}")


@then(
    "each panel's colours run from minus to plus its largest weight's size, "
    "so zero sits in the middle"
)
def weights_centred(figure: Figure) -> None:
    for axes in image_panels(figure):
        weights = np.ma.getdata(axes.images[0].get_array())
        size = np.abs(weights).max()
        assert axes.images[0].get_clim() == (-size, size), axes.get_title()


@then(parsers.parse("the picture's title says it shows hidden units 0–{last:d}"))
def weights_title_units(figure: Figure, last: int) -> None:
    title = figure.get_suptitle()
    assert re.search(rf"hidden units 0–{last}\b", title), title


@then("each panel draws its positive weights red, its negative ones blue and zero white")
def weights_red_blue(figure: Figure) -> None:
    for axes in image_panels(figure):
        image = axes.images[0]
        size = np.abs(np.ma.getdata(image.get_array())).max()
        (red, _, blue, _), (low_red, _, low_blue, _), zero = (
            image.cmap(image.norm(value)) for value in (size, -size, 0.0)
        )
        assert red > 2 * blue and low_blue > 2 * low_red, f"{axes.get_title()}: not red and blue"
        assert min(zero[:3]) > 0.9, f"{axes.get_title()}: zero drawn as {zero}"


#: How a run may feed pixels to the network, by the words a title uses, each with a test
#: of a run's training inputs.
FED_AS = {
    "standardised pixels": lambda X: (
        np.allclose(X.mean(axis=0), 0, atol=1e-9)
        and np.all(np.isclose(X.std(axis=0), 1) | np.isclose(X.std(axis=0), 0))
    ),
    "pixels divided by 255": lambda X: (
        X.min() >= 0 and X.max() <= 1 and np.allclose(X * 255, np.round(X * 255), atol=1e-3)
    ),
}


@then(parsers.parse("the picture's title says the inputs are {inputs}, as the run fed them"))
def title_says_inputs(figure: Figure, config: TrainConfig, inputs: str) -> None:
    title = figure.get_suptitle()
    assert f"the inputs are {inputs}" in title, title
    X = trained(config).dataset.X_train
    assert FED_AS[inputs](np.asarray(X, dtype=float)), f"the run's inputs are not {inputs}"


# Writing a picture.


@given(
    "matplotlib's settings save figures as SVG at 72 dots per inch unless told otherwise",
)
def matplotlib_saves_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    for name, value in {"savefig.format": "svg", "savefig.dpi": 72, "figure.dpi": 72}.items():
        monkeypatch.setitem(matplotlib.rcParams, name, value)


@when("the picture is written as the site writes it", target_fixture="written")
def write_picture(figure: Figure) -> bytes:
    return plots.png_bytes(figure)


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    """The chunks of a PNG file by type (the first of each type)."""
    assert data[: len(PNG_SIGNATURE)] == PNG_SIGNATURE, f"not a PNG: {data[:8]!r}"
    chunks: dict[bytes, bytes] = {}
    at = len(PNG_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        chunks.setdefault(kind, data[at + 8 : at + 8 + length])
        at += 12 + length
    return chunks


@then(
    parsers.parse(
        "the file is a PNG of the picture's size at {dpi:d} pixels an inch, "
        "marked {marked:d} dots per inch"
    )
)
def png_of_size(figure: Figure, written: bytes, dpi: int, marked: int) -> None:
    chunks = png_chunks(written)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    inches = figure.get_size_inches()
    assert (width, height) == tuple(round(size * dpi) for size in inches), (width, height)
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1, "the PNG gives no physical size"
    assert round(per_metre_x * 0.0254) == round(per_metre_y * 0.0254) == marked, per_metre_x


# The graph autograd records.


class DrawnGraph(NamedTuple):
    """The picture of a recorded graph, and the loss tensor it was recorded for (computed here)."""

    figure: Figure
    loss: Tensor


@when(
    parsers.parse(
        "the graph autograd records for the tutorial's network on a batch of {batch:d} digits "
        "is drawn"
    ),
    target_fixture="drawn_graph",
)
def draw_graph(batch: int) -> DrawnGraph:
    return DrawnGraph(plots.autograd_graph_figure(batch=batch), recorded_loss(batch))


def recorded_loss(batch: int) -> Tensor:
    """The loss of the tutorial's untrained network on the first ``batch`` training digits."""
    dataset = dataset_for(TrainConfig())
    network = network_for(TrainConfig(), dataset)
    X, y = dataset.X_train[:batch], dataset.y_train[:batch]
    return network_loss(network, X, y, training=False)[0]


@when(
    parsers.parse(
        "the graph autograd records for the tutorial's network is drawn as the site draws it, "
        "for a batch of {batch:d} digits"
    ),
    target_fixture="drawn_graph",
)
def draw_site_graph(batch: int) -> DrawnGraph:
    return DrawnGraph(plots.PICTURES["autograd_graph.png"](), recorded_loss(batch))


def tensors_of(loss: Tensor) -> list[Tensor]:
    """Every tensor the loss was computed from, and the loss, each once."""
    seen: dict[int, Tensor] = {}
    waiting = [loss]
    while waiting:
        tensor = waiting.pop()
        if id(tensor) not in seen:
            seen[id(tensor)] = tensor
            waiting.extend(tensor.parents)
    return list(seen.values())


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as the picture writes it: ``32 × 64``, or ``one number`` for a scalar."""
    return " × ".join(str(size) for size in shape) or "one number"


def tensor_tree(tensor: Tensor) -> tuple:
    """The graph above ``tensor`` as nested (name, ((shape, input's tree), ...)), inputs sorted."""
    name = tensor.name or tensor.op
    return (name, tuple(sorted((shape_text(p.shape), tensor_tree(p)) for p in tensor.parents)))


def unlabelled(tree: tuple) -> tuple:
    """A tree of :func:`tensor_tree` with its arrows' shapes left out."""
    name, inputs = tree
    return (name, tuple(sorted(("", unlabelled(above)) for _, above in inputs)))


class GraphPicture(NamedTuple):
    """What the graph picture draws: boxes by position, arrows (from, to) and labels by position."""

    boxes: dict[tuple[float, float], str]
    arrows: list[tuple[tuple[float, float], tuple[float, float]]]
    labels: list[tuple[np.ndarray, str]]


def graph_picture(figure: Figure) -> GraphPicture:
    from matplotlib.text import Annotation

    (axes,) = figure.axes
    boxes, arrows, labels = {}, [], []
    for text in axes.texts:
        if isinstance(text, Annotation) and text.arrow_patch is not None:
            assert text.get_text() == "", f"an arrow with the text {text.get_text()!r}"
            arrows.append((tuple(text.xyann), tuple(text.xy)))
        elif isinstance(text, Annotation):
            assert text.get_bbox_patch() is not None, f"{text.get_text()!r} has no box"
            assert tuple(text.xy) not in boxes, f"two boxes at {text.xy}"
            boxes[tuple(text.xy)] = text.get_text()
        else:
            labels.append((np.array(text.get_position()), text.get_text()))
    return GraphPicture(boxes, arrows, labels)


def distance_to_arrow(point: np.ndarray, arrow: tuple) -> float:
    start, end = np.array(arrow[0]), np.array(arrow[1])
    along = np.clip(np.dot(point - start, end - start) / np.dot(end - start, end - start), 0, 1)
    return float(np.linalg.norm(point - (start + along * (end - start))))


def arrow_labels(picture: GraphPicture) -> dict[tuple, str]:
    """Each arrow's label: the text nearest to it, each text the nearest of one arrow only."""
    nearest = {
        arrow: min(picture.labels, key=lambda label: distance_to_arrow(label[0], arrow))
        for arrow in picture.arrows
    }
    used = [tuple(label[0]) for label in nearest.values()]
    assert len(set(used)) == len(used), "one text lies nearest to two arrows"
    return {arrow: label[1] for arrow, label in nearest.items()}


def picture_tree(picture: GraphPicture, at: tuple[float, float], labels: dict) -> tuple:
    """The graph drawn above the box at ``at``, in the form of :func:`tensor_tree`."""
    inputs = [arrow for arrow in picture.arrows if arrow[1] == at]
    return (
        picture.boxes[at],
        tuple(sorted((labels[arrow], picture_tree(picture, arrow[0], labels)) for arrow in inputs)),
    )


@then("the picture has one box per tensor of the recorded graph, named as the graph names it")
def one_box_per_tensor(drawn_graph: DrawnGraph) -> None:
    tensors = tensors_of(drawn_graph.loss)
    boxes = graph_picture(drawn_graph.figure).boxes
    names = sorted(tensor.name or tensor.op for tensor in tensors)
    assert sorted(boxes.values()) == names


@then("one arrow per input of each operation, from the input's box to the operation's")
def one_arrow_per_input(drawn_graph: DrawnGraph) -> None:
    picture = graph_picture(drawn_graph.figure)
    edges = sum(len(tensor.parents) for tensor in tensors_of(drawn_graph.loss))
    assert len(picture.arrows) == edges, f"{len(picture.arrows)} arrows for {edges} inputs"
    for start, end in picture.arrows:
        assert start in picture.boxes and end in picture.boxes, f"an arrow {start} → {end}"
    (root,) = set(picture.boxes) - {start for start, _ in picture.arrows}
    no_labels = {arrow: "" for arrow in picture.arrows}
    assert picture_tree(picture, root, no_labels) == unlabelled(tensor_tree(drawn_graph.loss))


def paths(tree: tuple, above: str = "") -> list[str]:
    """Every way from a tree's root to a leaf, as ``neg ← [one number] mean ← … ← X``."""
    name, inputs = tree
    here = f"{above}{name}"
    if not inputs:
        return [here]
    return [line for shape, tree in inputs for line in paths(tree, f"{here} ← [{shape}] ")]


@then("each arrow is labelled with the shape of the tensor that flows along it")
def arrows_labelled(drawn_graph: DrawnGraph) -> None:
    picture = graph_picture(drawn_graph.figure)
    assert len(picture.labels) == len(picture.arrows), f"{len(picture.labels)} labels"
    (root,) = set(picture.boxes) - {start for start, _ in picture.arrows}
    drawn = picture_tree(picture, root, arrow_labels(picture))
    recorded = tensor_tree(drawn_graph.loss)
    wrong = sorted(set(paths(drawn)) - set(paths(recorded)))
    assert drawn == recorded, "drawn but not recorded:\n" + "\n".join(wrong)


def boxes_and_arrows(figure: Figure) -> tuple[list[Annotation], list[Annotation], list[Text]]:
    """The graph picture's boxes, its arrows and the arrows' labels, as matplotlib drew them."""
    from matplotlib.text import Annotation

    (axes,) = figure.axes
    boxes = [
        text for text in axes.texts if isinstance(text, Annotation) and text.arrow_patch is None
    ]
    arrows = [text for text in axes.texts if isinstance(text, Annotation) and text.arrow_patch]
    labels = [text for text in axes.texts if not isinstance(text, Annotation)]
    return boxes, arrows, labels


@then("every box, arrow and label of the graph is drawn, none cut off by the picture's edge")
def graph_drawn_in_full(drawn_graph: DrawnGraph) -> None:
    from matplotlib.patches import FancyArrowPatch

    figure = drawn_graph.figure
    arrows_drawn: list[FancyArrowPatch] = []
    draw_arrow = FancyArrowPatch.draw

    def recording(patch: FancyArrowPatch, renderer: object) -> None:
        arrows_drawn.append(patch)
        draw_arrow(patch, renderer)

    with mock.patch.object(FancyArrowPatch, "draw", recording):
        texts = drawn_texts(figure)
    boxes, arrows, labels = boxes_and_arrows(figure)
    missing = [text.get_text() for text in boxes + labels if all(text is not t for t in texts)]
    assert not missing, f"not drawn: {missing}"
    undrawn = [arrow.xyann for arrow in arrows if arrow.arrow_patch not in arrows_drawn]
    assert not undrawn, f"arrows not drawn, from {undrawn}"
    picture = figure.bbox
    for text in boxes + labels:
        box = extent(text)
        inside = picture.x0 <= box.x0 and picture.y0 <= box.y0
        assert inside and box.x1 <= picture.x1 and box.y1 <= picture.y1, text.get_text()


@then("the picture shows nothing but the graph: no frame, no ticks, no axis numbers")
def nothing_but_graph(drawn_graph: DrawnGraph) -> None:
    (axes,) = drawn_graph.figure.axes
    texts = drawn_texts(drawn_graph.figure)
    boxes, _, labels = boxes_and_arrows(drawn_graph.figure)
    extra = [text.get_text() for text in texts if all(text is not t for t in boxes + labels)]
    assert not extra, f"texts beside the graph's: {extra}"
    assert not axes.axison, "the graph is drawn inside a frame with ticks"


@then("the operations stand one under another in one column, each below the operations it uses")
def operations_in_column(drawn_graph: DrawnGraph) -> None:
    picture = graph_picture(drawn_graph.figure)
    operations = {end for _, end in picture.arrows}
    assert len({x for x, _ in operations}) == 1, f"operations at {sorted(operations)}"
    assert len({y for _, y in operations}) == len(operations), "two operations on one row"
    for start, end in picture.arrows:
        if start in operations:
            assert start[1] > end[1], f"{picture.boxes[end]} is not below {picture.boxes[start]}"


@then(
    "each data or parameter box stands left of the operation that uses it: level with it "
    "when alone, one above and one below it when two"
)
def inputs_beside(drawn_graph: DrawnGraph) -> None:
    picture = graph_picture(drawn_graph.figure)
    operations = {end for _, end in picture.arrows}
    rows = sorted({y for _, y in operations}, reverse=True)
    row_height = rows[0] - rows[1]
    for operation in operations:
        inputs = [start for start, end in picture.arrows if end == operation]
        leaves = sorted((start for start in inputs if start not in operations), key=lambda p: -p[1])
        for x, _ in leaves:
            assert x < operation[0], f"{picture.boxes[operation]}'s input is not on its left"
        offsets = [(y - operation[1]) / row_height for _, y in leaves]
        if len(leaves) == 1:
            assert offsets == [0], f"{picture.boxes[operation]}'s input at {offsets} of a row"
        elif leaves:
            assert len(leaves) == 2 and 0 < offsets[0] < 0.5 and -0.5 < offsets[1] < 0, (
                f"{picture.boxes[operation]}'s inputs at {offsets} of a row"
            )


@then("no arrow crosses a box or another arrow's label, nor runs through the middle of its own")
def arrows_cross_nothing(drawn_graph: DrawnGraph) -> None:
    """The middle of a label: its full width, and the middle half of its height (an arrow may
    graze the edge of its own label, as the sloping arrows of the parameters do)."""
    from matplotlib.transforms import Bbox

    drawn_texts(drawn_graph.figure)
    boxes, arrows, labels = boxes_and_arrows(drawn_graph.figure)
    for arrow in arrows:
        ends = (tuple(arrow.xyann), tuple(arrow.xy))
        own = min(labels, key=lambda label: distance_to_arrow(np.array(label.get_position()), ends))
        patch = arrow.arrow_patch
        path = patch.get_transform().transform_path(patch.get_path())
        for text in boxes + [label for label in labels if label is not own]:
            assert not path.intersects_bbox(extent(text), filled=False), (
                f"the arrow {ends[0]} → {ends[1]} crosses {text.get_text()!r}"
            )
        x0, y0, x1, y1 = extent(own).extents
        middle = Bbox.from_extents(x0, y0 + (y1 - y0) / 4, x1, y1 - (y1 - y0) / 4)
        assert not path.intersects_bbox(middle, filled=False), (
            f"the arrow {ends[0]} → {ends[1]} runs through its label {own.get_text()!r}"
        )


@then(
    "the data and parameter boxes are filled and outlined in colours of their own, "
    "different from the operations'"
)
def leaves_coloured(drawn_graph: DrawnGraph) -> None:
    boxes, arrows, _ = boxes_and_arrows(drawn_graph.figure)
    operations = {tuple(arrow.xy) for arrow in arrows}
    colours: dict[bool, set] = {True: set(), False: set()}
    for box in boxes:
        patch = box.get_bbox_patch()
        colours[tuple(box.xy) in operations].add((patch.get_facecolor(), patch.get_edgecolor()))
    assert len(colours[False]) == len(colours[True]) == 1, colours
    ((leaf_fill, leaf_line),), ((operation_fill, operation_line),) = colours[False], colours[True]
    assert leaf_fill != operation_fill and leaf_line != operation_line, colours


@then("every box's name is written in a fixed-width font")
def names_fixed_width(drawn_graph: DrawnGraph) -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FaceFlags, FT2Font

    boxes, _, _ = boxes_and_arrows(drawn_graph.figure)
    for box in boxes:
        font = FT2Font(font_manager.findfont(box.get_fontproperties()))
        assert FaceFlags.FIXED_WIDTH in font.face_flags, f"{box.get_text()!r} in {font.family_name}"


# The command that writes every picture.


@then(parsers.parse('the folder "{folder}" holds these PNG files and no other:'))
def folder_holds_pngs(folder: str, datatable: list[list[str]]) -> None:
    expected = sorted(row[0] for row in datatable[1:])
    written = sorted(path.name for path in Path(folder).iterdir())
    assert written == expected
    for name in written:
        head = (Path(folder) / name).read_bytes()[: len(PNG_SIGNATURE)]
        assert head == PNG_SIGNATURE, f"{name} starts with {head!r}, not a PNG signature"


@given(parsers.parse('an empty folder "{folder}"'))
def empty_named_folder(folder: str) -> None:
    Path(folder).mkdir(parents=True)


@then(parsers.parse('the command printed the path of each file in "{folder}", one a line'))
def printed_paths(outcome: Outcome, folder: str) -> None:
    printed = sorted(Path(line).resolve() for line in outcome.stdout.splitlines())
    files = sorted(path.resolve() for path in Path(folder).iterdir())
    assert printed == files, outcome.stdout


@then(parsers.parse('the command printed its usage, "{usage}"'))
def printed_usage(outcome: Outcome, usage: str) -> None:
    assert usage in outcome.stderr, outcome.stderr


@then("the working folder is still empty")
def folder_empty() -> None:
    assert list(Path.cwd().iterdir()) == []


# The MNIST page's pictures.

MNIST_SCENARIO = re.compile(r"784 → 128 → 10 is more than .* on MNIST's official test set")
FIRST_SEED = re.compile(r"the network is trained with each seed from (\d+) to \d+")


@given(
    "the settings of the real-MNIST scenario in mnist.feature, with its first seed",
    target_fixture="config",
)
def real_mnist_scenario_settings(tmp_path: Path) -> TrainConfig:
    """Read from the feature file: the real MNIST files (here a folder name), the settings
    table's changes, and the first seed it trains with."""
    document = Parser().parse((ROOT / "features" / "mnist.feature").read_text(encoding="utf-8"))
    found = [s for s, _, _ in scenarios_of(document["feature"]) if MNIST_SCENARIO.match(s["name"])]
    assert len(found) == 1, f"{len(found)} real-MNIST scenarios in mnist.feature"
    steps = {step["text"]: step for step in found[0]["steps"]}
    assert "the real MNIST files" in steps, list(steps)
    table = steps["the settings are changed to:"]["dataTable"]["rows"]
    changes = setting_changes([[cell["value"] for cell in row["cells"]] for row in table])
    (seed,) = [int(m[1]) for m in map(FIRST_SEED.fullmatch, steps) if m]
    base = TrainConfig(dataset="mnist", data_dir=str(tmp_path / "mnist"))
    return dataclasses.replace(base, **changes, seed=seed)


@given(
    parsers.parse('the MNIST page\'s settings, with the MNIST files in "{folder}"'),
    target_fixture="config",
)
def mnist_page_settings(folder: str) -> TrainConfig:
    return plots.mnist_config(folder)


@then("the MNIST page's pictures are drawn from a run with exactly those settings")
def mnist_pictures_settings(config: TrainConfig) -> None:
    assert plots.mnist_config(config.data_dir) == config


@given(
    parsers.parse(
        'a folder "{folder}" of MNIST as CSV files, with {train_rows:d} training '
        "and {test_rows:d} test images of random pixels"
    )
)
def random_mnist_csv(folder: str, train_rows: int, test_rows: int) -> None:
    """``mnist_train.csv`` and ``mnist_test.csv``: each row a label, then 784 grey levels."""
    Path(folder).mkdir()
    rng = np.random.default_rng(0)
    for split, rows in (("train", train_rows), ("test", test_rows)):
        table = np.column_stack([rng.integers(0, 10, rows), rng.integers(0, 256, (rows, 784))])
        np.savetxt(Path(folder) / f"mnist_{split}.csv", table, fmt="%d", delimiter=",")


#: A picture a page shows from ``images/mnist/``: ``![…](images/mnist/name.png)``.
MNIST_IMAGE = re.compile(r"\]\(images/mnist/([\w.]+\.png)\)")


@then(
    parsers.parse(
        'the files in "{folder}" are the pictures the MNIST page shows, each committed for the site'
    )
)
def pictures_of_mnist_page(folder: str) -> None:
    written = sorted(path.name for path in Path(folder).iterdir())
    shown = sorted(MNIST_IMAGE.findall((ROOT / "docs" / "mnist.md").read_text(encoding="utf-8")))
    committed = sorted(path.name for path in (ROOT / "docs" / "images" / "mnist").glob("*.png"))
    assert written == shown == committed, f"written {written}, shown {shown}, committed {committed}"
