"""The price of autograd: a training step with its gradients against the hand-written one.

Run: ``python benchmarks/bench_autograd.py [--repeats 5] [--epochs 20] [--json PATH]``

Both contestants train the tutorial's network (64 → 128 → 10, batch 32,
plain SGD at 0.01) on the 1,437 training digits with the same seeds, so they
take the same steps on the same batches; only where the gradients come from
differs (``train(..., gradients="backprop")`` or ``"autograd"``). They are
timed in turn within each repeat (interleaved, so that a busy moment of the
machine hits both alike), with one BLAS thread, and reported as medians and
as the ratio of the medians. A profile of one autograd run says where its
extra time goes. Nothing here asserts a time; the JSON it writes feeds the
docs' Autograd page.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import statistics
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from scratchnet import SGD, mlp, train
from scratchnet.data import load_digits

RESULTS = Path(__file__).parent / "autograd.json"
CONTESTANTS = ("backprop", "autograd")


def training_run(digits, gradients: str, epochs: int) -> None:
    network = mlp([64, 128, 10], seed=0)
    train(
        network,
        digits.X_train,
        digits.y_train,
        optimizer=SGD(0.01),
        epochs=epochs,
        seed=1,
        gradients=gradients,
    )


def where_autograd_spends(digits, epochs: int, top: int = 8) -> list[dict[str, object]]:
    """The functions an autograd run spends most of its own time in (cProfile, tottime)."""
    profile = cProfile.Profile()
    profile.runcall(training_run, digits, "autograd", epochs)
    stats = pstats.Stats(profile).stats
    total = sum(entry[2] for entry in stats.values())
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return [
        {
            "function": f"{Path(file).name}:{line} {name}",
            "calls": entry[1],
            "share": entry[2] / total,
        }
        for (file, line, name), entry in ranked
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timings per contestant")
    parser.add_argument("--epochs", type=int, default=20, help="epochs per timed run")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args()
    digits = load_digits(seed=0)
    steps = args.epochs * -(-len(digits.X_train) // 32)
    times: dict[str, list[float]] = {name: [] for name in CONTESTANTS}
    with threadpool_limits(limits=1):
        for _ in range(args.repeats):
            for name in CONTESTANTS:
                started = time.perf_counter()
                training_run(digits, name, args.epochs)
                times[name].append(time.perf_counter() - started)
        profile = where_autograd_spends(digits, args.epochs)
    medians = {name: statistics.median(values) for name, values in times.items()}
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "repeats": args.repeats,
        "epochs": args.epochs,
        "steps": steps,
        "median_seconds": medians,
        "microseconds_per_step": {name: 1e6 * medians[name] / steps for name in CONTESTANTS},
        "ratio": medians["autograd"] / medians["backprop"],
        "target": 1.5,
        "autograd_profile": profile,
    }
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    for name in CONTESTANTS:
        per_step = result["microseconds_per_step"][name]
        print(f"{name:<9} {medians[name]:.3f} s  ({per_step:.0f} µs/step)")
    print(f"autograd ÷ backprop: {result['ratio']:.2f} (target ≤ {result['target']})")


if __name__ == "__main__":
    main()
