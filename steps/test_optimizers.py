"""Binds features/optimizers.feature: single steps by hand, and against scikit-learn."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from scratchnet.network import mlp
from scratchnet.optimizers import SGD, Adam, Momentum, Optimizer, RMSprop, make_optimizer
from scratchnet.sklearn import ScratchNetClassifier
from scratchnet.training import train
from steps.cli_steps import Outcome, json_report
from steps.digits_steps import digits_split
from steps.math_steps import refusal
from steps.network_steps import drawn_per_seed

scenarios("optimizers.feature")

#: The optimisers by the names the feature uses; each takes ``learning_rate=`` and its own options.
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "plain gradient descent": SGD,
    "classical momentum": Momentum,
    "Nesterov momentum": functools.partial(Momentum, nesterov=True),
    "Adam": Adam,
    "RMSprop": RMSprop,
}

#: Shapes of the parameter arrays in the scikit-learn comparison: a weight, a bias, a weight.
SHAPES = [(4, 3), (1, 3), (3, 2)]
LEARNING_RATE, MOMENTUM = 0.1, 0.9


def numbers(text: str) -> list[float]:
    """``"0.5, -0.5"`` → ``[0.5, -0.5]``."""
    return [float(item) for item in text.split(",")]


def trajectory(optimizer: Optimizer, start: float, gradients: list[float]) -> list[float]:
    """The values one scalar parameter takes after each step with ``gradients``."""
    parameter = np.array([start])
    values = []
    for gradient in gradients:
        optimizer.step([parameter], [np.array([gradient])])
        values.append(float(parameter[0]))
    return values


def scikit_learn_optimizer(method: str, parameters: list[np.ndarray]):
    """scikit-learn's optimiser for ``method``, updating ``parameters`` in place."""
    if method == "Adam":
        return AdamOptimizer(parameters, learning_rate_init=LEARNING_RATE)
    momentum = 0.0 if method == "plain gradient descent" else MOMENTUM
    nesterov = method == "Nesterov momentum"
    return SGDOptimizer(parameters, LEARNING_RATE, momentum=momentum, nesterov=nesterov)


def ours(method: str) -> Optimizer:
    """scratchnet's optimiser for ``method`` with the comparison's hyper-parameters."""
    if "momentum" in method:
        return OPTIMIZERS[method](LEARNING_RATE, MOMENTUM)
    return OPTIMIZERS[method](LEARNING_RATE)


@given(parsers.parse("a parameter at {start:g}"), target_fixture="start")
def parameter_at(start: float) -> float:
    return start


@when(
    parsers.parse(
        "plain gradient descent with learning rate {rate:g} steps with gradients {gradients}"
    ),
    target_fixture="values",
)
def sgd_steps(start: float, rate: float, gradients: str) -> list[float]:
    return trajectory(SGD(rate), start, numbers(gradients))


@when(
    parsers.parse(
        "{method} with learning rate {rate:g} and momentum {momentum:g} "
        "steps with gradients {gradients}"
    ),
    target_fixture="values",
)
def momentum_steps(
    start: float, method: str, rate: float, momentum: float, gradients: str
) -> list[float]:
    return trajectory(OPTIMIZERS[method](rate, momentum), start, numbers(gradients))


@when(
    parsers.parse(
        "Adam with learning rate {rate:g} and betas {beta1:g} and {beta2:g} "
        "steps with gradients {gradients}"
    ),
    target_fixture="values",
)
def adam_steps(
    start: float, rate: float, beta1: float, beta2: float, gradients: str
) -> list[float]:
    """Adam with ε = 1e-8, its usual value."""
    return trajectory(Adam(rate, beta1, beta2), start, numbers(gradients))


@then(parsers.parse("the parameter is {expected:g} to within {tolerance:g}"))
def parameter_is(values: list[float], expected: float, tolerance: float) -> None:
    assert abs(values[-1] - expected) <= tolerance, f"got {values[-1]!r}, expected {expected}"


@then(
    parsers.parse(
        "the parameter is {first:g} after the first step and {second:g} after the second, "
        "to within {tolerance:g}"
    )
)
def parameter_after_two_steps(
    values: list[float], first: float, second: float, tolerance: float
) -> None:
    np.testing.assert_allclose(values, [first, second], rtol=0, atol=tolerance)


class Problem(NamedTuple):
    """Starting parameter arrays, then one list of gradients (one per array) for each step."""

    start: list[np.ndarray]
    gradients: list[list[np.ndarray]]


