Feature: Loss
  To learn, the network needs a single number that says how wrong it is.
  Cross-entropy looks only at the probability the network gave to the true
  digit and takes minus its natural logarithm: close to 0 when the network was
  sure and right, large when it gave the true digit almost no chance. The loss
  of a batch is the mean over its rows. A network that has learned nothing
  spreads its bets evenly, one tenth per digit, and so scores about
  ln 10 ≈ 2.303.

  scratchnet's own loss is held to the tolerances written below. Another
  class may keep log(0) finite by adding a small ε inside the log, or by
  clipping the probabilities to ε, with ε at most 1e-7 (a common choice):
  its loss may then be up to about ε/p lower for a true digit given
  probability p. For it each tolerance is widened, never narrowed, by that
  much, and to 4 units in the last place of the number type it computes in,
  times the rows averaged and the size of the loss.

  @tutorial
  Scenario: An untrained network scores about ln 10 on the digits
    Given the tutorial's network for 64 inputs with each seed from 0 to 19
    And the training digits
    Then the cross-entropy of every one of those networks is within 0.005 of ln 10

  @tutorial
  Scenario Outline: Being sure costs little when right and a lot when wrong
    Given 50 predictions that give <which digit> a probability of 0.99, sharing the rest evenly
    When the cross-entropy is computed
    Then the loss is <below or above> <bound>

    Examples:
      | which digit     | below or above | bound |
      | the true digit  | below          | 0.011 |
      | one wrong digit | above          | 6.5   |

  Scenario Outline: A probability of exactly zero for the true digit still gives a finite loss
    A network that adds ε inside the log, or clips the probabilities to ε,
    scores -ln(ε) for a true digit given no chance: at least 16.1 for an ε
    of at most 1e-7. scratchnet's own loss is held to more.

    Given 50 predictions that give the true digit a probability of 0, sharing the rest evenly
    When the cross-entropy is computed
    Then the loss is a finite number
    And the loss is above <bound>

    @tutorial
    Examples: any network with an ε of at most 1e-7
      | bound |
      | 16    |

    Examples: scratchnet's own
      | bound |
      | 20    |

  Scenario Outline: For one row the loss is minus the log of the true digit's probability
    Given 1 prediction that gives the true digit a probability of <p>, sharing the rest evenly
    When the cross-entropy is computed
    Then the loss equals -ln(<p>) within 1e-12

    @tutorial
    Examples:
      | p     |
      | 0.9   |
      | 0.5   |
      | 0.1   |
      | 0.001 |

    Examples: certainty, checked for scratchnet only (the tutorial caps probabilities at 1 − 1e-10)
      | p |
      | 1 |

  @tutorial
  Scenario: The loss agrees with scikit-learn's log loss
    Given 200 random rows of probabilities and true digits for each seed from 0 to 4
    Then the cross-entropy equals scikit-learn's log loss within 1e-12 for every seed

  @tutorial
  Scenario: The tutorial's NeuralNetwork scores its own predictions against one-hot digits
    Given the tutorial's NeuralNetwork for 64 inputs with seed 0
    And a batch of 100 digits
    When the network's loss is computed from its predictions for the batch and the one-hot true digits
    Then the loss is the mean over the rows of minus the log of the true digit's probability, within 1e-12

  Scenario: The tutorial's NeuralNetwork accepts probabilities of exactly 0 and 1
    Given the tutorial's NeuralNetwork for 64 inputs with seed 0
    When the network scores 5 predictions that give each true digit a probability of 1 and every other digit 0
    Then the loss equals -ln(1) within 1e-12

  Scenario Outline: The loss taken straight from huge scores is finite, without an overflow
    Training computes the loss from the network's scores in one pass with
    softmax. Scores so far apart that their difference overflows still give
    the exact loss, and no overflow is reported: 0 when the far larger score
    is the true digit's, and when it is not, -ln(1e-12), scratchnet's floor
    for a probability of 0.

    When the loss is computed straight from the scores <scores> for the true digit <digit>
    Then the loss is a finite number
    And the loss equals -ln(<p>) within 1e-12

    Examples:
      | scores       | digit | p     |
      | 1e308 -1e308 | 0     | 1     |
      | 1e308 -1e308 | 1     | 1e-12 |
