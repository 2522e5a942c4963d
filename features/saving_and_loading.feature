Feature: Saving and loading
  A trained network can be written to a file and read back later, to keep
  using it without training again. The file is a NumPy .npz archive: the
  architecture as plain text and one array per weight matrix and bias. It
  holds no pickled Python objects, because unpickling a file can run any
  code its author chose; loading refuses such content. Saving writes to a
  temporary file first and then renames it into place, so a crash halfway
  never leaves a broken model behind. The temporary file sits beside the
  model file, so the rename stays on one file system, and is hidden and
  named after it (`.model.npz.`, random letters, `.tmp`), so a file left by
  a program killed outright says what it is. Folders that do not exist yet
  are created. A file that cannot be used is refused with a message that
  names it and says what is wrong with it.

  Scenario Outline: A trained network comes back bit for bit (<dtype>, hidden layers <hidden>, <activation>)
    Given the tutorial's settings
    And the settings are changed to:
      | setting    | value        |
      | hidden     | <hidden>     |
      | dtype      | <dtype>      |
      | activation | <activation> |
      | epochs     | 5            |
    When the network is trained with seed 0
    And it is saved to a file and loaded back
    Then the loaded network has the same layers and the same number type
    And every weight and bias of the loaded network is identical, bit for bit
    And the loaded network predicts exactly the same probabilities for the test digits

    Examples:
      | dtype   | hidden   | activation |
      | float64 | 128      | relu       |
      | float32 | 128      | relu       |
      | float64 | 64 32    | leaky_relu |
      | float32 | 32 32 16 | tanh       |

  Scenario: A network with dropout comes back with its dropout layers
    Given a 64 → 128 → 10 network with dropout rate 0.5 after its hidden layer, seed 0
    When the network is saved to a file and loaded back
    Then the loaded network has the same layers and the same number type
    And the loaded network predicts exactly the same probabilities for the test digits

  Scenario Outline: A layer is shown with the settings that rebuild it (<layer>)
    When <layer> is shown
    Then it reads <text>

    Examples:
      | layer                             | text                                                    |
      | a dense layer from 64 to 16 units | Dense(in_features=64, out_features=16, init='tutorial') |
      | a dropout layer at rate 0.25      | Dropout(rate=0.25)                                      |
      | a ReLU layer                      | ReLU()                                                  |
      | a leaky ReLU layer with slope 0.1 | LeakyReLU(negative_slope=0.1)                           |

  Scenario: A network is shown layer by layer, each with its settings
    When a 3 → 2 → 2 network with ReLU is shown
    Then it reads, line by line:
      """
      Network([
          Dense(in_features=3, out_features=2, init='tutorial'),
          ReLU(),
          Dense(in_features=2, out_features=2, init='tutorial'),
      ])
      """

  Scenario: The file holds only plain arrays of numbers and text
    Given a network trained with the tutorial's settings and seed 0
    When it is saved to a file
    Then NumPy reads every array in the file with pickling turned off
    And no array in the file holds Python objects

  Scenario: A file with a pickled object in it is refused
    Given a model file whose architecture entry is a pickled Python object
    When the file is loaded
    Then it is refused with a ValueError that names "allow_pickle=False"

  Scenario: A crash while saving leaves the previous file intact
    Given a network trained with the tutorial's settings and seed 0
    And it is saved to a file
    When the computer fails halfway through saving another network to the same file
    Then the file still holds the first network, byte for byte
    And no temporary file is left beside it

  Scenario Outline: A file that is not a scratchnet model is refused with a clear message (<case>)
    Given <case>
    When the file is loaded
    Then it is refused with a ValueError that names "<words>"

    Examples:
      | case                                           | words                       |
      | an empty file with a .npz name                 | not a scratchnet model file |
      | a text file with a .npz name                   | not a scratchnet model file |
      | a saved model cut off halfway                  | not a scratchnet model file |
      | a saved model with a few bytes changed         | not a scratchnet model file |
      | an .npz archive of numbers with no model in it | not a scratchnet model file |
      | a model file from a newer format version       | format version 2            |
      | a model file missing one weight array          | parameter arrays            |

  Scenario Outline: Each kind of wrong file gets a message of its own, with no advice about pickles (<case>)
    Given <case>
    When the file is loaded
    Then it is refused with a ValueError that names "<words>"
    And the message says nothing about pickles

    Examples:
      | case                                           | words                                        |
      | a text file named notes.txt                    | is not an .npz archive                       |
      | a text file with a .npz name                   | is not an .npz archive                       |
      | an empty file with a .npz name                 | is empty                                     |
      | a single NumPy array saved as a .npy file      | holds a single NumPy array                   |
      | an .npz archive of numbers with no model in it | is an .npz archive, but not a scratchnet model |
      | a model file from a newer format version       | was written by a newer version of scratchnet |

  Scenario: Evaluating a text file says it is not a model, and nothing about pickles
    Given an empty working folder
    And a text file named notes.txt
    When I run `scratchnet evaluate notes.txt`
    Then the command fails with exit code 2
    And its error says "'notes.txt' is not a scratchnet model file: it is not an .npz archive"
    And its error says nothing about pickles

  Scenario Outline: A model file that cannot be used is refused with a message naming the file and what is wrong (<case>)
    Given <case>
    When the file is loaded
    Then it is refused with a ValueError that names "model.npz"
    And it is refused with a ValueError that names "<words>"

    Examples:
      | case                                                             | words                   |
      | a model file from a newer format version                         | upgrade scratchnet      |
      | a model file with format version 0                               | format version 0        |
      | a text file with a .npz name                                     | scratchnet train --save |
      | an .npz archive of images and labels with no model in it         | it holds images, labels |
      | an empty .npz archive                                            | it holds nothing        |
      | an .npz archive whose arrays have damaged headers                | damaged .npz archive    |
      | an .npz archive whose entries are not NumPy arrays               | not a NumPy array       |
      | a model file whose architecture entry is a pickled Python object | architecture            |
      | a model file whose architecture entry is a pickled Python object | holds Python objects    |
      | a model file whose architecture entry is a pickled Python object | can run any code        |
      | a model file whose weights are whole numbers                     | int64                   |
      | a model file with a NaN weight                                   | NaN                     |
      | a model file with a weight array of the wrong shape              | expected (4, 3)         |
      | a model file whose metadata is not a dict                        | metadata not a dict     |
      | a model file whose architecture has no dense layer               | Dense                   |
      | a model file whose architecture lists a layer as a number        | got int                 |
      | a model file naming a layer type scratchnet does not have        | layer type              |

  Scenario Outline: A wrong argument to saving or loading is refused, naming the argument and what was given (<attempt>)
    When <attempt>
    Then the refusal is a <error> that names "<argument>" and "<given>"

    Examples:
      | attempt                                                  | error      | argument | given  |
      | the text "abc" is saved as if it were a network          | TypeError  | network  | str    |
      | a network is saved with a list as its metadata           | TypeError  | metadata | list   |
      | a network is saved with metadata holding a Python object | TypeError  | metadata | object |
      | a network is saved to the number 3 as its path           | TypeError  | path     | int    |
      | a network is saved to a path object that gives bytes     | TypeError  | path     | bytes  |
      | a model is loaded from a path object that gives bytes    | TypeError  | path     | bytes  |
      | a network is saved to a path with a NUL character in it  | ValueError | path     | NUL    |
      | a model is loaded from a path with a NUL character in it | ValueError | path     | NUL    |

  Scenario: Saving into folders that do not exist yet creates them
    Given a network trained with the tutorial's settings and seed 0
    When it is saved as runs/monday/model.npz
    Then the file holds the network, bit for bit

  Scenario: Checking where a network will be saved creates the folders that do not exist yet
    When runs/monday/model.npz is checked as a place to save
    Then the folder runs/monday exists and holds nothing

  Scenario: A place where nothing can be saved is refused with the system's reason
    When /proc/model.npz is checked as a place to save
    Then the refusal is a ValueError that names "/proc/model.npz" and "No such file or directory"
    And the refusal quotes no path but that one

  Scenario: The network is written to a hidden temporary file beside the target, then renamed into place
    Given a network trained with the tutorial's settings and seed 0
    When it is saved to a file, watching its folder while the data is written
    Then while the data was written, the folder held one new file, named after the model file, hidden and ending in .tmp
    And no temporary file is left beside it

  Scenario: Ctrl-C just as the new file is put in place stops saving with the interrupt and keeps the file
    Given a network trained with the tutorial's settings and seed 0
    When it is saved to a file and Ctrl-C is pressed just as the file is renamed into place
    Then saving stops with the interrupt, not with another error
    And the file holds the network, bit for bit
