"""Binds features/mnist.feature: reading MNIST's IDX and CSV files, and training on the real set.

The small folders are written here with the standard library and NumPy,
byte by byte as the formats describe them, independently of the loader.
"""

from __future__ import annotations

import builtins
import errno
import gzip
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.data import Dataset, load_mnist
from scratchnet.experiment import RunResult, TrainConfig
from scratchnet.serialization import load
from steps.cli_steps import Outcome, json_report

scenarios("mnist.feature")

IMAGES, LABELS = 0x803, 0x801
IDX_NAMES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}
CSV_NAMES = {"train": "mnist_train.csv", "test": "mnist_test.csv"}


class Written(NamedTuple):
    """A folder of MNIST files and the pixels ``(n, 28, 28)`` and labels written into it."""

    folder: Path
    images: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]


def random_digits(rows: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random 28×28 byte images with every value 0–255 likely, and labels 0–9."""
    return rng.integers(0, 256, (rows, 28, 28), dtype=np.uint8), rng.integers(0, 10, rows)


def idx_bytes(magic: int, values: np.ndarray) -> bytes:
    """An IDX file: the magic number, one big-endian 32-bit size per dimension, then the bytes."""
    header = struct.pack(f">I{values.ndim}I", magic, *values.shape)
    return header + values.astype(np.uint8).tobytes()


def write(path: Path, content: bytes) -> None:
    path.write_bytes(gzip.compress(content) if path.suffix == ".gz" else content)


def read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


class CsvLayout(NamedTuple):
    """How the CSV files of a folder are written."""

    header: bool
    gzipped: bool = False
    #: What each line starts with before its label.
    indent: str = ""


#: The layouts the scenarios name.
CSV_LAYOUTS = {
    "with a header": CsvLayout(header=True),
    "without a header": CsvLayout(header=False),
    "gzipped, with a header": CsvLayout(header=True, gzipped=True),
    "without a header, each line indented by a space": CsvLayout(header=False, indent=" "),
}


def csv_text(images: np.ndarray, labels: np.ndarray, layout: CsvLayout) -> str:
    lines = ["label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29))]
    lines = lines if layout.header else []
    for image, label in zip(images, labels, strict=True):
        lines.append(layout.indent + ",".join(str(value) for value in [label, *image.ravel()]))
    return "\n".join(lines) + "\n"


def make_folder(root: Path, train_rows: int, test_rows: int) -> Written:
    folder = root / "mnist"
    folder.mkdir()
    rng = np.random.default_rng(11)
    images, labels = {}, {}
    for split, rows in (("train", train_rows), ("test", test_rows)):
        images[split], labels[split] = random_digits(rows, rng)
    return Written(folder, images, labels)


@given(
    parsers.parse(
        "a folder of MNIST's four IDX files, {compression}, "
        "with {train_rows:d} training and {test_rows:d} test images"
    ),
    target_fixture="written",
)
def idx_folder(tmp_path: Path, compression: str, train_rows: int, test_rows: int) -> Written:
    written = make_folder(tmp_path, train_rows, test_rows)
    suffix = ".gz" if compression == "gzipped" else ""
    for (split, kind), name in IDX_NAMES.items():
        if kind == "images":
            content = idx_bytes(IMAGES, written.images[split])
        else:
            content = idx_bytes(LABELS, written.labels[split])
        write(written.folder / f"{name}{suffix}", content)
    return written


@given(
    parsers.parse(
        "a folder of MNIST as two CSV files, {header}, "
        "with {train_rows:d} training and {test_rows:d} test images"
    ),
    target_fixture="written",
)
def csv_folder(tmp_path: Path, header: str, train_rows: int, test_rows: int) -> Written:
    written = make_folder(tmp_path, train_rows, test_rows)
    layout = CSV_LAYOUTS[header]
    suffix = ".gz" if layout.gzipped else ""
    for split, name in CSV_NAMES.items():
        text = csv_text(written.images[split], written.labels[split], layout)
        write(written.folder / f"{name}{suffix}", text.encode())
    return written


def edit_bytes(path: Path, change: Callable[[bytes], bytes]) -> None:
    write(path, change(read(path)))


def edit_csv_rows(path: Path, change: Callable[[list[str]], list[str]]) -> None:
    lines = read(path).decode().splitlines()
    write(path, ("\n".join([lines[0], *change(lines[1:])]) + "\n").encode())


def gzip_file(path: Path) -> Path:
    """``path`` replaced by its gzipped copy, ``path.gz``; returns the copy."""
    gzipped = path.with_name(f"{path.name}.gz")
    write(gzipped, path.read_bytes())
    path.unlink()
    return gzipped


def set_field(row: str, column: int, value: str) -> str:
    fields = row.split(",")
    fields[column] = value
    return ",".join(fields)


def idx(folder: Path, split: str, kind: str) -> Path:
    return folder / f"{IDX_NAMES[split, kind]}.gz"


DAMAGES: dict[str, Callable[[Path], None]] = {
    "the training images carry the labels' magic number": lambda f: edit_bytes(
        idx(f, "train", "images"), lambda raw: struct.pack(">I", LABELS) + raw[4:]
    ),
    "the training images lose their last byte": lambda f: edit_bytes(
        idx(f, "train", "images"), lambda raw: raw[:-1]
    ),
    "the test labels gain one byte": lambda f: edit_bytes(
        idx(f, "test", "labels"), lambda raw: raw + b"\x01"
    ),
    "the training labels stop inside their header": lambda f: edit_bytes(
        idx(f, "train", "labels"), lambda raw: raw[:6]
    ),
    "the training labels hold only their magic number": lambda f: edit_bytes(
        idx(f, "train", "labels"), lambda raw: raw[:4]
    ),
    "the training labels are 3 bytes long": lambda f: edit_bytes(
        idx(f, "train", "labels"), lambda raw: raw[:3]
    ),
    "the test labels hold 3 labels for 4 images": lambda f: write(
        idx(f, "test", "labels"), idx_bytes(LABELS, np.array([1, 2, 3]))
    ),
    "the test labels hold no labels": lambda f: write(
        idx(f, "test", "labels"), idx_bytes(LABELS, np.array([], dtype=np.uint8))
    ),
    "the training images are 27 pixels high": lambda f: write(
        idx(f, "train", "images"), idx_bytes(IMAGES, np.zeros((6, 27, 28)))
    ),
    "a training label is 10": lambda f: write(
        idx(f, "train", "labels"), idx_bytes(LABELS, np.array([1, 2, 10, 3, 4, 5]))
    ),
    "the test images are not valid gzip": lambda f: idx(f, "test", "images").write_bytes(
        b"\x1f\x8b\x08\x00 not deflate data"
    ),
    "the test labels are missing": lambda f: idx(f, "test", "labels").unlink(),
    "a training row loses its last value": lambda f: edit_csv_rows(
        f / CSV_NAMES["train"], lambda rows: [*rows[:2], rows[2].rsplit(",", 1)[0], *rows[3:]]
    ),
    "every test row loses its last value": lambda f: edit_csv_rows(
        f / CSV_NAMES["test"], lambda rows: [row.rsplit(",", 1)[0] for row in rows]
    ),
    "a test pixel is 256": lambda f: edit_csv_rows(
        f / CSV_NAMES["test"], lambda rows: [set_field(rows[0], 100, "256"), *rows[1:]]
    ),
    "a training pixel is 0.5": lambda f: edit_csv_rows(
        f / CSV_NAMES["train"], lambda rows: [*rows[:3], set_field(rows[3], 5, "0.5"), *rows[4:]]
    ),
    "a training pixel is ½": lambda f: edit_csv_rows(
        f / CSV_NAMES["train"], lambda rows: [*rows[:3], set_field(rows[3], 5, "½"), *rows[4:]]
    ),
    "the gzipped test file has a pixel ½": lambda f: edit_csv_rows(
        gzip_file(f / CSV_NAMES["test"]),
        lambda rows: [*rows[:2], set_field(rows[2], 300, "½"), *rows[3:]],
    ),
    "the test file keeps only its first image": lambda f: edit_csv_rows(
        f / CSV_NAMES["test"], lambda rows: rows[:1]
    ),
    "a test label is 12": lambda f: edit_csv_rows(
        f / CSV_NAMES["test"], lambda rows: [*rows[:1], set_field(rows[1], 0, "12"), *rows[2:]]
    ),
    "the training file is empty": lambda f: (f / CSV_NAMES["train"]).write_text(""),
    "the test file holds only its header": lambda f: edit_csv_rows(
        f / CSV_NAMES["test"], lambda rows: []
    ),
}


@given(parsers.parse("in the folder, {damage}"))
def damage_folder(written: Written, damage: str) -> None:
    DAMAGES[damage](written.folder)


@given("the system refuses to read the training images")
def training_images_unreadable(written: Written, monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a file without read permission. Root may read any file, so the refusal is the
    operating system's answer, given by ``open`` itself for that one file."""
    (refused,) = written.folder.glob("train-images-idx3-ubyte*")
    refused.chmod(0)
    real_open = builtins.open

    def open_refusing(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file) == refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_refusing)


