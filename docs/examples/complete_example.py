"""The tutorial's complete example, written with scratchnet.

Train the tutorial's network (64 pixels → 128 ReLU units → 10 digits) on
scikit-learn's handwritten digits and report its accuracy on held-out images.
Run it as ``python docs/examples/complete_example.py [SEED]``; the seed (0 by
default) decides the split, the initial weights and the shuffling.
"""

import sys

from sklearn.datasets import load_digits

from scratchnet import NeuralNetwork, Standardizer, accuracy, one_hot, train_test_split

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0

# 1,797 images of 8×8 pixels: each row of `digits.data` holds 64 grey levels (0–16).
digits = load_digits()

# Keep a fifth of the images aside for the final test.
X_train, X_test, y_train, y_test = train_test_split(
    digits.data, digits.target, test_fraction=0.2, seed=seed
)

# Give every pixel mean 0 and standard deviation 1, using training images only,
# so nothing about the test images leaks into training.
standardizer = Standardizer().fit(X_train)
X_train, X_test = standardizer.transform(X_train), standardizer.transform(X_test)

# The network learns from one-hot rows: ten numbers, all 0 but a 1 in the label's column.
Y_train = one_hot(y_train, n_classes=10)

# Build the network and train it; it prints its loss every 10 epochs.
network = NeuralNetwork(input_size=64, hidden_size=128, output_size=10, seed=seed)
network.train(X_train, Y_train, epochs=100, batch_size=32)

# Score it on the images it has never seen.
predictions = network.predict(X_test)
print(f"Test Accuracy: {accuracy(y_test, predictions) * 100:.2f}%")
