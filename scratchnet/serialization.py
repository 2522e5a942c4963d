"""Save a network to ``.npz`` and load it back, bit for bit, without pickle.

The file holds the format version, the architecture and any metadata as
JSON text, and one array per parameter. Saving writes a temporary file next
to the target and renames it into place, so a crash never leaves half a model.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from scratchnet.activations import ACTIVATIONS
from scratchnet.layers import Dense, Dropout, Layer
from scratchnet.network import Network

FORMAT_VERSION = 1


def save(network: Network, path: str | os.PathLike, *, metadata: dict | None = None) -> Path:
    """Write ``network`` (and optional JSON-able ``metadata``) to ``path`` atomically."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a scratchnet Network, got {type(network).__name__}")
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"path must end in .npz, got {str(path)!r}")
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "architecture": np.array(json.dumps(network.config())),
        "metadata": np.array(json.dumps(metadata or {})),
    }
    for index, parameter in enumerate(network.parameters()):
        arrays[f"parameter_{index:03d}"] = parameter
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load(path: str | os.PathLike) -> Network:
    """Read a network written by :func:`save`; pickled content is refused."""
    network, _ = load_with_metadata(path)
    return network


def load_with_metadata(path: str | os.PathLike) -> tuple[Network, dict]:
    """Like :func:`load`, but also return the metadata dict stored with the network."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {str(path)!r}")
    try:
        with np.load(path, allow_pickle=False) as stored:
            contents = {name: stored[name] for name in stored.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        # A cut-off or corrupted archive fails inside zipfile, an empty file with EOFError.
        raise ValueError(f"{str(path)!r} is not a scratchnet model file: {error}") from error
    for key in ("format_version", "architecture", "metadata"):
        if key not in contents:
            raise ValueError(f"{str(path)!r} is not a scratchnet model file: no {key!r} entry")
    version = int(contents["format_version"])
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} has format version {version}; this scratchnet reads {FORMAT_VERSION}"
        )
    names = sorted(name for name in contents if name.startswith("parameter_"))
    parameters = [contents[name] for name in names]
    dtype = parameters[0].dtype if parameters else np.float64
    architecture = json.loads(str(contents["architecture"]))
    network = Network([_layer_from_config(config, dtype) for config in architecture])
    expected = network.parameters()
    if len(parameters) != len(expected):
        raise ValueError(
            f"{str(path)!r} holds {len(parameters)} parameter arrays, "
            f"its architecture needs {len(expected)}"
        )
    for target, source in zip(expected, parameters, strict=True):
        if target.shape != source.shape:
            raise ValueError(
                f"{str(path)!r} holds a parameter of shape {source.shape}, expected {target.shape}"
            )
        target[...] = source
    return network, json.loads(str(contents["metadata"]))


def _layer_from_config(config: dict, dtype: np.dtype) -> Layer:
    kind = config.get("type")
    if kind == "Dense":
        layer = Dense(config["in_features"], config["out_features"], init="zeros", dtype=dtype)
        layer.init = config.get("init", "tutorial")
        return layer
    if kind == "Dropout":
        return Dropout(config["rate"])
    by_class_name = {cls.__name__: cls for cls in ACTIVATIONS.values()}
    if kind in by_class_name:
        settings = {key: value for key, value in config.items() if key != "type"}
        return by_class_name[kind](**settings)
    raise ValueError(f"unknown layer type {kind!r} in a saved architecture")
