"""How fast scratchnet trains, as ratios against reference runs in the same process.

Run: ``python benchmarks/bench_training.py [--repeats 5] [--mnist-epochs 1]``

References:
- ``plain loop``: the tutorial's algorithm written as one bare NumPy function
  (no layers, no checks) — the floor a general design should stay close to;
- ``matmul floor``: only the five matrix products per step;
- scikit-learn's ``MLPClassifier`` with the same settings.

Timings are medians of several repeats. Ratios above 1 mean slower than the
reference. Nothing here asserts a time: the numbers are for reading.

What scratchnet does beyond the plain loop, and pays for: it measures the
loss on the whole training set after every epoch (the history the specs
check), validates its inputs, and checks after every step that no weight
became NaN or infinite, keeping a copy to roll back to.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np

from scratchnet import SGD, mlp, train
from scratchnet.data import load_digits


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def plain_loop(X: np.ndarray, labels: np.ndarray, hidden: int, epochs: int, batch: int) -> None:
    """The tutorial's algorithm with nothing around it."""
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((X.shape[1], hidden)) * 0.01
    b1 = np.zeros((1, hidden))
    W2 = rng.standard_normal((hidden, 10)) * 0.01
    b2 = np.zeros((1, 10))
    Y = np.eye(10)[labels]
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch):
            rows = order[start : start + batch]
            Xb, Yb = X[rows], Y[rows]
            Z1 = Xb @ W1 + b1
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ W2 + b2
            E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
            dZ2 = (E / E.sum(axis=1, keepdims=True) - Yb) / len(rows)
            dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
            W2 -= 0.01 * (A1.T @ dZ2)
            b2 -= 0.01 * dZ2.sum(axis=0, keepdims=True)
            W1 -= 0.01 * (Xb.T @ dZ1)
            b1 -= 0.01 * dZ1.sum(axis=0, keepdims=True)


def matmul_floor(X: np.ndarray, hidden: int, epochs: int, batch: int) -> None:
    """Only the five matrix products of each step."""
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((X.shape[1], hidden))
    W2 = rng.standard_normal((hidden, 10))
    for _ in range(epochs):
        for start in range(0, len(X), batch):
            Xb = X[start : start + batch]
            A1 = Xb @ W1
            Z2 = A1 @ W2
            _ = A1.T @ Z2
            dA1 = Z2 @ W2.T
            _ = Xb.T @ dA1


def scratchnet_run(X, labels, hidden, epochs, batch, dtype=np.float64):
    network = mlp([X.shape[1], hidden, 10], seed=0, dtype=dtype)
    train(network, X, labels, optimizer=SGD(0.01), epochs=epochs, batch_size=batch, seed=1)


def sklearn_run(X, labels, hidden, epochs, batch):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        solver="sgd",
        learning_rate_init=0.01,
        momentum=0.0,
        alpha=0.0,
        batch_size=batch,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, labels)


def report(title: str, rows: dict[str, float], reference: str) -> None:
    print(f"\n{title}")
    base = rows[reference]
    for name, seconds in rows.items():
        print(f"  {name:<28} {seconds:8.3f} s   {seconds / base:5.2f}× {reference}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mnist-epochs", type=int, default=1, help="0 skips the MNIST-sized run")
    args = parser.parse_args()

    digits = load_digits(seed=0)
    X, y = digits.X_train, digits.y_train
    settings = {"hidden": 128, "epochs": 100, "batch": 32}
    rows = {
        "plain loop (reference)": median_seconds(
            lambda: plain_loop(X, y, **settings), args.repeats
        ),
        "matmul floor": median_seconds(lambda: matmul_floor(X, **settings), args.repeats),
        "scratchnet float64": median_seconds(
            lambda: scratchnet_run(X, y, **settings), args.repeats
        ),
        "scratchnet float32": median_seconds(
            lambda: scratchnet_run(X.astype(np.float32), y, **settings, dtype=np.float32),
            args.repeats,
        ),
        "scikit-learn MLPClassifier": median_seconds(
            lambda: sklearn_run(X, y, **settings), args.repeats
        ),
    }
    report("digits, 64→128→10, batch 32, 100 epochs", rows, "plain loop (reference)")

    if args.mnist_epochs:
        # MNIST-shaped random data: the cost depends on the shapes, not the pixels.
        rng = np.random.default_rng(0)
        X_big = rng.standard_normal((60_000, 784))
        y_big = rng.integers(0, 10, size=60_000)
        big = {"hidden": 128, "epochs": args.mnist_epochs, "batch": 128}
        repeats = max(1, args.repeats // 2)
        rows = {
            "plain loop (reference)": median_seconds(
                lambda: plain_loop(X_big, y_big, **big), repeats
            ),
            "matmul floor": median_seconds(lambda: matmul_floor(X_big, **big), repeats),
            "scratchnet float64": median_seconds(
                lambda: scratchnet_run(X_big, y_big, **big), repeats
            ),
            "scratchnet float32": median_seconds(
                lambda: scratchnet_run(X_big.astype(np.float32), y_big, **big, dtype=np.float32),
                repeats,
            ),
        }
        report(
            f"MNIST-shaped, 784→128→10, batch 128, {args.mnist_epochs} epoch(s)",
            rows,
            "plain loop (reference)",
        )


if __name__ == "__main__":
    main()
