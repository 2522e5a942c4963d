"""Steps about whole training runs on the digits: settings, seeds, accuracy, loss."""

from __future__ import annotations

import dataclasses

import pytest
from pytest_bdd import given, parsers, then, when

from scratchnet.experiment import FIELD_NAMES, RunResult, TrainConfig
from scratchnet.training import DivergenceError
from steps.support.facts import record_scenario_fact
from steps.support.implementation import Implementation, scratchnet_run

FIELDS = FIELD_NAMES

#: scratchnet's own run for ``config``, trained once per session (every run is deterministic).
trained = scratchnet_run


def parse_setting(name: str, text: str) -> object:
    """Turn a setting written in a feature (``hidden`` = ``128 64``) into its Python value."""
    name = name.strip().replace(" ", "_").replace("-", "_")
    if name not in FIELDS:
        raise ValueError(f"unknown setting {name!r}; known: {sorted(FIELDS)}")
    default = getattr(TrainConfig(), name)
    text = text.strip()
    if name == "hidden":
        return tuple(int(width) for width in text.replace(",", " ").split())
    if isinstance(default, bool):
        return text.lower() in ("yes", "true", "on")
    if name == "clip_norm":
        return None if text.lower() in ("none", "off") else float(text)
    return type(default)(text)


@given("the tutorial's settings", target_fixture="config")
def tutorial_settings() -> TrainConfig:
    """64 → 128 (ReLU) → 10, weights N(0,1)×0.01, SGD at 0.01, batch 32, 100 epochs."""
    return TrainConfig()


# Setting names as a reader writes them: "learning rate", "clip norm", ...
SETTING_NAMES = "|".join(sorted((name.replace("_", " ") for name in FIELDS), key=len, reverse=True))


@given(
    parsers.re(rf"the tutorial's settings with (?P<name>{SETTING_NAMES}) (?P<value>.+)"),
    target_fixture="config",
)
def tutorial_settings_with(name: str, value: str) -> TrainConfig:
    return dataclasses.replace(
        TrainConfig(), **{name.replace(" ", "_"): parse_setting(name, value)}
    )


def setting_changes(datatable: list[list[str]]) -> dict[str, object]:
    """A two-column table of settings (setting, value; header first) as TrainConfig changes."""
    return {
        row[0].strip().replace(" ", "_"): parse_setting(row[0], row[1]) for row in datatable[1:]
    }


@given("the settings are changed to:", target_fixture="config")
def settings_changed(config: TrainConfig, datatable: list[list[str]]) -> TrainConfig:
    return dataclasses.replace(config, **setting_changes(datatable))


@when(parsers.parse("the network is trained with seed {seed:d}"), target_fixture="result")
def train_with_seed(implementation: Implementation, config: TrainConfig, seed: int) -> RunResult:
    return implementation.trained(dataclasses.replace(config, seed=seed))


@when(
    parsers.parse("the network is trained with each seed from {first:d} to {last:d}"),
    target_fixture="results",
)
def train_with_seeds(
    implementation: Implementation, config: TrainConfig, first: int, last: int
) -> list[RunResult]:
    seeds = implementation.seeds(first, last)  # another class: the first three only
    results = [implementation.trained(dataclasses.replace(config, seed=seed)) for seed in seeds]
    # The docs list these runs (settings, final loss, accuracy) if the scenario passes.
    record_scenario_fact("runs", run_summary(config, {r.config.seed: r for r in results}))
    return results


def run_summary(config: TrainConfig, outcomes: dict[int, RunResult | DivergenceError]) -> dict:
    """The settings that differ from the tutorial's and, seed by seed, the training losses and
    the test accuracy of each finished run, or the epoch a diverging one stopped at."""
    tutorial = TrainConfig().to_dict()
    changed = {
        name: value
        for name, value in config.to_dict().items()
        if name != "seed" and value != tutorial[name]
    }
    finished = {seed: o for seed, o in outcomes.items() if isinstance(o, RunResult)}
    diverged = {seed: o for seed, o in outcomes.items() if isinstance(o, DivergenceError)}
    return {
        "settings": changed,
        "seeds": list(outcomes),
        "final_loss": [r.history.train_loss[-1] for r in finished.values()],
        # Each epoch's training loss, to six significant digits (pages quote a few epochs).
        "train_loss": [
            [float(f"{x:.6g}") for x in r.history.train_loss] for r in finished.values()
        ],
        "test_accuracy": [r.test_accuracy for r in finished.values()],
        "diverged_at": [error.epoch for error in diverged.values()],
    }


@then(parsers.parse("the test accuracy exceeds {percent:g}% for every seed"))
def test_accuracy_exceeds_for_all(results: list[RunResult], percent: float) -> None:
    low = {
        r.config.seed: f"{r.test_accuracy:.2%}" for r in results if r.test_accuracy * 100 <= percent
    }
    assert not low, f"the test accuracy should exceed {percent}%; measured, by seed: {low}"


@then(parsers.parse("the training loss is below {loss:g} by epoch {epoch:d} for every seed"))
def loss_below_by_epoch(results: list[RunResult], loss: float, epoch: int) -> None:
    late = {
        r.config.seed: r.history.first_epoch_below(loss)
        for r in results
        if r.history.first_epoch_below(loss) is None or r.history.first_epoch_below(loss) > epoch
    }
    assert not late, (
        f"the training loss should be below {loss} by epoch {epoch}; the first epoch it was,"
        f" by seed (None: never): {late}"
    )


@pytest.fixture
def config() -> TrainConfig:
    """The tutorial's settings, unless a step replaces them."""
    return TrainConfig()
