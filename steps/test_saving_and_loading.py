"""Binds features/saving_and_loading.feature: round trips, no pickle, atomic writes, bad files."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from scratchnet.activations import LeakyReLU, ReLU
from scratchnet.experiment import RunResult
from scratchnet.layers import Dense, Dropout
from scratchnet.network import Network, mlp
from scratchnet.serialization import check_save_path, load, save
from steps.cli_steps import Outcome
from steps.digits_steps import digits_split
from steps.math_steps import refusal
from steps.model_file_steps import rewrite, stored_arrays

scenarios("saving_and_loading.feature")


class RoundTrip(NamedTuple):
    """A network, the network read back from its file, and digits to compare them on."""

    original: Network
    loaded: Network
    X_test: np.ndarray


@when("it is saved to a file and loaded back", target_fixture="round_trip")
def save_and_load(result: RunResult, model_path: Path) -> RoundTrip:
    save(result.network, model_path)
    return RoundTrip(result.network, load(model_path), result.dataset.X_test)


@when("the network is saved to a file and loaded back", target_fixture="round_trip")
def save_and_load_network(network: Network, model_path: Path) -> RoundTrip:
    save(network, model_path)
    return RoundTrip(network, load(model_path), digits_split(0).X_test)


#: The layers and networks the show scenarios build, by the words that name them.
SHOWN = {
    "a 3 → 2 → 2 network with ReLU": lambda: mlp([3, 2, 2], activation="relu", seed=0),
    "a dense layer from 64 to 16 units": lambda: Dense(64, 16, seed=0),
    "a dropout layer at rate 0.25": lambda: Dropout(0.25),
    "a ReLU layer": ReLU,
    "a leaky ReLU layer with slope 0.1": lambda: LeakyReLU(0.1),
}


@when(parsers.parse("{thing} is shown"), target_fixture="shown")
def show(thing: str) -> str:
    return repr(SHOWN[thing]())


@then("it reads, line by line:")
def reads_lines(shown: str, docstring: str) -> None:
    assert shown.splitlines() == docstring.splitlines(), shown


@then(parsers.parse("it reads {text}"))
def reads(shown: str, text: str) -> None:
    assert shown == text


@given("it is saved to a file")
@when("it is saved to a file")
def save_network(network: Network, model_path: Path) -> None:
    save(network, model_path)


@then("the loaded network has the same layers and the same number type")
def same_architecture(round_trip: RoundTrip) -> None:
    assert round_trip.loaded.architecture() == round_trip.original.architecture()
    assert round_trip.loaded.dtype == round_trip.original.dtype


@then("every weight and bias of the loaded network is identical, bit for bit")
def same_parameters(round_trip: RoundTrip) -> None:
    original = round_trip.original.named_parameters()
    loaded = round_trip.loaded.named_parameters()
    assert [name for name, _ in loaded] == [name for name, _ in original]
    for (name, before), (_, after) in zip(original, loaded, strict=True):
        assert after.dtype == before.dtype, f"{name}: {after.dtype} != {before.dtype}"
        assert after.shape == before.shape, f"{name}: {after.shape} != {before.shape}"
        assert after.tobytes() == before.tobytes(), f"{name} differs"


@then("the loaded network predicts exactly the same probabilities for the test digits")
def same_predictions(round_trip: RoundTrip) -> None:
    np.testing.assert_array_equal(
        round_trip.loaded.predict_proba(round_trip.X_test),
        round_trip.original.predict_proba(round_trip.X_test),
    )


@then("NumPy reads every array in the file with pickling turned off")
def readable_without_pickle(model_path: Path) -> None:
    arrays = stored_arrays(model_path)
    assert any(name.startswith("parameter") for name in arrays), sorted(arrays)


@then("no array in the file holds Python objects")
def no_object_arrays(model_path: Path) -> None:
    kinds = {name: array.dtype.kind for name, array in stored_arrays(model_path).items()}
    objects = [name for name, kind in kinds.items() if kind == "O"]
    assert not objects, f"object arrays: {objects}"


@when("the file is loaded", target_fixture="refused")
def load_file(model_path: Path) -> Exception | None:
    return refusal(lambda: load(model_path))


@when(
    "the computer fails halfway through saving another network to the same file",
    target_fixture="bytes_before",
)
def crash_while_saving(model_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Make NumPy write part of the archive and then fail, as a full disk or a power cut would."""
    before = model_path.read_bytes()

    def write_half_then_fail(file, **arrays) -> None:
        file.write(before[: len(before) // 2])
        raise OSError("no space left on device")

    monkeypatch.setattr(np, "savez", write_half_then_fail)
    with pytest.raises(OSError, match="no space left"):
        save(mlp([64, 128, 10], seed=1), model_path)
    return before


@then("the file still holds the first network, byte for byte")
def file_intact(model_path: Path, bytes_before: bytes, network: Network) -> None:
    assert model_path.read_bytes() == bytes_before
    for (name, kept), (_, saved) in zip(
        load(model_path).named_parameters(), network.named_parameters(), strict=True
    ):
        np.testing.assert_array_equal(kept, saved, err_msg=name)


@then("no temporary file is left beside it")
def no_temporary_file(model_path: Path) -> None:
    assert sorted(model_path.parent.iterdir()) == [model_path]


@given("an empty file with a .npz name")
def empty_file(model_path: Path) -> None:
    model_path.write_bytes(b"")


@given("a model file from a newer format version")
def newer_version(model_path: Path) -> None:
    save(mlp([4, 3, 2], seed=0), model_path)
    rewrite(model_path, format_version=np.array(2))


@given("a model file missing one weight array")
def missing_array(model_path: Path) -> None:
    save(mlp([4, 3, 2], seed=0), model_path)
    last = max(name for name in stored_arrays(model_path) if name.startswith("parameter"))
    rewrite(model_path, **{last: None})


@given("a text file named notes.txt", target_fixture="model_path")
def notes_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("Trained on Tuesday: 97% on the test digits.\n")
    return path


@given("a single NumPy array saved as a .npy file", target_fixture="model_path")
def single_array_file(tmp_path: Path) -> Path:
    path = tmp_path / "weights.npy"
    np.save(path, np.zeros((4, 3)))
    return path


@then(parsers.parse('its error says "{words}"'))
def error_says(outcome: Outcome, words: str) -> None:
    assert words in outcome.stderr, outcome.stderr


@then("the message says nothing about pickles")
def message_not_about_pickles(refused: Exception | None) -> None:
    assert refused is not None, "the file was loaded"
    assert "pickle" not in str(refused).lower(), refused


@then("its error says nothing about pickles")
def error_not_about_pickles(outcome: Outcome) -> None:
    assert "pickle" not in outcome.stderr.lower(), outcome.stderr


class BytesPath:
    """A path object whose file system path is bytes, as ``os.scandir(b".")`` gives."""

    def __fspath__(self) -> bytes:
        return b"model.npz"


#: The wrong calls the refusal scenarios make, by the words that describe them.
ATTEMPTS = {
    'the text "abc" is saved as if it were a network': lambda: save("abc", "model.npz"),
    "a network is saved with a list as its metadata": lambda: save(
        mlp([4, 3, 2], seed=0), "model.npz", metadata=["seed", 0]
    ),
    "a network is saved with metadata holding a Python object": lambda: save(
        mlp([4, 3, 2], seed=0), "model.npz", metadata={"made by": object()}
    ),
    "a network is saved to the number 3 as its path": lambda: save(mlp([4, 3, 2], seed=0), 3),
    "a network is saved to a path object that gives bytes": lambda: save(
        mlp([4, 3, 2], seed=0), BytesPath()
    ),
    "a model is loaded from a path object that gives bytes": lambda: load(BytesPath()),
    "a network is saved to a path with a NUL character in it": lambda: save(
        mlp([4, 3, 2], seed=0), "model\x00.npz"
    ),
    "a model is loaded from a path with a NUL character in it": lambda: load("model\x00.npz"),
}


@when(
    parsers.re("(?P<attempt>" + "|".join(re.escape(words) for words in ATTEMPTS) + ")"),
    target_fixture="refused",
)
def wrong_call(attempt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Exception | None:
    monkeypatch.chdir(tmp_path)  # whatever a wrong call writes stays in the test's folder
    return refusal(ATTEMPTS[attempt])


@when(parsers.parse("it is saved as {place}"), target_fixture="model_path")
def save_as(network: Network, place: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    save(network, place)
    return tmp_path / place


@when(parsers.parse("{place} is checked as a place to save"), target_fixture="refused")
def check_place(place: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Exception | None:
    monkeypatch.chdir(tmp_path)  # a relative place is made in the test's empty folder
    return refusal(lambda: check_save_path(place))


@then(parsers.parse("the folder {folder} exists and holds nothing"))
def empty_folder_made(folder: str, tmp_path: Path, refused: Exception | None) -> None:
    assert refused is None, refused
    assert (tmp_path / folder).is_dir()
    assert not list((tmp_path / folder).iterdir())


@then("the refusal quotes no path but that one")
def quotes_one_path(refused: Exception | None) -> None:
    quoted = set(re.findall(r"'([^']*)'", str(refused)))
    assert len(quoted) == 1, f"the message quotes {sorted(quoted)}: {refused}"


@when(
    "it is saved to a file, watching its folder while the data is written",
    target_fixture="seen_while_writing",
)
def save_watching_folder(
    network: Network, model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The names in the model's folder at the moment NumPy writes the archive."""
    seen: list[str] = []
    write = np.savez

    def savez_and_look(file, **arrays) -> None:
        seen.extend(sorted(entry.name for entry in model_path.parent.iterdir()))
        write(file, **arrays)

    monkeypatch.setattr(np, "savez", savez_and_look)
    save(network, model_path)
    return seen


@then(
    "while the data was written, the folder held one new file, named after the model file, "
    "hidden and ending in .tmp"
)
def hidden_temporary_file(seen_while_writing: list[str], model_path: Path) -> None:
    assert len(seen_while_writing) == 1, seen_while_writing
    name = seen_while_writing[0]
    assert name.startswith(f".{model_path.name}.") and name.endswith(".tmp"), name


@when(
    "it is saved to a file and Ctrl-C is pressed just as the file is renamed into place",
    target_fixture="stopped_by",
)
def ctrl_c_at_rename(
    network: Network, model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> BaseException | None:
    rename = os.replace

    def rename_then_ctrl_c(source, target) -> None:
        rename(source, target)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", rename_then_ctrl_c)
    try:
        save(network, model_path)
    except BaseException as error:  # which one stopped saving is the result
        return error
    return None


@then("saving stops with the interrupt, not with another error")
def stopped_by_interrupt(stopped_by: BaseException | None) -> None:
    assert type(stopped_by) is KeyboardInterrupt, repr(stopped_by)


@then("the file holds the network, bit for bit")
def holds_network(model_path: Path, network: Network) -> None:
    loaded = load(model_path)
    assert loaded.architecture() == network.architecture()
    for (name, kept), (_, saved) in zip(
        loaded.named_parameters(), network.named_parameters(), strict=True
    ):
        assert kept.dtype == saved.dtype and kept.tobytes() == saved.tobytes(), name
