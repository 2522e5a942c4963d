Feature: Input validation
  A mistake in the input should stop the network at once, with a message
  that names the argument at fault and says what was expected, rather than
  surface later as a shape error deep inside a matrix product, or as a NaN
  loss. TypeError means a value of the wrong kind; ValueError means the right
  kind with an impossible value.

  Scenario Outline: Wrong input is refused, naming the argument: someone tries to <action>
    Given the training digits
    When someone tries to <action>
    Then a <error> is raised that names <argument> and says "<message>"

    Examples: Features of the wrong shape, size or kind
      | action                                               | error      | argument | message                                              |
      | train a 64-input network on rows of 63 pixels        | ValueError | X        | 64 features per row                                  |
      | train on one image given as a flat row of 64 numbers | ValueError | X        | must be 2-D                                          |
      | train on no rows at all                              | ValueError | X        | is empty                                             |
      | train on images with a NaN pixel                     | ValueError | X        | contains 1 NaN or infinite value(s)                  |
      | train on images with an infinite pixel               | ValueError | X        | contains 1 NaN or infinite value(s)                  |
      | train on images with a NaN, an inf and a -inf pixel  | ValueError | X        | contains 3 NaN or infinite value(s)                  |
      | train on pixels given as text                        | TypeError  | X        | must hold numbers                                    |
      | train on None instead of images                      | TypeError  | X        | must be an array                                     |
      | train on a word instead of images                    | TypeError  | X        | must be an array of shape (batch, features), got str |
      | predict digits for rows of 63 pixels                 | ValueError | X        | 64 features per row                                  |

    Examples: Labels out of range or mismatched
      | action                                              | error      | argument          | message                                        |
      | train with a label of 10 when digits go from 0 to 9 | ValueError | y                 | expected labels in 0..9                        |
      | train with a label of -1                            | ValueError | y                 | expected labels in 0..9                        |
      | train with a label of 2.5                           | ValueError | y                 | whole-number class labels                      |
      | train with one-hot rows that have two 1s            | ValueError | y                 | exactly one 1 per row                          |
      | train with a one-hot row that says half 0, half 1   | ValueError | y                 | one-hot rows must hold only 0 and 1            |
      | train with an empty table of one-hot rows           | ValueError | y                 | is empty: it needs at least one label          |
      | train with labels given as text                     | TypeError  | y                 | must hold integer class labels                 |
      | train with labels given as True and False           | TypeError  | y                 | must hold integer class labels, got dtype bool |
      | train with a float32 label of 2.5                   | ValueError | y                 | whole-number class labels, got float32 values  |
      | score predictions against a label of -1             | ValueError | y_true            | labels must be whole numbers >= 0              |
      | train on all the images with one label fewer        | ValueError | X and y           | same number of rows                            |
      | one-hot encode the label 10 for 10 classes          | ValueError | labels            | expected labels in 0..9 (n_classes is 10)      |
      | score 3 predictions against 2 labels                | ValueError | y_true and y_pred | same number of rows                            |
      | score predictions with no labels at all             | ValueError | y_true            | is empty                                       |

    Examples: Scoring predictions with the loss
      | action                                               | error      | argument      | message                                                |
      | score predictions with a probability of 1.5          | ValueError | probabilities | must lie between 0 and 1                               |
      | score 10 probabilities per row against a label of 10 | ValueError | labels        | expected labels in 0..9 (probabilities' columns is 10) |
      | score 10 scores per row against a label of 10        | ValueError | labels        | expected labels in 0..9 (logits' columns is 10)        |

    Examples: Settings that cannot work
      | action                                                           | error           | argument                      | message                                                       |
      | train with validation rows of 63 pixels                          | ValueError      | validation X                  | 64 features per row                                           |
      | take a training step with a NaN among the weights                | DivergenceError | learning rate                 | training diverged with learning rate 0.1: the loss became nan |
      | train with a validation label of 10                              | ValueError      | validation y                  | expected labels in 0..9                                       |
      | train with validation labels one fewer than validation rows      | ValueError      | validation X and validation y | same number of rows                                           |
      | train with an L2 strength of -0.1                                | ValueError      | l2                            | must be >= 0.0                                                |
      | train with gradients clipped to 0                                | ValueError      | clip_norm                     | must be > 0.0                                                 |
      | train with patience but no validation data                       | ValueError      | patience                      | pass validation=(X_val, y_val)                                |
      | train with a number in place of an optimizer                     | TypeError       | optimizer                     | must be a scratchnet Optimizer                                |
      | train with text in place of the function called after each epoch | TypeError       | on_epoch_end                  | must be a function                                            |
      | train with its gradients found by an unknown method              | ValueError      | gradients                     | must be one of autograd, backprop                             |
      | take a training step whose gradients overflow                    | DivergenceError | learning rate                 | the gradients became infinite or NaN                          |
      | train for 0 epochs                                               | ValueError      | epochs                        | must be > 0                                                   |
      | train for 2.5 epochs                                             | TypeError       | epochs                        | whole number                                                  |
      | train in batches of 0 rows                                       | ValueError      | batch_size                    | must be > 0                                                   |
      | train with a learning rate of 0                                  | ValueError      | learning_rate                 | must be > 0                                                   |
      | train with a learning rate of -1                                 | ValueError      | learning_rate                 | must be > 0                                                   |
      | train with a learning rate of 10**400, too large for a float     | ValueError      | learning_rate                 | must be finite, got inf                                       |
      | train with a learning rate of -10**400, too large for a float    | ValueError      | learning_rate                 | must be finite, got -inf                                      |
      | train with a seed of 2.5                                         | TypeError       | seed                          | must be a whole number or a numpy.random.Generator, got 2.5   |
      | train with a seed of -1                                          | ValueError      | seed                          | must be >= 0                                                  |
      | build the tutorial's network with 0 hidden units                 | ValueError      | hidden_size                   | must be > 0                                                   |
      | build a network of float16 numbers                               | TypeError       | dtype                         | must be float64 or float32                                    |
      | build a network of no layers                                     | ValueError      | layers                        | must hold at least one layer                                  |
      | build a network from a word instead of a layer                   | TypeError       | layers                        | layers[0] must be a Layer, got str                            |
      | build a network of a ReLU layer alone                            | ValueError      | layers                        | must include at least one Dense layer                         |
      | build a network whose dense layers do not fit together           | ValueError      | Dense                         | with 16 outputs cannot feed one with 8 inputs                 |
      | build a network with its sizes given as text                     | TypeError       | sizes                         | must be a list of whole numbers, got str                      |
      | build a network with its activation given as a number            | TypeError       | activation                    | must be one name or a list of names, got int                  |
      | build a network with dropout 1                                   | ValueError      | dropout                       | must be < 1.0                                                 |
      | build a dense layer with 0 inputs                                | ValueError      | in_features                   | must be > 0                                                   |
      | build a dense layer with 0 outputs                               | ValueError      | out_features                  | must be > 0                                                   |
      | give dropout a rate of 1                                         | ValueError      | rate                          | must be < 1.0                                                 |
      | give dropout a rate of -0.5                                      | ValueError      | rate                          | must be >= 0.0                                                |
      | give leaky ReLU a negative slope of 0                            | ValueError      | negative_slope                | must be > 0                                                   |
      | add the L2 gradient of two weight matrices to one gradient       | ValueError      | weights and gradients         | must align, got 2 and 1                                       |
      | step with one parameter and no gradient                          | ValueError      | parameters and gradients      | must align, got 1 and 0                                       |
      | step with a gradient of 3 numbers for a parameter of 2           | ValueError      | gradients                     | gradients[0] has shape (3,), expected (2,) like its parameter |
      | step an optimizer with parameters of another shape               | ValueError      | optimizer's state             | make a new optimizer                                          |

    Examples: Stepping an optimiser by hand
      | action                                                        | error      | argument   | message                                                                                                                              |
      | step with the parameters given as one array instead of a list | TypeError  | parameters | must be a list of arrays, got ndarray                                                                                                |
      | step with the gradients given as one array instead of a list  | TypeError  | gradients  | must be a list of arrays, got ndarray                                                                                                |
      | step a parameter of whole numbers                             | TypeError  | parameters | parameters[0] must be a NumPy float array (it is updated in place), got ndarray of dtype int64                                       |
      | step a parameter given as a list of numbers                   | TypeError  | parameters | parameters[0] must be a NumPy float array (it is updated in place), got list                                                         |
      | step a read-only parameter                                    | ValueError | parameters | parameters[0] is read-only                                                                                                           |
      | step a parameter holding a NaN                                | ValueError | parameters | parameters[0] contains NaN or infinite values                                                                                        |
      | step a float32 parameter with a gradient of 1e300             | ValueError | gradients  | gradients[0] contains NaN or infinite values (or values too large for float32)                                                       |
      | step with a gradient so large that the parameter overflows    | ValueError | gradients  | this step would make the parameters or the optimizer's state overflow (gradients or learning_rate 10 too large); the step was undone |

    Examples: A run's settings, refused when the run is configured, before any data is loaded
      | action                                                      | error      | argument            | message                                      |
      | configure a run with momentum 1                             | ValueError | momentum            | must be < 1.0                                |
      | configure a run with dropout 1                              | ValueError | dropout             | must be < 1.0                                |
      | configure a run with a learning rate of 0                   | ValueError | learning_rate       | must be > 0.0                                |
      | configure a run with gradients clipped to 0                 | ValueError | clip_norm           | must be > 0.0                                |
      | configure a run with an L2 strength of -0.1                 | ValueError | l2                  | must be >= 0.0                               |
      | configure a run with a second hidden layer of 0 units       | ValueError | hidden              | hidden[1] must be > 0                        |
      | configure a run for 2.5 epochs                              | TypeError  | epochs              | must be a whole number                       |
      | configure a run with the optimizer "rmsprops"               | ValueError | optimizer           | must be one of                               |
      | configure a run in float16                                  | ValueError | dtype               | must be one of float32, float64              |
      | configure a run on MNIST without saying where its files are | ValueError | data_dir            | must name the folder holding the MNIST files |
      | configure a run that stops early after 0 epochs of patience | ValueError | patience            | must be > 0                                  |
      | configure a run that holds out all its training rows        | ValueError | validation_fraction | must be < 1.0                                |
      | configure a run that tests on none of the digits            | ValueError | test_fraction       | must be > 0.0                                |
      | configure a run on the dataset "cifar"                      | ValueError | dataset             | must be one of digits, mnist                 |

    Examples: Splitting and standardising data
      | action                                                        | error      | argument      | message                                    |
      | set aside a test fraction of 0                                | ValueError | test_fraction | must be > 0.0                              |
      | set aside a test fraction of 1                                | ValueError | test_fraction | must be < 1.0                              |
      | set aside a test fraction of 1.5                              | ValueError | test_fraction | must be < 1.0                              |
      | set aside a test fraction of 0.9 of 5 rows                    | ValueError | test_fraction | leaves no rows to train on                 |
      | split the images with a single number for labels              | ValueError | y             | one label (or row of targets) per row of X |
      | standardise with a standardiser that was never fitted         | ValueError | Standardizer  | call fit(X_train) first                    |
      | standardise rows of 63 pixels with statistics of 64           | ValueError | X             | 64 features per row                        |
      | standardise a pixel of 1e308 with a standard deviation of 0.1 | ValueError | X             | so large that the result overflows         |

    Examples: Checking gradients
      | action                                                    | error      | argument | message                                                                               |
      | check the gradients of a list of layers, not a network    | TypeError  | network  | must be a scratchnet Network, got list                                                |
      | check a 64-input network's gradients on rows of 63 pixels | ValueError | X        | 64 features per row                                                                   |
      | check the gradients on pixels of 1e300                    | ValueError | X        | epsilon or the network's weights are so large that the loss or its gradients overflow |

    Examples: The tutorial's class
      | action                                                                    | error      | argument          | message                                              |
      | score the tutorial's predictions with 9 probabilities per row             | ValueError | Y_pred            | 10 features per row                                  |
      | score the tutorial's predictions with a probability of 1.5                | ValueError | Y_pred            | must hold probabilities between 0 and 1              |
      | score 3 of the tutorial's predictions against 2 labels                    | ValueError | Y_true and Y_pred | same number of rows                                  |
      | take the tutorial's backward step before any forward pass                 | ValueError | X                 | call forward(X) with the same X                      |
      | take the tutorial's backward step on rows of 63 pixels                    | ValueError | X                 | 64 features per row                                  |
      | take the tutorial's backward step on other rows than the forward pass     | ValueError | X                 | must be the batch given to the last forward pass     |
      | take the tutorial's backward step with one label fewer than rows          | ValueError | Y_true and X      | same number of rows                                  |
      | take the tutorial's step at a learning rate so large the weights overflow | ValueError | learning_rate     | would make the weights overflow; the step was undone |
      | build the tutorial's network with 0 outputs                               | ValueError | output_size       | must be > 0                                          |
      | run the tutorial's forward pass on rows of 63 pixels                      | ValueError | X                 | 64 features per row                                  |
      | run the tutorial's forward pass where the hidden layer overflows          | ValueError | X                 | so large that the result overflows                   |
      | run the tutorial's forward pass where the output layer overflows          | ValueError | X                 | so large that the result overflows                   |
      | take the tutorial's backward step after a forward pass that failed        | ValueError | X                 | call forward(X) with the same X                      |
      | train the tutorial's network on rows of 63 pixels                         | ValueError | X_train           | 64 features per row                                  |

  Scenario Outline: A number within limits of one's own is accepted (<value> in <lowest> to <highest>, <ends> included)
    scratchnet's number check is there for a layer or optimiser written by
    the user: it takes limits given by hand, says for each end whether the
    end itself is allowed, and includes both ends unless told otherwise.

    When someone checks <value> as a threshold from <lowest> to <highest>, <ends> included
    Then the threshold is accepted

    Examples:
      | value | lowest | highest | ends               |
      | 0     | 0      | 1       | both (the default) |
      | 1     | 0      | 1       | both (the default) |
      | 0     | 0      | 1       | both               |
      | 1     | 0      | 1       | both               |
      | 0     | 0      | 1       | the lower end only |
      | 1     | 0      | 1       | the upper end only |
      | 0.5   | 0      | 1       | neither end        |
      | 3     | 0      | none    | the lower end only |

  Scenario Outline: A number beyond limits of one's own is refused (<value> in <lowest> to <highest>, <ends> included)
    When someone checks <value> as a threshold from <lowest> to <highest>, <ends> included
    Then a ValueError is raised that names threshold and says "<message>"

    Examples:
      | value | lowest | highest | ends               | message                  |
      | -0.5  | 0      | 1       | both (the default) | must be >= 0.0, got -0.5 |
      | 1.5   | 0      | 1       | both (the default) | must be <= 1.0, got 1.5  |
      | 1     | 0      | 1       | the lower end only | must be < 1.0, got 1.0   |
      | 0     | 0      | 1       | the upper end only | must be > 0.0, got 0.0   |
      | 0     | 0      | 1       | neither end        | must be > 0.0, got 0.0   |
      | 1     | 0      | 1       | neither end        | must be < 1.0, got 1.0   |
      | 0     | 0      | none    | neither end        | must be > 0.0, got 0.0   |

  Scenario Outline: A label out of range is reported with the labels' range and the range expected (<action>)
    The message names the argument the number of classes came from, if it
    came from one; for the network's own number it adds nothing.

    Given the training digits
    When someone tries to <action>
    Then a ValueError is raised whose message reads "<message>"

    Examples:
      | action                                              | message                                                                      |
      | train with a label of 10 when digits go from 0 to 9 | y holds labels from 0 to 10; expected labels in 0..9                         |
      | one-hot encode the label 10 for 10 classes          | labels holds labels from 10 to 10; expected labels in 0..9 (n_classes is 10) |

  Scenario Outline: Labels are taken as whole numbers of any type (<labels> as <type>)
    Labels may be integers of any size a 64-bit integer holds, or
    floating-point numbers that are whole.

    When the labels <labels>, given as <type>, are scored against themselves
    Then every prediction counts as right

    Examples:
      | labels                 | type    |
      | 0, 1, 2                | float64 |
      | 0, 1, 2                | float32 |
      | 0, 9223372036854775807 | int64   |

  Scenario Outline: Checks of one's own call the features X and the labels y unless told otherwise (<input>)
    A layer or loss written by the user can check its inputs with scratchnet's
    own checks; given no name for the argument, their messages call the
    features X and the labels y.

    When someone checks <input> with scratchnet's own check, naming no argument
    Then a ValueError is raised that names <argument> and says "<message>"

    Examples:
      | input                        | argument | message                 |
      | features given as a flat row | X        | must be 2-D             |
      | the label -1 for 10 classes  | y        | expected labels in 0..9 |

  Scenario Outline: Limits of one's own are written in words as the help writes them (<lowest> to <highest>, <ends> included)
    The help of `scratchnet train` gives each setting's limits in these words,
    made from the limits the setting declares: a square bracket for an end
    that is allowed, a round one for an end that is not.

    When limits from <lowest> to <highest>, <ends> included, are written in words
    Then they read "<words>"

    Examples:
      | lowest | highest | ends               | words         |
      | 0      | 1       | both               | in [0, 1]     |
      | 0      | 1       | the lower end only | in [0, 1)     |
      | 0      | 1       | the upper end only | in (0, 1]     |
      | 0      | 1       | neither end        | in (0, 1)     |
      | 0.5    | 2.5     | both               | in [0.5, 2.5] |
      | 0      | none    | both               | >= 0          |
      | 0      | none    | the lower end only | >= 0          |
      | 0      | none    | neither end        | > 0           |
      | none   | 1       | both               | <= 1          |
      | none   | 1       | the upper end only | <= 1          |
      | none   | 1       | the lower end only | < 1           |
      | none   | 1       | neither end        | < 1           |
      | none   | none    | both               | any number    |
