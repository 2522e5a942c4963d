"""Model files, good and broken, at ``model_path``: ``model.npz`` in the scenario's
temporary folder (also the working folder of scenarios that run commands there)."""

from __future__ import annotations

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
