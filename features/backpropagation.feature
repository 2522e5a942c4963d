Feature: Backpropagation
  Backpropagation works out, for every weight and bias, how fast the loss would
  change if that one number were nudged: its gradient. It gets them all in one
  backward sweep, applying the chain rule from the loss back to the first
  layer and reusing what the forward pass kept. A slow but simple way to get
  the same numbers is to nudge each parameter a tiny step up and down and
  watch the loss (central finite differences); when the two agree,
  backpropagation is right. Gradient descent then moves every parameter a small
  step against its gradient.

  @tutorial
  Scenario Outline: Backpropagation agrees with finite differences (seed <seed>)
    The finite differences nudge the loss itself, the mean cross-entropy of
    the network's probabilities, computed in double precision by the check
    from the network's weights, not by the network's own methods: a mistake in
    its loss is the loss stage's to report, not this one's. For a class
    computing in float32 the bound is the same: measured at most 9e-8 over
    seeds 0 to 9 for the example classes, float32 or float64.

    Given the tutorial's network for 64 inputs with seed <seed>
    And a batch of 8 digits
    When its gradients are checked against central finite differences
    Then the relative error is below 1e-6 for each of W1, b1, W2 and b2

    Examples:
      | seed |
      | 0    |
      | 1    |

  Scenario: A dense layer's backward pass, worked by hand
    The weights' gradient is the inputs transposed times the gradient that
    comes back, the biases' gradient sums that gradient over the rows, and the
    inputs' gradient is that gradient times the weights transposed.

    Given a dense layer from 3 inputs to 2 outputs with these weights, one row per input:
      | 1 | 2 |
      | 3 | 4 |
      | 5 | 6 |
    When it takes these inputs forward:
      | 1 | 0 | 2  |
      | 0 | 1 | -1 |
    And this gradient comes back through it:
      | 1 | -1 |
      | 2 | 0  |
    Then the weights' gradient is:
      | 1 | -1 |
      | 2 | 0  |
      | 0 | -2 |
    And the biases' gradient is:
      | 3 | -1 |
    And the inputs' gradient is:
      | -1 | -1 | -1 |
      | 2  | 6  | 10 |

  Scenario: Softmax and cross-entropy together have a simple gradient
    The probabilities it is compared with are worked out another way, as
    1 / Σ exp(z_j − z_i), so the two round differently: measured at most
    1.4e-17 apart over seeds 0 to 4, checked to 1e-16.

    Given 8 rows of ten random scores and true digits for each seed from 0 to 4
    When the gradient of the loss with respect to the scores is taken in one fused step
    Then it equals the probabilities minus the one-hot true digits, divided by the batch size, within 1e-16, for every seed
    And it agrees with central finite differences to a relative error below 1e-7, for every seed

  @tutorial
  Scenario: One training step moves each parameter by the learning rate times its gradient
    A class that computes in another number type, float32 say, rounds more
    coarsely: for it "within 1e-12" becomes 4 units in the last place of its
    number type for every unit of the parameter's size against the step's,
    and one more for each row the gradient adds up (measured at most 14.3
    units over seeds 0 to 9 for the example classes). A step that goes the
    wrong way, uphill, is told apart from one of the wrong size.

    Given the tutorial's NeuralNetwork for 64 inputs with seed 0
    And a batch of 16 digits
    When the network goes forward and takes one backward step with learning rate 0.1
    Then W1, b1, W2 and b2 have each moved by 0.1 times the gradient from the tutorial's formulas, to within 1e-12 of that move

  Scenario: Without a learning rate, the tutorial's backward step uses 0.01
    Given the tutorial's NeuralNetwork for 64 inputs with seed 0
    And a batch of 16 digits
    When the network goes forward and takes one backward step without a learning rate
    Then W1, b1, W2 and b2 have each moved by 0.01 times the gradient from the tutorial's formulas, to within 1e-12 of that move
