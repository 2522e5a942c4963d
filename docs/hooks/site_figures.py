"""The figures on the site: facts from the test run, and no figure typed by hand.

Plain functions with no MkDocs in them (``facts.py`` is the hook that calls
them), so the specification can check them without building the site.

**Facts.** A step records a measured value with
``steps.support.facts.record_fact(name, value)``; the test run keeps it in
``build/facts.json`` (or the file named by ``SCRATCHNET_FACTS``) with the commit
and the hash of the feature file of the scenario that measured it. A page shows
it with ``{{ fact: name }}``; ``{{ fact: name:.2f }}`` formats a number (or
each number of a list) with a Python format spec (no ``|``, so it fits in a
table). A fact that is missing, was recorded at another commit, or comes from
another text of its feature file is shown as "not run" with the reason, never
with its old value.

**Runs.** ``{{ runs: challenges }}`` (on a line of its own) becomes a table of every
scenario of ``features/challenges.feature`` that trains with several seeds: the
settings it changes, its seeds, the last epoch's training loss and the test
accuracy over those seeds, as the shared training step recorded them (facts named
``runs.challenges.<scenario key>``), or "not run" and the reason.
``{{ runs: training | epochs 0 30 }}`` adds the loss at those epochs.

**Thresholds.** ``{{ thresholds: tutorial }}`` becomes a table of the tutorial's stages
(``scratchnet.check.STAGES``) with what each ``@tutorial`` scenario checks, its
Then steps word for word from the feature files, so the figures on the page are
the ones the check applies.

**Suite time.** ``{{ suite: seconds }}`` becomes a table of the seconds the last test
run spent in each test module's scenarios and tests, from ``build/results.json`` (or the file
named by ``SCRATCHNET_RESULTS``), with the command that ran them.

**The guard.** Tables and output blocks (fenced ``text``, ``console``,
``output``, ``json`` or unlabelled blocks) are where results live, so in them every digit
must come from a fact placeholder (or the block must be run at build time by
``markdown-exec``: ``exec="on"``). Digits inside inline code in a table are
settings or names, and are left alone. In prose (paragraphs, list items, headings,
image descriptions) only figures that look measured count (``MEASURED``): a decimal
fraction, a percentage, a ratio such as 2.3× or a time such as 45 s; inline code,
maths, link targets, HTML and placeholders are not prose, and neither are the files
``--8<--`` includes. A table, block or paragraph whose numbers are not results is
marked on the line just above it::

    <!-- numbers: definition, the shapes follow from 64 → 128 → 10 -->

and a single sentence by the same comment right after it, on its last line. The kind
is ``definition`` (settings, sizes, constants), ``quoted`` (another source's figures,
named in the reason) or ``threshold`` (prose only: the reason names the feature files,
and every figure it marks must appear in one of them). The reason is required.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

ROOT = Path(__file__).resolve().parents[2]
# The feature walker and the provenance shared with the test plugins (steps/support/).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from steps.support import provenance  # noqa: E402
from steps.support.gherkin import scenarios_of  # noqa: E402

FACTS_FILE = "build/facts.json"
FEATURES_DIR = "features"
#: Pages whose typed figures are being replaced on another branch: reported in the build's
#: log, but not failing it until the branches are merged. Keep this empty on main.
PENDING: dict[str, str] = {}
THRESHOLDS = re.compile(r"\{\{\s*thresholds:\s*(\w+)\s*\}\}")
RUNS = re.compile(r"\{\{\s*runs:\s*([\w/\-]+)\s*(?:\|\s*epochs((?:\s+\d+)+)\s*)?\}\}")
#: The step that trains with several seeds and records a run summary (steps/run_steps.py).
TRAINING_STEP = re.compile(
    r"the network is trained with each seed from \d+ to \d+(, stopping at any divergence)?"
)
PLACEHOLDER = re.compile(r"\{\{\s*fact:\s*([\w.\-]+)\s*(?::([^}]*?)\s*)?\}\}")
#: ``<!-- numbers: KIND, reason -->``: a definition (a setting, a size, a constant), a
#: figure quoted from another source, or a threshold that the named feature file states.
MARKER = re.compile(
    r"<!--\s*numbers:\s*(?P<kind>definition|quoted|threshold)\b(?P<reason>[^>]*?)-->"
)
#: The feature files a threshold marker names (``prediction.feature``).
THRESHOLD_FILES = re.compile(r"[\w/]+\.feature\b")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
#: Fenced blocks that show what a program printed (a JSON block is a report printed).
OUTPUT_LANGUAGES = {"", "text", "txt", "plain", "plaintext", "console", "output", "json"}
#: A digit that starts a figure; digits inside names (W1, b2, L2, x86_64) are no figures.
DIGIT = re.compile(r"(?<![A-Za-z_])\d")
#: Parts of a table row whose digits are not figures: inline code, link targets,
#: attribute lists, HTML comments.
NOT_FIGURES = re.compile(r"`[^`]*`|\]\([^)]*\)|\{[:.#][^}]*\}|<!--.*?-->")
#: Parts of prose whose numbers are not figures: inline code, inline maths, link targets,
#: URLs, attribute lists, HTML tags and comments, and the placeholders the build fills.
NOT_PROSE = re.compile(
    r"`[^`]*`|\$[^$]+\$|\]\([^)]*\)|https?://\S+|\{[:.#][^}]*\}|<!--.*?-->|</?[A-Za-z][^>]*>|\{\{.*?\}\}",
    re.DOTALL,
)
#: A measured-looking figure in prose: a number with a decimal fraction (2.30, 0.0899,
#: 2.2e-16), or a number with a percent sign (94 %), a times sign not followed by another
#: number (2.3×; 64 × 128 is a shape) or a unit of time (45 s, 3 ms, 12 minutes).
#: Whole numbers alone (128 hidden units, 10 epochs, seed 0, 64 → 128 → 10) and powers
#: of ten written like 1e-12 are left alone: on the pages they are nearly always sizes,
#: counts, settings and tolerances.
MEASURED = re.compile(
    r"(?<![\w.])(?:\d[\d,]*\.\d+(?:e[-+]?\d+)?(?!\.?\d)"
    r"|\d[\d,]*\s?(?:%|×(?!\s*\d)|(?:s|ms|µs|ns|seconds?|minutes?|hours?)\b))"
)
#: Where a sentence ends inside a paragraph (or a new list item starts).
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*(?:[-*+]|\d+\.)\s")
#: A line that includes a file with pymdownx.snippets: a listing, not prose.
SNIPPET = re.compile(r";?-+8<-+")


# Facts.


def facts_path() -> Path:
    return ROOT / os.environ.get("SCRATCHNET_FACTS", FACTS_FILE)


def load_facts(path: Path) -> dict[str, dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["facts"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def head_commit() -> str | None:
    """The commit the site is built from (``provenance.head_commit`` of the project)."""
    return provenance.head_commit(ROOT)


def feature_sha256(feature: str) -> str | None:
    """The hash of ``features/<feature>`` as the test run records it, or ``None``."""
    try:
        return provenance.file_sha256(ROOT / FEATURES_DIR / feature)
    except OSError:
        return None


def why_not(fact: dict | None, name: str, commit: str | None) -> str | None:
    """Why ``fact`` cannot be shown, or None when it holds for this commit and feature text."""
    if fact is None:
        return f"no passing scenario recorded {name}: run pytest, slow scenarios included"
    if fact.get("commit") != commit:
        recorded = (fact.get("commit") or "unknown")[:10]
        now = (commit or "unknown")[:10]
        return f"recorded at commit {recorded}, this is {now}: run pytest again"
    feature = fact.get("feature")
    if feature is not None and fact.get("feature_sha256") != feature_sha256(feature):
        return f"{feature} changed since it was recorded: run pytest again"
    return None


def show(value: Any, spec: str | None) -> str:
    """A fact's value as text, numbers formatted with ``spec`` when one is given."""
    if isinstance(value, list):
        return ", ".join(show(item, spec) for item in value)
    if spec and isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def fill(markdown: str, facts: dict[str, dict], commit: str | None) -> str:
    """Replace every ``{{ fact: name }}`` by its value, or by "not run" and the reason."""

    def replace(match: re.Match) -> str:
        name, spec = match[1], match[2]
        fact = facts.get(name)
        reason = why_not(fact, name, commit)
        if reason is not None:
            text = f"not run ({reason})"
            # A placeholder on a line of its own stands for a block, e.g. a program's
            # output: there the sentence is broken into short lines, so it fits a phone.
            text_before = match.string[: match.start()].rsplit("\n", 1)[-1]
            text_after = match.string[match.end() :].split("\n", 1)[0]
            if not text_before.strip() and not text_after.strip():
                text = textwrap.fill(text, width=48, subsequent_indent=text_before)
            return text
        return show(fact["value"], spec)

    return PLACEHOLDER.sub(replace, markdown)


