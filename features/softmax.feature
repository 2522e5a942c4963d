Feature: Softmax
  The network's last layer gives ten raw scores per row, any real numbers.
  Softmax turns each row of scores into probabilities: it raises e to the power
  of every score and divides by the row's total, so every probability is
  positive and each row adds up to one. A larger score always gets a larger
  share. Only the differences between scores matter, so subtracting a row's
  largest score first changes nothing, and that trick keeps e to the power of
  1000 from overflowing.

  scratchnet's own softmax is held to the tolerances written below. Another
  class may compute softmax another way (through log-sum-exp, say) or in
  another number type (float32): for it each tolerance is widened, never
  narrowed, to 4 units in the last place of that number type times the size
  of the numbers involved (the number of scores in a row plus the size of
  the largest score), since rounding at that size is all that can tell two
  correct softmaxes apart.

  @tutorial
  Scenario: Every row of probabilities sums to one
    When softmax is applied to any batch of scores between -1000 and 1000
    Then every row sums to 1 within 1e-14, for every such batch

  @tutorial
  Scenario: Every probability lies between 0 and 1
    When softmax is applied to any batch of scores between -1000 and 1000
    Then every probability lies between 0 and 1, for every such batch

  @tutorial
  Scenario: Adding the same number to every score of a row changes nothing
    When softmax is applied to any batch of scores between -100 and 100
    Then adding any number between -1000 and 1000 to all scores of a row moves none of its probabilities by more than 1e-12

  @tutorial
  Scenario: A larger score never gets a smaller probability
    When softmax is applied to any batch of scores between -1000 and 1000
    Then within each row a larger score never gets a smaller probability
    And the largest score of each row gets the row's largest probability

  @tutorial
  Scenario Outline: Huge scores neither overflow nor raise warnings
    Given the scores <scores>
    When softmax turns the scores into probabilities
    Then every probability is a finite number
    And no warning was raised
    And the probabilities are <probabilities>, within 1e-12

    Examples:
      | scores                  | probabilities       |
      | 1000 0 -1000            | 1 0 0               |
      | 1000 1000 -1000         | 0.5 0.5 0           |
      | -1000 -1000 -1000 -1000 | 0.25 0.25 0.25 0.25 |
      | -1000 1000              | 0 1                 |

  @tutorial
  Scenario Outline: Ten equal scores give each digit a one-in-ten chance
    scratchnet's softmax gives 0.1 exactly. A correct softmax through
    log-sum-exp gives 0.09999999999999998 for scores of 0, and rounds at the
    size of the scores for scores of 1000: for another class "exactly" means
    to within 4 units in the last place of its number type, times 0.1, times
    ten plus the size of the scores.

    Given ten scores all equal to <score>
    When softmax turns the scores into probabilities
    Then every probability is exactly 0.1

    Examples:
      | score |
      | 0     |
      | 3.5   |
      | -1000 |
      | 1000  |

  Scenario Outline: The tutorial's NeuralNetwork has the same softmax, in double precision for <dtype> scores
    Given the tutorial's NeuralNetwork for 64 inputs with seed 0
    And the scores 1000 1000 -1000
    When the network's own softmax turns the scores, given in <dtype>, into probabilities
    Then the probabilities are 0.5 0.5 0, within 1e-12
    And the probabilities are stored in float64

    Examples:
      | dtype   |
      | float64 |
      | float32 |
