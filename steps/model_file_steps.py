"""Model files, good and broken, at ``model_path``: ``model.npz`` in the scenario's
temporary folder (also the working folder of scenarios that run commands there)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from pytest_bdd import given

from scratchnet.network import mlp
from scratchnet.serialization import save


def stored_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in an .npz file, read without pickle."""
    with np.load(path, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def rewrite(path: Path, **changes: np.ndarray | None) -> None:
    """Rewrite a saved model with some entries replaced (or removed, when given ``None``)."""
    arrays = stored_arrays(path)
    arrays.update(changes)
    np.savez(path, **{name: array for name, array in arrays.items() if array is not None})


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    """Where the scenario's model file goes."""
    return tmp_path / "model.npz"


@given("a model file whose architecture entry is a pickled Python object")
def pickled_architecture(model_path: Path) -> None:
    save(mlp([4, 3, 2], seed=0), model_path)
    rewrite(model_path, architecture=np.array([{"type": "Dense"}], dtype=object))


@given("a text file with a .npz name")
def text_file(model_path: Path) -> None:
    model_path.write_text("W1 = 0.01, 0.02, 0.03\n")


@given("a saved model cut off halfway")
def cut_off_file(model_path: Path) -> None:
    save(mlp([64, 128, 10], seed=0), model_path)
    whole = model_path.read_bytes()
    model_path.write_bytes(whole[: len(whole) // 2])


@given("a saved model with a few bytes changed")
def corrupted_file(model_path: Path) -> None:
    save(mlp([64, 128, 10], seed=0), model_path)
    data = bytearray(model_path.read_bytes())
    for position in np.random.default_rng(0).integers(0, len(data), size=5):
        data[position] ^= 0xFF
    model_path.write_bytes(bytes(data))


@given("an .npz archive of numbers with no model in it")
def plain_archive(model_path: Path) -> None:
    np.savez(model_path, numbers=np.arange(10.0))


@given("an .npz archive of images and labels with no model in it")
def images_and_labels_archive(model_path: Path) -> None:
    np.savez(model_path, labels=np.arange(3), images=np.zeros((3, 4)))


@given("an empty .npz archive")
def empty_archive(model_path: Path) -> None:
    np.savez(model_path)


@given("an .npz archive whose arrays have damaged headers")
def archive_of_damaged_arrays(model_path: Path) -> None:
    """A sound zip file, but each array's header (its type and shape) is unreadable."""
    with zipfile.ZipFile(model_path, "w") as archive:
        for name in ("format_version", "architecture", "metadata"):
            archive.writestr(f"{name}.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': ?!}     \n")


@given("an .npz archive whose entries are not NumPy arrays")
def archive_of_other_files(model_path: Path) -> None:
    """A sound zip file named like a model, holding files that are not ``.npy`` arrays."""
    with zipfile.ZipFile(model_path, "w") as archive:
        for name in ("format_version", "architecture", "metadata"):
            archive.writestr(f"{name}.txt", b"1\n")


def saved_and_changed(path: Path, **changes: np.ndarray | None) -> None:
    """A 4 → 3 → 2 model saved at ``path``, then some entries replaced or removed."""
    save(mlp([4, 3, 2], seed=0), path)
    rewrite(path, **changes)


def architecture_entry(layers: list[object]) -> np.ndarray:
    """An architecture entry as ``save`` stores it: the layers' settings as JSON text."""
    return np.array(json.dumps(layers))


@given("a model file with format version 0")
def format_version_zero(model_path: Path) -> None:
    saved_and_changed(model_path, format_version=np.array(0))


@given("a model file whose weights are whole numbers")
def whole_number_weights(model_path: Path) -> None:
    saved_and_changed(model_path, parameter_000=np.ones((4, 3), dtype=np.int64))


@given("a model file with a NaN weight")
def nan_weight(model_path: Path) -> None:
    weights = np.ones((4, 3))
    weights[1, 2] = np.nan
    saved_and_changed(model_path, parameter_000=weights)


@given("a model file with a weight array of the wrong shape")
def wrong_shape(model_path: Path) -> None:
    saved_and_changed(model_path, parameter_000=np.ones((3, 4)))


@given("a model file whose metadata is not a dict")
def metadata_not_a_dict(model_path: Path) -> None:
    saved_and_changed(model_path, metadata=np.array(json.dumps(["seed", 0])))


@given("a model file whose architecture has no dense layer")
def no_dense_layer(model_path: Path) -> None:
    save(mlp([4, 3, 2], seed=0), model_path)
    weights = {name: None for name in stored_arrays(model_path) if name.startswith("parameter")}
    rewrite(model_path, architecture=architecture_entry([{"type": "ReLU"}]), **weights)


@given("a model file whose architecture lists a layer as a number")
def layer_as_a_number(model_path: Path) -> None:
    layers = mlp([4, 3, 2], seed=0).architecture()
    saved_and_changed(model_path, architecture=architecture_entry([*layers[:1], 3, *layers[1:]]))


@given("a model file naming a layer type scratchnet does not have")
def unknown_layer_type(model_path: Path) -> None:
    layers = mlp([4, 3, 2], seed=0).architecture()
    layers.insert(1, {"type": "Conv2D"})
    saved_and_changed(model_path, architecture=architecture_entry(layers))
