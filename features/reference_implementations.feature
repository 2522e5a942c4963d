Feature: Agreement with an independent implementation
  scikit-learn's MLPClassifier is a second, independently written network of
  the same kind: ReLU hidden layer, softmax output, mean cross-entropy loss,
  plain mini-batch gradient descent. Given the same starting weights and the
  same batches in the same order, both must compute the same numbers. If
  scratchnet's forward pass, gradients or update rule were wrong anywhere,
  the two would drift apart.

  Background:
    Given a batch of 320 digits
    And scikit-learn's MLPClassifier set to plain gradient descent at learning rate 0.01 in batches of 32

  Scenario Outline: Both give the same class probabilities for the same weights (seed <seed>)
    Given the tutorial's network for 64 inputs with seed <seed>
    And scikit-learn's network starts from the same weights
    Then both give the same class probabilities to within 1e-12

    Examples:
      | seed |
      | 0    |
      | 1    |
      | 2    |

  Scenario Outline: One epoch of mini-batch gradient descent ends at the same weights (seed <seed>)
    Given the tutorial's network for 64 inputs with seed <seed>
    And scikit-learn's network starts from the same weights
    When both train for one epoch on the same batches in the same order
    Then every weight and bias agrees to within 1e-12
    And both give the same class probabilities to within 1e-12

    Examples:
      | seed |
      | 0    |
      | 1    |
      | 2    |
