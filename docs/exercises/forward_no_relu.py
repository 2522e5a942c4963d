"""Exercise: without ReLU, two layers are one layer with W = W1 W2 and b = b1 W2 + b2."""

import numpy as np

rng = np.random.default_rng(0)
X = rng.standard_normal((4, 3))
W1, b1 = rng.standard_normal((3, 5)), rng.standard_normal((1, 5))
W2, b2 = rng.standard_normal((5, 2)), rng.standard_normal((1, 2))

two_layers = (X @ W1 + b1) @ W2 + b2
one_layer = X @ (W1 @ W2) + (b1 @ W2 + b2)
assert np.allclose(two_layers, one_layer, rtol=1e-12, atol=1e-12)

with_relu = np.maximum(X @ W1 + b1, 0) @ W2 + b2
assert not np.allclose(with_relu, one_layer)  # ReLU bends the map: no single layer fits
print("two linear layers collapse into one; with ReLU they do not")