# Runs.


def training_cases(feature: str) -> list[tuple[str, str]]:
    """``(scenario key, scenario name)`` of each scenario or outline row that trains with
    several seeds, in file order."""
    document = Parser().parse((ROOT / FEATURES_DIR / f"{feature}.feature").read_text("utf-8"))
    cases = []
    for scenario, _, background in scenarios_of(document.get("feature", {})):
        texts = [step["text"] for step in [*background, *scenario["steps"]]]
        line = scenario["location"]["line"]
        rows = [row for examples in scenario["examples"] for row in examples.get("tableBody", [])]
        if not rows:
            if any(TRAINING_STEP.fullmatch(text) for text in texts):
                cases.append((str(line), scenario["name"]))
            continue
        header = [cell["value"] for cell in scenario["examples"][0]["tableHeader"]["cells"]]
        for row in rows:
            values = dict(zip(header, (cell["value"] for cell in row["cells"]), strict=True))

            def render(text: str, values: dict = values) -> str:
                return re.sub(r"<([^<>]+)>", lambda m: values.get(m[1], m[0]), text)

            if any(TRAINING_STEP.fullmatch(render(text)) for text in texts):
                cases.append((f"{line}-{row['location']['line']}", render(scenario["name"])))
    return cases


def spread(values: list[float], spec: str) -> str:
    low, high = min(values), max(values)
    return format(low, spec) if low == high else f"{format(low, spec)} – {format(high, spec)}"


