Feature: Beyond the tutorial
  The tutorial closes with four challenges: add another hidden layer, try the
  tanh and sigmoid activations, use momentum or Adam, and add L2
  regularisation. Dropout is a fifth, for the overfitting the tutorial warns
  about. Each one is a change of setting here, and each scenario checks that
  the change does what it promises on the digits. Everything not named stays
  as in the tutorial: 64 pixels in, 128 ReLU hidden units, 10 classes out,
  weights N(0, 1) × 0.01, plain gradient descent at learning rate 0.01,
  batches of 32, 100 epochs.

  Rule: Deeper networks learn the digits when their start suits their depth
    The tutorial's tiny start fades as it passes through layer after layer
    (see Troubleshooting). He's start, normal with standard deviation
    √(2 / fan-in), keeps the signal's size the same through every ReLU layer.

    @slow
    Scenario Outline: <layers> hidden layers of 128 units with He's start pass 90% in 30 epochs
      Given the tutorial's settings with init he
      And the settings are changed to:
        | setting | value    |
        | hidden  | <hidden> |
        | epochs  | 30       |
      When the network is trained with each seed from 0 to 4
      Then the test accuracy exceeds 90% for every seed

      Examples:
        | layers | hidden      |
        | Two    | 128 128     |
        | Three  | 128 128 128 |

  Rule: tanh and sigmoid hidden units learn the digits too

    @slow
    Scenario Outline: <activation> hidden units starting from <start> weights pass 90%
      Given the tutorial's settings with activation <activation>
      And the settings are changed to:
        | setting | value  |
        | init    | <init> |
      When the network is trained with each seed from 0 to 2
      Then the test accuracy exceeds 90% for every seed

      Examples: tanh works with the tutorial's start
        | activation | start          | init     |
        | tanh       | the tutorial's | tutorial |

      Examples: sigmoid does better from a larger start
        | activation | start       | init   |
        | sigmoid    | Xavier      | xavier |

  Rule: Momentum and Adam get there in far fewer epochs than plain gradient descent
    All three use the tutorial's learning rate, 0.01; momentum keeps 0.9 of
    its velocity from step to step.

    @slow
    Scenario: Plain gradient descent needs about 80 epochs to bring the training loss below 0.1
      Measured over seeds 0 to 2: 79 to 83 epochs (first below 0.1 at epochs 78 to 82).

      Given the tutorial's settings
      When the network is trained with each seed from 0 to 2
      Then the training loss first falls below 0.1 after 79 to 83 epochs, for every seed

    @slow
    Scenario Outline: <optimizer> brings the training loss below 0.1 at least <times> times sooner
      Measured over seeds 0 to 2: momentum needs 9 to 10 epochs, Adam 2 to 3.

      Given the tutorial's settings with optimizer <optimizer>
      When the network is trained with each seed from 0 to 2
      Then the training loss is below 0.1 by epoch <epoch> for every seed
      And it needs at least <times> times fewer epochs than plain gradient descent to get below 0.1, for every seed

      Examples:
        | optimizer | epoch | times |
        | momentum  | 10    | 6     |
        | adam      | 3     | 20    |

  Rule: Regularisation keeps the weights small and the network honest
    To see dropout at work the network must have something to memorise:
    two hidden layers of 256 units with He's start, learning at rate 0.1
    from 90 digits (one in twenty), get all 90 right and far fewer of the
    other 1,707 (see Troubleshooting, which checks that gap).

    Scenario: L2 at strength 0.01 keeps the weights shorter
      Given the tutorial's settings with l2 0.01
      When the network is trained with each seed from 0 to 2
      Then the total length of the weights is at least 10% shorter than without L2, for every seed
      And the test accuracy exceeds 94% for every seed

    @slow
    Scenario: Dropout at rate 0.5 narrows the gap between training and test accuracy
      Given a network of two 256-unit hidden layers that learns from only one digit in twenty
      And the settings are changed to:
        | setting | value |
        | dropout | 0.5   |
      When the network is trained with each seed from 0 to 4
      Then the gap between training and test accuracy is at least 1 point narrower than without dropout, for every seed