@then("the error does not mention gzip")
def error_without_gzip(loaded: Loaded) -> None:
    assert "gzip" not in str(loaded.error), str(loaded.error)


class Loaded(NamedTuple):
    """What loading the folder gave: the data set, or the error it raised."""

    dataset: Dataset | None
    error: Exception | None


def load_folder(folder: Path, **options: object) -> Loaded:
    try:
        return Loaded(load_mnist(folder, **options), None)
    except (ValueError, OSError) as error:
        return Loaded(None, error)


@when("MNIST is loaded from the folder", target_fixture="loaded")
def load_from_folder(written: Written) -> Loaded:
    return load_folder(written.folder)


@when("MNIST is loaded from the folder with standardised pixels", target_fixture="loaded")
def load_standardised(written: Written) -> Loaded:
    return load_folder(written.folder, standardise=True)


@when(
    parsers.parse("MNIST is loaded from the folder in {dtype}, {scaling}"),
    target_fixture="loaded",
)
def load_in_precision(written: Written, dtype: str, scaling: str) -> Loaded:
    return load_folder(written.folder, standardise=scaling == "standardised", dtype=dtype)


def loaded_dataset(loaded: Loaded) -> Dataset:
    assert loaded.error is None, f"loading failed: {loaded.error!r}"
    return loaded.dataset


