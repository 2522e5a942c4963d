"""scratchnet: a neural network from scratch in NumPy.

Importing the package needs NumPy alone; the digits loader
(:func:`scratchnet.data.load_digits`) imports scikit-learn when called.
"""

from scratchnet.activations import ACTIVATIONS, Identity, LeakyReLU, ReLU, Sigmoid, Tanh, softmax
from scratchnet.data import Standardizer, load_digits, load_mnist, one_hot, train_test_split
from scratchnet.experiment import RunResult, TrainConfig, run
from scratchnet.gradcheck import gradcheck
from scratchnet.initializers import INITIALIZERS
from scratchnet.layers import Dense, Dropout, Layer
from scratchnet.losses import cross_entropy, softmax_cross_entropy
from scratchnet.metrics import accuracy, confusion_matrix
from scratchnet.network import Network, mlp
from scratchnet.optimizers import (
    OPTIMIZERS,
    SGD,
    Adam,
    Momentum,
    Optimizer,
    RMSprop,
    make_optimizer,
)
from scratchnet.serialization import load, load_with_metadata, save
from scratchnet.training import DivergenceError, History, train
from scratchnet.tutorial import NeuralNetwork

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "OPTIMIZERS",
    "SGD",
    "Adam",
    "Dense",
    "DivergenceError",
    "Dropout",
    "History",
    "Identity",
    "Layer",
    "LeakyReLU",
    "Momentum",
    "Network",
    "NeuralNetwork",
    "Optimizer",
    "RMSprop",
    "ReLU",
    "RunResult",
    "Sigmoid",
    "Standardizer",
    "Tanh",
    "TrainConfig",
    "accuracy",
    "confusion_matrix",
    "cross_entropy",
    "gradcheck",
    "load",
    "load_digits",
    "load_mnist",
    "load_with_metadata",
    "make_optimizer",
    "mlp",
    "one_hot",
    "run",
    "save",
    "softmax",
    "softmax_cross_entropy",
    "train",
    "train_test_split",
]
