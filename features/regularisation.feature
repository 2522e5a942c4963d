Feature: Regularisation
  A network big enough to learn the digits is big enough to memorise its
  training set. Four tools keep it honest. L2 weight decay adds
  strength/2 · ΣW² to the loss, which adds strength · W to every weight's
  gradient and pulls weights towards zero; biases are left alone. Dropout
  zeroes a random share of the hidden units at each training step and scales
  the survivors up by 1/(1 − rate) ("inverted" dropout), so nothing needs
  rescaling at prediction time, when it is switched off. Gradient clipping
  shrinks all gradients together when their joint length exceeds a limit,
  keeping their direction. Early stopping watches the loss on held-out
  validation digits, stops when it has not improved for `patience` epochs,
  and puts back the weights from the best epoch.

  Rule: L2 weight decay pulls weights, not biases, towards zero

    Scenario: The L2 penalty of a small network, worked by hand
      Given a 2 → 2 → 2 network with W1 = 1 2; 3 4, b1 = 5 6, W2 = 1 -1; 0 2 and b2 = 7 8
      When its L2 penalty at strength 0.1 is worked out
      Then the penalty is 1.8 to within 1e-12, with nothing from the biases

    Scenario Outline: One training step with L2 strength 0.5 (seed <seed>)
      Given a 64 → 32 → 10 network with seed <seed> and 64 training digits
      When it takes one full-batch step of gradient descent at learning rate 0.1, once with L2 strength 0.5 and once without
      Then every weight differs between the two by −0.1 × 0.5 × its starting value, to within 1e-15
      And every bias is the same in both, bit for bit

      Examples:
        | seed |
        | 0    |
        | 1    |
        | 2    |

  Rule: Dropout is inverted, random in training and off in prediction

    Scenario Outline: Dropout at rate <rate> keeps the average and zeroes the right share
      When dropout at rate <rate> is applied in training to 100,000 ones, for each seed from 0 to 9
      Then the mean output is 1 to within 0.02 for every seed
      And the share of zeros is <rate> to within 0.005 for every seed

      Examples:
        | rate |
        | 0.2  |
        | 0.5  |
        | 0.8  |

    Scenario: Dropout does nothing outside training
      When dropout at rate 0.5 is applied to a batch of digits, once in training and once not
      Then outside training the batch comes out unchanged, bit for bit
      And in training some values are zeroed

    Scenario: A seed makes the dropped inputs repeatable
      When dropout layers at rate 0.5 built with seeds 3, 3 and 4 are applied in training to 100,000 ones
      Then both layers with seed 3 zero the same entries
      And the layer with seed 4 zeroes other entries

    Scenario: At rate 0, dropout passes values and gradients through unchanged, even in training
      When dropout at rate 0 is applied in training to a batch of digits and their gradient goes back through it
      Then the batch and the gradient come out unchanged, bit for bit
      And the layer has no parameters and no parameter gradients

    Scenario: Dropout on the inputs: backpropagation still agrees with finite differences
      The check runs in training mode with the same dropout mask on every pass.
      A dropout layer in first place only changes what the first Dense layer
      sees: nothing is sent back through it, so its own backward pass is
      checked by the next scenario.

      Given a network that drops its inputs at rate 0.5 and then is 5 → 4 → 3, seed 0
      And 6 rows of 5 random features with labels from 0 to 2, drawn with seed 1
      Then backpropagation's gradients agree with finite differences to a relative error below 1e-7

    Scenario: Dropout after a hidden layer: its backward pass agrees with finite differences
      The gradient of the first layer's weights goes back through the dropout
      layer, which must zero and scale it with the mask of the forward pass.
      The check runs in training mode with the same dropout mask on every pass.

      Given a 5 → 4 → 3 network with dropout rate 0.5 after its hidden layer, seed 0
      And 6 rows of 5 random features with labels from 0 to 2, drawn with seed 1
      Then the dropout layer zeroes some of the hidden units in training
      And backpropagation's gradients agree with finite differences to a relative error below 1e-7

    Scenario: Every training step draws a fresh dropout mask
      The k-th step's mask is the k-th draw of the dropout layer's own
      generator, the first child of the network's seed: no mask is kept from
      one step to the next.

      Given a 64 → 128 → 10 network with dropout rate 0.5 after its hidden layer, seed 0
      And a batch of 100 digits
      When it is trained on the batch for 2 epochs in batches of 10, noting the dropout mask of each step
      Then no two of the 20 steps used the same mask
      And the masks are successive draws of the first child of seed 0

    Scenario: Two networks built with the same seed drop the same units in training
      Given a 64 → 128 → 10 network with dropout rate 0.5 after its hidden layer, seed 0
      And a batch of 100 digits
      When it and a twin built with seed 0 give their scores for the batch in training
      Then both scores are identical, bit for bit

    Scenario: Each dropout layer draws its masks from its own child of the network's seed
      The seed S of a network starts a NumPy SeedSequence. Its weights come from
      that sequence's own stream; the masks of the k-th dropout layer come from
      its k-th child, `np.random.default_rng(np.random.SeedSequence(S).spawn(k)[k - 1])`,
      so anyone can redraw them.

      Given a 64 → 32 → 32 → 10 network with dropout rate 0.5 after each hidden layer, seed 7
      And a batch of 100 digits
      When it gives its scores for the batch in training
      Then each dropout layer kept exactly the units its child of seed 7 keeps

    Scenario: In training, a network's dropout layers are on
      Given a 64 → 128 → 10 network with dropout rate 0.5 after its hidden layer, seed 0
      And a batch of 100 digits
      When it gives its scores for the batch in training and outside training
      Then the scores differ

    Scenario: Predictions of a network with dropout layers are deterministic
      Given a 64 → 128 → 10 network with dropout rate 0.5 after its hidden layer, seed 0
      And a batch of 100 digits
      When it gives its probabilities for the batch twice
      Then both times are identical, bit for bit
      And they equal those of the same weights with the dropout layers taken out

  Rule: Gradient clipping shortens long gradients and keeps their direction

    Scenario Outline: Gradients (3, 4) and (12), of joint length 13, clipped to <limit>
      Given the gradients 3 4 and 12
      When they are clipped to a global norm of <limit>
      Then the gradients are <clipped> to within 1e-12

      Examples:
        | limit | clipped             |
        | 6.5   | 1.5 2 and 6         |
        | 1     | 3/13 4/13 and 12/13 |
        | 13    | 3 4 and 12          |
        | 20    | 3 4 and 12          |

    Scenario: Long random gradients are scaled to the limit exactly, all by the same factor
      Given gradients for a 64 → 128 → 10 network drawn from N(0, 1), for each seed from 0 to 9
      When they are clipped to a global norm of 5
      Then their joint length is 5 to within 1e-12 for every seed
      And every gradient was multiplied by the same factor, to within 1e-12, for every seed

    Scenario: Gradients already shorter than the limit are left untouched
      Given gradients for a 64 → 128 → 10 network drawn from N(0, 1), for each seed from 0 to 9
      When they are clipped to a global norm of 1000
      Then every gradient is unchanged, bit for bit, for every seed

  Rule: Early stopping keeps the weights from the best validation epoch

    Background:
      Given 100 training digits and 300 validation digits

    Scenario: Training stops once the validation loss rises, and keeps the best weights
      When a 64 → 64 → 10 network learns at rate 0.1 with patience 5 for at most 200 epochs, for each seed from 0 to 4
      Then training stopped early, before epoch 100, for every seed
      And it ran exactly 5 epochs past the best one, for every seed
      And the last validation loss recorded is higher than the lowest, for every seed
      And the validation loss after training equals the lowest one recorded, to within 1e-12, for every seed

    Scenario: A validation loss that only equals the best one is no improvement
      At a learning rate of 1e-300 every step is too small to change a weight,
      so every epoch scores exactly the same validation loss.

      When a 64 → 64 → 10 network learns at rate 1e-300 with patience 3 for at most 50 epochs, for each seed from 0 to 2
      Then every validation loss recorded is the same, for every seed
      And the best epoch is the first, for every seed
      And it ran exactly 3 epochs past the best one, for every seed

    Scenario: Patience without validation data is a clear error
      When a network is trained with patience 5 but no validation data
      Then it is refused with a ValueError that names "validation"

    Scenario: With dropout, validation scores the network with dropout off, and early stopping keeps the best weights
      Training draws dropout masks; scoring the validation digits must not, or
      the scores would be those of a random half of the network. Measured over
      seeds 0 to 9: training stopped after 21 to 49 epochs.

      When a 64 → 64 → 10 network with dropout rate 0.5 learns at rate 0.1 with patience 5 for at most 200 epochs, for each seed from 0 to 9
      Then training stopped early, before epoch 60, for every seed
      And every validation loss and accuracy recorded is that of the epoch's weights with dropout off, worked out in plain NumPy, to within 1e-12, for every seed
      And the validation loss after training equals the lowest one recorded, to within 1e-12, for every seed
