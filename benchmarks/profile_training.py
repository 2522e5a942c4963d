"""Where the time of the tutorial's digits run goes, function by function (cProfile).

Run: ``python benchmarks/profile_training.py [--top 15]``

One BLAS thread, as in the benchmark. cProfile adds a fixed cost to every
Python call, so read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

from threadpoolctl import threadpool_limits

from scratchnet import SGD, mlp, train
from scratchnet.data import load_digits


def tutorial_digits_run(X, y) -> None:
    network = mlp([64, 128, 10], seed=0)
    train(network, X, y, optimizer=SGD(0.01), epochs=100, seed=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="how many functions to list")
    args = parser.parse_args()
    digits = load_digits(seed=0)  # loaded first: importing scikit-learn is not training
    profiler = cProfile.Profile()
    with threadpool_limits(limits=1):
        profiler.runcall(tutorial_digits_run, digits.X_train, digits.y_train)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    stats.print_stats(args.top)


if __name__ == "__main__":
    main()
