"""Exercise: how many numbers does the 64 → 128 → 10 network learn?"""

from examples.implementations.correct import NeuralNetwork

network = NeuralNetwork(input_size=64, hidden_size=128, output_size=10)
counted = sum(array.size for array in (network.W1, network.b1, network.W2, network.b2))
# By the shapes: 64·128 weights and 128 biases, then 128·10 weights and 10 biases.
assert counted == 64 * 128 + 128 + 128 * 10 + 10 == 9_610
print(f"{counted:,} parameters")
