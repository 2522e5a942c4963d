Feature: Complete example
  The tutorial ends with one script that does everything: load the digits,
  set a fifth aside for testing, standardise the pixels, turn the labels into
  one-hot rows, build the network with 64 inputs, 128 hidden units and 10
  outputs, train it for 100 epochs in batches of 32, and print its accuracy
  on the test images. The project's version of that script is
  docs/examples/complete_example.py, shown in the documentation exactly as
  these scenarios run it; it takes the seed as its one argument.

  When another class with the tutorial's API is checked, the script is the
  class's own train for 100 epochs in batches of 32 on the same digits,
  then its own predict on the test images. Such a class is run with the
  first three seeds a scenario names (0 to 2), not all ten: each seed is a
  run of 100 epochs of its own, about a second, and a check should take
  seconds per class.

  @tutorial @slow
  Scenario: The complete example is more than 94% accurate with every seed
    Measured over seeds 0 to 9: 95.00% to 98.89%.

    When the complete example is run with each seed from 0 to 9
    Then every run reports a test accuracy above 94%

  @tutorial
  Scenario: The complete example prints its progress in the tutorial's format
    When the complete example is run with seed 0
    Then every run prints "Epoch N, Loss: x.xxxx" for every 10th epoch from 0 to 90, in that order
    And every run prints "Test Accuracy: xx.xx%" as its last line

  @tutorial @slow
  Scenario: The first loss printed is near ln 10, as in the tutorial
    The tutorial's output starts at 2.3026, which is ln 10: the loss of a
    network that gives every digit the same chance. During the first epoch
    the tiny starting weights barely move, so the loss is still close to it.
    Over seeds 0 to 9, scratchnet's loss of epoch 0 (the mean of its
    mini-batches) is at most 0.0048 from ln 10; a class that prints the whole
    training set's loss after epoch 0, as the tutorial's does, at most 0.0092
    (the project's correct example class). Checked to 0.012.

    When the complete example is run with each seed from 0 to 9
    Then every run's loss at epoch 0 is within 0.012 of ln 10

  Scenario: Nothing about the test images leaks into training (seed 0)
    The script standardises the pixels with the training images' statistics
    only. So replacing every test image by random grey levels must leave
    every loss printed during training exactly as it was, while the test
    accuracy falls to about chance (measured 7.78%; one digit in ten is 10%).

    When the complete example is run with seed 0, once on the digits and once with every test image replaced by noise
    Then both runs print the same losses during training, digit for digit
    And the run on noise scores below 15% on its test images

  @slow
  Scenario: `scratchnet train` with its default settings is more than 94% accurate with every seed
    Measured over seeds 0 to 9: 95.0% to 98.9%.

    Given the settings `scratchnet train` uses when given no options
    When the network is trained with each seed from 0 to 9
    Then the test accuracy exceeds 94% for every seed
