Feature: Initialisation
  Before it has seen a single digit, the network needs numbers to start from.
  The tutorial's network has two layers of weights: W1 connects every input
  pixel to each of 128 hidden units, and W2 connects those hidden units to the
  10 digit classes. Each layer also has one bias per unit (b1 and b2).
  The weights start as small random numbers, normal values scaled by 0.01, so
  that no two hidden units begin alike; the biases start at zero. A seed makes
  the random start repeatable.

  @tutorial
  Scenario Outline: The parameters have the tutorial's shapes
    Given the tutorial's network for <inputs> inputs
    Then W1 has shape <inputs> x 128
    And b1 has shape 1 x 128
    And W2 has shape 128 x 10
    And b2 has shape 1 x 10

    Examples:
      | inputs |
      | 64     |
      | 784    |

  @tutorial
  Scenario Outline: The starting weights are small, spread about 0.01
    Given the tutorial's network for <inputs> inputs with each seed from 0 to 49
    Then the standard deviation of W1 is within 0.001 of 0.01 for every seed
    And the standard deviation of W2 is within 0.001 of 0.01 for every seed

    Examples:
      | inputs |
      | 64     |
      | 784    |

  @tutorial
  Scenario Outline: The starting weights are centred on zero
    The mean of n normal values with spread 0.01 strays by about 0.01/√n:
    over seeds 0 to 49, measured at most 0.00025 for W1 (8,192 or 100,352
    values) and 0.00077 for W2 (1,280 values). The bounds leave a margin of
    about a third; a start shifted by a fifth of its spread fails them.

    Given the tutorial's network for <inputs> inputs with each seed from 0 to 49
    Then the mean of W1 is within 0.0005 of 0 for every seed
    And the mean of W2 is within 0.001 of 0 for every seed

    Examples:
      | inputs |
      | 64     |
      | 784    |

  @tutorial
  Scenario: The biases start at zero
    Given the tutorial's network for 64 inputs with each seed from 0 to 9
    Then every entry of b1 and b2 is zero for every seed

  @tutorial
  Scenario: Different seeds give different starting weights
    Given two tutorial networks for 64 inputs, built with seeds 1 and 2
    Then their weights differ

  @tutorial
  Scenario: The same seed gives the same starting weights
    Given two tutorial networks for 64 inputs, built with seeds 7 and 7
    Then their weights are identical

  Scenario: The tutorial's NeuralNetwork starts from the same weights as scratchnet's general network
    Given the tutorial's NeuralNetwork for 64 inputs with seed 3
    And the tutorial's network for 64 inputs with seed 3
    Then both hold identical W1, b1, W2 and b2

  Scenario: Built without arguments, the tutorial's NeuralNetwork is 784 → 128 → 10 from seed 0
    Given the tutorial's NeuralNetwork built without arguments
    And the tutorial's network for 784 inputs with seed 0
    Then both hold identical W1, b1, W2 and b2

  Scenario: Built without a seed, a network starts from seed 0's weights, its sizes a list or a NumPy array
    Given a 64 → 16 → 10 network built without a seed
    And a 64 → 16 → 10 network built from sizes given as a NumPy array, seed 0
    Then both networks hold identical weights and biases

  Scenario: Each dense layer can start its own way
    Given a 64 → 16 → 10 network whose dense layers start with he and xavier, seed 0
    Then its dense layers report the starts he and xavier

  Scenario Outline: A network without hidden layers, a single dense layer, is stored as <number type>
    Given a 64 → 10 network without hidden layers, stored as <number type>
    Then every parameter is stored as <number type>

    Examples:
      | number type |
      | float32     |
      | float64     |

  Scenario Outline: The number type can be chosen
    Given the tutorial's network for 64 inputs stored as <number type>
    And a batch of 20 digits
    When the network gives its probabilities for the batch
    Then every parameter is stored as <number type>
    And the probabilities are <number type> too

    Examples:
      | number type |
      | float32     |
      | float64     |

  Scenario: Xavier's start is uniform within ±√(6 / (fan-in + fan-out))
    A uniform spread over ±a has standard deviation a / √3, here
    √(2 / (fan-in + fan-out)). Measured over seeds 0 to 9, the standard
    deviations of W1 and W2 are within 2.2% of it; checked to 4%.

    Given a 64 → 128 → 10 network with Xavier's start, for each seed from 0 to 9
    Then every weight lies within ±√(6 / (fan-in + fan-out)), for every seed
    And the standard deviation of each weight matrix is within 4% of √(2 / (fan-in + fan-out)), for every seed

  Scenario: A dense layer built without naming a start starts as the tutorial's
    Given a dense layer from 64 to 16 units built with seed 5, without naming a start
    Then its weights are 0.01 times standard normal values drawn with seed 5
    And its biases are zero

  Scenario Outline: A dense layer on its own stores its weights and biases as <number type>
    Given a dense layer from 64 to 16 units built with seed 5, stored as <number type>
    Then its weights and biases are stored as <number type>

    Examples:
      | number type |
      | float32     |
      | float64     |
