Feature: Optimisers
  An optimiser turns gradients into steps. Plain gradient descent moves each
  parameter θ against its gradient g, scaled by the learning rate η:
  θ ← θ − η·g. Momentum keeps a velocity that remembers earlier steps
  (scikit-learn's form: v ← μ·v − η·g, then θ ← θ + v), so a steady gradient
  builds up speed; Nesterov momentum steps as if it had already taken the next
  velocity step (θ ← θ + μ·v − η·g). Adam keeps running averages of g and g²,
  corrects them for starting at zero, and divides one by the square root of the
  other, so its step has roughly the size of η whatever the scale of g.
  RMSprop keeps only the running average of g² (s ← ρ·s + (1 − ρ)·g²) and
  steps θ ← θ − η·g / (√s + ε), without Adam's first moment or bias correction.

  The tables were worked out by hand. For example, momentum with η = 0.1,
  μ = 0.9 and g = 0.5 twice: v = −0.05, then 0.9 × −0.05 − 0.05 = −0.095,
  so θ goes 1 → 0.95 → 0.855.
  RMSprop with η = 0.1, ρ = 0.75 and g = 2, then 0: s = 0.25 × 4 = 1, so
  θ goes 1 → 1 − 0.1 × 2 / 1 = 0.8, and a zero gradient leaves it there.

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
      | RMSprop                | learning_rate | 0     |
      | RMSprop                | rho           | 1     |
      | RMSprop                | rho           | -0.1  |
      | RMSprop                | epsilon       | 0     |

  Scenario Outline: A step refused for overflowing leaves <method> as it was
    A step that would make the parameters or the optimiser's state overflow
    is refused and undone, the optimiser's state included, without a
    floating-point warning: the steps before and after it are those of an
    optimiser that never tried it.

    Given a parameter at 1.0
    When <method> with learning rate 10 steps with gradient 0.5, is refused a step with gradient 1e308, and steps with gradient 0.5 again
    Then the parameter is where a new <method> with learning rate 10 puts it in two steps with gradient 0.5

    Examples:
      | method             |
      | classical momentum |
      | Nesterov momentum  |
      | Adam               |
      | RMSprop            |

  Scenario Outline: Each parameter keeps its own <method> state
    Given two parameters at 1.0 whose gradients are always 0.5 and -2.0
    When <method> with learning rate 0.1 takes three steps on both together
    Then each parameter ends exactly where it would have ended if optimised alone

    Examples:
      | method             |
      | classical momentum |
      | Nesterov momentum  |
      | Adam               |
      | RMSprop            |

  Scenario Outline: The optimiser a user names is built with its settings ("<name>")
    When the optimiser named "<name>" is made with learning rate 0.05
    Then it is <method> at learning rate 0.05, with momentum <momentum>

    Examples:
      | name     | method                 | momentum |
      | sgd      | plain gradient descent | none     |
      | momentum | classical momentum     | 0.9      |
      | nesterov | Nesterov momentum      | 0.9      |
      | adam     | Adam                   | none     |
      | rmsprop  | RMSprop                | none     |

  Scenario: The momentum a user gives reaches the optimiser they name
    When the optimiser named "nesterov" is made with learning rate 0.05 and momentum 0.5
    Then it is Nesterov momentum at learning rate 0.05, with momentum 0.5

  Scenario: An optimiser with an unknown name is refused
    When an optimiser named "adagrad" is asked for
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
      | RMSprop                | optimizer rmsprop, learning_rate 0.05, rho 0.9, epsilon 1e-08             |

  Scenario Outline: <method> set up with every setting left as it is steps with learning rate 0.001
    When <method> is set up with every setting left as it is
    Then it reports <settings>

    Examples:
      | method  | settings                                                                   |
      | Adam    | optimizer adam, learning_rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-08 |
      | RMSprop | optimizer rmsprop, learning_rate 0.001, rho 0.9, epsilon 1e-08             |

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
      | RMSprop            |

  Scenario Outline: RMSprop steps, worked by hand (ρ = <rho>, g = <gradients>)
    Given a parameter at 1.0
    When RMSprop with learning rate 0.1 and decay <rho> steps with gradients <gradients>
    Then the parameter is <after> to within 1e-6

    Examples:
      | rho  | gradients | after    |
      | 0.9  | 0.5       | 0.683772 |
      | 0.9  | -20       | 1.316228 |
      | 0.9  | 0.5, 0.5  | 0.454357 |
      | 0.5  | 1, -1     | 0.974049 |
      | 0.75 | 2, 0      | 0.8      |

  Scenario Outline: RMSprop follows its rule on arrays, step for step, in <dtype>
    The rule is computed again in the step with plain NumPy, in float64,
    from the same starting values and gradients. Measured over seeds 0 to 9,
    the largest gap is 2.2e-16 in float64 and 3.3e-7 in float32 (its
    rounding); the bounds leave a margin of 2 and 3.

    Given three <dtype> parameter arrays and 5 steps of random <dtype> gradients for each seed from 0 to 9
    When RMSprop with learning rate 0.01 and decay 0.9 takes those steps
    Then after every step each parameter is what the rule gives, to within <tolerance>

    Examples:
      | dtype   | tolerance |
      | float64 | 5e-16     |
      | float32 | 1e-6      |

  Scenario: RMSprop can be chosen by name on the command line
    When I run `scratchnet train --json --epochs 1 --optimizer rmsprop`
    Then the command succeeds
    And the report's optimiser is rmsprop

  Scenario: RMSprop is a solver of the scikit-learn classifier (seed 0)
    The classifier's solvers are the optimisers' names. Its reference is
    scratchnet's own network and training loop with RMSprop, set up by hand:
    one generator seeded with 0 draws the starting weights, then the batch
    orders.

    When the classifier with 16 hidden units is trained for 2 epochs with solver "rmsprop" and seed 0
    Then its weights are exactly those of scratchnet's network trained by RMSprop at the same learning rate from the same seed
