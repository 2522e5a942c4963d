Feature: Pictures on the site are drawn from a real run
  Every picture of a training run on the site (the loss and accuracy curves,
  the optimisers compared, the confusion matrix, the digits the network gets
  wrong, the first layer's weights and the graph autograd records) is drawn
  by the documentation build from a run of the current code. These scenarios
  read what each picture shows, point by point, cell by cell and label by
  label, and compare it with the same run computed here on its own. The runs
  are cut to 3 epochs to stay quick; the site's pictures are drawn the same
  way from the tutorial's 100.

  Rule: A picture of a training run shows that run

    Background:
      Given the tutorial's settings with epochs 3

    Scenario: The loss curve is the run's training loss, one point per epoch, on a log scale
      When the loss and accuracy picture is drawn
      Then the loss curve has one point per epoch, counted from 0, at the run's training loss
      And the loss axis is logarithmic

    Scenario: The accuracy curve is the test accuracy after each epoch, in percent
      When the loss and accuracy picture is drawn
      Then the accuracy curve has one point per epoch, counted from 0, at the test accuracy after that epoch in percent
      And the accuracy curve ends at the run's final test accuracy
      And the accuracy panel's title states the final test accuracy, to a tenth of a percent

    Scenario: The optimisers are compared on runs that differ only in the optimiser
      When the site's comparison of optimisers is drawn, each run cut to 3 epochs
      Then the picture has one curve per optimiser, labelled:
        | label                 | optimizer | learning rate |
        | SGD, lr 0.01          | sgd       | 0.01          |
        | momentum 0.9, lr 0.01 | momentum  | 0.01          |
        | Nesterov 0.9, lr 0.01 | nesterov  | 0.01          |
        | Adam, lr 0.001        | adam      | 0.001         |
      And each curve is the training loss, epoch by epoch, of a run with these settings, only the optimizer and the learning rate changed
      And the picture's title names the seed every run shares
      And on the site every run compared lasts the tutorial's 100 epochs

    Scenario: The confusion matrix counts every test digit once
      When the confusion matrix picture is drawn
      Then each cell holds how many test digits of its row's label the network predicts as its column's digit
      And the cells add up to the number of test digits
      And every cell that is not zero, and no other, has its count written on it
      And the title states the number of test digits and the test accuracy, to a tenth of a percent

    Scenario Outline: The misclassified picture shows at most <limit> of the digits the network gets wrong
      When the misclassified digits picture is drawn with at most <limit> digits
      Then it shows <limit> digits, or every wrong one if there are fewer, no test digit twice
      And each digit shown is a test digit the network gets wrong, drawn as its raw 8 × 8 grey levels
      And each digit shown is titled with the network's prediction and the true label
      And the title says how many digits it shows of how many the network gets wrong

      Examples:
        | limit |
        | 24    |
        | 5     |

    Scenario Outline: The first layer's weights show <units> hidden units, each as an 8 × 8 picture
      When the first-layer weights picture is drawn for <units> hidden units
      Then it has <units> panels, panel u showing hidden unit u's 64 incoming weights laid out as the digits' 8 × 8 pixels
      And each panel's colours run from minus to plus its largest weight's size, so zero sits in the middle
      And the picture's title says it shows hidden units 0–<last>

      Examples:
        | units | last |
        | 32    | 31   |
        | 12    | 11   |

    Scenario Outline: The <picture> picture's title names the settings of its run
      Given the settings are changed to:
        | setting       | value    |
        | hidden        | 32 16    |
        | activation    | tanh     |
        | optimizer     | momentum |
        | learning rate | 0.05     |
        | batch size    | 64       |
        | seed          | 3        |
      When the <picture> picture is drawn
      Then the picture's title names the settings "64 → 32 → 16 → 10 (tanh), momentum lr 0.05, batch 64, seed 3"

      Examples:
        | picture              |
        | loss and accuracy    |
        | misclassified digits |

    Scenario: On the site, the misclassified picture shows at most 24 digits
      When the misclassified digits picture is drawn
      Then it shows 24 digits, or every wrong one if there are fewer, no test digit twice

    Scenario: On the site, the first layer's weights show the first 32 hidden units
      When the first-layer weights picture is drawn
      Then it has 32 panels, panel u showing hidden unit u's 64 incoming weights laid out as the digits' 8 × 8 pixels

    Scenario: The first layer's weights are red where positive, blue where negative and white at zero, as the title says
      When the first-layer weights picture is drawn for 12 hidden units
      Then each panel draws its positive weights red, its negative ones blue and zero white
      And the picture's title says "red positive, blue negative"

    Scenario: The first layer's weights picture says how the digits' pixels were fed to the network
      When the first-layer weights picture is drawn for 12 hidden units
      Then the picture's title says the inputs are standardised pixels, as the run fed them

    Scenario Outline: Each axis of the <picture> picture says what it shows (<panel>)
      When the <picture> picture is drawn
      Then its panel titled "<panel>…" reads "<across>" along the bottom and "<up>" up the side, on a <scale> scale

      Examples:
        | picture             | panel               | across          | up                                  | scale  |
        | loss and accuracy   | Training loss       | epoch           | cross-entropy on the training split | log    |
        | loss and accuracy   | Test accuracy       | epoch           | accuracy on the test split (%)      | linear |
        | optimisers compared | Optimisers compared | epoch           | cross-entropy on the training split | log    |
        | confusion matrix    | Confusion matrix    | predicted digit | true digit                          | linear |

    Scenario: The confusion matrix marks its rows and its columns with the digits 0 to 9
      When the confusion matrix picture is drawn
      Then its rows and its columns are each marked 0 to 9, one digit a cell, and with nothing else

    Scenario: The darker a cell of the confusion matrix, the more digits it counts, as its colour bar shows
      When the confusion matrix picture is drawn
      Then the more digits a cell counts, the darker its colour
      And a colour bar beside the matrix runs from 0 to the largest count

    # Contrast as WCAG measures it (1 to 21). Writing white on cells above half the largest
    # count, black on the others, never gives less than 2.44 with these colours (white on
    # the cell at just over half); this run's lowest is 3.05, the tutorial's 4.31.
    Scenario: Every count on the confusion matrix stands out from its cell
      When the confusion matrix picture is drawn
      Then each count is written in a colour that contrasts with its cell's by at least 2 to 1

    # Centred exactly as drawn; a twentieth of a cell leaves room for rounding to whole
    # pixels (half a pixel is a fortieth of a cell at the 50 dots per inch the steps draw at).
    Scenario: Every count on the confusion matrix is written in the middle of its cell
      When the confusion matrix picture is drawn
      Then each count is written within a twentieth of a cell of its cell's middle

    Scenario Outline: The <picture> picture's texts lie inside it and none covers another
      When the <picture> picture is drawn
      Then every text the picture shows lies inside it, and no two overlap

      Examples:
        | picture              |
        | loss and accuracy    |
        | optimisers compared  |
        | confusion matrix     |
        | misclassified digits |
        | first-layer weights  |
        | autograd graph       |

    Scenario: A picture is written as a PNG of its size at 100 dots per inch, whatever matplotlib's own settings
      Given matplotlib's settings save figures as SVG at 72 dots per inch unless told otherwise
      When the confusion matrix picture is drawn
      And the picture is written as the site writes it
      Then the file is a PNG of the picture's size at 100 pixels an inch, marked 100 dots per inch

  Rule: The autograd picture shows the graph autograd records

    Scenario: The autograd picture shows the graph recorded for the tutorial's network
      When the graph autograd records for the tutorial's network on a batch of 32 digits is drawn
      Then the picture has one box per tensor of the recorded graph, named as the graph names it
      And one arrow per input of each operation, from the input's box to the operation's
      And each arrow is labelled with the shape of the tensor that flows along it
      And every box, arrow and label of the graph is drawn, none cut off by the picture's edge
      And the picture shows nothing but the graph: no frame, no ticks, no axis numbers

    Scenario: On the site, the autograd picture shows the graph of a batch of 32 digits
      When the graph autograd records for the tutorial's network is drawn as the site draws it, for a batch of 32 digits
      Then each arrow is labelled with the shape of the tensor that flows along it

    Scenario: The operations run down one column, each input of the graph to the left of the operation that uses it
      When the graph autograd records for the tutorial's network on a batch of 32 digits is drawn
      Then the operations stand one under another in one column, each below the operations it uses
      And each data or parameter box stands left of the operation that uses it: level with it when alone, one above and one below it when two

    Scenario: Each arrow's shape is written beside the arrow, not across it
      When the graph autograd records for the tutorial's network on a batch of 32 digits is drawn
      Then no arrow crosses a box or another arrow's label, nor runs through the middle of its own

    Scenario: The data and the parameters are told apart from the operations, and every name is written as code
      When the graph autograd records for the tutorial's network on a batch of 32 digits is drawn
      Then the data and parameter boxes are filled and outlined in colours of their own, different from the operations'
      And every box's name is written in a fixed-width font

  Rule: `python -m scratchnet.plots` writes the pictures the site shows

    Scenario: `python -m scratchnet.plots OUTDIR` writes every picture as a PNG file and prints its path
      Given an empty working folder
      When I run `python -m scratchnet.plots pictures`
      Then the command succeeds
      And the folder "pictures" holds these PNG files and no other:
        | file                    |
        | loss_accuracy.png       |
        | optimizers.png          |
        | confusion_matrix.png    |
        | misclassified.png       |
        | first_layer_weights.png |
        | autograd_graph.png      |
      And the command printed the path of each file in "pictures", one a line

    Scenario Outline: `python -m scratchnet.plots` used wrongly prints its usage and exits with status 2 (<arguments>)
      Given an empty working folder
      When I run `python -m scratchnet.plots <arguments>`
      Then the command fails with exit code 2
      And the command printed its usage, "usage: python -m scratchnet.plots OUTDIR"
      And the working folder is still empty

      Examples:
        | arguments         |
        | --help            |
        | one two           |
        | --mnist data      |
        | --mnist a b c     |

    Scenario Outline: `python -m scratchnet.plots <command>` writes into a folder that exists, or makes it and its parents
      Given an empty working folder
      And a folder "mnist" of MNIST as CSV files, with 40 training and 10 test images of random pixels
      And an empty folder "existing"
      When I run `python -m scratchnet.plots <command>`
      Then the command succeeds
      And the command printed the path of each file in "<folder>", one a line

      Examples:
        | command                         | folder            |
        | existing                        | existing          |
        | new/site/pictures               | new/site/pictures |
        | --mnist mnist existing          | existing          |
        | --mnist mnist new/site/pictures | new/site/pictures |

    Scenario: `python -m scratchnet.plots` takes its arguments from the command line it was started with
      Given an empty working folder
      When `python -m scratchnet.plots pictures` is started from a shell
      Then the command succeeds
      And the command printed the path of each file in "pictures", one a line

    Scenario: The MNIST page's pictures are drawn from a run with the real-MNIST scenario's settings
      Given the settings of the real-MNIST scenario in mnist.feature, with its first seed
      Then the MNIST page's pictures are drawn from a run with exactly those settings

    Scenario: `python -m scratchnet.plots --mnist DATA_DIR OUTDIR` writes the pictures the MNIST page shows
      Given an empty working folder
      And a folder "mnist" of MNIST as CSV files, with 40 training and 10 test images of random pixels
      When I run `python -m scratchnet.plots --mnist mnist pictures`
      Then the command succeeds
      And the folder "pictures" holds these PNG files and no other:
        | file                    |
        | loss_accuracy.png       |
        | confusion_matrix.png    |
        | first_layer_weights.png |
      And the files in "pictures" are the pictures the MNIST page shows, each committed for the site
      And the command printed the path of each file in "pictures", one a line

    Scenario: The MNIST page's pictures name MNIST's 784 pixels in their titles
      Given an empty working folder
      And a folder "mnist" of MNIST as CSV files, with 40 training and 10 test images of random pixels
      And the MNIST page's settings, with the MNIST files in "mnist"
      When the loss and accuracy picture is drawn
      Then the picture's title names the settings "784 → 128 → 10 (relu), adam lr 0.001, batch 32, seed 0"

    Scenario: The MNIST page's first-layer weights picture says how MNIST's pixels were fed to the network
      Given an empty working folder
      And a folder "mnist" of MNIST as CSV files, with 40 training and 10 test images of random pixels
      And the MNIST page's settings, with the MNIST files in "mnist"
      When the first-layer weights picture is drawn for 12 hidden units
      Then the picture's title says the inputs are pixels divided by 255, as the run fed them
