Feature: Checking your own network
  The tutorial ends by inviting its reader to build a network of their own.
  The scenarios of the tutorial's stages can check that network too: any class
  with the tutorial's constructor (input, hidden and output sizes), the arrays
  W1, b1, W2 and b2, and the methods forward, compute_loss, backward, train and
  predict. `scratchnet check package.module:ClassName` runs those scenarios
  against the class and reports each stage; a teacher can name a whole class
  of students' networks in one command, and gets a report for each of them.
  The project keeps example classes for this in examples/implementations: one
  correct, and others that each make one deliberate mistake, which the check
  must catch at the stage the mistake belongs to, saying in plain words what
  was expected and what the network did. The examples are checked the way a
  teacher would check them, all in one command, once for all the scenarios
  below; that command checks the stages from initialisation to
  backpropagation, the ones that take seconds rather than minutes.

  Scenario: A class without the tutorial's methods is turned away before any stage runs
    When scratchnet's general Network class is named for checking
    Then it is refused with a TypeError that names compute_loss and train

  Scenario: Away from the specification, the check says where it looked
    When I run `scratchnet check mynet:NeuralNetwork --specs nowhere`
    Then the command fails with exit code 2
    And the error message says to run from a scratchnet checkout or pass --specs

  @slow
  Scenario: The correct example passes every stage it is checked at
    When the example network "correct" is checked from initialisation to backpropagation
    Then every stage checked passes

  @slow
  Scenario Outline: A mistake is caught at the stage it belongs to
    When the example network "<example>" is checked from initialisation to backpropagation
    Then the <stage> stage fails, saying what each scenario expected
    And every other stage checked passes

    Examples:
      | example            | stage           |
      | no_relu_derivative | backpropagation |
      | unshifted_softmax  | softmax         |
      | frozen_biases      | backpropagation |

  @slow
  Scenario: A teacher checks several networks in one command, each reported on its own
    When every example network is checked in one command from initialisation to backpropagation
    Then the report has one part per example, in the order they were named
    And each part names the stages its example failed:
      | example            | failed stages   |
      | correct            | none            |
      | no_relu_derivative | backpropagation |
      | unshifted_softmax  | softmax         |
      | frozen_biases      | backpropagation |
    And the command fails with exit code 1
