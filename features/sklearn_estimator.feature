Feature: scratchnet as a scikit-learn estimator
  ScratchNetClassifier puts scratchnet's network behind scikit-learn's
  estimator interface, with MLPClassifier's parameter names, so that it fits
  in a Pipeline, a grid search or a cross-validation like any scikit-learn
  classifier. scikit-learn's own estimator checks run against it in
  steps/test_sklearn_estimator_checks.py; the scenarios here state what a
  user relies on. Unless a scenario says otherwise the classifier has 32
  hidden units and trains with Adam at learning rate 0.01 for 5 epochs, on
  the digits split with seed 0.

  Scenario: Importing scratchnet loads NumPy and none of scikit-learn, SciPy or matplotlib
    The core needs only NumPy; the estimator, the data loaders and the plots
    import the rest when they are used. scikit-learn and SciPy come with the
    test dependencies, so their absence means scratchnet did not ask for them;
    matplotlib comes with the docs' (without it, a core module that imported
    it would fail every scenario).

    When a fresh Python process imports scratchnet
    Then NumPy is among its loaded modules
    And none of sklearn, scipy and matplotlib is
    And sklearn and scipy are installed, so their absence is scratchnet's doing

  Scenario: The documentation's grid search runs
    When the grid-search example from the documentation is run
    Then it tried 4 settings, each on 3 folds
    And the best settings have 128 hidden units and alpha 0
    And the best cross-validated accuracy is above 95%
    And it reports a test accuracy above 96%

  Scenario: Cross-validation of a scaling pipeline (seeds 0 to 2)
    When a pipeline of StandardScaler and the classifier is cross-validated on the digits in 3 folds with each seed from 0 to 2
    Then every fold's accuracy is above 90%

  Scenario: A pickled classifier predicts the same after unpickling
    Given the classifier trained with seed 0
    When it is pickled and unpickled
    Then the copy gives exactly the same class probabilities

  Scenario Outline: Labels come back as they were given (<labels>)
    Given the classifier trained with seed 0
    When a classifier with the same settings is trained on the same digits labelled <labels>
    Then its classes are the labels of the digits 0 to 9, in that order
    And it predicts the same digits, in those labels

    Examples:
      | labels                    |
      | 7, 17, ..., 97            |
      | "digit 0" to "digit 9"    |

  Scenario: Writing into the weight arrays changes what the classifier predicts
    Given the classifier trained with seed 0
    When zeros are written into every array of coefs_ and intercepts_
    Then every class gets probability 0.1 for every test digit

  Scenario: Weights assigned from another classifier are the ones it predicts with
    Given the classifier trained with seed 0
    When a classifier trained with seed 1 is given new lists of copies of those weights
    Then both give exactly the same class probabilities

  Scenario: warm_start continues from where the last fit ended (plain SGD)
    Given the classifier set to plain SGD at learning rate 0.01
    When it is trained for 3 epochs with seed 0 and then for 2 more with warm_start
    Then its weights are exactly those of 5 epochs in one fit
    And both have the same loss curve

  Scenario: One partial_fit per epoch follows fit epoch for epoch (Adam)
    When the classifier is trained once for 5 epochs and once by 5 calls of partial_fit, both with seed 0
    Then both end at exactly the same weights
    And both have the same loss curve

  Scenario: partial_fit needs the classes on its first call
    When partial_fit is first called without classes
    Then it is refused with a ValueError that names "classes"

  Scenario: float32 is float32 end to end (seeds 0 to 2)
    When the classifier is trained with dtype float32 and with float64, with each seed from 0 to 2
    Then the float32 weights, biases and probabilities are all float32
    And the two loss curves agree to within 2e-7
    And the two give the same class probabilities to within 5e-6
