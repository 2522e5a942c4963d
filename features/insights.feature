Feature: The tutorial's four key insights
  The tutorial ends with four lessons: activation functions add the
  non-linearity that makes depth worth having, backpropagation is the chain
  rule applied layer by layer, a network is mostly matrix multiplication, and
  the learning rate decides whether training explodes, learns or crawls. Each
  lesson is a claim that can be checked, so here they are checked.

  Rule: Without a non-linearity, a deep network is one linear map

    Scenario: Three identity layers multiply out into one matrix and one bias
      Given a 4 → 8 → 6 → 3 network with identity activations and random weights and biases, for each seed from 0 to 9
      When its layers are multiplied out into a single weight matrix and bias
      Then the single map gives the network's outputs for 20 random inputs, to within 1e-12 of the largest output, for every seed

    Scenario: A network without a non-linearity cannot fit XOR
      Given the four XOR points
      When a 2 → 16 → 2 network with identity hidden units learns them for 300 epochs at rate 0.5, for each seed from 0 to 9
      Then its training loss never falls below ln 2, a coin toss, by more than 1e-12, for every seed
      And its two class scores end equal on every point, to within 1e-9, for every seed

    Scenario: One ReLU hidden layer fits XOR
      Given the four XOR points
      When a 2 → 16 → 2 network with relu hidden units learns them for 300 epochs at rate 0.5, for each seed from 0 to 9
      Then it classifies all four points correctly for every seed

  Rule: Backpropagation is the chain rule, and a gradient check can tell

    Scenario Outline: Backpropagation through <activation> layers matches finite differences (dropout rate <dropout>)
      The check runs in training mode, so dropout is on; every pass of it
      draws the same dropout mask, so the loss it differentiates stays fixed.

      Given a 5 → 4 → 3 → 3 network with <activation> activations and dropout rate <dropout>, with random biases, for each seed from 0 to 4
      When its gradients are checked against central finite differences on 6 random rows
      Then every relative error is below 1e-6

      Examples:
        | activation | dropout |
        | relu       | 0       |
        | leaky_relu | 0       |
        | sigmoid    | 0       |
        | tanh       | 0       |
        | identity   | 0       |
        | relu       | 0.5     |

    Scenario: A layer that forgets a factor of its slope is caught
      Given a 5 → 4 → 3 → 3 network with sigmoid activations and dropout rate 0, with random biases, for each seed from 0 to 4
      And its second sigmoid forgets the (1 − s) factor of its slope
      When its gradients are checked against central finite differences on 6 random rows
      Then the relative error is above 0.1 for W1, b1, W2 and b2, before the faulty layer, for every seed
      And it is below 1e-6 for W3 and b3, after it, for every seed

    Scenario: The gradient check's random biases are drawn one by one from N(0, 0.5²)
      With zero biases a ReLU can sit exactly on its kink, where finite
      differences and backpropagation cannot agree, so the check's networks get
      random biases, each drawn on its own. Over the 1,003 biases of each seed,
      measured: means at most 0.037 from 0, standard deviations at most 0.012
      from 0.5.

      Given a 5 → 1000 → 3 network with relu activations and dropout rate 0, with random biases, for each seed from 0 to 4
      Then every seed's biases have mean 0 within 0.05 and standard deviation 0.5 within 0.02

    Scenario: A parameter the loss does not depend on agrees, with a relative error of 0
      With every unit of the first hidden layer off, nudging the first
      layer's weights and biases, or the weights that read its units, changes
      nothing: both ways give a gradient of exactly 0, which the check counts
      as agreement, not as 0 / 0.

      Given a 5 → 4 → 3 → 3 network with relu activations and dropout rate 0, with random biases, for each seed from 0 to 4
      And its first layer's biases are -100, so every unit of its first hidden layer is off
      When its gradients are checked against central finite differences on 6 random rows
      Then the relative error is 0 for W1, b1 and W2, for every seed

    Scenario Outline: `scratchnet gradcheck` reports one small error per parameter (<activation>)
      When I run `scratchnet gradcheck --sizes 6 5 4 3 --activation <activation>`
      Then the command succeeds
      And it prints one relative error for each of W1, b1, W2, b2, W3 and b3
      And every relative error is below 1e-7

      Examples:
        | activation |
        | relu       |
        | tanh       |

  Rule: Matrix operations are everything

    Scenario Outline: A batch goes forward in one matrix product, as if row by row (seed <seed>)
      Given the tutorial's network for 64 inputs with seed <seed>
      And a batch of 100 digits
      When the batch goes forward all at once, and again one row at a time
      Then both give the same outputs, to within 1e-12 of the largest output

      Examples:
        | seed |
        | 0    |
        | 1    |
        | 2    |

  Rule: The learning rate decides whether training explodes, learns or crawls
    Runs use the tutorial's settings otherwise: 100 epochs, batches of 32,
    weights N(0, 1) × 0.01. A network that has learnt nothing guesses each digit
    with probability 1/10, a loss of ln 10 ≈ 2.303.

    @slow
    Scenario Outline: With learning rate <learning rate>, every run <outcome>
      At learning rate 0.0001 the loss after 100 epochs measured 2.2938 to
      2.2972 over seeds 0 to 2.

      Given the tutorial's settings with learning rate <learning rate>
      When the network is trained with each seed from 0 to 2, stopping at any divergence
      Then every run <outcome>

      Examples:
        | learning rate | outcome                                                    |
        | 10            | diverges                                                   |
        | 3             | diverges                                                   |
        | 1             | learns: test accuracy above 95%                            |
        | 0.01          | learns: test accuracy above 95%                            |
        | 0.0001        | crawls: training loss still above 2.29 after 100 epochs    |
