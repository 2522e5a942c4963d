Feature: Prediction
  Once trained, the network answers "which digit is this?" by picking, for
  each picture, the digit it gives the highest probability. It can also show
  all ten probabilities for a picture, which tell how sure it is. Predicting
  changes nothing inside the network, so the same pictures always get the same
  answers.

  These scenarios ask the tutorial's NeuralNetwork itself, through its own
  predict: scratchnet's, holding the weights of scratchnet's run with seed 0,
  or another class, trained by the check's loop as in the training stage;
  the last scenario asks scratchnet's general network, which the tutorial's
  class is built on.
  For another class, the sum of a row's probabilities may also be off by 4
  units in the last place of the number type it computes in, times ten plus
  the size of the largest score it gave.

  Background:
    Given the tutorial's NeuralNetwork trained with the tutorial's settings and seed 0
    And a batch of 100 digits

  @tutorial
  Scenario: The predicted digit is the most probable one
    When the network predicts a digit for every row of the batch
    And the network gives its probabilities for the batch
    Then each predicted digit is the one with the highest probability in its row

  @tutorial
  Scenario: One digit from 0 to 9 for every row
    When the network predicts a digit for every row of the batch
    Then there is one prediction for each of the 100 rows
    And every prediction is a whole number from 0 to 9

  @tutorial
  Scenario: Predicting twice gives the same answers
    When the network predicts a digit for every row of the batch
    And the network predicts the same batch again
    Then both sets of predictions are identical

  @tutorial
  Scenario: Each row of predicted probabilities sums to one
    When the network gives its probabilities for the batch
    Then every row of probabilities sums to 1 within 1e-14
    And every probability is between 0 and 1

  Scenario: scratchnet's general network, trained the same way, predicts the most probable digit too
    Given a network trained with the tutorial's settings and seed 0
    When the network predicts a digit for every row of the batch
    And the network gives its probabilities for the batch
    Then each predicted digit is the one with the highest probability in its row
    And there is one prediction for each of the 100 rows
    And every row of probabilities sums to 1 within 1e-14
