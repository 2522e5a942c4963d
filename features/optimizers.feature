Feature: Optimisers
  An optimiser turns gradients into steps. Plain gradient descent moves each
  parameter θ against its gradient g, scaled by the learning rate η:
  θ ← θ − η·g. Momentum keeps a velocity that remembers earlier steps
  (scikit-learn's form: v ← μ·v − η·g, then θ ← θ + v), so a steady gradient
  builds up speed; Nesterov momentum steps as if it had already taken the next
  velocity step (θ ← θ + μ·v − η·g). Adam keeps running averages of g and g²,
  corrects them for starting at zero, and divides one by the square root of the
  other, so its step has roughly the size of η whatever the scale of g.

  The tables were worked out by hand. For example, momentum with η = 0.1,
  μ = 0.9 and g = 0.5 twice: v = −0.05, then 0.9 × −0.05 − 0.05 = −0.095,
  so θ goes 1 → 0.95 → 0.855.

  scikit-learn's MLP has its own optimisers, written independently. Its Adam
  folds the bias correction into the step size and adds ε to √v instead of to
  the corrected √v̂; the two formulas coincide when scikit-learn's ε is
  ε·√(1 − β₂ᵗ) at step t, so the comparison gives it that.

  Scenario Outline: Plain gradient descent steps against the gradient (θ = <theta>, g = <gradient>)
    Given a parameter at <theta>
    When plain gradient descent with learning rate <learning rate> steps with gradients <gradient>
    Then the parameter is <after> to within 1e-12

    Examples:
      | theta | gradient | learning rate | after |
      | 1.0   | 0.5      | 0.1           | 0.95  |
      | -2.0  | -4.0     | 0.25          | -1.0  |
      | 0.0   | 3.0      | 0.01          | -0.03 |

  Scenario Outline: Two steps of <method> with μ = <momentum>, worked by hand
    Given a parameter at 1.0
    When <method> with learning rate 0.1 and momentum <momentum> steps with gradients <gradients>
    Then the parameter is <after first> after the first step and <after second> after the second, to within 1e-12

    Examples:
      | method             | momentum | gradients | after first | after second |
      | classical momentum | 0.9      | 0.5, 0.5  | 0.95        | 0.855        |
      | Nesterov momentum  | 0.9      | 0.5, 0.5  | 0.905       | 0.7695       |
      | classical momentum | 0.5      | 0.5, -0.5 | 0.95        | 0.975        |
      | Nesterov momentum  | 0.5      | 0.5, -0.5 | 0.925       | 0.9875       |

  Scenario Outline: Adam's first step has the size of the learning rate, whatever the gradient (g = <gradient>)
    Given a parameter at 1.0
    When Adam with learning rate <learning rate> and betas 0.9 and 0.999 steps with gradients <gradient>
    Then the parameter is <after> to within 1e-6

    Examples:
      | learning rate | gradient | after |
      | 0.1           | 0.5      | 0.9   |
      | 0.1           | -20      | 1.1   |
      | 0.001         | 0.003    | 0.999 |

  Scenario Outline: Later Adam steps, worked by hand (β₁ = <beta1>, β₂ = <beta2>, g = <gradients>)
    Given a parameter at 1.0
    When Adam with learning rate 0.1 and betas <beta1> and <beta2> steps with gradients <gradients>
    Then the parameter is <after> to within 1e-6

    Examples:
      | beta1 | beta2 | gradients     | after    |
      | 0.75  | 0.75  | 3, -0.5       | 0.85     |
      | 0.5   | 0.5   | 1, -1         | 0.933333 |
      | 0.9   | 0.999 | 0.5, 0.5, 0.5 | 0.7      |

  Scenario Outline: <method> agrees with scikit-learn's optimiser step for step
    Given three parameter arrays and 20 steps of random gradients for each seed from 0 to 4
    When scratchnet's and scikit-learn's <method> take the same steps
    Then the parameters agree to within 1e-12 after every step, for every seed

    Examples:
      | method                 |
      | plain gradient descent |
      | classical momentum     |
      | Nesterov momentum      |
      | Adam                   |

  Scenario Outline: An impossible <argument> for <method> is refused (<value>)
    When <method> is set up with <argument> <value>
    Then it is refused with a ValueError that names "<argument>"

    Examples:
      | method                 | argument      | value |
      | plain gradient descent | learning_rate | 0     |
      | plain gradient descent | learning_rate | -0.1  |
      | classical momentum     | momentum      | 1     |
      | Nesterov momentum      | momentum      | 1.5   |
      | classical momentum     | momentum      | -0.1  |
      | Adam                   | learning_rate | 0     |
      | Adam                   | beta1         | 1     |
      | Adam                   | beta1         | -0.1  |
      | Adam                   | beta2         | 1     |
      | Adam                   | beta2         | -0.1  |
      | Adam                   | epsilon       | 0     |

  Scenario Outline: Each parameter keeps its own <method> state
    Given two parameters at 1.0 whose gradients are always 0.5 and -2.0
    When <method> with learning rate 0.1 takes three steps on both together
    Then each parameter ends exactly where it would have ended if optimised alone

    Examples:
      | method             |
      | classical momentum |
      | Nesterov momentum  |
      | Adam               |

  Scenario Outline: The optimiser a user names is built with its settings ("<name>")
    When the optimiser named "<name>" is made with learning rate 0.05
    Then it is <method> at learning rate 0.05, with momentum <momentum>

    Examples:
      | name     | method                 | momentum |
      | sgd      | plain gradient descent | none     |
      | momentum | classical momentum     | 0.9      |
      | nesterov | Nesterov momentum      | 0.9      |
      | adam     | Adam                   | none     |

  Scenario: The momentum a user gives reaches the optimiser they name
    When the optimiser named "nesterov" is made with learning rate 0.05 and momentum 0.5
    Then it is Nesterov momentum at learning rate 0.05, with momentum 0.5

  Scenario: An optimiser with an unknown name is refused
    When an optimiser named "rmsprop" is asked for
    Then it is refused with a ValueError that names "optimizer"

  Scenario Outline: An optimiser reports its name and settings (<method>)
    When <method> is set up with learning rate 0.05 and its other settings left as they are
    Then it reports <settings>

    Examples:
      | method                 | settings                                                                  |
      | plain gradient descent | optimizer sgd, learning_rate 0.05                                         |
      | classical momentum     | optimizer momentum, learning_rate 0.05, momentum 0.9                      |
      | Nesterov momentum      | optimizer nesterov, learning_rate 0.05, momentum 0.9                      |
      | Adam                   | optimizer adam, learning_rate 0.05, beta1 0.9, beta2 0.999, epsilon 1e-08 |

  Scenario: Adam set up with every setting left as it is steps with learning rate 0.001
    When Adam is set up with every setting left as it is
    Then it reports optimizer adam, learning_rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-08

  Scenario Outline: <method> keeps its state in the precision of the parameters it moves
    A float32 network's optimiser keeps its velocities or moment estimates in
    float32 too: state in float64 would double its memory and round every step
    twice.

    Given three float32 parameter arrays and 3 steps of float32 random gradients, drawn with seed 0
    When <method> with learning rate 0.1 takes the steps
    Then every array of state the optimiser keeps is float32, and so is every parameter

    Examples:
      | method             |
      | classical momentum |
      | Nesterov momentum  |
      | Adam               |
