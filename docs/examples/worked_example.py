"""One forward and one backward pass of a 2 → 2 → 2 network, small enough to follow by hand.

The network is the learner's class from examples/implementations/correct.py,
given weights chosen so that one hidden unit is switched off by ReLU. The
Backpropagation page runs this file while the site is built and prints every
intermediate array; the specification recomputes them independently.
"""

import numpy as np

from examples.implementations.correct import NeuralNetwork


def worked_example() -> dict[str, np.ndarray]:
    """Every array of one forward and backward pass, by the names the tutorial uses."""
    network = NeuralNetwork(input_size=2, hidden_size=2, output_size=2)
    network.W1 = np.array([[0.5, -1.0], [0.25, 0.25]])
    network.b1 = np.array([[0.0, 0.0]])
    network.W2 = np.array([[1.0, -1.0], [0.5, -0.5]])
    network.b2 = np.array([[0.0, 0.0]])
    X = np.array([[1.0, 2.0]])  # one example with two features
    Y = np.array([[1.0, 0.0]])  # its true class is class 0, written one-hot
    network.forward(X)
    steps = {"X": X, "Y": Y, "W1": network.W1, "b1": network.b1, "W2": network.W2, "b2": network.b2}
    steps |= {name: getattr(network, name) for name in ("Z1", "A1", "Z2", "A2")}
    steps["loss"] = np.array([[network.compute_loss(Y, network.A2)]])
    gradients = network.gradients(X, Y)
    steps["dZ2"] = (network.A2 - Y) / len(X)
    steps |= {f"d{name}": gradients[name] for name in ("W2", "b2", "W1", "b1")}
    steps["dA1"] = steps["dZ2"] @ network.W2.T
    steps["dZ1"] = steps["dA1"] * network.relu_slope()
    return steps


def latex(matrix: np.ndarray) -> str:
    """A matrix as a LaTeX bmatrix, four decimals, with no minus sign on a zero."""
    rows = [" & ".join(f"{round(value, 4) + 0.0:.4f}" for value in row) for row in matrix]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# Each line of the pass: its name, its formula in LaTeX, and the array it holds.
LINES = [
    ("Z1", r"Z_1 = X W_1 + b_1"),
    ("A1", r"A_1 = \operatorname{ReLU}(Z_1)"),
    ("Z2", r"Z_2 = A_1 W_2 + b_2"),
    ("A2", r"A_2 = \operatorname{softmax}(Z_2)"),
    ("loss", r"L = -\log A_2[\text{true class}]"),
    ("dZ2", r"dZ_2 = (A_2 - Y) / m"),
    ("dW2", r"dW_2 = A_1^\top dZ_2"),
    ("db2", r"db_2 = \textstyle\sum_{\text{rows}} dZ_2"),
    ("dA1", r"dA_1 = dZ_2 W_2^\top"),
    ("dZ1", r"dZ_1 = dA_1 \odot \mathbb{1}[Z_1 > 0]"),
    ("dW1", r"dW_1 = X^\top dZ_1"),
    ("db1", r"db_1 = \textstyle\sum_{\text{rows}} dZ_1"),
]


def markdown(steps: dict[str, np.ndarray]) -> str:
    """The pass as display equations, one line per array."""
    symbols = {"X": "X", "Y": "Y", "W1": "W_1", "W2": "W_2"}
    lines = [
        "$$\n"
        + ", \\quad ".join(f"{symbols[name]} = {latex(steps[name])}" for name in pair)
        + "\n$$"
        for pair in (("X", "Y"), ("W1", "W2"))
    ]
    lines += [f"$$\n{formula} = {latex(steps[name])}\n$$" for name, formula in LINES]
    return "\n\n".join(lines)
