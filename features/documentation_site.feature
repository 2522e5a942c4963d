Feature: The documentation site
  The site is living documentation. It is built from the code and from the
  last test run: every feature file becomes a page that marks each scenario
  as passed, failed or not run, and the pictures are drawn from real training
  runs while the site is built, so nothing on it can fall behind the code.
  HTML that builds can still look broken to a reader, so the first scenarios
  open the built site in a real browser (headless Chromium) as a reader would.
  The last one checks that the published site comes from the same checks as
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
    Scenario: Search finds softmax
      When a reader searches the site for "softmax"
      Then a search result is titled with "Softmax"

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

  Rule: The published site comes from the same checks as continuous integration

    Scenario: The publishing workflow runs the same checks as CI
      Given the publishing workflow
      Then it runs on every push to main and on every pull request
      And it runs the CI script with each Python version from 3.10 to 3.13
      And after a push to main it publishes the site the CI script built to GitHub Pages
      And it publishes nothing for a pull request
