"""Steps about the pictures on the site: drawing one of a run, and reading what it shows.

A picture is a matplotlib ``Figure``; the helpers here read its panels, curves
(``get_lines()``), images (``images``), written text (``texts``) and titles, for
steps that compare them with what the run gives when it is computed on its own,
never with the drawing code's own helpers.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from unittest import mock

import numpy as np
from pytest_bdd import parsers, then, when

from scratchnet import plots
from scratchnet.experiment import RunResult, TrainConfig

if TYPE_CHECKING:  # matplotlib is imported by the drawing code, when a picture is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox


def optimizers_compared(config: TrainConfig) -> Figure:
    """The site's comparison of optimisers, each of its runs cut to ``config``'s epochs."""
    runs = plots.OPTIMIZER_RUNS.items()
    return plots.optimizers_figure(
        {label: dataclasses.replace(run, epochs=config.epochs) for label, run in runs}
    )


#: The pictures of one run, by the name a scenario gives them (the autograd graph is
#: the same for every run: the tutorial's untrained network on a batch of digits).
PICTURES: dict[str, Callable[[TrainConfig], Figure]] = {
    "loss and accuracy": plots.loss_and_accuracy_figure,
    "optimisers compared": optimizers_compared,
    "confusion matrix": plots.confusion_matrix_figure,
    "misclassified digits": plots.misclassified_figure,
    "first-layer weights": plots.first_layer_weights_figure,
    "autograd graph": lambda config: plots.PICTURES["autograd_graph.png"](),
}
#: Dots per inch the steps render a picture at to measure where its texts land: few
#: enough to be quick; the layout is in points, so it does not depend on them.
RENDER_DPI = 50
#: A percentage as a title writes it: ``96.4%``.
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")


def panel(figure: Figure, word: str) -> Axes:
    """The one panel of ``figure`` whose title mentions ``word``."""
    found = [axes for axes in figure.axes if word.lower() in axes.get_title().lower()]
    assert len(found) == 1, f"{len(found)} panels titled with {word!r}: {titles(figure)}"
    return found[0]


def titles(figure: Figure) -> list[str]:
    return [axes.get_title() for axes in figure.axes]


def image_panels(figure: Figure) -> list[Axes]:
    """The panels that show an image, in the order they were laid out."""
    return [axes for axes in figure.axes if axes.images]


def only_curve(axes: Axes) -> np.ndarray:
    """The ``(points, 2)`` x, y data of the one line drawn on ``axes``."""
    lines = axes.get_lines()
    assert len(lines) == 1, f"{len(lines)} lines on the panel {axes.get_title()!r}"
    return lines[0].get_xydata()


def assert_curve(xy: np.ndarray, expected: list[float] | np.ndarray, what: str) -> None:
    """One point per epoch, at x = 0, 1, 2, …, each at the expected value.

    The run is deterministic, so the values agree to the last bits; 1e-12 relative
    leaves room only for a different order of the same additions."""
    expected = np.asarray(expected, dtype=float)
    assert xy.shape == (len(expected), 2), f"{what}: {len(xy)} points for {len(expected)} epochs"
    np.testing.assert_array_equal(xy[:, 0], np.arange(len(expected)), err_msg=f"{what}: epochs")
    np.testing.assert_allclose(xy[:, 1], expected, rtol=1e-12, atol=0, err_msg=what)


def percent_in(text: str) -> float:
    """The one percentage written in ``text``."""
    found = PERCENT.findall(text)
    assert len(found) == 1, f"expected one percentage in {text!r}"
    return float(found[0])


def assert_states_percent(text: str, fraction: float) -> None:
    """``text`` states ``fraction`` as a percentage to a tenth (half a tenth off at most)."""
    shown = percent_in(text)
    assert abs(shown - 100 * fraction) <= 0.05 + 1e-9, f"{text!r} for {100 * fraction:.4f}%"


def drawn_texts(figure: Figure) -> list[Text]:
    """Render ``figure`` with the Agg canvas and return every text it actually drew.

    Tick labels of ticks out of view and the texts of hidden axes are not drawn, so
    they are not returned."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    figure.set_dpi(RENDER_DPI)
    FigureCanvasAgg(figure)
    drawn: list[Text] = []
    draw = Text.draw

    def recording(text: Text, renderer: object) -> None:
        if text.get_visible() and text.get_text() and all(text is not t for t in drawn):
            drawn.append(text)
        draw(text, renderer)

    with mock.patch.object(Text, "draw", recording):
        figure.canvas.draw()
    return drawn


def extent(text: Text) -> Bbox:
    """Where ``text`` lies in the rendered picture, with its box if it has one (pixels)."""
    renderer = text.figure.canvas.get_renderer()
    box = text.get_bbox_patch()
    return (box or text).get_window_extent(renderer)


def predictions(result: RunResult) -> np.ndarray:
    """The digit the run's network predicts for each test row."""
    return result.network.predict(result.dataset.X_test)


@when(parsers.parse("the {picture} picture is drawn"), target_fixture="figure")
def draw_picture(picture: str, config: TrainConfig) -> Figure:
    return PICTURES[picture](config)


@then(parsers.parse('the picture\'s title names the settings "{settings}"'))
def title_names_settings(figure: Figure, settings: str) -> None:
    title = figure.get_suptitle()
    assert settings in title, f"{settings!r} not in the title {title!r}"


@then(parsers.parse('the picture\'s title says "{words}"'))
def title_says(figure: Figure, words: str) -> None:
    title = figure.get_suptitle().replace("\n", " ")
    assert words in title, f"{words!r} not in the title {title!r}"


@then(
    parsers.parse(
        'its panel titled "{panel}…" reads "{across}" along the bottom and "{up}" up the side, '
        "on a {scale} scale"
    )
)
def axes_say_what_they_show(figure: Figure, panel: str, across: str, up: str, scale: str) -> None:
    found = [axes for axes in figure.axes if axes.get_title().startswith(panel)]
    assert len(found) == 1, f"{len(found)} panels titled {panel!r}…: {titles(figure)}"
    (axes,) = found
    assert (axes.get_xlabel(), axes.get_ylabel()) == (across, up), (
        f"{panel}: {axes.get_xlabel()!r} along the bottom, {axes.get_ylabel()!r} up the side"
    )
    assert axes.get_yscale() == scale, f"{panel}: a {axes.get_yscale()} scale"


@then("every text the picture shows lies inside it, and no two overlap")
def texts_inside_apart(figure: Figure) -> None:
    placed = [(text.get_text(), extent(text)) for text in drawn_texts(figure)]
    picture = figure.bbox
    outside = [
        words
        for words, box in placed
        if box.x0 < picture.x0 or box.y0 < picture.y0 or box.x1 > picture.x1 or box.y1 > picture.y1
    ]
    assert not outside, f"texts reaching out of the picture: {outside}"
    overlapping = [
        (a, b) for (a, one), (b, other) in itertools.combinations(placed, 2) if one.overlaps(other)
    ]
    assert not overlapping, f"texts drawn over each other: {overlapping}"
