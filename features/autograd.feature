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
      | mistake                                                        | error        | words                      |
      | running backward from 3 numbers without a starting gradient    | ValueError   | needs a single number      |
      | adding tensors of shapes 2 × 3 and 4                           | ValueError   | (2, 3) and (4,)            |
      | running the same graph backward twice                          | RuntimeError | retain_graph=True          |
      | asking for the gradient of whole numbers                       | TypeError    | floating-point             |
      | a cross-entropy with a label outside the classes               | ValueError   | labels must lie in [0, 10) |

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
