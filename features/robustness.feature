Feature: Robustness
  A tool people trust keeps their work when they stop it, and never answers a
  strange input with a crash from deep inside NumPy or with a NaN. Pressing
  Ctrl-C during training stops it after the current mini-batch: the network
  keeps the weights of its last completed step, and the history holds the
  epochs completed so far and says that training was interrupted.

  Every public function, given anything at all for one of its arguments (NaN,
  ±inf, huge numbers, empty, 0-d or 3-d arrays, complex numbers, arrays of
  Python objects, ragged lists, text, None), either returns a correct result
  or raises a ValueError or TypeError whose message names that argument: never
  an IndexError, a broadcasting error, a floating-point warning or a NaN.
  Hypothesis draws the values: the same ones on every run. The functions are
  the package's exports and the methods a user calls on them: each layer's
  forward and backward, each optimiser's step. A network's own forward and
  backward are the training step's inner calls, on rows that train, predict
  and predict_proba have checked once; they take their arrays as they are.

  While the specs run, NumPy's overflow, invalid operations (such as
  inf − inf) and division by zero raise a FloatingPointError, and any warning
  is an error, so a silent numerical problem fails the spec it happens in.
  Code where an overflow is an expected, handled condition says so with its own
  np.errstate, and turns the overflow into a clear error.

  Scenario: Ctrl-C during training keeps the last completed step and the history so far
    Given the tutorial's network for 16 inputs
    And 40 rows of 16 random features with labels from 0 to 9, drawn with seed 0
    When it trains for 50 epochs in batches of 8 and Ctrl-C is pressed at the start of step 23
    Then training returns normally, with a history that says it was interrupted
    And the history holds the 4 epochs completed before Ctrl-C
    And no step was taken after the one that was running
    And the network holds exactly the weights of the last completed step

  Scenario: The function called after each epoch can stop training as Ctrl-C does
    Given the tutorial's network for 16 inputs
    And 40 rows of 16 random features with labels from 0 to 9, drawn with seed 0
    When it trains for 50 epochs in batches of 8 and the function called after epoch 3 raises KeyboardInterrupt
    Then training returns normally, with a history that says it was interrupted
    And the history holds the 4 epochs completed before Ctrl-C

  Scenario: Ctrl-C during the tutorial class's training keeps the work too
    Given the tutorial's NeuralNetwork for 16 inputs with seed 0
    And 40 rows of 16 random features with labels from 0 to 9, drawn with seed 0
    When the tutorial's class trains for 50 epochs in batches of 8 and Ctrl-C is pressed at the start of step 23
    Then training returns normally, with a history that says it was interrupted
    And the history holds the 4 epochs completed before Ctrl-C
    And no step was taken after the one that was running
    And the network holds exactly the weights of the last completed step

  Scenario Outline: The specs treat silent floating-point trouble as a failure (<trouble>)
    When a step <action>
    Then the step fails with a <error>

    Examples:
      | trouble        | action                                    | error              |
      | overflow       | multiplies 1e308 by 10 in NumPy           | FloatingPointError |
      | invalid result | subtracts infinity from infinity in NumPy | FloatingPointError |
      | division by 0  | divides 1 by 0 in NumPy                   | FloatingPointError |
      | any warning    | issues a RuntimeWarning                   | RuntimeWarning     |

  Scenario Outline: Any value for <argument> of <function> gives a correct result or a clear refusal
    When <function> is called with any value Hypothesis draws for <argument>
    Then each call returns a correct result or raises a ValueError or TypeError that names <argument>

    Examples: The tutorial's class, every method
      | function                                                   | argument      |
      | NeuralNetwork                                              | input_size    |
      | NeuralNetwork                                              | hidden_size   |
      | NeuralNetwork                                              | seed          |
      | NeuralNetwork.relu                                         | Z             |
      | NeuralNetwork.softmax                                      | Z             |
      | NeuralNetwork.forward                                      | X             |
      | NeuralNetwork.predict                                      | X             |
      | NeuralNetwork.compute_loss                                 | Y_true        |
      | NeuralNetwork.compute_loss                                 | Y_pred        |
      | NeuralNetwork.backward                                     | X             |
      | NeuralNetwork.backward, after a forward pass on other rows | X             |
      | NeuralNetwork.backward                                     | Y_true        |
      | NeuralNetwork.backward                                     | learning_rate |
      | NeuralNetwork.train                                        | X_train       |
      | NeuralNetwork.train                                        | Y_train       |
      | NeuralNetwork.train                                        | epochs        |
      | NeuralNetwork.train                                        | batch_size    |
      | NeuralNetwork.W1 (assigned)                                | W1            |

    Examples: Building, training and predicting
      | function                       | argument   |
      | mlp                            | sizes      |
      | mlp                            | activation |
      | mlp                            | init       |
      | mlp                            | dropout    |
      | mlp                            | dtype      |
      | train                          | X          |
      | train                          | y          |
      | train                          | epochs     |
      | train                          | batch_size |
      | train                          | seed       |
      | train                          | validation |
      | train                          | l2         |
      | train                          | clip_norm  |
      | train                          | patience   |
      | Network.predict                | X          |
      | Network.predict_proba          | X          |
      | Network.predict_proba, float32 | X          |

    Examples: Data helpers and metrics
      | function               | argument      |
      | one_hot                | labels        |
      | one_hot                | n_classes     |
      | train_test_split       | X             |
      | train_test_split       | y             |
      | train_test_split       | test_fraction |
      | Standardizer.fit       | X             |
      | Standardizer.transform | X             |
      | accuracy               | y_true        |
      | accuracy               | y_pred        |
      | confusion_matrix       | y_true        |
      | confusion_matrix       | y_pred        |
      | confusion_matrix       | n_classes     |

    Examples: Saving and loading
      | function | argument |
      | save     | network  |
      | save     | path     |
      | save     | metadata |
      | load     | path     |

    Examples: The building blocks: softmax, the losses, layers, optimisers, the gradient check
      | function               | argument      |
      | softmax                | logits        |
      | cross_entropy          | probabilities |
      | cross_entropy          | labels        |
      | softmax_cross_entropy  | logits        |
      | softmax_cross_entropy  | labels        |
      | Dense.forward          | inputs        |
      | Dense.backward         | grad_outputs  |
      | Dropout.forward        | inputs        |
      | Dropout.backward       | grad_outputs  |
      | ReLU.forward           | inputs        |
      | ReLU.backward          | grad_outputs  |
      | LeakyReLU.forward      | inputs        |
      | LeakyReLU.backward     | grad_outputs  |
      | Sigmoid.forward        | inputs        |
      | Sigmoid.backward       | grad_outputs  |
      | Tanh.forward           | inputs        |
      | Tanh.backward          | grad_outputs  |
      | Identity.forward       | inputs        |
      | Identity.backward      | grad_outputs  |
      | every optimiser's step | parameters    |
      | every optimiser's step | gradients     |
      | gradcheck              | network       |
      | gradcheck              | X             |
      | gradcheck              | y             |
      | gradcheck              | epsilon       |
