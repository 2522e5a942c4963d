"""Reverse-mode automatic differentiation over NumPy arrays, written to be read.

A :class:`Tensor` holds a value, the gradient of the loss for that value
(``grad``, filled by :meth:`Tensor.backward`) and how it was made: the
tensors it came from and a function that turns its own gradient into theirs.
Each operation below computes its value and, right beside it, that local
derivative. ``backward()`` visits the graph from the loss back to the
inputs in reverse topological order and applies the chain rule at each node,
adding up the gradients of a value that was used more than once.

This is what PyTorch's autograd does for the tutorial's network, on a much
smaller scale::

    W = Tensor(rng.normal(size=(64, 10)), requires_grad=True)
    loss = cross_entropy(Tensor(X) @ W, labels)
    loss.backward()
    W.grad                         # d loss / d W, shape (64, 10)

Only NumPy is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from scratchnet.activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from scratchnet.layers import Dense, Dropout
from scratchnet.network import Network

#: Turns the gradient of an operation's output into the gradients of its inputs.
Backward = Callable[[np.ndarray], Sequence[np.ndarray | None]]


class Tensor:
    """A NumPy array that remembers how it was computed, so gradients can flow back to it.

    Args:
        value: The array (or number); kept as a floating-point array when gradients are asked
            for, as given otherwise.
        requires_grad: Whether ``backward()`` should compute the gradient of this tensor.
        name: What the graph calls it (``"W1"``); operations are called by what they do.

    Raises:
        TypeError: ``requires_grad`` is asked of an integer or boolean value: gradients need
            floating-point numbers.
    """

    def __init__(
        self, value: object, *, requires_grad: bool = False, name: str | None = None
    ) -> None:
        array = value.value if isinstance(value, Tensor) else np.asarray(value)
        if requires_grad and not np.issubdtype(array.dtype, np.floating):
            raise TypeError(
                f"requires_grad needs floating-point values, got dtype {array.dtype}: "
                "convert with .astype(float) first"
            )
        self.value: np.ndarray = array
        self.requires_grad = bool(requires_grad)
        #: The gradient of the loss for ``value``, shaped like it; ``None`` until ``backward``.
        self.grad: np.ndarray | None = None
        self.parents: tuple[Tensor, ...] = ()
        self.op = "input"
        self.name = name
        self._backward: Backward | None = None
        self._released = False

    @classmethod
    def made_by(
        cls, value: np.ndarray, op: str, parents: Sequence[Tensor], backward: Backward
    ) -> Tensor:
        """The result of operation ``op`` on ``parents``, with the rule that sends its gradient
        back to them. Nothing is recorded when no parent needs a gradient: constants make no
        graph.

        Args:
            value: The operation's result.
            op: The operation's name, as the graph shows it.
            parents: The tensors it was computed from.
            backward: Output gradient → one gradient (or ``None``) per parent.

        Returns:
            The new tensor.
        """
        result = cls(value)
        if any(parent.requires_grad for parent in parents):
            result.requires_grad = True
            result.parents, result.op, result._backward = tuple(parents), op, backward
        return result

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def is_leaf(self) -> bool:
        """Whether the tensor was made by the user rather than by an operation."""
        return not self.parents

    def __repr__(self) -> str:
        made = "" if self.is_leaf else f", op={self.op!r}"
        return f"Tensor(shape={self.shape}, requires_grad={self.requires_grad}{made})"

    def backward(self, grad: object = None, *, retain_graph: bool = False) -> None:
        """Compute the gradient of this tensor for every tensor it was computed from.

        Leaves (tensors the user made with ``requires_grad=True``) *add* the new
        gradient to ``grad``, as PyTorch's do: call ``zero_grad`` between steps.
        Tensors made by operations get ``grad`` set afresh.

        Args:
            grad: The gradient to start from, shaped like this tensor; may be left out only
                for a single number (a loss), where it is 1.
            retain_graph: Keep the graph so that ``backward`` can run through it again.
                Without it, the graph's backward rules are released, as PyTorch does, and a
                second ``backward`` through it raises ``RuntimeError``.

        Raises:
            ValueError: ``grad`` is left out for a tensor of more than one number, or has the
                wrong shape.
            RuntimeError: the graph was already run backward without ``retain_graph``, or no
                tensor in it needs a gradient.
        """
        # --8<-- [start:backward]
        pending = {id(self): self._starting_gradient(grad)}  # by tensor
        for tensor in reversed(topological_order(self)):  # loss first
            grad = pending.pop(id(tensor), None)
            if grad is None:
                continue
            if tensor.is_leaf:  # made by the user: gradients add up
                tensor.grad = grad if tensor.grad is None else tensor.grad + grad
                continue
            tensor.grad = grad
            local = tensor._local_backward(grad, retain_graph)
            for parent, parent_grad in zip(tensor.parents, local, strict=True):
                if parent.requires_grad and parent_grad is not None:
                    # A value used twice gets the sum of both gradients.
                    key = id(parent)
                    pending[key] = pending.get(key, 0.0) + parent_grad
        # --8<-- [end:backward]

    def _starting_gradient(self, grad: object) -> np.ndarray:
        """``grad`` checked against this tensor, or 1 for a single number."""
        if not self.requires_grad:
            raise RuntimeError(
                "backward() needs a tensor computed from at least one tensor with "
                "requires_grad=True; this one has nothing to send gradients to"
            )
        if grad is None:
            if self.value.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single number (a loss), but this "
                    f"tensor has shape {self.shape}: pass grad= shaped like it, or reduce it "
                    "with .sum() or .mean() first"
                )
            grad = np.ones_like(self.value)
        grad = np.asarray(grad, dtype=self.value.dtype)
        if grad.shape != self.shape:
            raise ValueError(f"grad must have shape {self.shape} like the tensor, got {grad.shape}")
        return grad

    def _local_backward(self, grad: np.ndarray, retain_graph: bool) -> Sequence:
        """This operation's local derivative applied to ``grad``: one gradient per input."""
        if self._released:
            raise RuntimeError(
                f"this graph was already run backward (at its {self.op!r} node) and its "
                "rules were released; pass retain_graph=True to the first backward() to "
                "run it backward again"
            )
        if not retain_graph:
            self._released = True
        return self._backward(grad)

    def zero_grad(self) -> None:
        """Forget the gradient gathered so far."""
        self.grad = None

    # Arithmetic, with NumPy's broadcasting. The gradient of an operand that was
    # broadcast is summed back to its own shape: the rule behind the tutorial's db.

    # --8<-- [start:arithmetic]
    def __add__(self, other: object) -> Tensor:
        other = as_tensor(other)
        value = broadcast(np.add, self, other, "+")
        return Tensor.made_by(
            value,
            "+",
            (self, other),
            lambda g: (unbroadcast(g, self.shape), unbroadcast(g, other.shape)),
        )

    def __sub__(self, other: object) -> Tensor:
        other = as_tensor(other)
        value = broadcast(np.subtract, self, other, "-")
        return Tensor.made_by(
            value,
            "-",
            (self, other),
            lambda g: (unbroadcast(g, self.shape), unbroadcast(-g, other.shape)),
        )

    def __mul__(self, other: object) -> Tensor:
        other = as_tensor(other)
        value = broadcast(np.multiply, self, other, "*")
        return Tensor.made_by(
            value,
            "*",
            (self, other),
            lambda g: (
                unbroadcast(g * other.value, self.shape),
                unbroadcast(g * self.value, other.shape),
            ),
        )

    def __truediv__(self, other: object) -> Tensor:
        other = as_tensor(other)
        value = broadcast(np.divide, self, other, "/")
        return Tensor.made_by(
            value,
            "/",
            (self, other),
            lambda g: (
                unbroadcast(g / other.value, self.shape),
                unbroadcast(-g * value / other.value, other.shape),  # d(a/b)/db = -a/b²
            ),
        )

    def __neg__(self) -> Tensor:
        return Tensor.made_by(-self.value, "neg", (self,), lambda g: (-g,))

    # --8<-- [end:arithmetic]

    def __radd__(self, other: object) -> Tensor:
        return as_tensor(other) + self

    def __rsub__(self, other: object) -> Tensor:
        return as_tensor(other) - self

    def __rmul__(self, other: object) -> Tensor:
        return as_tensor(other) * self

    def __rtruediv__(self, other: object) -> Tensor:
        return as_tensor(other) / self

    # --8<-- [start:matmul]
    def __matmul__(self, other: object) -> Tensor:
        """``(batch, n) @ (n, m)`` → ``(batch, m)``; gradients ``g @ Bᵀ`` and ``Aᵀ @ g``."""
        other = as_tensor(other)
        if self.value.ndim != 2 or other.value.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(
                f"@ needs two matrices (n, k) and (k, m), got shapes {self.shape} and {other.shape}"
            )

        def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
            # Skipped for an operand that needs no gradient: the data X @ W1 is multiplied
            # with would cost the largest product of the step for nothing.
            return (
                g @ other.value.T if self.requires_grad else None,
                self.value.T @ g if other.requires_grad else None,
            )

        return Tensor.made_by(self.value @ other.value, "@", (self, other), backward)

    # --8<-- [end:matmul]

    def __rmatmul__(self, other: object) -> Tensor:
        return as_tensor(other) @ self

    def __getitem__(self, index: object) -> Tensor:
        """Pick entries (``logp[rows, labels]``); the gradient goes back to the picked places."""

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            whole = np.zeros_like(self.value)
            np.add.at(whole, index, g)  # an entry picked twice gets both gradients
            return (whole,)

        return Tensor.made_by(self.value[index], "pick", (self,), backward)

    # --8<-- [start:reductions]
    def sum(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all entries when ``None``); each entry's gradient is the sum's."""
        return Tensor.made_by(
            self.value.sum(axis=axis, keepdims=keepdims),
            "sum",
            (self,),
            lambda g: (np.broadcast_to(restore_axis(g, axis, keepdims), self.shape).copy(),),
        )

    def mean(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis``: the sum's gradient divided by how many entries were averaged."""
        count = self.value.size if axis is None else self.shape[axis]
        return Tensor.made_by(
            self.value.mean(axis=axis, keepdims=keepdims),
            "mean",
            (self,),
            lambda g: (
                np.broadcast_to(restore_axis(g, axis, keepdims) / count, self.shape).copy(),
            ),
        )

    # --8<-- [end:reductions]

    # --8<-- [start:elementwise]
    def exp(self) -> Tensor:
        value = np.exp(self.value)
        return Tensor.made_by(value, "exp", (self,), lambda g: (g * value,))  # (eᶻ)' = eᶻ

    def log(self) -> Tensor:
        return Tensor.made_by(np.log(self.value), "log", (self,), lambda g: (g / self.value,))

    def relu(self) -> Tensor:
        # The slope is taken from the left at 0, as the tutorial's Z1 > 0 does.
        return Tensor.made_by(
            np.maximum(self.value, 0), "relu", (self,), lambda g: (g * (self.value > 0),)
        )

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        slope = np.where(self.value > 0, 1.0, negative_slope).astype(self.value.dtype)
        return Tensor.made_by(self.value * slope, "leaky_relu", (self,), lambda g: (g * slope,))

    def tanh(self) -> Tensor:
        value = np.tanh(self.value)
        return Tensor.made_by(value, "tanh", (self,), lambda g: (g * (1.0 - value**2),))

    def sigmoid(self) -> Tensor:
        value = 0.5 * (1.0 + np.tanh(0.5 * self.value))  # never overflows, unlike 1/(1+e⁻ᶻ)
        return Tensor.made_by(value, "sigmoid", (self,), lambda g: (g * value * (1.0 - value),))

    # --8<-- [end:elementwise]

    # --8<-- [start:softmax]
    def softmax(self, axis: int = -1) -> Tensor:
        """Probabilities along ``axis``. With ``s = softmax(z)``, the gradient for ``z`` is
        ``s · (g − Σ g·s)``: the full Jacobian ``diag(s) − s sᵀ`` applied to ``g``."""
        shifted = np.exp(self.value - self.value.max(axis=axis, keepdims=True))
        value = shifted / shifted.sum(axis=axis, keepdims=True)
        return Tensor.made_by(
            value,
            "softmax",
            (self,),
            lambda g: (value * (g - (g * value).sum(axis=axis, keepdims=True)),),
        )

    def log_softmax(self, axis: int = -1) -> Tensor:
        """``z − logsumexp(z)``, computed after subtracting the maximum so nothing overflows;
        the gradient for ``z`` is ``g − softmax(z) · Σ g``."""
        shifted = self.value - self.value.max(axis=axis, keepdims=True)
        value = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        return Tensor.made_by(
            value,
            "log_softmax",
            (self,),
            lambda g: (g - np.exp(value) * g.sum(axis=axis, keepdims=True),),
        )

    # --8<-- [end:softmax]


