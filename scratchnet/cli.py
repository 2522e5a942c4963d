"""The ``scratchnet`` command: ``train``, ``evaluate`` and ``gradcheck``."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import numpy as np

from scratchnet.activations import ACTIVATIONS
from scratchnet.experiment import DATASETS, RunResult, TrainConfig, dataset_for, run
from scratchnet.initializers import INITIALIZERS
from scratchnet.metrics import accuracy
from scratchnet.optimizers import OPTIMIZERS
from scratchnet.training import DivergenceError, History
from scratchnet.validation import check_number

DEFAULTS = TrainConfig()
#: How messages name each data set.
DATASET_NAMES = {"digits": "the digits", "mnist": "MNIST's images"}


def whole_number(low: int) -> Callable[[str], int]:
    """An argparse ``type`` for whole numbers >= ``low``; errors name the option.

    Args:
        low: The smallest value accepted.

    Returns:
        A function that turns an option's text into a whole number.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be >= {low}, got {value}")
        return value

    return parse


def number(**bounds: float | bool) -> Callable[[str], float]:
    """An argparse ``type`` for finite numbers within ``bounds`` (see ``check_number``).

    Args:
        **bounds: ``low``, ``high``, ``low_inclusive`` and ``high_inclusive``, as for
            ``check_number``.

    Returns:
        A function that turns an option's text into a number.
    """

    def parse(text: str) -> float:
        try:
            return check_number(float(text), "the value", **bounds)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong and where to look."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def add_setting(parser: argparse.ArgumentParser, *flags: str, **options: object) -> None:
    """Add an option for one ``TrainConfig`` setting, with that setting's default.

    Args:
        parser: The ``train`` command's parser.
        *flags: The option's spellings; the first names the setting (``--batch-size``
            is ``batch_size``) unless ``dest`` is given.
        **options: The rest of ``argparse``'s ``add_argument`` options.
    """
    dest = str(options.get("dest") or flags[0].lstrip("-").replace("-", "_"))
    default = getattr(DEFAULTS, dest)
    parser.add_argument(*flags, default=list(default) if dest == "hidden" else default, **options)


