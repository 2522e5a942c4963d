Feature: Checking your own network
  The tutorial ends by inviting its reader to build a network of their own.
  The scenarios of the tutorial's stages can check that network too: any class
  with the tutorial's constructor (input, hidden and output sizes), the arrays
  W1, b1, W2 and b2, and the methods forward, compute_loss, backward, train and
  predict. `scratchnet check package.module:ClassName` runs those scenarios
  against the class and reports each stage; a teacher can name a whole class
  of students' networks in one command, and gets a report for each of them.
  The project keeps example classes for this in examples/implementations:
  correct ones in several styles, and others that each make one deliberate
  mistake, which the check must catch first at the stage the mistake belongs
  to, saying in plain words what was expected and what the network did. The
  examples are checked the way a teacher would check them, all in one
  command at every stage, once for all the scenarios below.

  Scenario: A class without the tutorial's methods is turned away before any stage runs
    When scratchnet's general Network class is named for checking
    Then it is refused with a TypeError that names compute_loss and train

  Scenario: Away from the specification, the check says where it looked
    When I run `scratchnet check mynet:NeuralNetwork --specs nowhere`
    Then the command fails with exit code 2
    And the error message says to run from a scratchnet checkout or pass --specs

  # The verdicts on the example classes: one check of every example at every stage,
  # shared by the scenarios of this block.

  @slow
  Scenario Outline: A correct network passes every stage, whatever its style (<example>)
    Correct networks differ in ways that change their last digits, not their
    behaviour: each of these passes every stage.

    When the example network "<example>" is checked at every stage
    Then every stage checked passes

    Examples:
      | example         | style                                                                                 |
      | correct         | vectorised, float64, softmax shifted by the row's largest score                       |
      | correct_float32 | every array float32, W2 drawn before W1                                               |
      | correct_loops   | gradients summed row by row, softmax through log-sum-exp, log(p + 1e-8), W2 drawn first |

  @slow
  Scenario Outline: A mistake is reported first at the stage it belongs to (<example>)
    Each example is the correct network with one mistake a learner makes,
    named in its file. The stages run in the tutorial's order and each uses
    only the methods it is about, so the first stage to fail is the one to
    fix first; later stages may fail because of it.

    When the example network "<example>" is checked at every stage
    Then the first stage to fail is <stage>, saying what each scenario expected
    And every stage before it passes

    Examples:
      | example                | stage               |
      | unscaled_weights       | initialisation      |
      | forgotten_bias         | forward propagation |
      | unshifted_softmax      | softmax             |
      | softmax_wrong_axis     | softmax             |
      | summed_loss            | loss                |
      | no_relu_derivative     | backpropagation     |
      | frozen_biases          | backpropagation     |
      | uphill_biases          | backpropagation     |
      | gradients_not_averaged | backpropagation     |
      | unshuffled_train       | training            |
      | labels_apart           | training            |
      | last_batch_dropped     | training            |
      | predict_probabilities  | prediction          |
      | prints_every_epoch     | complete example    |

  @slow
  Scenario Outline: The report says how a gradient step went wrong (<example>)
    When the example network "<example>" is checked at every stage
    Then a failure of the backpropagation stage says "<said>"

    Examples:
      | example                | said                                                           |
      | uphill_biases          | b1 moved the wrong way, uphill                                 |
      | frozen_biases          | b2 did not move at all                                         |
      | gradients_not_averaged | the batch size: is the gradient divided by the number of rows? |

  # End of the block of verdicts on the example classes.

  @slow
  Scenario: A teacher checks several networks in one command, each reported on its own
    When every example network is checked in one command at every stage
    Then the report has one part per example, in the order they were named
    And each part names the stages its example failed:
      | example            | failed stages   |
      | correct            | none            |
      | no_relu_derivative | backpropagation |
      | unshifted_softmax  | softmax         |
      | frozen_biases      | backpropagation |
    And the command fails with exit code 1

  # The check itself. Each class is checked in a process of its own, so that nothing one
  # submission does can change another's verdict. The scenarios below share one check of
  # two example networks (correct and unshifted_softmax) and the misbehaving submissions
  # in examples/implementations/misbehaving, run from a fresh copy of the specification
  # at the stages from initialisation to backpropagation, with a JSON, a JUnit XML and a
  # Markdown report.

  @slow
  Scenario: A module that does not import is reported on its own while the others are graded
    When the example networks and the misbehaving submissions are checked in one command
    Then the report is one JSON object with a part for every class, in the order they were named
    And the part for "does_not_import" says the class could not be checked, naming the missing module
    And every other part has a verdict for every stage checked

  Scenario: A class that cannot be driven the tutorial's way gets one message naming every reason
    When the misbehaving submission "wrong_constructor" is named for checking
    Then it is refused with one TypeError that names train and the constructor's sizes

  @slow
  Scenario Outline: A submission that patches NumPy when it is imported changes no other verdict
    The submission patches_numpy replaces np.array_equal by a function that
    always says "equal"; checked in the same process, every other class
    failed initialisation.

    When the example networks and the misbehaving submissions are checked in one command
    And the example network "<example>" is checked on its own at the same stages
    Then it gets the same verdict and the same failures at every stage in both checks

    Examples:
      | example           |
      | correct           |
      | unshifted_softmax |

  @slow
  Scenario: A correct submission that prints megabytes passes, and the JSON report stays whole
    When the example networks and the misbehaving submissions are checked in one command
    Then "prints_megabytes" passes every stage checked
    And the standard output holds the JSON report and nothing else

  @slow
  Scenario: An error raised in the class's own code is shown once, with its method, file and line
    When the example networks and the misbehaving submissions are checked in one command
    Then the first error "raises" raised is named with NeuralNetwork.forward, raises.py and its line
    And no failure of "raises" shows pytest's or Hypothesis's internals
    And every later error from that line refers to the first instead of repeating it

  @slow
  Scenario: The first failing stage is the one to fix first; later failures may follow from it
    When the example networks and the misbehaving submissions are checked in one command
    Then "raises" is to be fixed first at forward propagation
    And every later stage "raises" fails is marked as possibly following from forward propagation

  @slow
  Scenario: The report is also written as JUnit XML and as a Markdown summary
    When the example networks and the misbehaving submissions are checked in one command
    Then the JUnit XML has a test suite per class and stage, with a test case per scenario
    And its failures are the JSON report's failures
    And the Markdown summary has a row per class with its verdict and the stage to fix first

  @slow
  Scenario: Checking writes nothing into the specification or the folder it runs from
    When the example networks and the misbehaving submissions are checked in one command
    Then no file of the specification's copy, which it ran from, was added, removed or changed

  @slow
  Scenario: A class that hangs or ends its process fails that stage on its own
    When "hangs", "exits" and the correct example are checked at the loss stage, 30 seconds allowed per stage
    Then "hangs" fails the loss stage, saying it took longer than 30 s
    And "exits" fails the loss stage, saying its process ended
    And the correct example passes the loss stage

  @slow
  Scenario: A stage none of whose scenarios was selected is never reported as passed
    When the correct example is checked at forward_propagation and softmax, selecting only "keeps every intermediate result"
    Then the forward propagation stage passes with 1 scenario
    And the softmax stage is not passed, saying that no scenario of it ran
    And the command fails with exit code 1

  Scenario Outline: A stage may be named with spaces, underscores or hyphens
    When the stage "<name>" is asked for
    Then the forward propagation stage is checked

    Examples:
      | name                |
      | forward propagation |
      | forward_propagation |
      | forward-propagation |
      | Forward-Propagation |

  # The command itself: its help, its refusals, and what it reports before any stage runs.
  # A submission whose file does not exist is reported without starting any process.

  Scenario Outline: The help says what each option of check does (<option>)
    When I run `scratchnet check --help`
    Then the command succeeds
    And the help for `<option>` says "<what it says>"

    Examples:
      | option      | what it says                                                                                                                                                                                                                                    |
      | CLASS       | CLASS a class to check: a file (alice.py), a module (alice) or either followed by :ClassName (alice.py:Net); the class is NeuralNetwork when not named. Name several to check a whole class of students' networks, each in a process of its own |
      | --stage     | --stage NAME check only this stage (repeatable), e.g. --stage softmax or --stage forward_propagation (default: all eight)                                                                                                                       |
      | --specs     | --specs DIR the checkout holding features/ and steps/ (default: the current folder, else the folder scratchnet was installed from with pip install -e)                                                                                          |
      | --json      | --json print the report as one JSON object                                                                                                                                                                                                      |
      | -j          | -j N, --workers N classes checked at the same time (default: one per core)                                                                                                                                                                      |
      | --timeout   | --timeout SECONDS stop a class's stage after this long and fail it (default: 300)                                                                                                                                                               |
      | --all-seeds | --all-seeds train with every seed the scenarios name (default: the first 3 of each scenario that trains once per seed)                                                                                                                          |
      | -k          | -k EXPRESSION only the scenarios whose names match                                                                                                                                                                                              |
      | --junit-xml | --junit-xml FILE also write the report as JUnit XML                                                                                                                                                                                             |
      | --markdown  | --markdown FILE also write a Markdown summary (for a CI job summary)                                                                                                                                                                            |
      | -v          | -v, --verbose also say when each stage of a class ends                                                                                                                                                                                          |

  Scenario: A submission whose file is missing is reported on its own, each class named once
    Given an empty working folder
    When I run `scratchnet check missing.py lab/missing missing.py --json`
    Then the report has a part for "missing.py" and one for "lab/missing", in that order
    And the part for "missing.py" says the class could not be checked: "there is no file missing.py"
    And the report's time is no more than the command took, and no process used the processor
    And the command fails with exit code 1

  Scenario: Each class is announced on standard error as it finishes
    Given an empty working folder
    When I run `scratchnet check missing.py`
    Then standard error is the one line "[1/1] missing.py: Failed: could not be checked (there is no file missing.py). (0.0 s, 0.0 s of CPU)"
    And the report says "Failed: could not be checked (there is no file missing.py)."

  Scenario: The report is also written as JUnit XML and as Markdown when no class could be checked
    Given an empty working folder
    When I run `scratchnet check missing.py --junit-xml report.xml --markdown summary.md`
    Then the files report.xml and summary.md both name "missing.py"
    And report.xml's one test suite, "missing.py", has one test case, in error: "there is no file missing.py"
    And summary.md's row for "missing.py" says "could not be checked", with no stage to fix first

  Scenario Outline: The report states the settings the check ran with (<arguments>)
    Given an empty working folder
    When I run `scratchnet check <arguments> --json`
    Then the report's check setting <setting> is <value>

    Examples:
      | arguments                                           | setting | value                                                                                                                         |
      | missing.py                                          | workers | 1                                                                                                                             |
      | missing.py other.py third.py -j 1                   | workers | 1                                                                                                                             |
      | missing.py                                          | timeout | 300.0                                                                                                                         |
      | missing.py --timeout 0.5                            | timeout | 0.5                                                                                                                           |
      | missing.py                                          | seeds   | 3                                                                                                                             |
      | missing.py --all-seeds                              | seeds   | "all"                                                                                                                         |
      | missing.py -k scores                                | select  | "scores"                                                                                                                      |
      | missing.py --stage loss --stage Forward-Propagation | stages  | ["forward propagation", "loss"]                                                                                               |
      | missing.py                                          | stages  | ["initialisation", "forward propagation", "softmax", "loss", "backpropagation", "training", "prediction", "complete example"] |

  Scenario Outline: A submission names a file or module and, after a colon, a class (<submission>)
    Given an empty working folder
    When I run `scratchnet check '<submission>' --json`
    Then the part for "<submission>" says the class could not be checked: "<said>"

    Examples:
      | submission           | said                                                                                                                          |
      | lab/missing          | there is no file lab/missing                                                                                                  |
      | lab:1/missing.py:Net | there is no file lab:1/missing.py                                                                                             |
      | C:\work\missing.py   | there is no file C:\work\missing.py                                                                                           |
      | C:/work/missing.py   | there is no file C:/work/missing.py                                                                                           |
      | lab::missing.py      | there is no file lab::missing.py                                                                                              |
      | missing.py:1Net      | implementation must look like path/to/file.py, package.module or either of them followed by :ClassName, got 'missing.py:1Net' |

  Scenario Outline: A check that cannot run is refused before any class is checked (<arguments>)
    When I run `scratchnet check missing.py <arguments>`
    Then the command fails with exit code 2
    And the error message says "<said>"

    Examples:
      | arguments            | said                                                                                                                                                 |
      | --workers 0          | --workers must be a whole number >= 1, got 0                                                                                                         |
      | --timeout 0          | --timeout must be a number of seconds > 0, got 0.0                                                                                                   |
      | --stage Soft_Max_Job | stage must be one of backpropagation, complete example, forward propagation, initialisation, loss, prediction, softmax, training; got 'Soft_Max_Job' |
      | --specs nowhere      | the specification suite (features/ and steps/) is not in nowhere; run from a scratchnet checkout or pass --specs DIR                                 |

  Scenario: A folder with features/ but no steps/ is not taken for the specification
    Given an empty working folder
    And a folder "half" holding only features/
    When I run `scratchnet check missing.py --specs half`
    Then the command fails with exit code 2
    And the error message says "the specification suite (features/ and steps/) is not in half"

  Scenario: Checked from Python, the check prints no progress unless asked to
    Given an empty working folder
    When "missing.py" is checked from Python
    Then nothing is printed on standard error

  Scenario: Without pytest and pytest-bdd, the check says how to install them
    Given neither pytest nor pytest-bdd can be imported
    When I run `scratchnet check missing.py`
    Then the command fails with exit code 2
    And the error message says "scratchnet check runs the specification suite and needs pytest and pytest-bdd; install them with: pip install -e ".[test]""

  Rule: Every form of the report gives each class's verdict at each stage, and what its failures expected
    The scenarios of this rule run the check in this process, so that the report is
    made where they can watch it; each class's stage still runs in a process of its
    own. They share two checks of the same three classes, all three at once, at two
    scenarios of forward propagation: the correct example; forgotten_bias, which leaves
    b1 out of Z1; and the misbehaving exits, whose forward ends its process. One check
    prints its report as text and says when each stage ends; the other prints it as
    JSON and writes it as JUnit XML and as Markdown.

    Background:
      Given these classes to check at forward propagation:
        | class          |
        | correct        |
        | forgotten_bias |
        | exits          |
      And only these of its scenarios:
        | scenario                                    |
        | The network keeps every intermediate result |
        | Each layer is a matrix product plus a bias  |

    Scenario: The text report says which class passed the stage, and how many scenarios it passed
      When the check prints its report
      Then the part on "correct" has the line "passed  forward propagation  2 scenarios"
      And the part on "correct" ends with "Not checked: initialisation, softmax, loss, backpropagation, training, prediction, complete example"

    Scenario: The text report says which scenario a class failed, what it expected and what it got
      When the check prints its report
      Then the part on "forgotten_bias" has the line "FAILED  forward propagation  1 of 2 scenarios failed  <- fix this stage first"
      And under it "Each layer is a matrix product plus a bias" is named, saying "should agree with the sums written out entry by entry within 1e-12; the largest difference is"

    Scenario: The text report says during which scenario a class's process ended
      When the check prints its report
      Then the part on "exits" has the line "FAILED  forward propagation  no scenario reported  <- fix this stage first"
      And under it, it says "the process ended (exit code 3) during “The network keeps every intermediate result” without reporting"

    Scenario: The text report ends with the classes that failed and the stage each should fix first
      When the check prints its report
      Then the report ends with these lines:
        """
        2 of 3 classes failed:
          examples.implementations.forgotten_bias:NeuralNetwork: Failed: fix forward propagation first.
          examples/implementations/misbehaving/exits.py: Failed: fix forward propagation first.
        """
      And the command fails with exit code 1

    Scenario: Each stage, then each class, is announced on standard error as it ends
      When the check prints its report
      Then standard error has a line for each class's stage, then one for the class, numbered as they finish:
        | class          | stage                                           | class's verdict                        |
        | correct        | forward propagation passed (2 passed)           | Every stage checked passed.            |
        | forgotten_bias | forward propagation FAILED (1 failed, 1 passed) | Failed: fix forward propagation first. |
        | exits          | forward propagation FAILED (no scenario)        | Failed: fix forward propagation first. |

    Scenario: The JSON report gives each class's verdict and counts at the stage
      When the check writes its report as JSON, JUnit XML and Markdown
      Then the JSON report's verdicts at forward propagation are:
        | class          | passed | counts             | fix first           |
        | correct        | yes    | 2 passed           |                     |
        | forgotten_bias | no     | 1 failed, 1 passed | forward propagation |
        | exits          | no     | none               | forward propagation |
      And the command fails with exit code 1

    Scenario: The JSON report names each failing scenario and says what it expected
      When the check writes its report as JSON, JUnit XML and Markdown
      Then the JSON report's one failure of "forgotten_bias" is "Each layer is a matrix product plus a bias", saying "should agree with the sums written out entry by entry within 1e-12; the largest difference is"
      And the JSON report lists the scenarios each class ran, in the order they ran

    Scenario: The JSON report says why a stage whose process ended has no verdict on its scenarios
      When the check writes its report as JSON, JUnit XML and Markdown
      Then the JSON report's stage of "exits" has a problem, saying "the process ended (exit code 3) during “The network keeps every intermediate result” without reporting"
      And no other class's stage has a problem

    Scenario: The JSON report's times add up
      When the check writes its report as JSON, JUnit XML and Markdown
      Then each class's time is no less than its stage's, and no more than the check's
      And the check's processor time is its classes' together, each of which used the processor

    Scenario: The JUnit XML report has a test suite per class and stage, and a test case per scenario
      When the check writes its report as JSON, JUnit XML and Markdown
      Then the JUnit XML's test suites count the JSON report's scenarios, failures and time at each stage
      And each test suite's test cases are the JSON report's scenarios, each failure with its message

    Scenario: The Markdown summary has a row per class and the text report of each class that failed
      When the check writes its report as JSON, JUnit XML and Markdown
      Then the Markdown summary's title counts the classes that passed in the JSON report
      And the Markdown summary has a row per class with its verdict, the stage to fix first and the stages that may follow from it
      And below the table is the text report's part on each class that failed, and on no other
