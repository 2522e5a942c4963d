Feature: Troubleshooting
  The tutorial's table of common problems has four rows: the loss turns into
  NaN, the loss will not come down, the accuracy sits at about 10%, and the
  network memorises its training digits. Each row names a cause and a fix.
  Here every row is reproduced on the digits, and the fix is shown to work.
  Settings not named are the tutorial's: 128 ReLU hidden units, weights
  N(0, 1) × 0.01, plain gradient descent at learning rate 0.01, batches of 32,
  100 epochs. A network that has learnt nothing gives every digit probability
  1/10, a loss of ln 10 ≈ 2.3026, and is right about one time in ten.

  Rule: Loss = NaN — the learning rate is too high; lower it or clip the gradients

    Scenario: At learning rate 10 the loss becomes NaN and training stops with a clear error
      Seeds 0 to 2 all stop in the fifth epoch (epoch 4); the bound leaves
      five more.

      Given the tutorial's settings with learning rate 10
      When the network is trained with each seed from 0 to 2, keeping it if training fails
      Then training stopped within the first 10 epochs, with an error naming the epoch and learning rate 10, for every seed
      And the error says what stopped being finite and suggests a learning rate of 1, for every seed
      And every weight the network kept is a finite number, for every seed

    @slow
    Scenario Outline: At learning rate 10, <fix> lets the network learn
      Given the tutorial's settings with learning rate 10
      And the settings are changed to:
        | setting   | value   |
        | <setting> | <value> |
      When the network is trained with each seed from 0 to 2
      Then the test accuracy exceeds 93% for every seed

      Examples:
        | fix                                 | setting       | value |
        | clipping the gradients' length to 1 | clip norm     | 1     |
        | a learning rate of 1 instead        | learning rate | 1     |

  Rule: Loss not decreasing — the learning rate is too low; raise it

    @slow
    Scenario: At learning rate 0.00001 the loss stays at ln 10 for 100 epochs
      Measured over seeds 0 to 2: at most 0.0029 from ln 10 after 100 epochs.

      Given the tutorial's settings with learning rate 0.00001
      When the network is trained with each seed from 0 to 2
      Then the training loss after 100 epochs is within 0.005 of ln 10 for every seed

    @slow
    Scenario: At the tutorial's learning rate of 0.01 the loss comes down
      Measured over seeds 0 to 2: first below 0.5 at epochs 26 to 27.

      Given the tutorial's settings
      When the network is trained with each seed from 0 to 2
      Then the training loss is below 0.5 by epoch 30 for every seed

  Rule: Accuracy stuck at ~10% — check the weight initialisation
    If every weight starts at zero, every hidden unit computes the same thing,
    receives the same gradient and takes the same step, so they stay copies of
    each other: 128 units do the work of one. (With ReLU it is worse: every
    hidden output is ReLU(0) = 0 and every output weight is 0, so the gradient
    of every weight is 0 (each is a product with one of those zeros) and no
    weight ever leaves 0.)
    The tutorial's tiny start breaks the symmetry, but each of its layers
    shrinks the signal about twelvefold (0.01 × √128 ÷ √2), so in a deeper
    network the signal, and the gradients with it, all but vanish.

    @slow
    Scenario Outline: Starting from all-zero weights, the <activation> hidden units stay identical
      Given the tutorial's settings with init zeros
      And the settings are changed to:
        | setting    | value        |
        | activation | <activation> |
      When the network is trained with each seed from 0 to 2
      Then every hidden unit has the same incoming weights as every other, for every seed
      And the test accuracy is below 15% for every seed

      Examples:
        | activation |
        | relu       |
        | sigmoid    |

    Scenario: The tutorial's small random start makes every hidden unit different
      Given the tutorial's settings
      When the network is trained with each seed from 0 to 2
      Then no two hidden units have the same incoming weights, for every seed
      And the test accuracy exceeds 95% for every seed

    @slow
    Scenario: The tutorial's tiny start leaves three hidden layers guessing, where He's start learns
      Measured over seeds 0 to 2: loss 2.3018 to 2.3024 after 100 epochs,
      against ln 10 ≈ 2.3026.

      Given the tutorial's settings with hidden 128 128 128
      When the network is trained with each seed from 0 to 2
      Then the training loss is still above 2.3 after 100 epochs for every seed
      And the test accuracy is below 15% for every seed
      When the same seeds are trained again with the settings changed to:
        | setting | value |
        | init    | he    |
        | epochs  | 30    |
      Then the test accuracy exceeds 90% for every seed

    @slow
    Scenario: The tutorial's tiny start slows two hidden layers down, where He's start does not
      Measured over seeds 0 to 2: loss 0.375 to 0.459 after 100 epochs from the
      tutorial's start; from He's, first below 0.1 at epochs 20 to 23.

      Given the tutorial's settings with hidden 128 128
      When the network is trained with each seed from 0 to 2
      Then the training loss is still above 0.3 after 100 epochs for every seed
      When the same seeds are trained again with the settings changed to:
        | setting | value |
        | init    | he    |
        | epochs  | 30    |
      Then the training loss is below 0.1 by epoch 29 for every seed

  Rule: Overfitting — the network memorises its training digits; regularise it
    Two hidden layers of 256 units hold some 84,000 weights; 90 training
    digits are easy to learn by heart. The tutorial's fix is dropout (see
    Beyond the tutorial, which shows it narrowing this very gap); L2 weight
    decay, which keeps the weights small, works too.

    Scenario: A large network that learns from 90 digits knows them all, and far fewer of the rest
      Given a network of two 256-unit hidden layers that learns from only one digit in twenty
      When the network is trained with each seed from 0 to 4
      Then the training accuracy is 100% while the test accuracy trails it by more than 12 points, for every seed

    @slow
    Scenario: L2 at strength 0.03 narrows the gap between training and test accuracy
      Given a network of two 256-unit hidden layers that learns from only one digit in twenty
      And the settings are changed to:
        | setting | value |
        | l2      | 0.03  |
      When the network is trained with each seed from 0 to 4
      Then the gap between training and test accuracy is at least 1 point narrower than without L2, for every seed