def settings_text(settings: dict) -> str:
    if not settings:
        return "the tutorial's"
    shown = []
    for name, value in settings.items():
        value = " ".join(map(str, value)) if isinstance(value, list) else value
        shown.append(f"`{name} {value}`")
    return ", ".join(shown)


def loss_at(run: dict, epoch: int) -> str:
    """The range over seeds of the training loss at ``epoch``, or a dash if a run stopped."""
    curves = run.get("train_loss") or []
    if not curves or any(epoch >= len(curve) for curve in curves):
        return "—"
    return spread([curve[epoch] for curve in curves], "#.3g")


def runs_table(
    feature: str, facts: dict[str, dict], commit: str | None, page_uri: str, epochs: list[int]
) -> str:
    """The table ``{{ runs: feature }}`` stands for; ``| epochs 0 30`` adds the range of the
    training loss at those epochs."""
    link = posixpath.relpath(f"spec/{feature}.md", posixpath.dirname(page_uri) or ".")
    extra = "".join(f" Loss at epoch {epoch} |" for epoch in epochs)
    lines = [
        "| Scenario | Settings (the tutorial's, except) | Seeds |"
        f"{extra} Training loss, last epoch | Test accuracy |",
        "| --- | --- | --- |" + " --- |" * len(epochs) + " --- | --- |",
    ]
    for key, name in training_cases(feature):
        fact_name = f"runs.{feature.replace('/', '.')}.{key}"
        fact = facts.get(fact_name)
        scenario = f"[{name}]({link})"
        reason = why_not(fact, fact_name, commit)
        if reason is not None:
            lines.append(f"| {scenario} | not run ({reason}) |" + " |" * (3 + len(epochs)))
            continue
        run = fact["value"]
        seeds, diverged = run["seeds"], run.get("diverged_at", [])
        loss = spread(run["final_loss"], "#.3g") if run["final_loss"] else ""
        accuracy = spread(run["test_accuracy"], ".1%") if run["test_accuracy"] else "—"
        if diverged:
            at_epochs = [e for e in diverged if e is not None]
            stopped = f"diverged in epoch {spread(at_epochs, 'd')}" if at_epochs else "diverged"
            loss = f"{loss}; {len(diverged)} {stopped}" if loss else stopped
        at = "".join(f" {loss_at(run, epoch)} |" for epoch in epochs)
        lines.append(
            f"| {scenario} | {settings_text(run['settings'])} | {seeds[0]}–{seeds[-1]} |"
            f"{at} {loss} | {accuracy} |"
        )
    return "\n".join(lines)