@given(
    parsers.parse(
        "three parameter arrays and {steps:d} steps of random gradients "
        "for each seed from {first:d} to {last:d}"
    ),
    target_fixture="problems",
)
def random_problems(steps: int, first: int, last: int) -> dict[int, Problem]:
    """Per seed: starting parameters and gradients, all drawn from N(0, 1)."""
    return typed_random_problems("float64", steps, "float64", first, last)


@when(
    parsers.parse("scratchnet's and scikit-learn's {method} take the same steps"),
    target_fixture="largest_gaps",
)
def step_both(method: str, problems: dict[int, Problem]) -> dict[int, float]:
    """Per seed, the largest difference between the two over every entry and step."""
    largest_gaps = {}
    for seed, (start, steps) in problems.items():
        mine = [p.copy() for p in start]
        theirs = [p.copy() for p in start]
        optimizer, reference = ours(method), scikit_learn_optimizer(method, theirs)
        largest = 0.0
        for t, gradients in enumerate(steps, start=1):
            if method == "Adam":
                # Where scikit-learn's formula coincides with Kingma & Ba's (see the feature).
                reference.epsilon = optimizer.epsilon * np.sqrt(1 - optimizer.beta2**t)
            optimizer.step(mine, gradients)
            reference.update_params(theirs, [g.copy() for g in gradients])
            gaps = (np.abs(a - b).max() for a, b in zip(mine, theirs, strict=True))
            largest = max(largest, *gaps)
        largest_gaps[seed] = largest
    return largest_gaps


@then(
    parsers.parse("the parameters agree to within {tolerance:g} after every step, for every seed")
)
def parameters_agree(largest_gaps: dict[int, float], tolerance: float) -> None:
    far = {seed: f"{gap:.3g}" for seed, gap in largest_gaps.items() if gap > tolerance}
    assert not far, f"largest difference from scikit-learn, by seed: {far}"


@when(
    parsers.parse("{method} is set up with {argument} {value:g}"),
    target_fixture="refused",
)
def set_up_with(method: str, argument: str, value: float) -> Exception | None:
    return refusal(lambda: OPTIMIZERS[method](**{"learning_rate": 0.1, argument: value}))


@when(
    parsers.parse(
        "{method} with learning rate {rate:g} steps with gradient {gradient:g},"
        " is refused a step with gradient {huge:g}, and steps with gradient {again:g} again"
    ),
    target_fixture="values",
)
def steps_around_a_refused_step(
    start: float, method: str, rate: float, gradient: float, huge: float, again: float
) -> list[float]:
    """An ordinary step, one that overflows (checked to be refused), another ordinary one."""
    optimizer = OPTIMIZERS[method](learning_rate=rate)
    parameter = np.array([start])
    optimizer.step([parameter], [np.array([gradient])])
    before = float(parameter[0])
    refused = refusal(lambda: optimizer.step([parameter], [np.array([huge])]))
    assert isinstance(refused, ValueError), f"the step with gradient {huge:g} gave {refused!r}"
    assert parameter[0] == before, f"the refused step moved the parameter to {parameter[0]!r}"
    optimizer.step([parameter], [np.array([again])])
    return [before, float(parameter[0])]


@then(
    parsers.parse(
        "the parameter is where a new {method} with learning rate {rate:g} puts it"
        " in two steps with gradient {gradient:g}"
    )
)
def parameter_as_after_a_new_optimizer(
    values: list[float], start: float, method: str, rate: float, gradient: float
) -> None:
    fresh = trajectory(OPTIMIZERS[method](learning_rate=rate), start, [gradient, gradient])
    assert values == fresh, (
        f"around the refused step, the parameter went {values}; a new optimiser's went {fresh}"
    )


@given(
    parsers.parse(
        "two parameters at {start:g} whose gradients are always {first:g} and {second:g}"
    ),
    target_fixture="pair",
)
def two_parameters(start: float, first: float, second: float) -> tuple[float, list[float]]:
    return start, [first, second]


@when(
    parsers.parse("{method} with learning rate {rate:g} takes three steps on both together"),
    target_fixture="together_and_alone",
)
def three_steps_together(
    method: str, rate: float, pair: tuple[float, list[float]]
) -> dict[str, list[float]]:
    start, gradients = pair
    parameters = [np.array([start]), np.array([start])]
    optimizer = OPTIMIZERS[method](learning_rate=rate)
    for _ in range(3):
        optimizer.step(parameters, [np.array([g]) for g in gradients])
    alone = [
        trajectory(OPTIMIZERS[method](learning_rate=rate), start, [g] * 3)[-1] for g in gradients
    ]
    return {"together": [float(p[0]) for p in parameters], "alone": alone}