def build_parser() -> argparse.ArgumentParser:
    """The ``scratchnet`` command line: one sub-command per task.

    Returns:
        The parser; each sub-command stores its handler as ``handler``.
    """
    parser = Parser(
        prog="scratchnet",
        description="A neural network from scratch in NumPy, trained on scikit-learn's digits.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a network on the digits and report its test accuracy",
        description="Train on the digits (the tutorial's settings unless told otherwise).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    setting = functools.partial(add_setting, train)
    setting(
        "--hidden", type=whole_number(1), nargs="+", metavar="N", help="width of each hidden layer"
    )
    setting("--activation", choices=sorted(ACTIVATIONS), help="activation of the hidden layers")
    setting("--init", choices=sorted(INITIALIZERS), help="weight initialisation")
    setting(
        "--optimizer", choices=sorted(OPTIMIZERS), help="how the weights follow their gradients"
    )
    setting(
        "--lr",
        "--learning-rate",
        dest="learning_rate",
        type=number(low=0.0, low_inclusive=False),
        help="learning rate",
    )
    setting(
        "--momentum",
        type=number(low=0.0, high=1.0, high_inclusive=False),
        help="momentum coefficient (momentum and nesterov only)",
    )
    setting("--epochs", type=whole_number(1), help="passes over the data")
    setting("--batch-size", type=whole_number(1), help="rows per gradient step")
    setting(
        "--seed",
        type=whole_number(0),
        help="seed for the split, the initial weights and the shuffling",
    )
    setting(
        "--dtype",
        choices=["float64", "float32"],
        help="floating-point type of the weights and data",
    )
    setting("--l2", type=number(low=0.0), help="L2 weight decay strength")
    setting(
        "--dropout",
        type=number(low=0.0, high=1.0, high_inclusive=False),
        help="dropout rate after each hidden layer",
    )
    setting(
        "--clip-norm",
        type=number(low=0.0, low_inclusive=False),
        help="clip gradients to this global norm",
    )
    setting(
        "--early-stopping",
        action="store_true",
        help="hold out part of the training set and stop when its loss stalls",
    )
    setting(
        "--patience",
        type=whole_number(1),
        help="epochs without improvement before early stopping",
    )
    setting(
        "--dataset",
        choices=DATASETS,
        help="scikit-learn's 8×8 digits, or MNIST's 28×28 digits read from --data-dir",
    )
    setting(
        "--data-dir",
        metavar="DIR",
        help="folder holding the MNIST files (IDX or CSV, see the README)",
    )
    train.add_argument("--save", metavar="PATH", help="save the trained network to PATH (.npz)")
    train.add_argument(
        "--json", action="store_true", help="print one JSON object with the results instead of text"
    )
    train.set_defaults(handler=command_train)

    evaluate = commands.add_parser(
        "evaluate", help="report a saved network's accuracy on its data set's test split"
    )
    evaluate.add_argument("model", metavar="MODEL", help="a .npz file written by train --save")
    evaluate.add_argument(
        "--seed",
        type=whole_number(0),
        default=None,
        help="split seed (default: the one the model was trained with)",
    )
    evaluate.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="MNIST folder (default: the one the model was trained on)",
    )
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=command_evaluate)

    gradcheck = commands.add_parser(
        "gradcheck",
        help="compare backpropagation with finite differences on a small random network",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    gradcheck.add_argument(
        "--sizes",
        type=whole_number(1),
        nargs="+",
        default=[6, 5, 4, 3],
        metavar="N",
        help="input width, hidden widths and number of classes",
    )
    gradcheck.add_argument("--activation", choices=sorted(ACTIVATIONS), default="tanh")
    gradcheck.add_argument("--batch", type=whole_number(1), default=8, help="rows of random input")
    gradcheck.add_argument("--seed", type=whole_number(0), default=0)
    gradcheck.add_argument("--json", action="store_true")
    gradcheck.set_defaults(handler=command_gradcheck)

    check = commands.add_parser(
        "check",
        help="run the tutorial's stages of the specification against your own network classes",
        description="Run the tutorial-stage scenarios against one or more classes with the"
        " tutorial's API, each class in a process of its own, and report each class and each"
        " stage; exits with 1 when any class fails a stage or cannot be checked. Needs pytest"
        " and pytest-bdd, and a scratchnet checkout.",
    )
    from scratchnet.check import add_arguments

    add_arguments(check)
    check.set_defaults(handler=command_check)
    return parser


def command_train(args: argparse.Namespace) -> int:
    """``scratchnet train``: train on the digits or MNIST, report, and optionally save.

    Args:
        args: The parsed options; each ``TrainConfig`` setting has an option of its name.

    Returns:
        The exit status: 0, or 130 when Ctrl-C stopped training (the network is still
        reported and saved).
    """
    config = TrainConfig.from_options(vars(args))
    if args.save:
        from scratchnet.serialization import check_save_path

        try:
            check_save_path(args.save)
        except (ValueError, TypeError) as error:
            raise UsageError(f"argument --save: {error}") from None
    from tqdm import tqdm

    show_bar = sys.stderr.isatty()
    with tqdm(
        total=config.epochs,
        desc="training",
        unit="epoch",
        disable=not show_bar,
        file=sys.stderr,
        leave=False,
    ) as bar:

        def report(epoch: int, history: History) -> None:
            bar.update(1)
            bar.set_postfix(loss=f"{history.train_loss[-1]:.4f}")
            if not args.json and epoch % 10 == 0:
                tqdm.write(f"Epoch {epoch}, Loss: {history.train_loss[-1]:.4f}", file=sys.stdout)
                sys.stdout.flush()  # a reader on a pipe sees progress as it happens

        result = run(config, on_epoch_end=report)

    history = result.history
    if args.json:
        print(json.dumps({**result.to_dict(), "interrupted": history.interrupted}))
    else:
        if history.stopped_early:
            print(
                f"Stopped early after {history.epochs_run} epochs "
                f"(best validation loss at epoch {history.best_epoch})"
            )
        print(f"Test Accuracy: {result.test_accuracy * 100:.2f}%")
    if history.interrupted:
        print(
            f"scratchnet train: interrupted in epoch {history.epochs_run} "
            f"after {history.epochs_run} complete epochs",
            file=sys.stderr,
        )
    if args.save:
        save_trained(result, args.save)
        if history.interrupted:
            print(
                f"Saved the network as it was in epoch {history.epochs_run} to {args.save}",
                file=sys.stderr,
            )
        elif not args.json:
            print(f"Saved to {args.save}")
    return INTERRUPTED if history.interrupted else 0


#: The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class UsageError(Exception):
    """A mistake in the command's arguments found before any work: exit status 2."""


class SaveError(Exception):
    """The work is done but its result could not be written: exit status 1."""


def save_trained(result: RunResult, path: str) -> None:
    """Save the trained network; the results are already printed if this fails.

    Args:
        result: The finished run.
        path: Where to save the network (``.npz``).

    Raises:
        SaveError: the file could not be written.
    """
    from scratchnet.serialization import save

    try:
        save(
            result.network,
            path,
            metadata={"config": result.config.to_dict(), "test_accuracy": result.test_accuracy},
        )
    except OSError as error:
        raise SaveError(
            f"the network was trained but could not be saved to {path!r}: {error.strerror or error}"
        ) from None


def command_evaluate(args: argparse.Namespace) -> int:
    """``scratchnet evaluate``: score a saved network on its data set's test split.

    Args:
        args: ``model`` and, to override what the file records, ``seed`` and ``data_dir``.

    Returns:
        The exit status, 0.

    Raises:
        ValueError: the file records a split that cannot be made, or the network does
            not fit the data.
    """
    from scratchnet.serialization import load_with_metadata

    network, metadata = load_with_metadata(args.model)
    stored = metadata.get("config", {})
    split = {
        key: stored[key]
        for key in ("seed", "test_fraction", "dataset", "data_dir")
        if isinstance(stored, dict) and key in stored
    }
    if args.seed is not None:
        split["seed"] = args.seed
    if args.data_dir is not None:
        split["data_dir"] = args.data_dir
    try:
        config = dataclasses.replace(DEFAULTS, **split, dtype=str(network.dtype))
        dataset = dataset_for(config)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{args.model!r} records a split that cannot be made: {error}") from None
    if (network.n_features, network.n_classes) != (dataset.n_features, 10):
        raise ValueError(
            f"{args.model!r} is a network for {network.n_features} inputs and "
            f"{network.n_classes} classes; {DATASET_NAMES[config.dataset]} have "
            f"{dataset.n_features} pixels and 10 classes"
        )
    test_accuracy = accuracy(dataset.y_test, network.predict(dataset.X_test))
    if args.json:
        print(
            json.dumps(
                {
                    "model": args.model,
                    "dataset": config.dataset,
                    "seed": config.seed,
                    "test_accuracy": test_accuracy,
                    "test_size": len(dataset.y_test),
                }
            )
        )
    else:
        split = "MNIST's test set" if config.dataset == "mnist" else f"split seed {config.seed}"
        print(
            f"Test Accuracy: {test_accuracy * 100:.2f}% on {len(dataset.y_test)} test digits "
            f"({split})"
        )
    return 0


def command_gradcheck(args: argparse.Namespace) -> int:
    """``scratchnet gradcheck``: compare backpropagation with finite differences.

    Args:
        args: ``sizes``, ``activation``, ``batch`` and ``seed`` of the random network.

    Returns:
        The exit status: 0 when every relative error is below 1e-5, else 1.
    """
    from scratchnet.gradcheck import gradcheck, randomise_biases
    from scratchnet.network import mlp

    rng = np.random.default_rng(args.seed)
    network = mlp(args.sizes, activation=args.activation, init="xavier", seed=rng)
    randomise_biases(network, rng)
    X = rng.standard_normal((args.batch, args.sizes[0]))
    y = rng.integers(0, args.sizes[-1], size=args.batch)
    errors = gradcheck(network, X, y)
    if args.json:
        print(
            json.dumps(
                {"relative_errors": errors, "sizes": args.sizes, "activation": args.activation}
            )
        )
    else:
        print(
            f"Relative error of backpropagation vs finite differences "
            f"({'→'.join(map(str, args.sizes))}, {args.activation}):"
        )
        for name, error in errors.items():
            print(f"  {name:<4} {error:.2e}")
    return 0 if max(errors.values()) < 1e-5 else 1


def command_check(args: argparse.Namespace) -> int:
    """``scratchnet check``: see :func:`scratchnet.check.run`."""
    from scratchnet.check import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scratchnet`` console script.

    Args:
        argv: The arguments after ``scratchnet``; ``None`` reads ``sys.argv``.

    Returns:
        The exit status: 0 on success, 1 when the work failed, 2 for a usage error, 130 when
            interrupted.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return INTERRUPTED
    command = f"scratchnet {args.command}"
    try:
        return args.handler(args)
    except DivergenceError as error:
        print(f"scratchnet: {error}", file=sys.stderr)
        return 1
    except SaveError as error:
        print(f"{command}: error: {error}", file=sys.stderr)
        return 1
    except (UsageError, ValueError, TypeError, FileNotFoundError, IsADirectoryError) as error:
        # Wrong options, or files named on the command line that cannot be used.
        print(f"{command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``scratchnet train --json | head``): stop quietly.
        # Point stdout at /dev/null so Python's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:
        print(f"{command}: error: {error.strerror or error}", file=sys.stderr)
        return 1
    except MemoryError:
        print(f"{command}: error: not enough memory for a network this size", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: still one line, and a way to report it
        print(
            f"{command}: internal error: {type(error).__name__}: {error} "
            "(please report this, with the command you ran)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