# Thresholds.


def tagged_checks(feature: str, tag: str) -> list[tuple[str, list[str]]]:
    """``(scenario name, its Then steps and the steps naming its seeds)`` for each scenario
    of ``feature`` tagged ``tag``."""
    document = Parser().parse((ROOT / FEATURES_DIR / f"{feature}.feature").read_text("utf-8"))
    checks = []
    for scenario, tags, _ in scenarios_of(document.get("feature", {})):
        if tag not in tags + [t["name"] for t in scenario.get("tags", [])]:
            continue
        then, keyword = [], ""
        for step in scenario["steps"]:
            keyword = step["keyword"].strip() if step["keyword"].strip() != "And" else keyword
            if keyword == "Then" or "seed" in step["text"]:  # what it checks, and for whom
                then.append(re.sub(r"(<[^<>]+>)", r"`\1`", step["text"]))
        checks.append((re.sub(r"(<[^<>]+>)", r"`\1`", scenario["name"]), then))
    return checks


def thresholds_table(tag: str, page_uri: str) -> str:
    """The table ``{{ thresholds: tutorial }}`` stands for: one row per stage."""
    from scratchnet.check import STAGES

    lines = ["| stage | scenario: what it checks |", "| --- | --- |"]
    for stage in STAGES:
        feature = stage.replace(" ", "_")
        link = posixpath.relpath(f"spec/{feature}.md", posixpath.dirname(page_uri) or ".")
        cells = [
            f"**{name}**: " + "; ".join(then) for name, then in tagged_checks(feature, f"@{tag}")
        ]
        lines.append(f"| [{stage}]({link}) | {'<br>'.join(cells)} |")
    return "\n".join(lines)


# Suite time.

RESULTS_FILE = "build/results.json"
SUITE = re.compile(r"\{\{\s*suite:\s*seconds\s*\}\}")
#: Modules shown one by one; the rest are summed in one row.
SUITE_ROWS = 8


