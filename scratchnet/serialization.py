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
from scratchnet.validation import lookup

FORMAT_VERSION = 1


def save(network: Network, path: str | os.PathLike, *, metadata: dict | None = None) -> Path:
    """Write ``network`` (and optional JSON-able ``metadata``) to ``path`` atomically.

    Args:
        network: The network to save.
        path: The file to write; must end in ``.npz``.
        metadata: JSON-able data to store with it.

    Returns:
        The path written.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a scratchnet Network, got {type(network).__name__}")
    path = _model_path(path)
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict, got {type(metadata).__name__}")
    try:
        metadata_text = json.dumps(metadata or {})
    except (TypeError, ValueError) as error:
        raise TypeError(f"metadata must hold only JSON values: {error}") from None
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "architecture": np.array(json.dumps(network.architecture())),
        "metadata": np.array(metadata_text),
    }
    for index, parameter in enumerate(network.parameters):
        arrays[f"parameter_{index:03d}"] = parameter
    # Missing folders are created, as ``mkdir -p`` would; see ``check_save_path``.
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
    """Read a network written by :func:`save`; pickled content is refused.

    Args:
        path: A file written by ``save``.

    Returns:
        The network.
    """
    network, _ = load_with_metadata(path)
    return network


def load_with_metadata(path: str | os.PathLike) -> tuple[Network, dict]:
    """Like :func:`load`, but also return the metadata dict stored with the network.

    Args:
        path: A file written by ``save``.

    Returns:
        The network and its metadata dict.

    Raises:
        ValueError: the file is not a usable scratchnet model.
        FileNotFoundError: there is no file at ``path``.
    """
    path = Path(_path_text(path))
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder, not a saved model")
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {str(path)!r}")
    contents = _read_archive(path)
    missing = [key for key in ("format_version", "architecture", "metadata") if key not in contents]
    if missing:
        held = ", ".join(sorted(contents)) or "nothing"
        raise ValueError(
            f"{str(path)!r} is not a scratchnet model file: it is an .npz archive, but not a "
            f"scratchnet model (no {missing[0]!r} entry; it holds {held})"
        )
    _check_format_version(path, contents["format_version"])
    try:
        return _network_from_contents(contents)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        # Whatever is malformed inside the archive, the message names the file.
        raise ValueError(f"{str(path)!r} is not a usable scratchnet model file: {error}") from None


#: How an .npz archive (a zip file) starts: a first entry, or the end record of an empty one.
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
#: How a single array saved with ``numpy.save`` starts.
NPY_START = b"\x93NUMPY"


def _read_archive(path: Path) -> dict[str, np.ndarray]:
    """Every array in the .npz archive at ``path``, read without pickle.

    The first bytes say what the file is before NumPy reads it: NumPy takes any file
    that is neither ``.npy`` nor ``.npz`` for a pickle, and its message advises
    allowing pickles, which a model loader must never do.
    """
    not_a_model = f"{str(path)!r} is not a scratchnet model file"
    with open(path, "rb") as file:
        start = file.read(len(NPY_START))
        if not start:
            raise ValueError(f"{not_a_model}: it is empty")
        if start.startswith(NPY_START):
            raise ValueError(
                f"{not_a_model}: it holds a single NumPy array (.npy), not an .npz archive"
            )
        if not start.startswith(ZIP_STARTS):
            raise ValueError(
                f"{not_a_model}: it is not an .npz archive (a model is the .npz file that "
                "`scratchnet train --save` or scratchnet.save writes)"
            )
        file.seek(0)
        contents, name = {}, None
        try:
            # Opened here, so the file is closed whatever NumPy finds in it.
            with np.load(file, allow_pickle=False) as stored:
                for name in stored.files:
                    contents[name] = stored[name]
        except ValueError as error:
            if "allow_pickle" in str(error):  # an entry holds Python objects
                raise ValueError(
                    f"{not_a_model}: its {name!r} entry holds Python objects, and scratchnet "
                    "loads only plain arrays (allow_pickle=False), since unpickling can run "
                    "any code"
                ) from None
            raise ValueError(f"{not_a_model}: it is a damaged .npz archive ({error})") from None
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            # A cut-off or corrupted archive fails inside zipfile.
            raise ValueError(f"{not_a_model}: it is a damaged .npz archive ({error})") from None
    for name, entry in contents.items():
        if not isinstance(entry, np.ndarray):  # NumPy hands files other than .npy over as bytes
            raise ValueError(f"{not_a_model}: its {name!r} entry is not a NumPy array (.npy)")
    return contents


def _check_format_version(path: Path, version: np.ndarray) -> None:
    """Refuse a format version this scratchnet cannot read, saying which one it is."""
    if version.shape != () or not np.issubdtype(version.dtype, np.integer):
        raise ValueError(
            f"{str(path)!r} is not a usable scratchnet model file: "
            f"its format version is not a whole number: {version!r}"
        )
    if int(version) > FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} was written by a newer version of scratchnet (model format "
            f"version {int(version)}); this version reads format version {FORMAT_VERSION}: "
            "upgrade scratchnet to load it"
        )
    if int(version) != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} is not a usable scratchnet model file: it has format version "
            f"{int(version)}, which no scratchnet writes; this version reads {FORMAT_VERSION}"
        )


def _network_from_contents(contents: dict[str, np.ndarray]) -> tuple[Network, dict]:
    """Rebuild the network from an archive's arrays (of a format version already checked),
    checking each entry before using it."""
    names = sorted(name for name in contents if name.startswith("parameter_"))
    parameters = [contents[name] for name in names]
    for name, parameter in zip(names, parameters, strict=True):
        if parameter.dtype not in (np.float64, np.float32):
            raise ValueError(f"{name} holds {parameter.dtype} values, not float64 or float32")
        if not np.isfinite(parameter).all():
            raise ValueError(f"{name} holds NaN or infinite values")
    architecture = json.loads(str(contents["architecture"]))
    metadata = json.loads(str(contents["metadata"]))
    if not isinstance(architecture, list) or not isinstance(metadata, dict):
        raise ValueError("its architecture is not a list of layers or its metadata not a dict")
    # Compare the stored arrays with the architecture before building anything, so a
    # file that claims huge layers cannot make loading allocate them.
    shapes = [
        shape
        for settings in architecture
        if isinstance(settings, dict) and settings.get("type") == "Dense"
        for shape in (
            (settings["in_features"], settings["out_features"]),
            (1, settings["out_features"]),
        )
    ]
    if len(parameters) != len(shapes):
        raise ValueError(
            f"it holds {len(parameters)} parameter arrays, its architecture needs {len(shapes)}"
        )
    for parameter, shape in zip(parameters, shapes, strict=True):
        if parameter.shape != shape:
            raise ValueError(f"it holds a parameter of shape {parameter.shape}, expected {shape}")
    dtype = parameters[0].dtype if parameters else np.float64
    network = Network([_layer_from_settings(settings, dtype) for settings in architecture])
    for target, source in zip(network.parameters, parameters, strict=True):
        target[...] = source
    return network, metadata


def check_save_path(path: object) -> Path:
    """Make sure a model can be saved at ``path`` before spending time on training.

    Missing folders are created (as :func:`save` would), then a temporary file is
    written beside the target and removed. Raises ``ValueError`` naming the path
    when it does not end in ``.npz``, is a folder, or cannot be written.

    Args:
        path: Where the model will be saved.

    Returns:
        ``path`` as a ``Path``.
    """
    path = _model_path(path)
    if path.is_dir():
        raise ValueError(f"cannot save to {str(path)!r}: it is a folder")
    folder = next(parent for parent in path.parents if parent.exists())
    if not folder.is_dir():
        raise ValueError(f"cannot save to {str(path)!r}: {str(folder)!r} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise ValueError(f"cannot save to {str(path)!r}: {reason}") from None
    return path


def _path_text(path: object) -> str:
    """``path`` as text; refuse what is not a file path."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"path must be text, got {type(text).__name__}")
    if "\x00" in text:
        raise ValueError(f"path must not contain a NUL character, got {text!r}")
    return text


def _model_path(path: object) -> Path:
    """``path`` as a ``Path`` ending in ``.npz``."""
    model_path = Path(_path_text(path))
    if model_path.suffix != ".npz" or model_path.name == ".npz":
        raise ValueError(f"path must end in .npz, got {str(model_path)!r}")
    return model_path


def layer_types() -> dict[str, type[Layer]]:
    """Every layer a saved architecture may name, by class name.

    Returns:
        ``Dense``, ``Dropout`` and the classes in ``ACTIVATIONS`` (as the table is now).
    """
    return {layer.__name__: layer for layer in (Dense, Dropout, *ACTIVATIONS.values())}


def _layer_from_settings(settings: dict, dtype: np.dtype) -> Layer:
    """The layer one entry of a saved architecture describes, through ``layer_types()``."""
    if not isinstance(settings, dict):
        raise TypeError(f"a layer's settings must be a dict, got {type(settings).__name__}")
    arguments = {key: value for key, value in settings.items() if key != "type"}
    layer_type = lookup(layer_types(), settings.get("type"), "layer type")
    return layer_type.from_settings(arguments, dtype=dtype)
