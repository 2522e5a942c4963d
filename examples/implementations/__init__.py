"""Networks written against the tutorial's API, for checking with ``scratchnet check``.

``correct`` passes every tutorial stage; each other module copies it with one
deliberate mistake, which one stage of the specification must catch:

| module | mistake | the stage that catches it |
| --- | --- | --- |
| ``no_relu_derivative`` | backpropagation skips ReLU's derivative | backpropagation |
| ``unshifted_softmax`` | softmax does not subtract the row's largest score first | softmax |
| ``frozen_biases`` | the gradient step never updates the biases | backpropagation |
"""