@then(parsers.parse("it holds {train_rows:d} training and {test_rows:d} test rows of 784 features"))
def holds_rows(loaded: Loaded, train_rows: int, test_rows: int) -> None:
    dataset = loaded_dataset(loaded)
    assert dataset.X_train.shape == (train_rows, 784)
    assert dataset.X_test.shape == (test_rows, 784)
    assert dataset.y_train.shape == (train_rows,)
    assert dataset.y_test.shape == (test_rows,)


@then("every feature is its pixel's value divided by 255")
def features_are_pixels_over_255(loaded: Loaded, written: Written) -> None:
    dataset = loaded_dataset(loaded)
    for split, X in (("train", dataset.X_train), ("test", dataset.X_test)):
        pixels = written.images[split].reshape(len(X), -1)
        expected = [[value / 255 for value in row] for row in pixels.tolist()]
        np.testing.assert_allclose(X, expected, rtol=0, atol=1e-15, err_msg=split)


@then("the labels are the integers written to the files")
def labels_as_written(loaded: Loaded, written: Written) -> None:
    dataset = loaded_dataset(loaded)
    for split, y in (("train", dataset.y_train), ("test", dataset.y_test)):
        assert np.issubdtype(y.dtype, np.integer), f"{split} labels are {y.dtype}"
        assert y.tolist() == written.labels[split].tolist(), split


@then(
    parsers.parse(
        "every training feature that varies has mean 0 and standard deviation 1 within {tol:g}"
    )
)
def training_features_standardised(loaded: Loaded, tol: float) -> None:
    X = loaded_dataset(loaded).X_train
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=tol)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=tol)


@then("the test rows are standardised with the training rows' mean and standard deviation")
def standardised_with_training_statistics(loaded: Loaded, written: Written) -> None:
    train = written.images["train"].reshape(len(written.images["train"]), -1).astype(float)
    test = written.images["test"].reshape(len(written.images["test"]), -1).astype(float)
    mean = train.sum(axis=0) / len(train)
    std = np.sqrt(((train - mean) ** 2).sum(axis=0) / len(train))
    np.testing.assert_allclose(loaded_dataset(loaded).X_test, (test - mean) / std, atol=1e-9)