def suite_table(commit: str | None) -> str:
    """The table ``{{ suite: seconds }}`` stands for."""
    try:
        results = json.loads(
            (ROOT / os.environ.get("SCRATCHNET_RESULTS", RESULTS_FILE)).read_text()
        )
    except (OSError, ValueError):
        return "*not run (no test results: run pytest first)*"
    run = results.get("run", {})
    if run.get("commit") != commit:
        recorded, now = (run.get("commit") or "unknown")[:10], (commit or "unknown")[:10]
        return f"*not run (the last test run was at commit {recorded}, this is {now})*"
    seconds: dict[str, float] = {}
    scenarios: dict[str, int] = {}
    records = [
        record
        for group in ("features", "tests")  # scenarios, and plain tests such as estimator checks
        for entry in results.get(group, {}).values()
        for record in entry.get("scenarios", entry.get("tests", {})).values()
    ]
    for record in records:
        module = record["nodeid"].split("::")[0].rsplit("/", 1)[-1]
        seconds[module] = seconds.get(module, 0.0) + record["duration"]
        scenarios[module] = scenarios.get(module, 0) + 1
    ranked = sorted(seconds, key=seconds.get, reverse=True)
    lines = ["| test module | tests run | seconds in its tests |", "| --- | ---: | ---: |"]
    for module in ranked[:SUITE_ROWS]:
        lines.append(f"| `{module}` | {scenarios[module]} | {seconds[module]:.1f} |")
    rest = ranked[SUITE_ROWS:]
    if rest:
        lines.append(
            f"| the other {len(rest)} modules | {sum(scenarios[m] for m in rest)} "
            f"| {sum(seconds[m] for m in rest):.1f} |"
        )
    lines.append(f"| **all** | **{sum(scenarios.values())}** | **{sum(seconds.values()):.1f}** |")
    lines.append("")
    lines.append(f"Measured by `{run.get('command')}` on {run.get('date')}.")
    return "\n".join(lines)


# The guard.


@dataclass
class Figure:
    """A number typed by hand where only results belong."""

    line: int
    where: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.where}: {self.text.strip()!r}"


def reasoned(marker: re.Match) -> bool:
    """Whether a ``numbers:`` marker gives its reason (one without marks nothing)."""
    return bool(marker["reason"].strip(" ,:;—-"))


def typed_figures(markdown: str) -> list[Figure]:
    """Digits in tables and output blocks, and measured-looking figures in prose, that no
    fact placeholder or build-time code made.

    A table, block or paragraph right below a ``<!-- numbers: definition, reason -->``
    line is skipped, and so is the sentence a marker ends inside a paragraph; a marker
    without a reason is reported, and marks nothing. A threshold marker marks only prose,
    and only figures its feature files hold.
    """
    lines = markdown.splitlines()
    found: list[Figure] = []
    fence: str | None = None
    checking = False
    marked: re.Match | None = None
    in_table = False
    in_math = False
    paragraph: list[tuple[int, str]] = []
    paragraph_marker: re.Match | None = None

    def end_paragraph() -> None:
        if paragraph:
            found.extend(prose_figures(paragraph, paragraph_marker))
        paragraph.clear()

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if fence is not None:  # inside a fenced block
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            elif checking and DIGIT.search(PLACEHOLDER.sub("", line)):
                found.append(Figure(number, "output block", line))
            continue
        if in_math:  # display maths: formulas, not figures
            in_math = not stripped.endswith("$$")
            continue
        if stripped.startswith("$$"):
            end_paragraph()
            in_math = stripped == "$$" or not stripped.endswith("$$")
            continue
        opening = FENCE.match(line)
        if opening:
            end_paragraph()
            fence = opening["fence"]
            info = opening["info"].strip()
            language = info.split()[0].lstrip(".").strip("{}") if info else ""
            checking = (
                language in OUTPUT_LANGUAGES
                and "exec=" not in info
                and not marked
                and not stripped.endswith(fence)
            )
            marked, in_table = None, False
            continue
        if stripped.startswith("|"):
            end_paragraph()
            if not in_table:
                in_table, table_marked = True, marked
            if not table_marked and not re.fullmatch(r"[|:\-\s]+", stripped):
                cell_text = NOT_FIGURES.sub("", PLACEHOLDER.sub("", stripped))
                if DIGIT.search(cell_text):
                    found.append(Figure(number, "table", line))
            marked = None
            continue
        in_table = False
        marker = MARKER.fullmatch(stripped)
        if marker:  # a marker without a reason marks nothing
            end_paragraph()
            marked = marker if reasoned(marker) else None
            if not marked:
                found.append(Figure(number, "marker without a reason", line))
            elif marker["kind"] == "threshold" and next_block(lines, number) != "prose":
                found.append(Figure(number, "threshold marker above no prose", line))
                marked = None
        elif not stripped:
            end_paragraph()
        elif SNIPPET.match(stripped):  # a listing included from a file: code, not prose
            end_paragraph()
            marked = None
        else:
            if not paragraph:
                paragraph_marker = marked
            paragraph.append((number, line))
            marked = None
            if stripped.startswith("#"):  # a heading is a paragraph of its own
                end_paragraph()
    end_paragraph()
    return found


