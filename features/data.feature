Feature: Data
  The digits are 1,797 images of 8 × 8 pixels, each pixel a grey level from 0
  to 16, labelled with the digit they show. Before training, a fifth of them
  are set aside for testing, chosen at random with a seed. Every pixel is then
  standardised, shifted and scaled to mean 0 and standard deviation 1, using
  statistics from the training images only: the tutorial fits its scaler on
  all the images before splitting, which lets the test images shape the
  training data they are later compared with. Labels become one-hot rows for
  training.

  Rule: A seed decides which fifth of the images is set aside for testing

    Background:
      Given the numbers 0 to 1796, one for each digit image

    Scenario: Four fifths of the images are for training, one fifth for testing
      When they are split with each seed from 0 to 9
      Then every split has 1437 numbers for training and 360 for testing
      And in every split each number is in exactly one of the two parts

    Scenario: The same seed gives the same split
      When they are split twice with seed 3
      Then both splits are the same

    Scenario: Different seeds give different splits
      When they are split with each seed from 0 to 9
      Then no two seeds give the same test part

    Scenario: Without a seed, the split is the one seed 0 gives
      When they are split once without a seed and once with seed 0
      Then both splits are the same

  Rule: Loading the digits, the share set aside and the precision are settings

    Scenario: Without settings, a fifth is set aside with seed 0, in double precision
      When the digits are loaded without settings
      Then they are the digits loaded with a test fraction of 0.2, seed 0 and float64, bit for bit

    Scenario: Half of the digits can be set aside for testing
      When the digits are loaded with a test fraction of 0.5 and seed 0
      Then 898 digits are for training and 899 for testing

    Scenario Outline: Pixels load as <dtype> numbers, labels as whole numbers
      When the digits are loaded in <dtype> with seed 0
      Then every standardised pixel, training and test, is stored as <dtype>
      And every label, training and test, is a whole number

      Examples:
        | dtype   |
        | float64 |
        | float32 |

    Scenario: The raw test images are kept, 8 × 8 grey levels each
      When the digits are loaded in float64 with seed 0
      Then each test image is the 8 × 8 grey levels of a digit with that test row's label

    Scenario: The digits can keep their raw grey levels, for a standardiser fitted later
      A caller that holds out more training rows first (to watch training
      on them) fits its own standardiser on the rows it trains on.

      When the digits are loaded with seed 0 without standardising
      Then every pixel, training and test, is its image's grey level from 0 to 16, bit for bit
      And the digits come with no standardiser

  Rule: Pixels are standardised with statistics from the training images only

    Scenario: Standardised training pixels have mean 0 and standard deviation 1
      Given the digits split with seed 0
      Then every training pixel that varies has mean 0 and standard deviation 1 within 1e-12
      And the test pixels do not: some test pixel's mean is more than 0.05 away from 0

    Scenario: The standardiser learns nothing from the test images
      Given the digits split with seed 5
      When the digits are loaded again with seed 5 after every test image is replaced by random noise
      Then the standardiser's means and standard deviations are unchanged, bit for bit
      And the standardised training pixels are unchanged, bit for bit
      But the standardised test pixels have changed

    Scenario: Fitting on training images only gives other statistics than fitting on all images
      Given the digits split with seed 0
      Then some pixel's training mean differs from its mean over all 1797 images by more than 0.05

    Scenario: A pixel that never varies is shifted but not scaled
      A pixel that is blank in every training image has standard deviation 0;
      dividing by it would give infinities. It is divided by 1 instead.

      Given a standardiser fitted on these training rows:
        | pixel a | pixel b |
        | 1       | 5       |
        | 3       | 5       |
      When it standardises these rows:
        | pixel a | pixel b |
        | 1       | 5       |
        | 2       | 7       |
      Then the standardised rows are:
        | pixel a | pixel b |
        | -1      | 0       |
        | 0       | 2       |

    Scenario: The digits' blank pixels are divided by 1, and no pixel becomes infinite
      Given the digits split with seed 0
      Then every pixel that never varies in the training images is divided by 1
      And every standardised pixel, training and test, is a finite number

  Rule: Labels become one-hot rows

    Scenario: A one-hot row has a single 1, in the label's column
      When the labels 3, 0 and 9 are one-hot encoded
      Then the rows are:
        | label | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |
        | 3     | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |
        | 0     | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
        | 9     | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |

    Scenario: Every training label of the digits becomes a row with one 1
      Given the digits split with seed 0
      When the training labels are one-hot encoded
      Then every row has ten entries, all 0 except a single 1 in the column of its label
