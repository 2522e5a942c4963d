Feature: Command line
  `scratchnet train` trains the tutorial's network on the digits and reports
  how well it does on the test images; every setting has an option, and the
  defaults are the tutorial's. `--json` prints the report as one JSON object
  for other programs to read, `--save` keeps the trained network in a file,
  and `scratchnet evaluate` scores a saved network again. A mistake in the
  options stops the command before any training, with a message naming the
  option and exit code 2.

  @slow
  Scenario: Every seed from 0 to 9 gives a test accuracy above 0.90
    When `scratchnet train --json --seed S` is run for each seed S from 0 to 9
    Then every report gives a test accuracy above 0.90

  Scenario: The JSON report holds the results and the settings
    When I run `scratchnet train --json --seed 0 --epochs 30`
    Then the command succeeds
    And it prints one JSON object
    And the report's seed is 0 and its training loss has 30 values, one per epoch
    And the report gives the seconds the run took and every setting, with 30 epochs

  Scenario: Text output shows the loss every 10 epochs and the test accuracy
    When I run `scratchnet train --seed 0 --epochs 30`
    Then the command succeeds
    And it prints "Epoch N, Loss: x.xxxx" for every 10th epoch from 0 to 20
    And its last line reads "Test Accuracy: xx.xx%"

  Scenario: A saved network scores the same when evaluated again
    Given an empty working folder
    When I run `scratchnet train --json --seed 3 --epochs 20 --save model.npz`
    And the saved network is scored again with `scratchnet evaluate --json model.npz`
    Then both reports give the same test accuracy

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

  Scenario Outline: Each setting beyond the tutorial has an option (<option> <value>)
    When I run `scratchnet train --json --epochs 3 <option> <value>`
    Then the command succeeds
    And the report's setting <setting> is <expected>

    Examples:
      | option       | value    | setting       | expected  |
      | --hidden     | 32 16    | hidden        | [32, 16]  |
      | --activation | tanh     | activation    | "tanh"    |
      | --init       | he       | init          | "he"      |
      | --optimizer  | nesterov | optimizer     | "nesterov"|
      | --momentum   | 0.5      | momentum      | 0.5       |
      | --lr         | 0.05     | learning_rate | 0.05      |
      | --batch-size | 64       | batch_size    | 64        |
      | --dtype      | float32  | dtype         | "float32" |
      | --l2         | 0.001    | l2            | 0.001     |
      | --dropout    | 0.2      | dropout       | 0.2       |
      | --clip-norm  | 5        | clip_norm     | 5.0       |
      | --patience   | 4        | patience      | 4         |

  Scenario: Early stopping holds out part of the training digits and stops when their loss stalls
    When I run `scratchnet train --json --optimizer adam --lr 0.01 --early-stopping --patience 3`
    Then the command succeeds
    And the report's setting early_stopping is true
    And the report records a validation loss for every epoch it ran
    And the report says training stopped early, before epoch 100

  Scenario: A learning rate far too high stops training with a message
    When I run `scratchnet train --lr 50`
    Then the command fails with exit code 1
    And the error message says training diverged, naming the epoch and learning rate 50

  Scenario: The installed `scratchnet` command runs
    When the installed command `scratchnet train --json --epochs 2` is run in a new process
    Then the command succeeds
    And it prints one JSON object
    And the report's seed is 0 and its training loss has 2 values, one per epoch
