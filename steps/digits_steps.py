"""Steps about the digits data set: the seeded split and its standardised features."""

from __future__ import annotations

import dataclasses
import functools

from pytest_bdd import given, parsers

from scratchnet.data import Dataset
from scratchnet.experiment import TrainConfig, dataset_for


@functools.cache
def digits_split(seed: int) -> Dataset:
    """The split a run with the tutorial's settings and ``seed`` trains and tests on.

    Cached for the session and shared: steps must not change its arrays.
    """
    return dataset_for(dataclasses.replace(TrainConfig(), seed=seed))


@given(parsers.parse("the digits split with seed {seed:d}"), target_fixture="dataset")
def digits_split_with_seed(seed: int) -> Dataset:
    return digits_split(seed)