@then("the test images are kept as they were written, 28 × 28 grey levels")
def kept_as_written(loaded: Loaded, written: Written) -> None:
    images = loaded_dataset(loaded).images_test
    assert images.shape == written.images["test"].shape, f"test images of shape {images.shape}"
    assert images.tolist() == written.images["test"].tolist()


@then("the data come with the standardiser fitted on the training rows, for new images")
def standardiser_kept(loaded: Loaded, written: Written) -> None:
    standardizer = loaded_dataset(loaded).standardizer
    assert standardizer is not None, "the standardised data came without their standardiser"
    train = written.images["train"].reshape(len(written.images["train"]), -1).astype(float)
    np.testing.assert_allclose(standardizer.mean, train.sum(axis=0) / len(train), atol=1e-12)


@then("the data come with no standardiser")
def no_standardiser(loaded: Loaded) -> None:
    standardizer = loaded_dataset(loaded).standardizer
    assert standardizer is None, f"the data came with a standardiser: {standardizer!r}"


@then(parsers.parse("every feature, training and test, is stored as {dtype}"))
def features_in_precision(loaded: Loaded, dtype: str) -> None:
    dataset = loaded_dataset(loaded)
    for part in (dataset.X_train, dataset.X_test):
        assert part.dtype == np.dtype(dtype), f"features are {part.dtype}"


@then(
    parsers.parse('loading fails with a {kind} naming {file} and saying "{message}"'),
)
def loading_fails(loaded: Loaded, kind: str, file: str, message: str) -> None:
    assert loaded.error is not None, "the folder loaded without an error"
    assert type(loaded.error).__name__ == kind, repr(loaded.error)
    assert file in str(loaded.error), str(loaded.error)
    assert message in str(loaded.error), str(loaded.error)


@then("the test split holds that one image, with its label, as it was written")
def one_test_image(loaded: Loaded, written: Written) -> None:
    dataset = loaded_dataset(loaded)
    images = dataset.images_test
    assert images.shape == (1, 28, 28), f"test images of shape {images.shape}"
    assert images[0].tolist() == written.images["test"][0].tolist()
    assert dataset.y_test.tolist() == written.labels["test"][:1].tolist(), dataset.y_test


@then("the saved network has 784 inputs, 128 hidden units and 10 outputs")
def saved_network_shape(outcome: Outcome) -> None:
    assert outcome.exit_code == 0, outcome.stderr
    assert network_widths(load("model.npz")) == [784, 128, 10]


def network_widths(network: object) -> list[int]:
    weights = [W for name, W in network.named_parameters() if name.startswith("W")]
    return [weights[0].shape[0], *(W.shape[1] for W in weights)]


@then(parsers.parse("the evaluation scored {rows:d} MNIST test images"))
def evaluation_size(evaluation: Outcome, rows: int) -> None:
    report = json_report(evaluation)
    assert report["dataset"] == "mnist"
    assert report["test_size"] == rows


@given("the real MNIST files", target_fixture="config")
def real_mnist(mnist_dir: Path) -> TrainConfig:
    """MNIST from ``--mnist-dir`` (or SCRATCHNET_MNIST_DIR); see steps/conftest.py."""
    return TrainConfig(dataset="mnist", data_dir=os.fspath(mnist_dir))


@then("every network has 784 inputs, 128 hidden units and 10 outputs")
def every_network_shape(results: list[RunResult]) -> None:
    for result in results:
        assert network_widths(result.network) == [784, 128, 10], result.config.seed


@then(parsers.parse("every network was tested on MNIST's {rows:d} test images"))
def on_official_test_set(results: list[RunResult], rows: int) -> None:
    for result in results:
        assert result.dataset.X_test.shape == (rows, 784), result.config.seed
        assert result.dataset.X_train.shape == (60000, 784), result.config.seed


@pytest.fixture
def mnist_dir(request: pytest.FixtureRequest) -> Path:
    """The folder named by ``--mnist-dir``; fails (never skips) when it lacks the files."""
    from scratchnet.mnist import HOW_TO_GET

    folder = request.config.getoption("--mnist-dir")
    if not folder:
        pytest.fail(
            f"no MNIST folder: pass --mnist-dir=DIR or set SCRATCHNET_MNIST_DIR; {HOW_TO_GET}"
        )
    return Path(folder)
