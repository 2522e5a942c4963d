Feature: Command line
  `scratchnet train` trains the tutorial's network on the digits and reports
  how well it does on the test images; every setting has an option, and the
  defaults are the tutorial's. `--json` prints the report as one JSON object
  for other programs to read, `--save` keeps the trained network in a file,
  and `scratchnet evaluate` scores a saved network again. A mistake in the
  options stops the command before any training, with a message naming the
  option and exit code 2.

  The command never shows a Python traceback. Whatever is wrong, it prints one
  line on standard error and exits with code 2 when an option or a file named
  on the command line cannot be used (found before any work is done), 1 when
  the work itself fails, and 130 when Ctrl-C stops it. Ctrl-C does not throw
  training away: the network is saved as it was, and the command says so.

  Scenario: With no options the command trains the network its default settings describe
    How accurate that network is, seed by seed, is the complete example's claim
    (more than 94% for every seed from 0 to 9); here the command must deliver it.

    When I run `scratchnet train --json --seed 3`
    Then the report gives, value for value, the training losses and test accuracy of the network trained with the command's default settings and seed 3

  Scenario: The JSON report holds the results and the settings
    When I run `scratchnet train --json --seed 0 --epochs 30`
    Then the command succeeds
    And it prints one JSON object
    And the report's seed is 0 and its training loss has 30 values, one per epoch
    And the report gives the seconds the run took and every setting, with 30 epochs
    And the report says training was not interrupted

  Scenario: With early stopping, the JSON report holds the validation loss and accuracy of every epoch
    When I run `scratchnet train --json --seed 0 --epochs 3 --early-stopping`
    Then the command succeeds
    And the report records a validation loss and accuracy for every epoch it ran

  Scenario: A run configured from only some settings takes the defaults for the rest
    The command makes its run's settings from the options it parsed; from
    Python, the same settings can come from any mapping of names to values.

    When a run is configured from the settings epochs 3 and seed 4 alone, beside a name that is no setting
    Then its epochs are 3 and its seed is 4
    And every other setting is that of a run configured with no settings at all

  Scenario: Text output shows the loss every 10 epochs and the test accuracy
    When I run `scratchnet train --seed 0 --epochs 30`
    Then the command succeeds
    And it prints "Epoch N, Loss: x.xxxx" for every 10th epoch from 0 to 20
    And its last line reads "Test Accuracy: xx.xx%"
    And the accuracy it prints is the test accuracy `scratchnet train --json --seed 0 --epochs 30` reports, in percent
    And it prints nothing on standard error, where a terminal would show the progress bar

  Scenario: On a terminal, a progress bar counts the epochs with the latest loss, and is cleared at the end
    When I run `scratchnet train --seed 0 --epochs 3` on a terminal
    Then the command succeeds
    And standard error shows the bar "training: … k/3 … epoch/s, loss=x.xxxx" for k from 0 to 3, the first loss the one printed for epoch 0
    And the bar is cleared once training ends, leaving no line behind

  Scenario: Text output says when early stopping ended training, and after which epoch
    When I run `scratchnet train --epochs 300 --early-stopping --optimizer adam`
    Then the command succeeds
    And it prints "Stopped early after N epochs (best validation loss at epoch M)", where N is M + 1 + 10, the patience
    And its last line reads "Test Accuracy: xx.xx%"

  Scenario: Text output says where the network was saved
    Given an empty working folder
    When I run `scratchnet train --seed 0 --epochs 2 --save model.npz`
    Then the command succeeds
    And its last line reads "Saved to model.npz"

  Scenario: A saved network scores the same when evaluated again
    Given an empty working folder
    When I run `scratchnet train --json --seed 3 --epochs 20 --save model.npz`
    And the saved network is scored again with `scratchnet evaluate --json model.npz`
    Then both reports give the same test accuracy
    And the saved file records the settings and the test accuracy of the report

  Scenario: `evaluate --seed` scores a saved network on another seed's test split
    Given an empty working folder
    When I run `scratchnet train --json --seed 3 --epochs 20 --save model.npz`
    And the saved network is scored again with `scratchnet evaluate --json --seed 5 model.npz`
    Then the evaluation reports model.npz scored on 360 test digits of split seed 5
    And its test accuracy is the saved network's on the test split of seed 5

  Scenario: `evaluate` without --json prints the accuracy in percent, how many digits it scored and on which split
    Given an empty working folder
    When I run `scratchnet train --json --seed 3 --epochs 20 --save model.npz`
    And the saved network is scored again with `scratchnet evaluate model.npz`
    Then the evaluation succeeds and reads "Test Accuracy: <percent>% on 360 test digits (split seed 3)", with the training's test accuracy

  Scenario Outline: An impossible option is refused before training (<option> <value>)
    When I run `scratchnet train <option> <value>`
    Then the command fails with exit code 2
    And the error message names `<option>`

    Examples:
      | option       | value |
      | --epochs     | 0     |
      | --epochs     | 2.5   |
      | --lr         | -1    |
      | --lr         | nan   |
      | --batch-size | 0     |
      | --hidden     | 0     |
      | --dropout    | 1.5   |
      | --seed       | -1    |

  Scenario Outline: A refused option says what it expected and what it was given (<option> <value>)
    When I run `scratchnet train <option> <value>`
    Then the command fails with exit code 2
    And it prints nothing but one line on standard error, saying "<message>"

    Examples:
      | option                | value | message                                                     |
      | --lr                  | fast  | argument --lr/--learning-rate: must be a number, got 'fast' |
      | --clip-norm           | none  | argument --clip-norm: must be a number, got 'none'          |
      | --epochs              | 2.5   | argument --epochs: must be a whole number, got '2.5'        |
      | --dropout             | 1     | argument --dropout: must be < 1.0, got 1.0                  |
      | --momentum            | -0.1  | argument --momentum: must be >= 0.0, got -0.1               |
      | --validation-fraction | 0     | argument --validation-fraction: must be > 0.0, got 0.0      |

  Scenario Outline: The help states each number option's limits (<option>)
    The limits are written with the brackets of an interval: a square bracket
    for an end the option accepts, a round one for an end it refuses.

    When I run `scratchnet train --help`
    Then the command succeeds
    And the help for `<option>` gives its limits as "<limits>"

    Examples:
      | option                | limits    |
      | --hidden              | > 0       |
      | --lr                  | > 0       |
      | --momentum            | in [0, 1) |
      | --epochs              | > 0       |
      | --batch-size          | > 0       |
      | --seed                | >= 0      |
      | --l2                  | >= 0      |
      | --dropout             | in [0, 1) |
      | --clip-norm           | > 0       |
      | --patience            | > 0       |
      | --validation-fraction | in (0, 1) |
      | --test-fraction       | in (0, 1) |

  Scenario Outline: The help says in words what each setting does (<option>)
    When I run `scratchnet train --help`
    Then the command succeeds
    And the help for `<option>` says "<what it does>"

    Examples:
      | option                | what it does                                                    |
      | --hidden              | width of each hidden layer                                      |
      | --activation          | activation of the hidden layers                                 |
      | --init                | weight initialisation                                           |
      | --optimizer           | how the weights follow their gradients                          |
      | --lr                  | learning rate                                                   |
      | --momentum            | momentum coefficient (momentum and nesterov only)               |
      | --epochs              | passes over the data                                            |
      | --batch-size          | rows per gradient step                                          |
      | --seed                | seed for the split, the initial weights and the shuffling       |
      | --dtype               | floating-point type of the weights and data                     |
      | --l2                  | L2 weight decay strength                                        |
      | --dropout             | dropout rate after each hidden layer                            |
      | --clip-norm           | clip gradients to this global norm                              |
      | --gradients           | where the gradients come from                                   |
      | --early-stopping      | hold out part of the training set and stop when its loss stalls |
      | --patience            | epochs without improvement before early stopping                |
      | --validation-fraction | share of the training rows held out for early stopping          |
      | --test-fraction       | share of the digits held out for testing                        |
      | --dataset             | scikit-learn's 8×8 digits, or MNIST's 28×28 digits              |
      | --data-dir            | folder holding the MNIST files                                  |

  Scenario Outline: Each setting beyond the tutorial has an option (<option> <value>)
    When I run `scratchnet train --json --epochs 3 <option> <value>`
    Then the command succeeds
    And the report's setting <setting> is <expected>

    Examples:
      | option                | value    | setting             | expected   |
      | --hidden              | 32 16    | hidden              | [32, 16]   |
      | --activation          | tanh     | activation          | "tanh"     |
      | --init                | he       | init                | "he"       |
      | --optimizer           | nesterov | optimizer           | "nesterov" |
      | --momentum            | 0.5      | momentum            | 0.5        |
      | --lr                  | 0.05     | learning_rate       | 0.05       |
      | --batch-size          | 64       | batch_size          | 64         |
      | --dtype               | float32  | dtype               | "float32"  |
      | --l2                  | 0.001    | l2                  | 0.001      |
      | --dropout             | 0.2      | dropout             | 0.2        |
      | --clip-norm           | 5        | clip_norm           | 5.0        |
      | --patience            | 4        | patience            | 4          |
      | --validation-fraction | 0.25     | validation_fraction | 0.25       |
      | --test-fraction       | 0.5      | test_fraction       | 0.5        |

  Rule: Every option takes effect in the training steps themselves, not only in the report
    Each run below is watched as it trains: the rows of every step, the weights
    before and after it, the gradients backpropagation computed and the gradients
    the optimiser was given. The digits split 1,437 training and 360 test rows
    by default (a fifth of 1,797 held out, rounded up). Option by option, what
    the watch sees is what the option asks for; an option that is parsed but
    ignored fails its row. The runs use seed 0; the spreads and clipping below
    were measured for seeds 0 to 9 as well (the note above the examples).

    Scenario Outline: An option changes what training does (<options>)
      When I run `scratchnet train --json --epochs 2 <options>` while training is watched
      Then the command succeeds
      And <effect>

      # Measured over seeds 0-9 (the rows use seed 0):
      # --init he: the first layer's standard deviation is within 1.6% of sqrt(2/64); the
      #   sampling error of 8,192 weights is 0.8%; the margin is 5%.
      # --clip-norm 0.25: backpropagated norms 0.18-0.38, so 36 to 52 of the 90 steps clip.
      # --dropout 0.2: about 183,000 live units in 2 epochs; the share zeroed is within
      #   0.1 percentage points of 20%; the margin is 1.
      # --early-stopping: adam stops after 12-19 epochs (patience 10), 4-12 (patience 3).
      Examples:
        | options                                                     | effect                                                                                                         |
        | --hidden 32 16                                              | the network trained has hidden layers of 32 and 16 units                                                       |
        | --activation tanh                                           | the trained network applies tanh between its layers                                                            |
        | --init he                                                   | the first layer's starting weights have He's spread for 64 inputs, a standard deviation of √(2/64) within 5%   |
        | --lr 0.05                                                   | each step moves the weights as sgd with learning rate 0.05 does                                                |
        | --optimizer nesterov                                        | each step moves the weights as nesterov with learning rate 0.01 and momentum 0.9 does                          |
        | --optimizer momentum --momentum 0.5                         | each step moves the weights as momentum with learning rate 0.01 and momentum 0.5 does                          |
        | --optimizer adam                                            | each step moves the weights as adam with learning rate 0.01 does                                               |
        | --l2 0.1                                                    | each step's gradient is backpropagation's plus 0.1 times the weights, the biases' unchanged                    |
        | --clip-norm 0.25                                            | each step's gradients are backpropagation's scaled down to a global norm of 0.25 whenever they were longer     |
        | --dropout 0.2                                               | training zeroes 20% of the hidden units it sees, within 1 percentage point, and prediction zeroes none         |
        | --batch-size 64                                             | each pass over the 1437 training rows takes steps of 64 rows, the last step the 29 left                        |
        | --epochs 3                                                  | training passes 3 times over the same 1437 rows, each row once per pass                                        |
        | --test-fraction 0.5                                         | training passes 2 times over the same 898 rows, each row once per pass                                         |
        | --early-stopping --validation-fraction 0.25                 | training passes 2 times over the same 1077 rows, each row once per pass                                        |
        | --dtype float32                                             | every step's rows, weights and gradients are float32                                                           |
        | --seed 5                                                    | the split and the starting weights differ from seed 0's, and the same command again repeats every step exactly |
        | --seed 5 --early-stopping                                   | the split and the starting weights differ from seed 0's, and the same command again repeats every step exactly |
        | --gradients autograd                                        | every step has gradients, and none of them came from the layers' own backward pass                             |
        | --epochs 300 --early-stopping --optimizer adam              | training on 1293 rows a pass stops 10 epochs after its lowest validation loss                                  |
        | --epochs 300 --early-stopping --optimizer adam --patience 3 | training on 1293 rows a pass stops 3 epochs after its lowest validation loss                                   |

    Scenario: A run's seed decides the order its rows are visited in
      The seed gives three streams of random numbers of their own: for the
      split, for the starting weights and for the shuffling. In NumPy's terms
      they are the first, second and third children of the seed's SeedSequence;
      an epoch visits the training rows in the order of one permutation drawn
      from the third.

      When I run `scratchnet train --json --epochs 1 --seed 5` while training is watched
      Then the command succeeds
      And its pass visits the training rows in the order of a permutation drawn from the third child of seed 5

    Scenario: A run's seed decides which rows early stopping holds out for validation
      The rows held out for validation come from a fourth stream of the seed,
      its fourth child: a tenth of the training rows, drawn as the digits' own
      split draws its test rows.

      When I run `scratchnet train --json --epochs 1 --seed 5 --early-stopping` while training is watched
      Then the command succeeds
      And its pass meets the labels of the training rows left after holding out a tenth drawn from the fourth child of seed 5, in the order of a permutation drawn from the third child

    Scenario: Validation rows are kept out of the statistics the digits are standardised with
      Early stopping holds out a tenth of the training rows to watch. The
      standardiser must learn its means and spreads from the rows trained on
      alone, or the validation scores would be of rows it had already seen.

      When I run `scratchnet train --json --epochs 1 --early-stopping` while training is watched
      Then the command succeeds
      And over the 1293 rows trained on, each pixel has mean 0 and standard deviation 1, or is 0 throughout, within 1e-9

    Scenario Outline: Validation rows are standardised with the statistics of the rows trained on (seed <seed>)
      The rows held out are shifted and scaled by the means and spreads the
      standardiser learned from the rows trained on, as the test rows are. For
      seeds 1 and 2 with a fifth held out, pixel 56 is blank on every row
      trained on but not on every row held out: standardising the digits a
      second time, or with statistics from all the training rows, would score
      other values there.

      When I run `scratchnet train --json --epochs 1 --seed <seed> --early-stopping --validation-fraction 0.2` while training is watched
      Then the command succeeds
      And the rows it scores for validation are the fifth held out by the fourth child of seed <seed>, standardised with the means and spreads of the rows trained on

      Examples:
        | seed |
        | 0    |
        | 1    |
        | 2    |

  Scenario: A learning rate far too high stops training with a message
    When I run `scratchnet train --lr 50`
    Then the command fails with exit code 1
    And the error message says training diverged, naming the epoch and learning rate 50
    And the error message points to the options `--lr` and `--clip-norm`

  @slow
  Scenario: The installed `scratchnet` command runs
    When the installed command `scratchnet train --json --epochs 2` is run in a new process
    Then the command succeeds
    And it prints one JSON object
    And the report's seed is 0 and its training loss has 2 values, one per epoch

  @slow
  Scenario: Ctrl-C during training still saves the network trained so far
    Given an empty working folder
    When `scratchnet train --epochs 2000 --save model.npz` is started in a new process and Ctrl-C is pressed once it prints its first progress line
    Then it exits with code 130, without a traceback
    And it says in which epoch it was interrupted and that it saved the network as it was then to model.npz
    And the saved network scores the test accuracy the command reported when it is evaluated again

  Scenario Outline: Ctrl-C during training ends the command with exit code 130, the network saved as it was (<report>)
    The same as pressing Ctrl-C in a terminal (the slow scenario above), in this process:
    the interruption arrives once the third epoch (epoch 2, counting from 0 as the progress
    lines do) is complete.

    Given an empty working folder
    And Ctrl-C is pressed once epoch 2 is complete
    When I run `scratchnet train --epochs 20 --save model.npz <options>`
    Then the command fails with exit code 130
    And it says in which epoch it was interrupted and that it saved the network as it was then to model.npz
    And <report>

    Examples:
      | options | report                                                      |
      |         | its last line reads "Test Accuracy: xx.xx%"                 |
      | --json  | the report says training was interrupted after 3 epochs     |

  Scenario Outline: A file or path that cannot be used stops the command with one line of explanation (<case>)
    Given an empty working folder
    And <case>
    When I run `<command>`
    Then the command fails with exit code 2
    And it prints nothing but one line on standard error, saying "<words>"

    Examples: Models that cannot be evaluated
      | case                                                             | command                       | words                                                                              |
      | nothing else                                                     | scratchnet evaluate model.npz | no saved model at 'model.npz'                                                      |
      | a folder named model.npz                                         | scratchnet evaluate model.npz | 'model.npz' is a folder, not a saved model                                         |
      | a text file with a .npz name                                     | scratchnet evaluate model.npz | 'model.npz' is not a scratchnet model file                                         |
      | an .npz archive of numbers with no model in it                   | scratchnet evaluate model.npz | 'model.npz' is not a scratchnet model file                                         |
      | a saved model cut off halfway                                    | scratchnet evaluate model.npz | 'model.npz' is not a scratchnet model file                                         |
      | a saved model with a few bytes changed                           | scratchnet evaluate model.npz | 'model.npz' is not a scratchnet model file                                         |
      | a model file whose architecture entry is a pickled Python object | scratchnet evaluate model.npz | allow_pickle=False                                                                 |
      | a saved network for 16 inputs and 3 classes                      | scratchnet evaluate model.npz | is a network for 16 inputs and 3 classes; the digits have 64 pixels and 10 classes |

    # Running as root, a file's permissions do not stop a write, so the unwritable
    # places are a path under a regular file, and /proc, where nobody can create files.
    Examples: Places a trained network cannot be saved, found before training
      | case                     | command                                              | words                                                                                  |
      | a file named blocker     | scratchnet train --epochs 1 --save blocker/model.npz | argument --save: cannot save to 'blocker/model.npz': 'blocker' is a file, not a folder |
      | a folder named model.npz | scratchnet train --epochs 1 --save model.npz         | argument --save: cannot save to 'model.npz': it is a folder                            |
      | nothing else             | scratchnet train --epochs 1 --save /proc/model.npz   | argument --save: cannot save to '/proc/model.npz'                                      |
      | nothing else             | scratchnet train --epochs 1 --save model.txt         | argument --save: path must end in .npz, got 'model.txt'                                |
      | nothing else             | scratchnet train --epochs 1 --batch-size many        | argument --batch-size: must be a whole number, got 'many'                              |

    Examples: MNIST folders that cannot be used
      | case                 | command                                             | words                                                                      |
      | nothing else         | scratchnet train --dataset mnist                    | argument --data-dir: data_dir must name the folder holding the MNIST files |
      | nothing else         | scratchnet train --dataset mnist --data-dir nowhere | argument --data-dir: MNIST folder nowhere does not exist                   |
      | a file named nowhere | scratchnet train --dataset mnist --data-dir nowhere | argument --data-dir: MNIST folder nowhere is a file, not a folder          |

  Scenario: When saving fails after training, the results are still printed and the error says so
    Given an empty working folder
    And the folder out is replaced by a file while the network trains
    When I run `scratchnet train --epochs 2 --save out/model.npz`
    Then the command fails with exit code 1
    And its last line reads "Test Accuracy: xx.xx%"
    And the one line on standard error says "the network was trained but could not be saved to 'out/model.npz': File exists"

  Scenario Outline: Even an unexpected failure is one line, not a traceback (<failure>)
    Given an empty working folder
    And <failure> happens while the network trains
    When I run `scratchnet train --epochs 1`
    Then the command fails with exit code 1
    And it prints nothing but one line on standard error, saying "<words>"

    Examples:
      | failure                                             | words                                                                                               |
      | running out of memory                               | scratchnet train: error: not enough memory for a network this size                                  |
      | a bug that builds the network for 63 inputs, not 64 | scratchnet train: internal error: ValueError: X must have 63 features per row, got shape (1437, 64) (please report this, with the command you ran) |
      | a disk error                                        | scratchnet train: error: Input/output error                                                         |

  Scenario: Ctrl-C before training starts stops the command with one line and exit code 130
    Given an empty working folder
    And Ctrl-C is pressed while the data load
    When I run `scratchnet train --epochs 1`
    Then the command fails with exit code 130
    And it prints nothing but one line on standard error, saying "scratchnet train: interrupted"

  Scenario: When the reader of its output goes away, the command stops quietly with exit code 141
    As `scratchnet train --json | head -c 10` does: printing fails with a broken pipe.
    The command's standard output then leads nowhere, so that Python's last flush on
    the way out cannot fail again with a message.

    Given the reader of its standard output has gone away
    When I run `scratchnet train --json --epochs 1` into that broken pipe
    Then the command fails with exit code 141
    And it prints nothing on standard error
    And its standard output leads to the null device

  Scenario: Without a command, it says one is needed
    When I run `scratchnet`
    Then the command fails with exit code 2
    And it prints nothing but one line on standard error, saying "the following arguments are required: COMMAND"

  Rule: The help of every command says what it is for and what each argument means

    Scenario Outline: Each command's help starts with its usage and says what it is for (<command>)
      When I run `<command> --help`
      Then the command succeeds
      And the help starts with "<usage>"
      And the help describes the command as "<description>"

      Examples:
        | command          | usage                                 | description                                                               |
        | scratchnet       | usage: scratchnet [-h] COMMAND ...    | A neural network from scratch in NumPy, trained on scikit-learn's digits. |
        | scratchnet train | usage: scratchnet train [-h]          | Train on the digits (the tutorial's settings unless told otherwise).      |
        | scratchnet check | usage: scratchnet check [-h]          | Run the tutorial-stage scenarios against one or more classes              |

    Scenario Outline: The help shows each argument as it is typed and says what it is (<command> <argument>)
      When I run `<command> --help`
      Then the command succeeds
      And the help shows <argument> as "<typed as>", saying "<what it is>"

      Examples:
        | command              | argument   | typed as          | what it is                                                                     |
        | scratchnet           | train      | train             | train a network on the digits and report its test accuracy                     |
        | scratchnet           | evaluate   | evaluate          | report a saved network's accuracy on its data set's test split                 |
        | scratchnet           | gradcheck  | gradcheck         | compare backpropagation with finite differences on a small random network      |
        | scratchnet           | check      | check             | run the tutorial's stages of the specification against your own network classes |
        | scratchnet train     | --hidden   | --hidden N [N ...] | width of each hidden layer (> 0) (default: [128])                             |
        | scratchnet train     | --save     | --save PATH       | save the trained network to PATH (.npz) (default: None)                        |
        | scratchnet train     | --json     | --json            | print one JSON object with the results instead of text (default: False)        |
        | scratchnet evaluate  | MODEL      | MODEL             | a .npz file written by train --save                                            |
        | scratchnet evaluate  | --seed     | --seed SEED       | split seed (default: the one the model was trained with)                       |
        | scratchnet evaluate  | --data-dir | --data-dir DIR    | MNIST folder (default: the one the model was trained on)                       |
        | scratchnet gradcheck | --sizes    | --sizes N [N ...] | input width, hidden widths and number of classes (default: [6, 5, 4, 3])       |
        | scratchnet gradcheck | --batch    | --batch BATCH     | rows of random input (default: 8)                                              |

  Rule: `scratchnet gradcheck` checks backpropagation on a small random network
    The network's weights are Xavier's, its biases drawn from N(0, 0.5²), its
    rows from N(0, 1) and its labels uniformly from the classes, all from one
    random generator seeded with `--seed`: the same options give the same errors
    as the library's `gradcheck` on the network so made. Without options it
    checks 6 → 5 → 4 → 3 with tanh, on 8 rows, with seed 0.

    Scenario Outline: gradcheck reports the errors the library finds on the network it describes (<options>)
      When I run `scratchnet gradcheck --json <options>`
      Then the command succeeds
      And the report describes a <sizes> network with <activation> activations
      And its relative errors are the library's for that network, checked on <rows> rows drawn with seed <seed>

      Examples:
        | options                                            | sizes         | activation | rows | seed |
        |                                                    | [6, 5, 4, 3]  | tanh       | 8    | 0    |
        | --sizes 4 6 2 --activation relu --batch 3 --seed 7 | [4, 6, 2]     | relu       | 3    | 7    |

    Scenario: gradcheck's text report names the network and gives one error per parameter
      When I run `scratchnet gradcheck --sizes 4 3 2 --activation relu`
      Then the command succeeds
      And its first line reads "Relative error of backpropagation vs finite differences (4→3→2, relu):"
      And it then gives the relative error of W1, b1, W2 and b2, one per line

    Scenario Outline: gradcheck's exit code says whether backpropagation agrees to 1e-5 (off by <slip>)
      Given backpropagation's first-layer weight gradients are off by a factor of 1 + <slip>
      When I run `scratchnet gradcheck`
      Then the command <ends>

      # The relative error of a gradient off by a factor 1 + s is about s / 2.
      Examples:
        | slip | ends                        |
        | 1e-4 | fails with exit code 1      |
        | 1e-6 | succeeds                    |

    Scenario Outline: An impossible gradcheck option is refused (<option> <value>)
      When I run `scratchnet gradcheck <option> <value>`
      Then the command fails with exit code 2
      And the error message names `<option>`

      Examples:
        | option       | value   |
        | --activation | softmax |
        | --batch      | 0       |
        | --sizes      | 6 0 3   |
        | --seed       | -1      |