def next_block(lines: list[str], number: int) -> str:
    """What the first non-blank line after line ``number`` starts: a table, a fenced block
    or prose."""
    following = (line.strip() for line in lines[number:])
    first = next((line for line in following if line), "")
    if first.startswith("|"):
        return "table"
    return "block" if FENCE.match(first) or first.startswith("$$") else "prose"


def ends_sentence(between: str) -> bool:
    """Whether a sentence ends in ``between`` (the text from a figure to a marker), not
    counting the end of the sentence the marker follows."""
    between = between.rstrip()
    return bool(SENTENCE_END.search(between[:-1] if between.endswith((".", "!", "?")) else between))


def prose_figures(paragraph: list[tuple[int, str]], above: re.Match | None) -> list[Figure]:
    """The measured-looking figures of a paragraph (its lines, numbered) that neither an
    inline marker right after their sentence nor the marker ``above`` it marks."""
    text = "\n".join(line for _, line in paragraph)
    # Same length, so positions in ``masked`` are positions in ``text``.
    masked = NOT_PROSE.sub(lambda m: " " * len(m[0]), text)
    markers = list(MARKER.finditer(text))
    starts = [0]
    for _, line in paragraph:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for figure in MEASURED.finditer(masked):
        inline = [
            marker
            for marker in markers
            if marker.start() >= figure.end()
            and not ends_sentence(masked[figure.end() : marker.start()])
        ]
        marker = inline[0] if inline else above
        problem = unmarked(figure[0], marker)
        if problem:
            index = next(i for i, start in enumerate(starts) if start > figure.start()) - 1
            number, line = paragraph[index]
            found.append(Figure(number, problem, line))
    return found


def unmarked(figure: str, marker: re.Match | None) -> str | None:
    """Why ``marker`` does not mark ``figure``, or ``None`` when it does."""
    if marker is None:
        return f"prose, {figure!r}"
    if not reasoned(marker):
        return "marker without a reason"
    if marker["kind"] != "threshold":
        return None
    files = THRESHOLD_FILES.findall(marker["reason"])
    if not files:
        return "threshold marker naming no feature file"
    wanted = re.compile(r"(?<![\w.])" + re.escape(re.sub(r"\s", "", figure)) + r"(?!\.?\d)")
    texts = [feature_text(name) for name in files]
    if any(wanted.search(re.sub(r"(\d)\s+(?=[%×])", r"\1", text)) for text in texts):
        return None
    return f"threshold {figure!r}, which {', '.join(files)} does not state"


def feature_text(name: str) -> str:
    """The text of ``features/<name>``, or nothing if there is no such file."""
    try:
        return (ROOT / FEATURES_DIR / name).read_text(encoding="utf-8")
    except OSError:
        return ""


def render(markdown: str, page_uri: str, facts: dict[str, dict], commit: str | None) -> str:
    """``markdown`` with every thresholds, runs and fact placeholder replaced."""
    markdown = THRESHOLDS.sub(lambda m: thresholds_table(m[1], page_uri), markdown)
    markdown = RUNS.sub(
        lambda m: runs_table(m[1], facts, commit, page_uri, [int(e) for e in (m[2] or "").split()]),
        markdown,
    )
    markdown = SUITE.sub(lambda m: suite_table(commit), markdown)
    return fill(markdown, facts, commit)