@then("each parameter ends exactly where it would have ended if optimised alone")
def same_as_alone(together_and_alone: dict[str, list[float]]) -> None:
    assert together_and_alone["together"] == together_and_alone["alone"], together_and_alone
    assert together_and_alone["together"][0] != together_and_alone["together"][1]


@when(
    parsers.parse('the optimiser named "{name}" is made with learning rate {rate:g}'),
    target_fixture="named_optimizer",
)
def named_optimizer(name: str, rate: float) -> Optimizer:
    return make_optimizer(name, rate)


@when(
    parsers.parse(
        'the optimiser named "{name}" is made with learning rate {rate:g} and momentum {momentum:g}'
    ),
    target_fixture="named_optimizer",
)
def named_optimizer_with_momentum(name: str, rate: float, momentum: float) -> Optimizer:
    return make_optimizer(name, rate, momentum=momentum)


@when(parsers.parse('an optimiser named "{name}" is asked for'), target_fixture="refused")
def unknown_optimizer(name: str) -> Exception | None:
    return refusal(lambda: make_optimizer(name, 0.05))


@then(parsers.parse("it is {method} at learning rate {rate:g}, with momentum {momentum}"))
def is_optimizer(named_optimizer: Optimizer, method: str, rate: float, momentum: str) -> None:
    settings = {} if momentum == "none" else {"momentum": float(momentum)}
    expected = OPTIMIZERS[method](learning_rate=rate, **settings)
    assert type(named_optimizer) is type(expected), type(named_optimizer).__name__
    assert vars(named_optimizer) == vars(expected), vars(named_optimizer)
    assert str(getattr(named_optimizer, "momentum", "none")) == momentum


@when(
    parsers.parse(
        "{method} is set up with learning rate {rate:g} and its other settings left as they are"
    ),
    target_fixture="set_up",
)
def set_up_with_defaults(method: str, rate: float) -> Optimizer:
    return OPTIMIZERS[method](learning_rate=rate)


@when(parsers.parse("{method} is set up with every setting left as it is"), target_fixture="set_up")
def with_defaults(method: str) -> Optimizer:
    return OPTIMIZERS[method]()


@then(parsers.parse("it reports {settings}"))
def reports_settings(set_up: Optimizer, settings: str) -> None:
    """``settings`` reads ``name value, name value``; numbers are compared as numbers."""

    def value(text: str) -> object:
        try:
            return float(text)
        except ValueError:
            return text

    expected = {
        name: value(text) for name, text in (pair.split(" ") for pair in settings.split(", "))
    }
    assert set_up.settings() == expected, set_up.settings()


