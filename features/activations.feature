Feature: Activation functions
  Between two layers of weights sits an activation function, applied to each
  number on its own. It is what lets a network bend: ReLU keeps positive values
  and zeroes the rest, leaky ReLU lets 1% of a negative value through, sigmoid
  squeezes any number into (0, 1), tanh into (−1, 1), and identity changes
  nothing. Backpropagation needs each one's slope (its derivative) at the
  values the forward pass saw; sigmoid's is s·(1 − s) and tanh's is 1 − t²,
  both computed from the output. ReLU and leaky ReLU have a kink at 0 with no
  single slope there, so the finite-difference check uses points that avoid it;
  at 0 itself they take the slope from the left (0, and leaky ReLU's 0.01), as
  the tutorial's `Z1 > 0` does.
  Softmax, the output layer's activation, has its own feature.

  Scenario Outline: <activation> at z = <z>, worked by hand
    When <activation> is applied to <z>
    Then the value is <value> and the slope is <slope>, to within 1e-9

    Examples:
      | activation | z    | value | slope  |
      | relu       | 2    | 2     | 1      |
      | relu       | -3   | 0     | 0      |
      | relu       | 0    | 0     | 0      |
      | leaky_relu | 2    | 2     | 1      |
      | leaky_relu | 0.5  | 0.5   | 1      |
      | leaky_relu | -3   | -0.03 | 0.01   |
      | leaky_relu | 0    | 0     | 0.01   |
      | sigmoid    | 0    | 0.5   | 0.25   |
      | sigmoid    | ln 3 | 0.75  | 0.1875 |
      | tanh       | 0    | 0     | 1      |
      | tanh       | ln 2 | 0.6   | 0.64   |
      | identity   | -3   | -3    | 1      |

  Scenario Outline: The slope of <activation> is its derivative
    When the slope of <activation> is taken at 1000 evenly spaced points from -5 to 5
    Then it matches central finite differences with step 1e-6 to within 1e-8

    Examples:
      | activation |
      | relu       |
      | leaky_relu |
      | sigmoid    |
      | tanh       |
      | identity   |

  Scenario Outline: <activation> stays finite at ±1000, without overflow warnings
    When <activation> is applied to -1000 and 1000 with every floating-point warning an error
    Then the values are <low> and <high>
    And both slopes are 0

    Examples:
      | activation | low | high |
      | sigmoid    | 0   | 1    |
      | tanh       | -1  | 1    |
