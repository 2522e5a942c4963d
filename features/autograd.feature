Feature: Autograd
  PyTorch and TensorFlow work out every gradient by themselves: while the
  forward pass runs, they record each operation in a graph, and each operation
  knows its own local derivative. Running the graph backwards, from the loss
  to the weights, applies the chain rule one operation at a time. scratchnet's
  autograd does the same on NumPy arrays, small enough to read in one sitting.
  These scenarios hold it to what the hand-written backward pass of the
  tutorial already computes.

  Scenario Outline: Each operation's gradient agrees with finite differences (<operation>)
    The inputs' shapes are drawn by Hypothesis, with operands that NumPy
    broadcasts against each other; the output is weighted by random numbers
    and the gradient of that weighted sum is checked against central finite
    differences with a step of 1e-6. Values stay away from the points where a
    derivative jumps (0 for ReLU) or is undefined (0 for log and division).

    Given inputs of any shapes that <operation> accepts
    When the gradient of its output, weighted by random numbers, is taken by autograd
    Then it agrees with central finite differences to a relative error below 1e-7 for every input

    Examples: element by element, with broadcasting
      | operation     |
      | a + b         |
      | a - b         |
      | a * b         |
      | a / b         |
      | -a            |
      | exp(a)        |
      | log(a)        |
      | relu(a)       |
      | leaky_relu(a) |
      | tanh(a)       |
      | sigmoid(a)    |

    Examples: over whole rows and matrices
      | operation          |
      | a @ b              |
      | sum(a, axis)       |
      | mean(a, axis)      |
      | softmax(a)         |
      | log_softmax(a)     |
      | cross_entropy(a)   |

  Scenario Outline: Each operation is named in the graph for what it does (<operation>)
    The graph drawn on the Autograd page calls a tensor by its name, and a
    tensor made by an operation by that operation.

    Given inputs of any shapes that <operation> accepts
    Then the graph calls the tensor it computes "<node>"

    Examples:
      | operation        | node        |
      | a + b            | +           |
      | a - b            | -           |
      | a * b            | *           |
      | a / b            | /           |
      | -a               | neg         |
      | exp(a)           | exp         |
      | log(a)           | log         |
      | relu(a)          | relu        |
      | leaky_relu(a)    | leaky_relu  |
      | tanh(a)          | tanh        |
      | sigmoid(a)       | sigmoid     |
      | a @ b            | @           |
      | sum(a, axis)     | sum         |
      | mean(a, axis)    | mean        |
      | softmax(a)       | softmax     |
      | log_softmax(a)   | log_softmax |
      | cross_entropy(a) | neg         |

  Scenario: A value used twice is one node of the graph
    A tensor without a name is called "input" in the graph; "made from"
    lists, by their number, the nodes each node was computed from.

    Given a 2 × 3 tensor x that needs a gradient
    When the sum of x·x + x is recorded as a graph
    Then the graph has these nodes, in the order they are computed:
      | number | node  | shape | made from |
      | 1      | input | 2 × 3 |           |
      | 2      | *     | 2 × 3 | 1, 1      |
      | 3      | +     | 2 × 3 | 2, 1      |
      | 4      | sum   | one   | 3         |

  Scenario Outline: A number or an array on the left of an operator works as on its right (<expression>)
    Given the number 4 in a 1 × 1 matrix, as a tensor x that needs a gradient
    When <expression> is computed and run backward
    Then the result is <value>
    And the gradient of x is <gradient>

    Examples:
      | expression | value | gradient |
      | 2 + x      | 6     | 1        |
      | 2 - x      | -2    | -1       |
      | 2 * x      | 8     | 2        |
      | 2 / x      | 0.5   | -0.125   |
      | [[2]] @ x  | 8     | 2        |

  Scenario Outline: At 0, <activation> takes the slope from the left, as its layer does
    The layers' backward passes use the slope of z ≤ 0 at 0: 0 for ReLU, and
    leaky ReLU's negative slope, 0.01 unless another is given.

    Given the number 0 as a tensor that needs a gradient
    When its <activation> is run backward
    Then the gradient of x is <slope>

    Examples:
      | activation | slope |
      | relu       | 0     |
      | leaky_relu | 0.01  |

  Scenario: Softmax stays finite for large scores, row by row
    Softmax is the same for scores shifted by a constant, so a row of 1000
    and 1001 has the probabilities of a row of 0 and 1; each row is shifted
    by its own largest score, so no exponential overflows (e¹⁰⁰¹ would) and a
    row of small scores is not wiped out by another row's large ones. Both
    rows measured equal to the expected numbers in every digit; checked to
    1e-15, a few roundings of numbers below 1.

    Given two rows of scores, 1000 and 1001, and 0 and 1
    When their softmax is taken along each row
    Then both rows hold e⁰ / (e⁰ + e¹) and e¹ / (e⁰ + e¹), within 1e-15

  Scenario: Gradients keep a tensor's single precision, whatever the starting gradient's
    Given 3 numbers in single precision as a tensor x that needs a gradient
    When its leaky ReLU is run backward from a starting gradient in double precision
    Then the leaky ReLU and the gradient of x are in single precision

  Scenario: A tensor made from a tensor holds the same numbers
    Given a 2 × 3 tensor x that needs a gradient
    When a tensor that needs a gradient is made from x
    Then it holds the numbers of x

  Scenario Outline: A tensor shows its shape, whether it needs a gradient, and what made it (<tensor>)
    Given <tensor>
    Then it is shown as "<shown>"

    Examples:
      | tensor                                          | shown                                          |
      | a 2 × 3 tensor that needs a gradient            | Tensor(shape=(2, 3), requires_grad=True)       |
      | a 2 × 3 tensor that does not                    | Tensor(shape=(2, 3), requires_grad=False)      |
      | the sum of a 2 × 3 tensor that needs a gradient | Tensor(shape=(), requires_grad=True, op='sum') |

  Scenario: A value used twice gets the sum of both gradients
    For y = x·x + x the gradient is 2x + 1: the x·x node sends x back twice
    (once through each operand) and the + node once more.

    Given the number 3 as a tensor that needs a gradient
    When y = x·x + x is computed and run backward
    Then the gradient of x is 7

  Scenario: A constant gets no gradient
    Given a 3 × 2 weight matrix that needs a gradient and a 3 × 2 input that does not
    When the mean of their product, entry by entry, is run backward
    Then the weight matrix has a gradient of its own shape
    And the input has no gradient

  Scenario Outline: Mistakes are refused with a clear error (<mistake>)
    Given <mistake>
    Then it is refused with a <error> that says "<words>"

    Examples:
      | mistake                                                       | error        | words                                                                                                |
      | running backward from 3 numbers without a starting gradient   | ValueError   | needs a single number … reduce it with .sum() or .mean() first                                       |
      | running backward from 3 numbers with a starting gradient of 2 | ValueError   | grad must have shape (3,) like the tensor, got (2,)                                                  |
      | running backward from a tensor that needs no gradient         | RuntimeError | needs a tensor computed from at least one tensor with requires_grad=True                             |
      | adding tensors of shapes 2 × 3 and 4                          | ValueError   | shapes (2, 3) and (4,) do not broadcast for +: each axis, counted from the right, must be equal or 1 |
      | subtracting tensors of shapes 2 × 3 and 4                     | ValueError   | shapes (2, 3) and (4,) do not broadcast for -                                                        |
      | multiplying tensors of shapes 2 × 3 and 4                     | ValueError   | shapes (2, 3) and (4,) do not broadcast for *                                                        |
      | dividing tensors of shapes 2 × 3 and 4                        | ValueError   | shapes (2, 3) and (4,) do not broadcast for /                                                        |
      | multiplying a 2 × 3 matrix by a vector of 3                   | ValueError   | @ needs two matrices (n, k) and (k, m), got shapes (2, 3) and (3,)                                   |
      | running the same graph backward twice                         | RuntimeError | pass retain_graph=True to the first backward() to run it backward again                              |
      | asking for the gradient of whole numbers                      | TypeError    | floating-point values, got dtype int64: convert with .astype(float) first                            |
      | a cross-entropy with a label outside the classes              | ValueError   | labels must lie in [0, 10)                                                                           |
      | a cross-entropy of one row of scores that is not a matrix     | ValueError   | logits must have shape (batch, classes), got (10,)                                                   |
      | a cross-entropy with one label for two rows                   | ValueError   | labels must be whole numbers of shape (2,), one per row of logits, got shape (1,)                    |

  Scenario: An operation of one's own must send back one gradient per input
    Any operation can join the graph through `Tensor.made_by`, with the rule
    that turns its gradient into its inputs'. A rule that sends back fewer
    gradients than the operation has inputs is refused when the graph runs
    backward, rather than leaving an input without its gradient.

    Given an operation of one's own whose rule gives one gradient for its two inputs
    Then it is refused with a ValueError

  Scenario: A tensor computed on the way holds its gradient, set afresh by every pass
    Unlike the tensors the user made, a tensor made by an operation holds the
    gradient of the last backward pass: here 1, the gradient of y for x·x.

    Given the number 3 as a tensor that needs a gradient
    When y = x·x + x is computed and run backward twice, keeping the graph
    Then the gradient of x·x is 1

  Scenario: A zeroed gradient starts again from nothing
    Given the number 3 as a tensor that needs a gradient
    When y = x·x + x is computed and run backward twice, keeping the graph, with the gradient of x zeroed in between
    Then the gradient of x is 7

  Scenario: With retain_graph the graph can be run backward again, and gradients add up
    As in PyTorch, a tensor the user made keeps adding gradients until it is
    zeroed, so a second backward pass doubles it.

    Given the number 3 as a tensor that needs a gradient
    When y = x·x + x is computed and run backward twice, keeping the graph
    Then the gradient of x is 14

  Scenario Outline: Autograd gives the tutorial network's loss and gradients (<activation>, <layers>)
    The hand-written backward pass and autograd add the same numbers in a
    different order, so they may differ by rounding: measured at most 9.1e-16
    of the largest entry of each gradient (and 1.9e-16 of the loss) over
    these seeds, activations and depths; checked to 1e-14, about ten times that.

    Given networks of <layers> with <activation> hidden layers, one for each seed from 0 to 9
    And a batch of 32 training digits drawn with each seed
    When each network's loss and gradients are computed by hand-written backpropagation and by autograd
    Then the losses agree within 1e-14 of the loss
    And every gradient agrees within 1e-14 of its largest entry

    Examples:
      | activation | layers              |
      | relu       | 64 → 128 → 10       |
      | leaky_relu | 64 → 128 → 10       |
      | sigmoid    | 64 → 128 → 10       |
      | tanh       | 64 → 128 → 10       |
      | relu       | 64 → 128 → 64 → 10  |
      | leaky_relu | 64 → 128 → 64 → 10  |
      | sigmoid    | 64 → 128 → 64 → 10  |
      | tanh       | 64 → 128 → 64 → 10  |

  Scenario: Dropout draws the same masks with autograd as in the hand-written pass
    Given networks of 64 → 128 → 10 with relu hidden layers and dropout 0.2, one for each seed from 0 to 9
    And a batch of 32 training digits drawn with each seed
    When each network's loss and gradients are computed by hand-written backpropagation and by autograd
    Then the losses agree within 1e-14 of the loss
    And every gradient agrees within 1e-14 of its largest entry

  Scenario: A training step with autograd drops the same units as the hand-written step
    The step `--gradients autograd` takes draws its dropout masks as the
    hand-written step does. Measured at most 7.9e-16 of the largest entry of
    each gradient (and 1.9e-16 of the loss) over these seeds; checked to
    1e-14, as above.

    Given networks of 64 → 128 → 10 with relu hidden layers and dropout 0.2, one for each seed from 0 to 9
    And a batch of 32 training digits drawn with each seed
    When each network's loss and gradients are computed by a hand-written training step and by autograd's
    Then the losses agree within 1e-14 of the loss
    And every gradient agrees within 1e-14 of its largest entry

  Scenario: A hundred epochs with autograd's gradients end at the same weights
    Rounding differences of one step feed into the next, yet after 100 epochs
    (2,900 steps) the weights measured at most 6.9e-16 of each array's largest
    entry apart for seeds 0 to 2; checked to 1e-13.

    Given the tutorial's settings with gradients autograd
    When the network is trained with seed 0
    Then every weight and bias is within 1e-13 of its largest entry of the same network trained with backpropagation
    And the test accuracy equals that of the network trained with backpropagation

  Scenario: Training with autograd's gradients takes them from the graph alone
    Both ways give the same gradients to within rounding, so only the layers'
    hand-written backward passes tell them apart: with autograd none of them runs.

    Given the tutorial's network for 16 inputs
    And 40 rows of 16 random features with labels from 0 to 9, drawn with seed 0
    When it trains for 2 epochs in batches of 8 with autograd's gradients, its layers' backward passes watched
    Then training ran 2 epochs and no layer's hand-written backward pass ran

  Scenario: The command line trains with autograd's gradients and prints the same lines
    When I run `scratchnet train --gradients autograd --seed 0 --epochs 30`
    Then the command succeeds
    And it prints exactly what `scratchnet train --seed 0 --epochs 30` prints

  @slow
  Scenario: Training with autograd reaches the same test accuracy, for seeds 0 to 9
    Given the tutorial's settings with gradients autograd
    When the network is trained with each seed from 0 to 9
    Then the test accuracy of every seed equals that of training with backpropagation

  Scenario: The graph of the tutorial's network
    These are the nodes the Autograd page draws: the forward pass of one
    batch of 32 digits, in the order the operations run, each with its shape.

    Given the tutorial's network for 64 inputs
    And a batch of 32 digits
    When its loss on the batch is recorded as a graph
    Then the graph has these nodes, in the order they are computed:
      | node        | shape    |
      | X           | 32 × 64  |
      | W1          | 64 × 128 |
      | @           | 32 × 128 |
      | b1          | 1 × 128  |
      | +           | 32 × 128 |
      | relu        | 32 × 128 |
      | W2          | 128 × 10 |
      | @           | 32 × 10  |
      | b2          | 1 × 10   |
      | +           | 32 × 10  |
      | log_softmax | 32 × 10  |
      | pick        | 32       |
      | mean        | one      |
      | neg         | one      |