@given(
    parsers.parse(
        "three {dtype} parameter arrays and {steps:d} steps of {same} random gradients, "
        "drawn with seed {seed:d}"
    ),
    target_fixture="problem",
)
def typed_problem(dtype: str, steps: int, same: str, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    gradients = [
        [rng.standard_normal(shape).astype(same) for shape in SHAPES] for _ in range(steps)
    ]
    return Problem(start, gradients)


@when(
    parsers.parse("{method} with learning rate {rate:g} takes the steps"),
    target_fixture="stepped",
)
def take_the_steps(method: str, rate: float, problem: Problem) -> tuple[Optimizer, list]:
    parameters = [p.copy() for p in problem.start]
    optimizer = OPTIMIZERS[method](learning_rate=rate)
    for gradients in problem.gradients:
        optimizer.step(parameters, gradients)
    return optimizer, parameters


def state_arrays(optimizer: Optimizer) -> dict[str, np.ndarray]:
    """Every array the optimiser holds, directly or in a list, by attribute name."""
    found = {}
    for name, value in vars(optimizer).items():
        items = value if isinstance(value, list | tuple) else [value]
        found.update(
            (f"{name}[{index}]", item)
            for index, item in enumerate(items)
            if isinstance(item, np.ndarray)
        )
    return found


@then(
    parsers.parse("every array of state the optimiser keeps is {dtype}, and so is every parameter")
)
def state_in_dtype(stepped: tuple[Optimizer, list], dtype: str) -> None:
    optimizer, parameters = stepped
    state = state_arrays(optimizer)
    assert state, f"{type(optimizer).__name__} keeps no state arrays"
    found = {name: str(array.dtype) for name, array in state.items()}
    found |= {f"parameter {i}": str(p.dtype) for i, p in enumerate(parameters)}
    assert set(found.values()) == {dtype}, found


# ------------------------------------------------------------------ RMSprop
@when(
    parsers.parse(
        "RMSprop with learning rate {rate:g} and decay {rho:g} steps with gradients {gradients}"
    ),
    target_fixture="values",
)
def rmsprop_steps(start: float, rate: float, rho: float, gradients: str) -> list[float]:
    """RMSprop with ε = 1e-8, its usual value."""
    return trajectory(RMSprop(rate, rho), start, numbers(gradients))


@given(
    parsers.parse(
        "three {dtype} parameter arrays and {steps:d} steps of random {same} gradients "
        "for each seed from {first:d} to {last:d}"
    ),
    target_fixture="problems",
)
def typed_random_problems(
    dtype: str, steps: int, same: str, first: int, last: int
) -> dict[int, Problem]:
    """Per seed: starting parameters and gradients drawn from N(0, 1), in ``dtype``."""

    def draw(rng: np.random.Generator) -> Problem:
        start = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
        gradients = [
            [rng.standard_normal(shape).astype(same) for shape in SHAPES] for _ in range(steps)
        ]
        return Problem(start, gradients)

    return drawn_per_seed(first, last, draw)


@when(
    parsers.parse("RMSprop with learning rate {rate:g} and decay {rho:g} takes those steps"),
    target_fixture="gaps_from_rule",
)
def rmsprop_against_rule(rate: float, rho: float, problems: dict[int, Problem]) -> dict:
    """Per seed, RMSprop's largest gap over every entry and step from the rule done again
    here in float64: s ← ρs + (1 − ρ)g², θ ← θ − ηg / (√s + ε), ε = 1e-8."""
    epsilon, gaps = 1e-8, {}
    for seed, (start, steps) in problems.items():
        optimizer, mine = RMSprop(rate, rho), [p.copy() for p in start]
        rule = [p.astype(np.float64) for p in start]
        squares = [np.zeros(p.shape) for p in start]
        largest = 0.0
        for gradients in steps:
            optimizer.step(mine, gradients)
            for index, gradient in enumerate(gradients):
                g = gradient.astype(np.float64)
                squares[index] = rho * squares[index] + (1 - rho) * g * g
                rule[index] = rule[index] - rate * g / (np.sqrt(squares[index]) + epsilon)
            largest = max(largest, *(np.abs(a - b).max() for a, b in zip(mine, rule, strict=True)))
        gaps[seed] = largest
    return gaps


@then(
    parsers.parse("after every step each parameter is what the rule gives, to within {tolerance:g}")
)
def follows_rule(gaps_from_rule: dict[int, float], tolerance: float) -> None:
    far = {seed: f"{gap:.3g}" for seed, gap in gaps_from_rule.items() if gap > tolerance}
    assert not far, f"largest gap from the rule, by seed: {far}"


@then(parsers.parse("the report's optimiser is {name}"))
def report_optimizer(outcome: Outcome, name: str) -> None:
    assert json_report(outcome)["config"]["optimizer"] == name, json_report(outcome)["config"]


@when(
    parsers.parse(
        "the classifier with {hidden:d} hidden units is trained for {epochs:d} epochs "
        'with solver "{solver}" and seed {seed:d}'
    ),
    target_fixture="solver_run",
)
def classifier_with_solver(hidden: int, epochs: int, solver: str, seed: int) -> dict:
    data = digits_split(seed)
    model = ScratchNetClassifier(
        hidden_layer_sizes=(hidden,), solver=solver, max_iter=epochs, random_state=seed
    ).fit(data.X_train, data.y_train)
    return {"model": model, "hidden": hidden, "epochs": epochs, "seed": seed}


@then(
    "its weights are exactly those of scratchnet's network trained by RMSprop "
    "at the same learning rate from the same seed"
)
def same_as_rmsprop_training(solver_run: dict) -> None:
    model, data = solver_run["model"], digits_split(solver_run["seed"])
    rng = np.random.default_rng(solver_run["seed"])
    network = mlp([data.n_features, solver_run["hidden"], 10], seed=rng)
    optimizer = RMSprop(model.learning_rate_init)
    train(
        network,
        data.X_train,
        data.y_train,
        optimizer=optimizer,
        epochs=solver_run["epochs"],
        batch_size=model.batch_size,
        seed=rng,
    )
    weights = [value for name, value in network.named_parameters() if name.startswith("W")]
    assert all(np.array_equal(a, b) for a, b in zip(model.coefs_, weights, strict=True))
