Feature: Agreement with an independent implementation
  scikit-learn's MLPClassifier is a second, independently written network of
  the same kind: hidden layers, softmax output, mean cross-entropy loss,
  mini-batch gradient descent. Given the same starting weights and the same
  batches in the same order, both must compute the same numbers. If
  scratchnet's forward pass, gradients, L2 term or update rules were wrong
  anywhere, the two would drift apart.

  The later scenarios go through ScratchNetClassifier, scratchnet's own
  scikit-learn estimator, trained by its fit method in full batches or in
  batches of 48 rows (320 = 6 × 48 + 32, so the last batch of each epoch
  is smaller), always in the rows' given order.

  Background:
    Given a batch of 320 digits

  Scenario Outline: Both give the same class probabilities for the same weights (seed <seed>)
    Given scikit-learn's MLPClassifier set to plain gradient descent at learning rate 0.01 in batches of 32
    And the tutorial's network for 64 inputs with seed <seed>
    And scikit-learn's network starts from the same weights
    Then both give the same class probabilities to within 1e-12

    Examples:
      | seed |
      | 0    |
      | 1    |
      | 2    |

  Scenario Outline: One epoch of mini-batch gradient descent ends at the same weights (seed <seed>)
    Given scikit-learn's MLPClassifier set to plain gradient descent at learning rate 0.01 in batches of 32
    And the tutorial's network for 64 inputs with seed <seed>
    And scikit-learn's network starts from the same weights
    When both train for one epoch on the same batches in the same order
    Then every weight and bias agrees to within 1e-12
    And both give the same class probabilities to within 1e-12

    Examples:
      | seed |
      | 0    |
      | 1    |
      | 2    |

  Scenario Outline: Whole epochs of training follow MLPClassifier, a smaller last batch included (seed <seed>)
    Training here is scratchnet's own loop, rows in their given order, in
    batches of 48: 320 = 6 × 48 + 32, so each epoch ends on a batch of 32.

    Given scikit-learn's MLPClassifier set to plain gradient descent at learning rate 0.01 in batches of 48
    And the tutorial's network for 64 inputs with seed <seed>
    And scikit-learn's network starts from the same weights
    When both train for 3 epochs on the rows in their given order
    Then every weight and bias agrees to within 1e-12
    And the training loss of every epoch agrees with MLPClassifier's loss curve to within 1e-12

    Examples:
      | seed |
      | 0    |
      | 1    |

  Scenario: One epoch of training moves every weight matrix and every bias vector (seed 0)
    Given the tutorial's network for 64 inputs with seed 0
    When it trains for one epoch by plain gradient descent at learning rate 0.01 in batches of 48, rows in their given order
    Then every weight matrix and every bias vector has changed

  Scenario Outline: The classifier's probabilities are MLPClassifier's for the same weights (<activation>, seed <seed>)
    Given the tutorial's network for 64 inputs with seed <seed>
    And ScratchNetClassifier and MLPClassifier with <activation> hidden units trained by plain SGD at learning rate 0.01
    And both classifiers start from the network's weights
    Then both classifiers give the same class probabilities to within 1e-16

    Examples:
      | activation | seed |
      | relu       | 0    |
      | tanh       | 1    |
      | logistic   | 2    |
      | identity   | 0    |

  Scenario Outline: The classifier's loss is scikit-learn's log loss plus alpha's L2 term (alpha <alpha>)
    Given the tutorial's network for 64 inputs with seed 0
    And ScratchNetClassifier and MLPClassifier with tanh hidden units trained by plain SGD at learning rate 0.01
    And both train in batches of 320 rows with alpha <alpha>
    And both classifiers start from the network's weights
    When both train for 1 epoch
    Then the classifier's first loss is log_loss of the starting probabilities plus alpha/2 · ΣW² / 320, to within 1e-15
    And both loss curves agree to within 1e-15

    Examples:
      | alpha |
      | 0     |
      | 0.1   |
      | 10    |

  Scenario Outline: Training from the same weights follows MLPClassifier epoch after epoch (<activation>, <optimiser>, batches of <rows>)
    Given the tutorial's network for 64 inputs with seed <seed>
    And ScratchNetClassifier and MLPClassifier with <activation> hidden units trained by <optimiser> at learning rate 0.01
    And both train in batches of <rows> rows with alpha <alpha>
    And both classifiers start from the network's weights
    When both train for 10 epochs
    Then after every epoch every weight and bias agrees to within <tolerance>
    And both loss curves agree to within 2e-15

    Examples:
      | activation | optimiser                      | rows | alpha | seed | tolerance |
      | relu       | plain SGD                      | 320  | 0     | 0    | 1e-16     |
      | relu       | momentum 0.9                   | 320  | 0     | 1    | 1e-16     |
      | relu       | Nesterov momentum 0.9          | 320  | 0     | 2    | 1e-16     |
      | relu       | Adam with epsilon 1e-30        | 320  | 0     | 0    | 1e-15     |
      | tanh       | plain SGD                      | 320  | 0.1   | 1    | 1e-16     |
      | tanh       | momentum 0.9                   | 320  | 0.1   | 2    | 1e-16     |
      | tanh       | Nesterov momentum 0.9          | 320  | 0.1   | 0    | 1e-16     |
      | tanh       | Adam with epsilon 1e-30        | 320  | 0.1   | 1    | 1e-15     |
      | logistic   | Nesterov momentum 0.9          | 48   | 0.1   | 2    | 1e-16     |
      | relu       | Adam with epsilon 1e-30        | 48   | 0.1   | 0    | 1e-15     |

  Scenario Outline: Adam's epsilon sits elsewhere in scikit-learn (<activation>, seed <seed>)
    scikit-learn adds epsilon to √v before the bias correction, scratchnet to
    √v̂ after it. With the default epsilon 1e-8 that changes the steps of the
    weights whose gradients are near zero, and the two drift apart; with
    epsilon 1e-30 they agree (scenario above).

    Given the tutorial's network for 64 inputs with seed <seed>
    And ScratchNetClassifier and MLPClassifier with <activation> hidden units trained by Adam with epsilon 1e-08 at learning rate 0.01
    And both train in batches of 320 rows with alpha 0
    And both classifiers start from the network's weights
    When both train for 10 epochs
    Then after every epoch the largest gap in any weight or bias is between 0.005 and 0.03

    Examples:
      | activation | seed |
      | relu       | 0    |
      | tanh       | 1    |