# --8<-- [start:cross_entropy]
def cross_entropy(logits: Tensor, labels: object) -> Tensor:
    """Mean of ``−log softmax(logits)[row, label]`` over the rows: the tutorial's loss.

    Written with the operations above, so its gradient comes out of ``backward``
    without being derived by hand; it is the tutorial's ``(A2 − Y) / m``.

    Args:
        logits: Scores of shape ``(batch, classes)``.
        labels: The true class of each row, whole numbers of shape ``(batch,)``.

    Returns:
        A tensor holding one number, the mean loss.

    Raises:
        ValueError: ``labels`` are not whole numbers in ``[0, classes)`` or do not match the
            rows of ``logits``.
    """
    labels = np.asarray(labels)
    if logits.value.ndim != 2:
        raise ValueError(f"logits must have shape (batch, classes), got {logits.shape}")
    if labels.shape != (logits.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be whole numbers of shape ({logits.shape[0]},), one per row of "
            f"logits, got shape {labels.shape} of dtype {labels.dtype}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError(
            f"labels must lie in [0, {logits.shape[1]}), got {labels.min()}…{labels.max()}"
        )
    rows = np.arange(len(labels))
    return -logits.log_softmax(axis=1)[rows, labels].mean()


# --8<-- [end:cross_entropy]


