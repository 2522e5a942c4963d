"""Steps about the pictures on the site: drawing one of a run, and reading what it shows.

A picture is a matplotlib ``Figure``; the helpers here read its panels, curves
(``get_lines()``), images (``images``), written text (``texts``) and titles, for
steps that compare them with what the run gives when it is computed on its own,
never with the drawing code's own helpers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from pytest_bdd import parsers, then, when

from scratchnet import plots
from scratchnet.experiment import RunResult, TrainConfig

if TYPE_CHECKING:  # matplotlib is imported by the drawing code, when a picture is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The pictures of one run, by the name a scenario gives them.
PICTURES: dict[str, Callable[[TrainConfig], Figure]] = {
    "loss and accuracy": plots.loss_and_accuracy_figure,
    "confusion matrix": plots.confusion_matrix_figure,
    "misclassified digits": plots.misclassified_figure,
    "first-layer weights": plots.first_layer_weights_figure,
}
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
