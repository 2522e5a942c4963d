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

      Examples:
        | units |
        | 32    |
        | 12    |

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

  Rule: The autograd picture shows the graph autograd records

    Scenario: The autograd picture shows the graph recorded for the tutorial's network
      When the graph autograd records for the tutorial's network on a batch of 32 digits is drawn
      Then the picture has one box per tensor of the recorded graph, named as the graph names it
      And one arrow per input of each operation, from the input's box to the operation's
      And each arrow is labelled with the shape of the tensor that flows along it

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
