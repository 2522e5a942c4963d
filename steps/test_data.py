"""Binds features/data.feature: the seeded split, standardisation without leaks, one-hot rows."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
import sklearn.datasets
import sklearn.utils
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.data import Dataset, Standardizer, load_digits, one_hot, train_test_split
from scratchnet.experiment import TrainConfig, dataset_for, generators
from steps.network_steps import seeds_between

scenarios("data.feature")

Split = tuple[np.ndarray, np.ndarray]


def split_numbers(numbers: np.ndarray, seed: int | np.random.Generator) -> Split:
    """The row numbers that go to the training part and to the test part."""
    _, _, train, test = train_test_split(numbers[:, None], numbers, seed=seed)
    return train, test


def table_to_array(datatable: list[list[str]]) -> np.ndarray:
    """A Gherkin table of numbers (first row: column names) as a float array."""
    return np.array([[float(cell) for cell in row] for row in datatable[1:]])


def varying(dataset: Dataset) -> np.ndarray:
    """Which pixels vary across the training images."""
    return dataset.X_train.std(axis=0) > 0


@given(
    parsers.parse("the numbers 0 to {last:d}, one for each digit image"),
    target_fixture="numbers",
)
def row_numbers(last: int) -> np.ndarray:
    return np.arange(last + 1)


@when(
    parsers.parse("they are split with each seed from {first:d} to {last:d}"),
    target_fixture="splits",
)
def split_each_seed(numbers: np.ndarray, first: int, last: int) -> dict[int, Split]:
    return {seed: split_numbers(numbers, seed) for seed in seeds_between(first, last)}


@when(parsers.parse("they are split twice with seed {seed:d}"), target_fixture="two_splits")
def split_twice(numbers: np.ndarray, seed: int) -> tuple[Split, Split]:
    return split_numbers(numbers, seed), split_numbers(numbers, seed)


@when(
    parsers.parse("they are split once without a seed and once with seed {seed:d}"),
    target_fixture="two_splits",
)
def split_without_seed(numbers: np.ndarray, seed: int) -> tuple[Split, Split]:
    _, _, train, test = train_test_split(numbers[:, None], numbers)
    return (train, test), split_numbers(numbers, seed)


@then(parsers.parse("every split has {n_train:d} numbers for training and {n_test:d} for testing"))
def split_sizes(splits: dict[int, Split], n_train: int, n_test: int) -> None:
    sizes = {seed: (len(train), len(test)) for seed, (train, test) in splits.items()}
    assert set(sizes.values()) == {(n_train, n_test)}, f"sizes by seed: {sizes}"


@then("in every split each number is in exactly one of the two parts")
def parts_partition(splits: dict[int, Split], numbers: np.ndarray) -> None:
    for seed, (train, test) in splits.items():
        assert not set(train) & set(test), f"seed {seed}: rows in both parts"
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), numbers)


@then("both splits are the same")
def splits_equal(two_splits: tuple[Split, Split]) -> None:
    (train_a, test_a), (train_b, test_b) = two_splits
    np.testing.assert_array_equal(train_a, train_b)
    np.testing.assert_array_equal(test_a, test_b)


@then("no two seeds give the same test part")
def different_seeds_different_test_parts(splits: dict[int, Split]) -> None:
    same = [
        (a, b)
        for (a, (_, test_a)), (b, (_, test_b)) in itertools.combinations(splits.items(), 2)
        if set(test_a) == set(test_b)
    ]
    assert not same, f"seeds with the same test part: {same}"


@then(
    parsers.parse(
        "every training pixel that varies has mean 0 and standard deviation 1 within {tolerance:g}"
    )
)
def training_standardised(dataset: Dataset, tolerance: float) -> None:
    pixels = dataset.X_train[:, varying(dataset)]
    mean_off = np.abs(pixels.mean(axis=0)).max()
    std_off = np.abs(pixels.std(axis=0) - 1).max()
    assert mean_off <= tolerance, f"a training pixel's mean is {mean_off:.3g} away from 0"
    assert std_off <= tolerance, (
        f"a training pixel's standard deviation is {std_off:.3g} away from 1"
    )


@then(
    parsers.parse(
        "the test pixels do not: some test pixel's mean is more than {distance:g} away from 0"
    )
)
def held_out_pixels_not_standardised(dataset: Dataset, distance: float) -> None:
    largest = np.abs(dataset.X_test[:, varying(dataset)].mean(axis=0)).max()
    assert largest > distance, f"largest test pixel mean {largest:.3f}"


@when(
    parsers.parse(
        "the digits are loaded again with seed {seed:d}"
        " after every test image is replaced by random noise"
    ),
    target_fixture="reloaded",
)
def reload_with_noisy_test_images(seed: int, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """Put noise in the rows the seed sends to the test part, then run the loader again."""
    digits = sklearn.datasets.load_digits()
    split_rng, _, _ = generators(seed)
    _, test_rows = split_numbers(np.arange(len(digits.data)), split_rng)
    noisy = digits.data.copy()
    noisy[test_rows] = np.random.default_rng(seed).integers(0, 17, size=noisy[test_rows].shape)
    noisy_digits = sklearn.utils.Bunch(data=noisy, target=digits.target)
    monkeypatch.setattr(sklearn.datasets, "load_digits", lambda: noisy_digits)
    return dataset_for(dataclasses.replace(TrainConfig(), seed=seed))


@then("the standardiser's means and standard deviations are unchanged, bit for bit")
def statistics_unchanged(dataset: Dataset, reloaded: Dataset) -> None:
    assert dataset.standardizer.mean.tobytes() == reloaded.standardizer.mean.tobytes()
    assert dataset.standardizer.std.tobytes() == reloaded.standardizer.std.tobytes()


@then("the standardised training pixels are unchanged, bit for bit")
def training_unchanged(dataset: Dataset, reloaded: Dataset) -> None:
    assert dataset.X_train.tobytes() == reloaded.X_train.tobytes()


@then("the standardised test pixels have changed")
def standardised_test_part_changed(dataset: Dataset, reloaded: Dataset) -> None:
    assert not np.array_equal(dataset.X_test, reloaded.X_test)


@then(
    parsers.parse(
        "some pixel's training mean differs from its mean over all {count:d} images"
        " by more than {distance:g}"
    )
)
def statistics_differ_from_all_images(dataset: Dataset, count: int, distance: float) -> None:
    images = sklearn.datasets.load_digits().data
    assert len(images) == count
    gap = np.abs(dataset.standardizer.mean - images.mean(axis=0)).max()
    assert gap > distance, f"largest difference of a pixel mean: {gap:.3f}"


@given("a standardiser fitted on these training rows:", target_fixture="standardizer")
def fitted_standardizer(datatable: list[list[str]]) -> Standardizer:
    return Standardizer().fit(table_to_array(datatable))


@when("it standardises these rows:", target_fixture="standardised")
def standardise_rows(standardizer: Standardizer, datatable: list[list[str]]) -> np.ndarray:
    return standardizer.transform(table_to_array(datatable))


@then("the standardised rows are:")
def standardised_rows_are(standardised: np.ndarray, datatable: list[list[str]]) -> None:
    np.testing.assert_allclose(standardised, table_to_array(datatable), rtol=0, atol=1e-12)


@then("every pixel that never varies in the training images is divided by 1")
def constant_pixels_unscaled(dataset: Dataset) -> None:
    constant = ~varying(dataset)
    assert constant.any(), "this split has no constant pixel to check"
    np.testing.assert_array_equal(dataset.standardizer.std[constant], 1.0)


@then("every standardised pixel, training and test, is a finite number")
def all_finite(dataset: Dataset) -> None:
    assert np.isfinite(dataset.X_train).all()
    assert np.isfinite(dataset.X_test).all()


@when(parsers.parse("the labels {labels} are one-hot encoded"), target_fixture="encoded")
def encode_labels(labels: str) -> tuple[np.ndarray, np.ndarray]:
    values = np.array([int(word) for word in labels.replace(" and ", ", ").split(", ")])
    return values, one_hot(values, 10)


@when("the training labels are one-hot encoded", target_fixture="encoded")
def encode_training_labels(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    return dataset.y_train, one_hot(dataset.y_train, 10)


@then("the rows are:")
def rows_are(encoded: tuple[np.ndarray, np.ndarray], datatable: list[list[str]]) -> None:
    labels, rows = encoded
    expected = np.array([[int(cell) for cell in row] for row in datatable[1:]])
    np.testing.assert_array_equal(labels, expected[:, 0])
    np.testing.assert_array_equal(rows, expected[:, 1:])


@then("every row has ten entries, all 0 except a single 1 in the column of its label")
def rows_have_single_one(encoded: tuple[np.ndarray, np.ndarray]) -> None:
    labels, rows = encoded
    assert rows.shape == (len(labels), 10)
    assert set(np.unique(rows)) == {0.0, 1.0}
    np.testing.assert_array_equal(rows.sum(axis=1), 1)
    np.testing.assert_array_equal(rows[np.arange(len(labels)), labels], 1)


@when("the digits are loaded without settings", target_fixture="loaded_digits")
def load_without_settings() -> Dataset:
    return load_digits()


@when(
    parsers.parse("the digits are loaded with a test fraction of {fraction:g} and seed {seed:d}"),
    target_fixture="loaded_digits",
)
def load_with_fraction(fraction: float, seed: int) -> Dataset:
    return load_digits(test_fraction=fraction, seed=seed)


@when(
    parsers.parse("the digits are loaded in {dtype} with seed {seed:d}"),
    target_fixture="loaded_digits",
)
def load_in_precision(dtype: str, seed: int) -> Dataset:
    return load_digits(seed=seed, dtype=dtype)


@when(
    parsers.parse("the digits are loaded with seed {seed:d} without standardising"),
    target_fixture="loaded_digits",
)
def load_raw(seed: int) -> Dataset:
    return load_digits(seed=seed, standardise=False)


@then(
    parsers.parse(
        "they are the digits loaded with a test fraction of {fraction:g}, seed {seed:d}"
        " and {dtype}, bit for bit"
    )
)
def same_as_explicit_settings(
    loaded_digits: Dataset, fraction: float, seed: int, dtype: str
) -> None:
    explicit = load_digits(test_fraction=fraction, seed=seed, dtype=dtype)
    for field in ("X_train", "X_test", "y_train", "y_test", "images_test"):
        ours, theirs = getattr(loaded_digits, field), getattr(explicit, field)
        assert ours.dtype == theirs.dtype, f"{field}: {ours.dtype} and {theirs.dtype}"
        assert ours.tobytes() == theirs.tobytes(), f"{field} differs"


@then(parsers.parse("{n_train:d} digits are for training and {n_test:d} for testing"))
def digits_split_sizes(loaded_digits: Dataset, n_train: int, n_test: int) -> None:
    sizes = [len(part) for part in (loaded_digits.X_train, loaded_digits.y_train)]
    sizes += [len(part) for part in (loaded_digits.X_test, loaded_digits.y_test)]
    assert sizes == [n_train, n_train, n_test, n_test], f"rows: {sizes}"


@then(parsers.parse("every standardised pixel, training and test, is stored as {dtype}"))
def pixels_in_precision(loaded_digits: Dataset, dtype: str) -> None:
    for part in (loaded_digits.X_train, loaded_digits.X_test):
        assert part.dtype == np.dtype(dtype), f"pixels are {part.dtype}"


@then("every label, training and test, is a whole number")
def labels_are_integers(loaded_digits: Dataset) -> None:
    for part in (loaded_digits.y_train, loaded_digits.y_test):
        assert np.issubdtype(part.dtype, np.integer), f"labels are {part.dtype}"


@then("each test image is the 8 × 8 grey levels of a digit with that test row's label")
def kept_test_images(loaded_digits: Dataset) -> None:
    dataset = loaded_digits
    digits = sklearn.datasets.load_digits()
    labels_of = {}  # the labels of each distinct 8 × 8 image of the digits
    for image, label in zip(digits.images, digits.target, strict=True):
        labels_of.setdefault(image.tobytes(), set()).add(label)
    images = dataset.images_test
    assert images.shape == (len(dataset.X_test), 8, 8), f"test images of shape {images.shape}"
    for image, label in zip(images, dataset.y_test, strict=True):
        assert label in labels_of.get(image.tobytes(), ()), "a test image is not its row's digit"
    # Each row is its image standardised: undoing the standardisation gives the image back.
    undone = dataset.X_test * dataset.standardizer.std + dataset.standardizer.mean
    np.testing.assert_allclose(undone, images.reshape(len(images), 64), rtol=0, atol=1e-9)


@then("every pixel, training and test, is its image's grey level from 0 to 16, bit for bit")
def raw_grey_levels(loaded_digits: Dataset) -> None:
    digits = sklearn.datasets.load_digits()
    labels_of = {}  # the labels of each distinct row of 64 grey levels
    for row, label in zip(digits.data, digits.target, strict=True):
        labels_of.setdefault(row.tobytes(), set()).add(label)
    dataset = loaded_digits
    parts = (
        ("training", dataset.X_train, dataset.y_train),
        ("test", dataset.X_test, dataset.y_test),
    )
    for name, rows, labels in parts:
        assert rows.dtype == digits.data.dtype, f"{name} pixels are {rows.dtype}"
        for row, label in zip(rows, labels, strict=True):
            assert label in labels_of.get(row.tobytes(), ()), (
                f"a {name} row is not the grey levels of a digit with its label"
            )


@then("the digits come with no standardiser")
def digits_without_standardiser(loaded_digits: Dataset) -> None:
    standardizer = loaded_digits.standardizer
    assert standardizer is None, f"the digits came with a standardiser: {standardizer!r}"
