"""The ``scratchnet`` command: ``train``, ``evaluate``, ``gradcheck`` and ``check``.

Each command is a pair: ``add_<command>`` builds its parser, next to the
``command_<command>`` handler that runs it. ``train``'s options come from the
fields of :class:`~scratchnet.experiment.TrainConfig` (help text, limits, flags),
so a training setting is added there only; ``check``'s live in
:mod:`scratchnet.check`.

Exit status: 0 on success, 1 when the work failed (or a bug stopped it: an
internal error), 2 for a usage error (wrong options, or a file named on the
command line that cannot be used), 130 when Ctrl-C stopped it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import numpy as np

from scratchnet.activations import ACTIVATIONS
from scratchnet.experiment import RunData, RunResult, TrainConfig, dataset_for, run
from scratchnet.metrics import accuracy
from scratchnet.training import DivergenceError, History
from scratchnet.validation import COUNT, SEED, Choice, Constraint, Interval

DEFAULTS = TrainConfig()
#: How messages name each data set.
DATASET_NAMES = {"digits": "the digits", "mnist": "MNIST's images"}
#: The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class UsageError(Exception):
    """A mistake in the command's arguments, found before any work: exit status 2.

    Only the command line's boundaries raise it: parsing the options, reading a file
    the user named, importing a class the user named.
    """


class SaveError(Exception):
    """The work is done but its result could not be written: exit status 1."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong and where to look."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def option_type(constraint: Interval) -> Callable[[str], float | int]:
    """An argparse ``type`` for a number within ``constraint``; errors name the option.

    Args:
        constraint: The values allowed, from :mod:`scratchnet.validation`.

    Returns:
        A function that turns an option's text into a number.
    """

    def parse(text: str) -> float | int:
        try:
            value = constraint.from_text(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        found = constraint.problem(value)
        if found is not None:
            raise argparse.ArgumentTypeError(found[1])
        return value

    return parse


def constraint_options(constraint: Constraint | None) -> dict:
    """``add_argument``'s options that make argparse refuse what ``constraint`` refuses.

    Args:
        constraint: The values allowed, or ``None`` for any text.

    Returns:
        ``choices`` for a :class:`Choice`, ``type`` for an :class:`Interval`, else nothing.
    """
    if isinstance(constraint, Choice):
        return {"choices": constraint.choices}
    if isinstance(constraint, Interval):
        return {"type": option_type(constraint)}
    return {}


def flags_of(setting: dataclasses.Field) -> tuple[str, ...]:
    """The option's spellings: the field's ``flags``, else ``--`` and its name with dashes.

    Args:
        setting: A field of ``TrainConfig``.

    Returns:
        The flags, the first one the main spelling.
    """
    return setting.metadata["flags"] or (f"--{setting.name.replace('_', '-')}",)


def add_setting(parser: argparse.ArgumentParser, setting: dataclasses.Field) -> None:
    """Add the option for one ``TrainConfig`` setting, from what the field carries.

    Args:
        parser: The ``train`` command's parser.
        setting: A field of ``TrainConfig`` made with ``experiment.setting``.
    """
    default = getattr(DEFAULTS, setting.name)
    constraint = setting.metadata["constraint"]
    help_text = setting.metadata["help"]
    if isinstance(constraint, Interval):
        help_text = f"{help_text} ({constraint.describe()})"
    options: dict = {"dest": setting.name, "help": help_text, "default": default}
    if isinstance(default, bool):
        options["action"] = "store_true"
    else:
        options.update(constraint_options(constraint))
    if setting.metadata["each"]:
        options.update(nargs="+", default=list(default))
    if setting.metadata["metavar"]:
        options["metavar"] = setting.metadata["metavar"]
    parser.add_argument(*flags_of(setting), **options)


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
    for add_command in (add_train, add_evaluate, add_gradcheck, add_check):
        add_command(commands)
    return parser


def add_train(commands: argparse._SubParsersAction) -> None:
    """``scratchnet train``: one option per ``TrainConfig`` setting, ``--save`` and ``--json``.

    Args:
        commands: The sub-commands of ``scratchnet``.
    """
    parser = commands.add_parser(
        "train",
        help="train a network on the digits and report its test accuracy",
        description="Train on the digits (the tutorial's settings unless told otherwise).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    for setting in dataclasses.fields(TrainConfig):
        add_setting(parser, setting)
    parser.add_argument("--save", metavar="PATH", help="save the trained network to PATH (.npz)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with the results instead of text"
    )
    parser.set_defaults(handler=command_train)


def train_config(args: argparse.Namespace) -> TrainConfig:
    """The run's settings from the parsed options; settings that do not fit together are
    a usage error, with the option to change.

    Args:
        args: The parsed options of ``scratchnet train``.

    Returns:
        The settings.

    Raises:
        UsageError: the settings cannot make a run.
    """
    try:
        return TrainConfig.from_options(vars(args))
    except (ValueError, TypeError) as error:
        flags = {setting.name: flags_of(setting)[0] for setting in dataclasses.fields(TrainConfig)}
        setting = str(error).split(" ", 1)[0].split("[", 1)[0]  # "hidden[1] must be ..."
        flag = flags.get(setting)
        raise UsageError(f"argument {flag}: {error}" if flag else str(error)) from None


def command_train(args: argparse.Namespace) -> int:
    """``scratchnet train``: train on the digits or MNIST, report, and optionally save.

    Args:
        args: The parsed options; each ``TrainConfig`` setting has an option of its name.

    Returns:
        The exit status: 0, or 130 when Ctrl-C stopped training (the network is still
        reported and saved).
    """
    config = train_config(args)
    dataset = load_data(config)
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

        result = run(config, on_epoch_end=report, dataset=dataset)

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


def load_data(config: TrainConfig) -> RunData:
    """The run's data; MNIST files that cannot be read are a usage error (``--data-dir``).

    Args:
        config: The run's settings.

    Returns:
        The data.

    Raises:
        UsageError: the MNIST folder named on the command line cannot be used.
    """
    try:
        return dataset_for(config)
    except (OSError, ValueError) as error:
        if config.dataset != "mnist":
            raise
        raise UsageError(f"argument --data-dir: {error}") from None


def add_evaluate(commands: argparse._SubParsersAction) -> None:
    """``scratchnet evaluate MODEL``, with ``--seed`` and ``--data-dir`` to override the file.

    Args:
        commands: The sub-commands of ``scratchnet``.
    """
    parser = commands.add_parser(
        "evaluate", help="report a saved network's accuracy on its data set's test split"
    )
    parser.add_argument("model", metavar="MODEL", help="a .npz file written by train --save")
    parser.add_argument(
        "--seed",
        type=option_type(SEED),
        default=None,
        help="split seed (default: the one the model was trained with)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="MNIST folder (default: the one the model was trained on)",
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=command_evaluate)


#: The settings a saved model's file records that decide the data it is scored on.
SPLIT_SETTINGS = (
    "seed",
    "test_fraction",
    "early_stopping",
    "validation_fraction",
    "dataset",
    "data_dir",
)


def command_evaluate(args: argparse.Namespace) -> int:
    """``scratchnet evaluate``: score a saved network on its data set's test split.

    Args:
        args: ``model`` and, to override what the file records, ``seed`` and ``data_dir``.

    Returns:
        The exit status, 0.

    Raises:
        UsageError: the file is no model, records a split that cannot be made, or holds
            a network that does not fit the data.
    """
    from scratchnet.serialization import load_with_metadata

    try:
        network, metadata = load_with_metadata(args.model)
    except (OSError, ValueError, TypeError) as error:
        raise UsageError(str(error)) from None
    stored = metadata.get("config", {})
    split = {
        key: stored[key] for key in SPLIT_SETTINGS if isinstance(stored, dict) and key in stored
    }
    if args.seed is not None:
        split["seed"] = args.seed
    if args.data_dir is not None:
        split["data_dir"] = args.data_dir
    try:
        config = dataclasses.replace(DEFAULTS, **split, dtype=str(network.dtype))
        dataset = dataset_for(config)
    except (OSError, ValueError, TypeError) as error:
        raise UsageError(f"{args.model!r} records a split that cannot be made: {error}") from None
    if (network.n_features, network.n_classes) != (dataset.n_features, 10):
        raise UsageError(
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


def add_gradcheck(commands: argparse._SubParsersAction) -> None:
    """``scratchnet gradcheck``: the random network's sizes, activation, batch and seed.

    Args:
        commands: The sub-commands of ``scratchnet``.
    """
    parser = commands.add_parser(
        "gradcheck",
        help="compare backpropagation with finite differences on a small random network",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=option_type(COUNT),
        nargs="+",
        default=[6, 5, 4, 3],
        metavar="N",
        help="input width, hidden widths and number of classes",
    )
    parser.add_argument("--activation", choices=sorted(ACTIVATIONS), default="tanh")
    parser.add_argument("--batch", type=option_type(COUNT), default=8, help="rows of random input")
    parser.add_argument("--seed", type=option_type(SEED), default=0)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=command_gradcheck)


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


def add_check(commands: argparse._SubParsersAction) -> None:
    """``scratchnet check``: its options and its handler live in :mod:`scratchnet.check`.

    Args:
        commands: The sub-commands of ``scratchnet``.
    """
    from scratchnet import check

    parser = commands.add_parser("check", help=check.HELP, description=check.DESCRIPTION)
    check.add_arguments(parser)
    parser.set_defaults(handler=check.run_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scratchnet`` console script.

    Only :class:`UsageError` (and argparse's own) exits with 2: the user's mistake.
    Any other exception is the work failing or a bug in scratchnet, reported in one
    line, never a traceback.

    Args:
        argv: The arguments after ``scratchnet``; ``None`` reads ``sys.argv``.

    Returns:
        The exit status: 0 on success, 1 when the work failed or an internal error
            stopped it, 2 for a usage error, 130 when interrupted.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except KeyboardInterrupt:
        return INTERRUPTED
    command = f"scratchnet {args.command}"
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"{command}: error: {error}", file=sys.stderr)
        return 2
    except DivergenceError as error:
        print(f"{command}: {error} {DIVERGENCE_HINT}", file=sys.stderr)
        return 1
    except SaveError as error:
        print(f"{command}: error: {error}", file=sys.stderr)
        return 1
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
    except Exception as error:  # a bug, even a ValueError: one line, and a way to report it
        print(
            f"{command}: internal error: {type(error).__name__}: {error} "
            "(please report this, with the command you ran)",
            file=sys.stderr,
        )
        return 1


#: What the command line adds to a divergence: its own options for the core's advice.
DIVERGENCE_HINT = "On the command line: --lr for the learning rate, --clip-norm to clip."


if __name__ == "__main__":
    sys.exit(main())
