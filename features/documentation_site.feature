Feature: The documentation site
  The site is living documentation. It is built from the code and from the
  last test run: every feature file becomes a page that marks each scenario
  as passed, failed or not run, and the pictures are drawn from real training
  runs while the site is built, so nothing on it can fall behind the code.
  HTML that builds can still look broken to a reader, so the first scenarios
  open the built site in a real browser (headless Chromium) as a reader would.
  Every figure a page shows comes from a run too: from a value a scenario
  recorded in this commit, from code run while the site is built, or it is
  marked as a definition; a figure typed by hand into a table or an output
  block, or a measured-looking figure typed into prose, fails the build. The
  mutation-testing table shows what the recorded mutation runs measured. The
  last scenario checks that the published site comes from the same checks as
  continuous integration.

  Rule: A reader sees the built site working in a browser

    Background:
      Given the documentation site is built from the current code and served locally

    @browser
    Scenario: The specification page shows scenario status marks
      When a reader opens the specification page of the softmax feature
      Then every scenario of the feature is headed by a status mark
      And every status mark on the page is drawn

    @browser
    Scenario: At least one plot is visible
      When a reader opens every page that shows a picture of a training run
      Then at least 1 picture is shown
      And every picture on those pages is drawn

    @browser
    Scenario: Every tutorial page shows typeset equations and the learner's class, with no code scrolling sideways
      A page 1280 pixels wide, every collapsed box opened. Equations are MathML
      drawn by the browser: a fraction's numerator sits above its denominator.

      When a reader opens every page of the tutorial 1280 pixels wide
      Then every stage page shows its equations typeset, fractions stacked
      And no page shows LaTeX or a dollar sign outside its code
      And every stage page shows a highlighted listing of the learner's class
      And no code listing on those pages scrolls sideways
      And no code listing on those pages shows reStructuredText's double backticks

    @browser
    Scenario: On a phone no page is wider than the screen, and a long listing scrolls in its own box
      A page 390 pixels wide, as on a phone held upright, every collapsed box
      opened. A code line longer than its box may scroll sideways inside the
      box (Python must keep its lines), but no listing or table may widen the
      page, spill out of its box or be cut off where the reader cannot scroll.
      Gherkin and output marked as prose are read as sentences: they wrap.

      When a reader opens every page of the site 390 pixels wide
      Then no page is wider than the window
      And every listing wider than its box scrolls inside that box
      And every Gherkin listing and prose output wraps its lines, none scrolls sideways

    @browser
    Scenario: From the home page through the tutorial to the specification and back
      The site's parts are tabs along the top; the sidebar lists only the
      pages of the part the reader is in.

      When a reader follows the Tutorial tab, then the Softmax stage, then its specification, then the link back to the stage
      Then every page on the way lists in its sidebar only pages of its own part of the site
      And the reader ends on the Softmax stage of the tutorial

    @browser
    Scenario Outline: Search finds <query>
      The site uses British spellings; a reader typing the US one finds the same pages.

      When a reader searches the site for "<query>"
      Then a search result is titled with "<title>"

      Examples:
        | query          | title          |
        | softmax        | Softmax        |
        | initialization | Initialisation |
        | regularization | Challenges     |

    @browser
    Scenario: A search result names the part of the site it belongs to
      Each result shows, as a tag, the tab along the top its page sits under:
      Tutorial, Beyond, Specification, Reference, Development, or Home.

      When a reader searches the site for "softmax"
      Then every search result names the part of the site its page is in
      And the results come from at least 3 parts of the site

  Rule: The tutorial's exercises have solutions that hold

    Scenario: Every exercise's solution on the tutorial pages runs and its checks hold
      Each solution is a script under docs/exercises/, included on its stage's
      page, that checks its own answer against a value worked out another way.

      Given the solutions included on the tutorial's pages
      When each solution is run on its own, as a reader would run it
      Then every solution finishes without an error or a warning
      And every stage from initialisation to the complete example has at least 2 exercises
      And every script in docs/exercises is a solution on some page

  Rule: Every figure in a table, an output block or a sentence of results comes from a run
    In a table or an output block every number counts. In prose, a figure
    looks measured when it has a decimal fraction (0.0899), a percent sign
    (97.8 %), a times sign with no number after it (2.3×) or a unit of time
    (45 s); whole numbers, nearly always sizes, counts and settings, are left
    alone.

    Scenario Outline: A figure typed by hand into <place> fails the build
      Given a page with <place> holding the figure "<figure>" typed by hand
      When the site's pages are checked for figures typed by hand
      Then the check reports the line of "<figure>"

      Examples:
        | place                                                     | figure                 |
        | an output block                                           | Epoch 90, Loss: 0.0899 |
        | a table of results                                        | 0.64 – 1.17            |
        | a table of results                                        | 79 – 83                |
        | a table marked without reason                             | 97.78 %                |
        | a paragraph of prose                                      | 0.0899                 |
        | a paragraph of prose                                      | 97.8 %                 |
        | a paragraph of prose                                      | 2.3×                   |
        | a paragraph of prose                                      | 45 s                   |
        | a sentence marked without reason                          | 0.0899                 |
        | a sentence before the one a marker ends                   | 0.0899                 |
        | a sentence marked as a threshold its feature does not say | 91%                    |

    Scenario: Recorded figures, build-time code, settings and marked definitions pass the check
      Given a page whose output block and table show only recorded figures
      And a block of code run while the site is built
      And a table of shapes marked as a definition, with its reason
      And a paragraph of settings written as whole numbers and shapes
      And a sentence of settings marked as a definition, with its reason
      And a sentence of thresholds marked with the feature file that states them
      When the site's pages are checked for figures typed by hand
      Then the check reports nothing

    Scenario: No written page of the site shows a figure typed by hand
      Code listings included from files, and the Specification pages made from
      the features, are not scanned: a feature's thresholds are the
      specification itself.

      When every written page under docs/ but those the build lists as pending is checked for figures typed by hand
      Then the check reports nothing

    Scenario: A recorded figure is shown where the page names it
      Given the figure "complete_example.output_seed_0" recorded at this commit from the current feature text
      When a page showing it is built
      Then the page shows the recorded value

    Scenario Outline: A figure that may no longer hold is shown as not run, with the reason
      Given the figure "complete_example.output_seed_0" recorded <when>
      When a page showing it is built
      Then the page shows "not run" and says <reason>
      And the page does not show the recorded value

      Examples:
        | when                            | reason                             |
        | at another commit               | "recorded at commit"               |
        | before its feature file changed | "complete_example.feature changed" |
        | never                           | "no passing scenario recorded"     |

    Scenario: A feature's table of runs has a row for each of its scenarios that trains with several seeds
      Given the runs of the learning-rate scenarios of the Insights feature, recorded at this commit, except one
      When a page showing the Insights feature's table of runs is built
      Then the table has one row for each learning rate the scenarios name, in their order
      And a row of runs that diverged says in which epoch they did
      And a row of runs that finished shows the range of their test accuracy
      And the row whose runs were not recorded says "not run"

    Scenario: The Development page's mutation table agrees with the recorded runs
      Given the mutation runs recorded in the repository
      When the Development page is built
      Then its mutation table has a row for every module of the package
      And every recorded module's row shows the counts of its record, worked out again from it
      And every module without a record reads "not run"
      And the page names the tests each recorded run tested its mutants with, as its record gives them

  Rule: The test run keeps only the figures of scenarios that passed

    Scenario Outline: Figures are kept with their feature file's hash, <how>
      Given a feature with one scenario that records a figure and passes, and one that records a figure and fails
      When its scenarios are run <how>
      Then the figures file holds the passing scenario's figure, with the hash of its feature file
      And it does not hold the failing scenario's figure

      Examples:
        | how            |
        | in one process |

      @slow
      Examples: with pytest-xdist, which starts three pytest processes
        | how                              |
        | spread over two worker processes |

    Scenario: A run that checks another class keeps no figures
      Given a feature with one scenario that records a figure and passes, and one that records a figure and fails
      When its scenarios are run checking another class
      Then no figures file is written

  Rule: The specification pages show scratchnet's own results for this commit and this feature text
    The pages show only what ran: results of scratchnet's own network, from the
    commit the site is built from, for the feature text the page shows. These
    scenarios run the softmax feature in a committed copy of the project, once
    plainly (with two of scikit-learn's estimator checks) and once checking a
    tutorial class whose softmax does not shift its scores (it overflows, and
    fails), and render the pages from that copy's results files.

    Background:
      Given a copy of the project committed to a git repository of its own
      And the softmax feature and two of scikit-learn's estimator checks run there plainly, then the softmax feature checking the tutorial class "examples.implementations.unshifted_softmax:NeuralNetwork"

    Scenario: A check of another class leaves the pages to scratchnet's own run
      When the specification pages are rendered from the copy's results
      Then the check of the other class failed scenarios, and wrote its results where the pages do not read them
      And every softmax scenario shows the outcome of scratchnet's own run
      And no specification page shows a failure

    Scenario: A results file of another class is never merged
      Given the other class's results file is copied to "build/results-other.json"
      When the specification pages are rendered from the copy's results
      Then every softmax scenario shows the outcome of scratchnet's own run
      And no specification page shows a failure
      And the overview lists "build/results-other.json" as not shown, because it checks another class

    Scenario Outline: Of two runs that both ran the softmax scenarios, the newer is shown, <where>
      Both runs are of scratchnet's own network, at this commit, for this
      feature text; the second is the plain run's results file with its date
      moved and every softmax scenario marked failed. Which file is listed
      first does not matter: the run's recorded date decides.

      Given the plain run's results, dated an hour <when> and with every softmax scenario failed, are copied to "<file>"
      When the specification pages are rendered from the copy's results
      Then every softmax scenario shows the outcome of the newer run

      Examples:
        | where                   | when    | file                     |
        | listed before the older | earlier | build/results-older.json |
        | listed after the older  | later   | build/results-newer.json |

    Scenario: Results from another commit are not shown
      Given a later commit of the copy
      When the specification pages are rendered from the copy's results at that commit
      Then every softmax scenario is marked "not run", because the run was of another commit

    Scenario: Results for an older feature text are not shown
      Given the softmax feature's text is changed after the run
      When the specification pages are rendered from the copy's results
      Then every softmax scenario is marked "not run", because the feature text changed since the run

    Scenario: scikit-learn's estimator checks appear on the scikit-learn page with their outcome
      When the table of estimator checks is rendered from the copy's results
      Then it lists every estimator check the run recorded, with the outcome of that run

  Rule: The mutation-testing table shows what the recorded mutation runs measured
    mutation/record.py records each module's mutation run in mutation/results.json,
    and the Development page's table is made from that file and from the judgements
    of equivalent mutants in mutation/equivalent.toml. Here the table is rendered for
    a package of two modules from runs each scenario writes.

    Background:
      Given a package of the modules "alpha" and "beta"

    Scenario: A module's row counts what its run measured; a module never run reads "not run"
      Given a run of "alpha" recorded on its current source, with 6 killed, 1 out of time, 2 survived and 1 reached by no scenario
      When the mutation table is rendered
      Then the row of "alpha" shows 10 mutants: 7 killed, 2 survived, 1 not reached, 0 equivalent, 0 not run, scored 70.0%
      And the row of "beta" reads "not run", with no count

    Scenario: Survivors no scenario reached are listed by their function, the others by name
      Given a run of "alpha" recorded on its current source, with 6 killed, 1 survived and 3 reached by no scenario
      When the mutation table is rendered
      Then the survivors of "alpha" name the one a scenario reached
      And they give the function of the 3 no scenario reached, with their count, and none of those mutants by name

    Scenario: A run with mutants not yet run is partial and has no score
      Given a run of "alpha" recorded on its current source, with 6 killed, 2 survived and 3 not run
      When the mutation table is rendered
      Then the row of "alpha" shows 11 mutants: 6 killed, 2 survived, 0 not reached, 0 equivalent, 3 not run, with no score

    Scenario: A module whose source changed since its run is marked as changed
      Given a run of "alpha" recorded on its current source, with 6 killed and 2 survived
      When the source of "alpha" changes
      And the mutation table is rendered
      Then the row of "alpha" says its source changed since the run

    Scenario: A survivor judged equivalent counts only while its function is the one judged
      Given a run of "alpha" recorded on its current source, with 6 killed and 2 survived
      And both survivors judged equivalent, one of them on another version of its function
      When the mutation table is rendered
      Then the row of "alpha" shows 8 mutants: 6 killed, 1 survived, 0 not reached, 1 equivalent, 0 not run, scored 85.7%
      And the survivor judged on the other version of its function is listed to be checked again

  Rule: Every bug of the planted-bug catalogue can be planted in today's code
    The Development page lists the catalogue and its last replays. A bug whose
    text has since changed in its file could no longer be planted, and its
    replay would stop before it ran a scenario.

    Scenario: Each planted bug's text occurs once in its file, and each stage it names has a feature
      Given the planted-bug catalogue in the repository
      Then the text every bug replaces occurs exactly once in the file it names
      And every stage a bug names is a feature file of the specification

  Rule: The published site comes from the same checks as continuous integration

    Scenario: The publishing workflow runs the same checks as CI
      Given the publishing workflow
      Then it runs on every push to main and on every pull request
      And it runs the CI script with each Python version from 3.10 to 3.13
      And after a push to main it publishes the site the CI script built to GitHub Pages
      And it publishes nothing for a pull request
