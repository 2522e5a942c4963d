"""How fast scratchnet trains, as ratios against references timed in the same process.

Run: ``python benchmarks/bench_training.py [--repeats 5] [--quick] [--json PATH]``

Two workloads:

- **digits**: the tutorial's run, 64 → 128 → 10 on the 1,437 training digits,
  batch 32, 100 epochs, plain SGD at 0.01;
- **MNIST-shaped epoch**: one epoch of 784 → 128 → 10 on 60,000 random rows,
  batch 128 (the cost depends on the shapes, not on the pixels).

Contestants, timed in turn within each repeat (interleaved, so that a busy
moment of the machine hits all of them alike) and reported as medians:

- ``tutorial class``: the tutorial's algorithm written its way
  (``benchmarks/tutorial_class.py``), with its loss print;
- ``scratchnet float64`` / ``float32``: ``scratchnet.train`` on ``mlp``;
- ``scikit-learn MLPClassifier``: the same settings (no momentum, no L2,
  no early stop);
- ``PyTorch``: only when it happens to be installed (never a dependency);
- ``matmul floor float64`` / ``float32``: only the five matrix products of
  each step, on contiguous batches: what no implementation can undercut.

Every contestant runs with one BLAS thread (threadpoolctl; PyTorch's
``set_num_threads(1)``): on two cores, threads only add noise to small
matrix products, and the comparison is about the code, not the scheduler.
Nothing here asserts a time; the JSON it writes feeds the docs'
Performance page.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from tutorial_class import TutorialNetwork

from scratchnet import SGD, mlp, train
from scratchnet.data import load_digits

RESULTS = Path(__file__).parent / "results.json"


def tutorial_run(X: np.ndarray, labels: np.ndarray, hidden: int, epochs: int, batch: int) -> None:
    network = TutorialNetwork(X.shape[1], hidden, 10, np.random.default_rng(0))
    with contextlib.redirect_stdout(io.StringIO()):  # its loss print is part of its cost
        network.train(X, np.eye(10)[labels], epochs=epochs, batch_size=batch)


def scratchnet_run(X, labels, hidden, epochs, batch, dtype=np.float64) -> None:
    network = mlp([X.shape[1], hidden, 10], seed=0, dtype=dtype)
    train(network, X, labels, optimizer=SGD(0.01), epochs=epochs, batch_size=batch, seed=1)


def sklearn_run(X, labels, hidden, epochs, batch) -> None:
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


def torch_run(X, labels, hidden, epochs, batch) -> None:
    import torch

    torch.manual_seed(0)
    inputs, targets = torch.from_numpy(X), torch.from_numpy(labels)
    model = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
    ).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    for _ in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)
        for start in range(0, len(inputs), batch):
            rows = order[start : start + batch]
            optimizer.zero_grad()
            loss_function(model(inputs[rows]), targets[rows]).backward()
            optimizer.step()


def matmul_floor(X: np.ndarray, hidden: int, epochs: int, batch: int) -> None:
    """Only the five matrix products of each step, on contiguous batches."""
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((X.shape[1], hidden)).astype(X.dtype)
    W2 = rng.standard_normal((hidden, 10)).astype(X.dtype)
    for _ in range(epochs):
        for start in range(0, len(X), batch):
            X_batch = X[start : start + batch]
            hidden_out = X_batch @ W1
            logits = hidden_out @ W2
            _ = hidden_out.T @ logits  # dW2
            grad_hidden = logits @ W2.T  # dA1
            _ = X_batch.T @ grad_hidden  # dW1


def contestants(
    X: np.ndarray, labels: np.ndarray, settings: dict, *, torch_available: bool
) -> dict[str, Callable[[], None]]:
    X32 = X.astype(np.float32)
    runs = {
        "tutorial class": lambda: tutorial_run(X, labels, **settings),
        "scratchnet float64": lambda: scratchnet_run(X, labels, **settings),
        "scratchnet float32": lambda: scratchnet_run(X32, labels, **settings, dtype=np.float32),
        "scikit-learn MLPClassifier": lambda: sklearn_run(X, labels, **settings),
        "matmul floor float64": lambda: matmul_floor(X, **settings),
        "matmul floor float32": lambda: matmul_floor(X32, **settings),
    }
    if torch_available:
        runs["PyTorch (CPU)"] = lambda: torch_run(X, labels, **settings)
    return runs


def interleaved_medians(runs: dict[str, Callable[[], None]], repeats: int) -> dict[str, float]:
    """Time every contestant once per repeat, in turn; return each one's median seconds."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def accuracy_check(digits, repeats: int = 3) -> dict[str, float]:
    """Mean test accuracy of the tutorial class and of scratchnet, same settings, seeds 0–2."""
    scores = {"tutorial class": [], "scratchnet float64": []}
    for seed in range(repeats):
        tutorial = TutorialNetwork(64, 128, 10, np.random.default_rng(seed))
        with contextlib.redirect_stdout(io.StringIO()):
            tutorial.train(digits.X_train, np.eye(10)[digits.y_train])
        scores["tutorial class"].append(np.mean(tutorial.predict(digits.X_test) == digits.y_test))
        network = mlp([64, 128, 10], seed=seed)
        train(network, digits.X_train, digits.y_train, seed=seed)
        scores["scratchnet float64"].append(
            np.mean(network.predict(digits.X_test) == digits.y_test)
        )
    return {name: float(np.mean(values)) for name, values in scores.items()}


def machine() -> dict[str, object]:
    blas = [
        {key: info.get(key) for key in ("internal_api", "version", "architecture", "num_threads")}
        for info in threadpool_info()
    ]
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "processor": platform.processor() or platform.machine(),
        "system": platform.platform(),
        "blas": blas,
        "blas_threads_used": 1,
    }


def report(title: str, medians: dict[str, float], reference: str) -> None:
    print(f"\n{title}")
    for name, seconds in medians.items():
        print(f"  {name:<28} {seconds:8.3f} s   {seconds / medians[reference]:5.2f} × {reference}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timings per contestant")
    parser.add_argument("--quick", action="store_true", help="10 digits epochs, 1 repeat")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
        torch_available = True
    except ImportError:
        torch_available = False

    digits = load_digits(seed=0)
    repeats = 1 if args.quick else args.repeats
    workloads = {
        "digits": (
            "digits: 64 → 128 → 10, 1,437 rows, batch 32, 100 epochs",
            digits.X_train,
            digits.y_train,
            {"hidden": 128, "epochs": 10 if args.quick else 100, "batch": 32},
        ),
    }
    rng = np.random.default_rng(0)
    workloads["mnist_epoch"] = (
        "MNIST-shaped epoch: 784 → 128 → 10, 60,000 rows, batch 128",
        rng.standard_normal((60_000, 784)),
        rng.integers(0, 10, size=60_000),
        {"hidden": 128, "epochs": 1, "batch": 128},
    )
    results: dict[str, object] = {"machine": machine(), "repeats": repeats, "workloads": {}}
    with threadpool_limits(limits=1):
        for key, (title, X, labels, settings) in workloads.items():
            runs = contestants(X, labels, settings, torch_available=torch_available)
            medians = interleaved_medians(runs, repeats)
            report(title, medians, "tutorial class")
            results["workloads"][key] = {"title": title, "median_seconds": medians}
        results["accuracy"] = accuracy_check(digits)
    print(f"\nmean test accuracy, seeds 0–2: {results['accuracy']}")
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
