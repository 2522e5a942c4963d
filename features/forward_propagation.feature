@tutorial
Feature: Forward propagation
  Forward propagation is how the network turns pictures into guesses. Each row
  of 64 pixel values is multiplied by the weights W1 and shifted by the biases
  b1, giving Z1. ReLU then replaces every negative number with zero, giving the
  hidden activations A1. These are multiplied by W2 and shifted by b2, giving
  ten scores per row (Z2), and softmax turns the scores into ten probabilities
  (A2). A whole batch of rows goes through at once, as one matrix.

  Background:
    Given the tutorial's NeuralNetwork for 64 inputs with seed 0

  Scenario Outline: Every row that goes in gets ten probabilities back
    Given a batch of <rows> digits
    When the batch goes forward through the network
    Then the output has shape <rows> x 10

    Examples:
      | rows |
      | 1    |
      | 7    |
      | 32   |
      | 360  |

  Scenario: The network keeps every intermediate result
    Given a batch of 32 digits
    When the batch goes forward through the network
    Then it keeps Z1 and A1 with shape 32 x 128
    And it keeps Z2 and A2 with shape 32 x 10

  Scenario: Hidden activations are never negative after ReLU
    Given a batch of 100 digits
    When the batch goes forward through the network
    Then every hidden activation is zero or more

  Scenario: Hidden activations are never negative, whatever the input
    When any batch of 1 to 50 rows with inputs between -1000 and 1000 goes forward
    Then every hidden activation is zero or more, for every such batch

  Scenario: Each layer is a matrix product plus a bias
    The biases start at zero, so here they are first set to random values:
    a layer that forgot its bias would otherwise go unnoticed. The expected
    values are sums of products written out entry by entry; they add in
    another order than a matrix product does, hence the tolerance. A class
    that computes in another number type, float32 say, is held to the
    rounding bound of such a sum instead, when that is larger: 4 units in the
    last place of its type, times the terms added plus two, times the sum of
    the terms' sizes.

    Given a batch of 16 digits
    And the network's biases b1 and b2 drawn from a standard normal distribution with seed 1
    When the batch goes forward through the network
    Then Z1 equals the batch times W1 plus b1, within 1e-12
    And A1 equals Z1 with every negative entry replaced by zero
    And Z2 equals A1 times W2 plus b2, within 1e-12
