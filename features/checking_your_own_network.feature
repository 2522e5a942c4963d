Feature: Checking your own network
  The tutorial ends by inviting its reader to build a network of their own.
  The scenarios of the tutorial's stages can check that network too: any class
  with the tutorial's constructor (input, hidden and output sizes), the arrays
  W1, b1, W2 and b2, and the methods forward, compute_loss, backward, train and
  predict. `scratchnet check package.module:ClassName` runs those scenarios
  against the class and reports each stage; a teacher can name a whole class
  of students' networks in one command, and gets a report for each of them.
  The project keeps example classes for this in examples/implementations:
  correct ones in several styles, and others that each make one deliberate
  mistake, which the check must catch first at the stage the mistake belongs
  to, saying in plain words what was expected and what the network did. The
  examples are checked the way a teacher would check them, all in one
  command at every stage, once for all the scenarios below.

  Scenario: A class without the tutorial's methods is turned away before any stage runs
    When scratchnet's general Network class is named for checking
    Then it is refused with a TypeError that names compute_loss and train

  Scenario: Away from the specification, the check says where it looked
    When I run `scratchnet check mynet:NeuralNetwork --specs nowhere`
    Then the command fails with exit code 2
    And the error message says to run from a scratchnet checkout or pass --specs

  # The verdicts on the example classes: one check of every example at every stage,
  # shared by the scenarios of this block.

  @slow
  Scenario Outline: A correct network passes every stage, whatever its style (<example>)
    Correct networks differ in ways that change their last digits, not their
    behaviour: each of these passes every stage.

    When the example network "<example>" is checked at every stage
    Then every stage checked passes

    Examples:
      | example         | style                                                                                 |
      | correct         | vectorised, float64, softmax shifted by the row's largest score                       |
      | correct_float32 | every array float32, W2 drawn before W1                                               |
      | correct_loops   | gradients summed row by row, softmax through log-sum-exp, log(p + 1e-8), W2 drawn first |

  @slow
  Scenario Outline: A mistake is reported first at the stage it belongs to (<example>)
    Each example is the correct network with one mistake a learner makes,
    named in its file. The stages run in the tutorial's order and each uses
    only the methods it is about, so the first stage to fail is the one to
    fix first; later stages may fail because of it.

    When the example network "<example>" is checked at every stage
    Then the first stage to fail is <stage>, saying what each scenario expected
    And every stage before it passes

    Examples:
      | example                | stage               |
      | unscaled_weights       | initialisation      |
      | forgotten_bias         | forward propagation |
      | unshifted_softmax      | softmax             |
      | softmax_wrong_axis     | softmax             |
      | summed_loss            | loss                |
      | no_relu_derivative     | backpropagation     |
      | frozen_biases          | backpropagation     |
      | uphill_biases          | backpropagation     |
      | gradients_not_averaged | backpropagation     |
      | unshuffled_train       | training            |
      | labels_apart           | training            |
      | last_batch_dropped     | training            |
      | predict_probabilities  | prediction          |
      | prints_every_epoch     | complete example    |

  @slow
  Scenario Outline: The report says how a gradient step went wrong (<example>)
    When the example network "<example>" is checked at every stage
    Then a failure of the backpropagation stage says "<said>"

    Examples:
      | example                | said                                                           |
      | uphill_biases          | b1 moved the wrong way, uphill                                 |
      | frozen_biases          | b2 did not move at all                                         |
      | gradients_not_averaged | the batch size: is the gradient divided by the number of rows? |

  # End of the block of verdicts on the example classes.

  @slow
  Scenario: A teacher checks several networks in one command, each reported on its own
    When every example network is checked in one command at every stage
    Then the report has one part per example, in the order they were named
    And each part names the stages its example failed:
      | example            | failed stages   |
      | correct            | none            |
      | no_relu_derivative | backpropagation |
      | unshifted_softmax  | softmax         |
      | frozen_biases      | backpropagation |
    And the command fails with exit code 1