def as_tensor(value: object) -> Tensor:
    """``value`` itself if it is a Tensor, else a constant Tensor holding it."""
    return value if isinstance(value, Tensor) else Tensor(value)


def broadcast(operation: Callable, left: Tensor, right: Tensor, symbol: str) -> np.ndarray:
    """``operation(left, right)`` with NumPy's broadcasting, or an error naming both shapes."""
    try:
        np.broadcast_shapes(left.shape, right.shape)
    except ValueError:
        raise ValueError(
            f"shapes {left.shape} and {right.shape} do not broadcast for {symbol}: each axis, "
            "counted from the right, must be equal or 1"
        ) from None
    return operation(left.value, right.value)


# --8<-- [start:unbroadcast]
def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` back down to ``shape``: the axes that broadcasting added or stretched.

    A bias of shape ``(1, units)`` added to every row of a ``(batch, units)``
    array gets the column sums of the gradient, the tutorial's
    ``db = sum(dZ, axis=0, keepdims=True)``.
    """
    while grad.ndim > len(shape):  # axes added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of size 1 that were stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# --8<-- [end:unbroadcast]


def restore_axis(grad: np.ndarray, axis: int | None, keepdims: bool) -> np.ndarray:
    """Put back the axis a reduction removed, so the gradient broadcasts over it."""
    if keepdims or axis is None:
        return grad
    return np.expand_dims(grad, axis)


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on, each after all the tensors it was made from."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:  # depth first, without recursion: deep graphs would overflow Python's stack
        tensor, parents_done = stack.pop()
        if parents_done:
            order.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        stack.append((tensor, True))
        # Reversed, so that the first operand is visited first: the order reads like the code.
        stack.extend(
            (parent, False) for parent in reversed(tensor.parents) if id(parent) not in seen
        )
    return order


class Node(NamedTuple):
    """One tensor of a recorded graph, as the docs draw it."""

    #: The tensor's ``name`` (``"X"``, ``"W1"``), else the operation that made it (``"@"``).
    name: str
    shape: tuple[int, ...]
    #: Where in the node list the tensors it was made from stand.
    inputs: tuple[int, ...]


def graph(root: Tensor) -> list[Node]:
    """The graph behind ``root``, one node per tensor, in the order they are computed.

    Args:
        root: The tensor whose graph is wanted, usually a loss.

    Returns:
        The nodes; each comes after the nodes it was made from, ``root`` last.
    """
    order = topological_order(root)
    position = {id(tensor): index for index, tensor in enumerate(order)}
    return [
        Node(
            tensor.name or tensor.op,
            tensor.shape,
            tuple(position[id(parent)] for parent in tensor.parents),
        )
        for tensor in order
    ]


# The tutorial's network, written with tensors: the same layers, the same numbers,
# but the gradients come from the graph instead of the layers' hand-written backward.


# --8<-- [start:network]
def network_loss(
    network: Network, X: np.ndarray, labels: np.ndarray, *, training: bool = True
) -> tuple[Tensor, list[Tensor]]:
    """The loss of ``network`` on ``X`` (batch, features) and ``labels`` (batch,), as a graph.

    Every parameter becomes a leaf tensor that shares its array with the
    network, so ``loss.backward()`` gives each one its gradient. Dropout
    layers draw their masks as they do in the hand-written pass.

    Args:
        network: A network of Dense, activation and Dropout layers (any depth).
        X: Inputs of shape ``(batch, features)``.
        labels: The true class of each row, shape ``(batch,)``.
        training: Whether dropout acts, as in ``Network.forward``.

    Returns:
        The loss, and one leaf tensor per entry of ``network.parameters``, in that order.
    """
    parameters = [
        Tensor(value, requires_grad=True, name=name) for name, value in network.named_parameters()
    ]
    leaves = iter(parameters)
    outputs = Tensor(X, name="X")
    for layer in network.layers:
        if isinstance(layer, Dense):
            W, b = next(leaves), next(leaves)
            outputs = outputs @ W + b
        elif isinstance(layer, Dropout):
            layer.forward(outputs.value, training=training)  # draws the mask, as training does
            if layer.mask is not None:
                outputs = outputs * layer.mask
        else:
            outputs = ACTIVATION_OPS[type(layer)](outputs, layer)
    return cross_entropy(outputs, labels), parameters


#: How each activation layer of the core is written with tensor operations.
ACTIVATION_OPS: dict[type, Callable[[Tensor, object], Tensor]] = {
    ReLU: lambda x, layer: x.relu(),
    LeakyReLU: lambda x, layer: x.leaky_relu(layer.negative_slope),
    Sigmoid: lambda x, layer: x.sigmoid(),
    Tanh: lambda x, layer: x.tanh(),
    Identity: lambda x, layer: x,
}


def network_gradients(network: Network, X: np.ndarray, labels: np.ndarray) -> float:
    """Fill ``network.gradients`` from autograd instead of the layers' ``backward``.

    A drop-in for the forward, fused loss and backward of a training step:
    afterwards the network holds the same gradients the hand-written pass
    gives, and the optimiser takes the step as usual.

    Args:
        network: The network, whose gradient arrays are overwritten.
        X: Inputs of shape ``(batch, features)``.
        labels: The true class of each row, shape ``(batch,)``.

    Returns:
        The batch's mean loss.
    """
    loss, parameters = network_loss(network, X, labels, training=True)
    loss.backward()
    for gradient, parameter in zip(network.gradients, parameters, strict=True):
        np.copyto(gradient, parameter.grad)
    return float(loss.value)


# --8<-- [end:network]
