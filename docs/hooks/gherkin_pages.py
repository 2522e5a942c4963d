"""Turn Gherkin features and the last test run's results into Markdown pages.

Plain functions with no MkDocs in them: ``feature_page`` renders one
``.feature`` file, ``overview_page`` the summary of them all. The Markdown
uses Material's admonitions (``!!!``, ``???``) and fenced code, but would
read fine as plain files too.

The results come from ``steps/support/results.py`` (``build/results.json`` and
``build/results-*.json``), read by ``read_runs``. A page shows only results of
scratchnet's own network, run at the commit the site is built from, for the
feature text it shows (the run recorded each feature file's SHA-256); a file of
another class or commit is never shown. When several files hold a result for
the same scenario, the newest run wins (its ``date``; a tie goes to the file
listed later). Each scenario is found by its line, and each row of a Scenario
Outline by the row's line; a scenario without such a result shows as "not run",
with the reason: what the runs recorded about it (deselected, needs
``--browser``, needs MNIST), or that the feature text changed since the run, or
that the only run is of another commit.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gherkin.errors import ParserError
from gherkin.parser import Parser

from steps.support import provenance
from steps.support.gherkin import scenarios_of, tag_names

NOT_RUN = "not run"
#: Statuses from worst to best: a group of results shows the worst one.
STATUSES = ("failed", "undefined", "skipped", "passed", NOT_RUN)
#: Material icons, drawn inline as SVG (no web font or CDN needed), coloured by
#: ``docs/stylesheets/spec.css`` and titled with the status. Change this table to
#: write plain Markdown for another renderer (e.g. ✅ ❌ ⏭ ❓ ⚪).
MARKS = {
    status: f':material-{icon}:{{ .spec-{status.replace(" ", "-")} title="{status}" }}'
    for status, icon in (
        ("passed", "check-circle"),
        ("failed", "close-circle"),
        ("skipped", "skip-next-circle"),
        ("undefined", "help-circle"),
        (NOT_RUN, "circle-outline"),
    )
}
#: The admonition that shows a scenario's message, by status.
MESSAGE_BOXES = {"failed": "failure", "undefined": "warning", "skipped": "info", NOT_RUN: "note"}
#: What ``"implementation"`` says in a run of scratchnet's own network.
OWN = "scratchnet"
#: The layout of results file this module reads (``"format"`` in the file).
FORMAT = 2
NO_RESULTS_HINT = (
    "Run the scenarios with `pytest` first: they write `build/results.json`, "
    "and the next build shows each scenario's outcome."
)
PLACEHOLDER = re.compile(r"(<[^<>\s][^<>]*>)")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


@dataclass
class Case:
    """One runnable example: a scenario, or one Examples row of a Scenario Outline."""

    scenario: dict
    tags: list[str]
    record: dict | None = None
    row: dict | None = None
    examples: dict | None = None
    #: Why there is no record, when there is none.
    reason: str | None = None

    @property
    def status(self) -> str:
        return self.record["status"] if self.record else NOT_RUN


@dataclass
class Feature:
    """A parsed feature file, its runnable cases and any parse error."""

    path: str
    source: str
    document: dict = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    error: str | None = None

    @property
    def name(self) -> str:
        return self.document.get("feature", {}).get("name") or Path(self.path).stem


# Reading


def load_results(path: Path) -> dict | None:
    """The results file as a dict, or ``None`` when there is none (or it is unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def results_files(main: Path) -> list[Path]:
    """The main results file, then ``results-*.json`` beside it from extra runs (such as
    ``pytest --browser -m browser --bdd-results=build/results-browser.json``)."""
    return [main, *sorted(main.parent.glob("results-*.json"))]


def load_runs(main: Path, root: Path, commit: str | None) -> list[Run]:
    """Every results file that exists, read, named relative to ``root``, with its problem."""
    present = [path for path in results_files(main) if path.exists()]
    names = [
        path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        for path in present
    ]
    return read_runs(zip(names, map(load_results, present), strict=True), commit)


def read_source(path: Path) -> str:
    """A file's text exactly as its bytes are (no newline translation), so that
    ``provenance.text_sha256(text)`` is the hash the results plugin recorded."""
    return path.read_bytes().decode("utf-8")


@dataclass
class Run:
    """One results file, and why none of it may be shown (``problem``), if so."""

    name: str
    data: dict
    problem: str | None = None

    @property
    def meta(self) -> dict:
        return self.data.get("run") or {}

    @property
    def when(self) -> str:
        """``the run of 2026-12-06 10:44 UTC (`pytest -m "not slow"`)``."""
        date = str(self.meta.get("date") or "of unknown date")
        date = date.replace("T", " ").removesuffix("+00:00")
        command = f" (`{self.meta['command']}`)" if self.meta.get("command") else ""
        return f"the run of {date} UTC{command}"


def read_runs(files: Iterable[tuple[str, dict | None]], commit: str | None) -> list[Run]:
    """The results files (name, contents or ``None`` if unreadable), each with its problem.

    A run may be shown only when it is of scratchnet's own network and of ``commit``,
    the commit the site is built from, in the layout this module reads.
    """
    runs = []
    for name, data in files:
        if data is None:
            runs.append(Run(name, {}, "it could not be read"))
            continue
        run = Run(name, data)
        implementation = run.meta.get("implementation")
        if data.get("format") != FORMAT:
            run.problem = "its layout is older: it records neither the class nor the feature text"
        elif implementation != OWN:
            run.problem = f"it checks another class ({implementation}), not scratchnet's own"
        elif run.meta.get("commit") != commit:
            recorded = (run.meta.get("commit") or "unknown")[:10]
            run.problem = (
                f"{run.when} was of commit {recorded}; "
                f"the site is built from {(commit or 'an unknown commit')[:10]}"
            )
        runs.append(run)
    return runs


def pick(
    runs: list[Run], section: str, path: str, digest: str, kind: str, key: str
) -> tuple[dict | None, str | None]:
    """The newest shown record of ``key`` in ``runs[...][section][path][kind]`` whose
    file matches ``digest``, and ``None``; or ``None`` and why there is none."""
    what = "feature text" if section == "features" else "test module"
    found, reasons = [], []
    for order, run in enumerate(runs):
        entry = (run.data.get(section) or {}).get(path)
        if run.problem or entry is None:
            continue
        if entry.get("sha256") != digest:
            reasons.append(f"the {what} changed since {run.when}")
        elif key in entry.get(kind, {}):
            found.append((str(run.meta.get("date") or ""), order, entry[kind][key]))
        elif key in entry.get("deselected", {}):
            reasons.append(entry["deselected"][key])
        else:
            reasons.append(f"not reached in {run.when}")
    if found:
        return max(found, key=lambda candidate: candidate[:2])[2], None
    if not reasons:  # no shown run has the file: say why the others are not shown
        reasons = [
            run.problem
            for run in runs
            if run.problem
            and run.meta.get("implementation") == OWN
            and path in (run.data.get(section) or {})
        ] or ["no run of scratchnet's own network recorded it"]
    return None, "; ".join(dict.fromkeys(reasons))


def read_feature(path: str, source: str, runs: list[Run] | None) -> Feature:
    """Parse ``source`` (the text of ``features/<path>``) and match it with the ``runs``."""
    feature = Feature(path=path, source=source)
    try:
        feature.document = Parser().parse(source)
    except ParserError as error:
        feature.error = str(error)
        return feature
    digest = provenance.text_sha256(source)

    def choose(key: str) -> tuple[dict | None, str | None]:
        return pick(runs or [], "features", path, digest, "scenarios", key)

    feature.cases = list(match_cases(feature.document.get("feature") or {}, choose))
    return feature


def feature_pages(features_dir: Path, runs: list[Run]) -> dict[str, tuple[Feature, str]]:
    """Every ``.feature`` file under ``features_dir``, by its relative path: the parsed
    feature and its Markdown page, with the results ``runs`` may show."""
    pages = {}
    for path in sorted(features_dir.rglob("*.feature")):
        relative = path.relative_to(features_dir).as_posix()
        feature = read_feature(relative, read_source(path), runs)
        pages[relative] = (feature, feature_page(feature, runs))
    return pages


def match_cases(
    gherkin_feature: dict, choose: Callable[[str], tuple[dict | None, str | None]]
) -> Iterator[Case]:
    """One case per scenario and per outline row, with its record when it ran.

    ``choose(key)`` gives the record for a key (``"12"``, ``"20:31"``) or why there is
    none. A record whose scenario name or number of steps differs from the file is
    from another version of the file, and is ignored.
    """
    for scenario, inherited, background in scenarios_of(gherkin_feature):
        tags = inherited + tag_names(scenario)
        line = scenario["location"]["line"]
        n_steps = len(background) + len(scenario["steps"])
        if not scenario["examples"]:
            record, reason = choose(str(line))
            if record and (record["name"] != scenario["name"] or len(record["steps"]) != n_steps):
                record, reason = None, "the scenario changed since the run"
            yield Case(scenario, tags, record, reason=reason)
        for examples in scenario["examples"]:
            for row in examples.get("tableBody", []):
                record, reason = choose(f"{line}:{row['location']['line']}")
                if record and len(record["steps"]) != n_steps:
                    record, reason = None, "the scenario changed since the run"
                yield Case(scenario, tags + tag_names(examples), record, row, examples, reason)


def worst(statuses: Iterable[str]) -> str:
    """The status a group shows: the worst of those that ran, or "not run" if none ran."""
    ran = [status for status in statuses if status != NOT_RUN]
    return min(ran, key=STATUSES.index) if ran else NOT_RUN


def step_statuses(cases: Iterable[Case]) -> dict[int, str]:
    """Each step line's status over ``cases`` (the worst, for a Background or an outline)."""
    seen: dict[int, list[str]] = {}
    for case in cases:
        for step in case.record["steps"] if case.record else []:
            seen.setdefault(step["line"], []).append(step["status"])
    return {line: worst(statuses) for line, statuses in seen.items()}


def counts(cases: Iterable[Case]) -> Counter:
    return Counter(case.status for case in cases)


# Markdown building blocks


def inline(text: str) -> str:
    """Text as Markdown that shows literally; ``<param>`` placeholders become code."""
    parts = []
    for index, part in enumerate(PLACEHOLDER.split(text)):
        if index % 2:
            parts.append(f"`{part}`")
        else:
            parts.append(MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(part, quote=False)))
    return "".join(parts)


def prose(text: str) -> str:
    """A description written in Markdown; bare ``<param>`` placeholders become code."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    protected = []
    for line in lines:
        pieces = re.split(r"(`[^`]*`)", line)
        protected.append(
            "".join(p if i % 2 else PLACEHOLDER.sub(r"`\1`", p) for i, p in enumerate(pieces))
        )
    return "\n".join(protected)


def fence(text: str, language: str, indent: str = "") -> list[str]:
    """A fenced code block that ``text`` cannot close early, however many backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marker = "`" * max(3, longest + 1)
    body = [f"{indent}{line}".rstrip() for line in text.expandtabs(4).splitlines()]
    return [f"{indent}{marker}{language}", *body, f"{indent}{marker}"]


def table(header: list[str], rows: list[list[str]], indent: str = "") -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [indent + line for line in lines]


def data_table(rows: list[dict], indent: str = "") -> list[str]:
    """A step's data table; one of numbers only is a matrix, shown with no header row."""
    if is_matrix(rows):
        return table([""] * len(rows[0]["cells"]), [cells(row) for row in rows], indent)
    return table(cells(rows[0]), [cells(row) for row in rows[1:]], indent)


def is_matrix(rows: list[dict]) -> bool:
    """Every cell, the first row's included, holds a number."""
    try:
        for row in rows:
            for cell in row["cells"]:
                float(cell["value"])
    except ValueError:
        return False
    return bool(rows)


def cells(row: dict) -> list[str]:
    return [inline(cell["value"]) or " " for cell in row["cells"]]


def labels(tags: Iterable[str]) -> str:
    return " ".join(f'<span class="spec-tag">{html.escape(tag)}</span>' for tag in tags)


def message_box(status: str, title: str, message: str | None, indent: str = "") -> list[str]:
    box = MESSAGE_BOXES.get(status)
    if box is None or not message:
        return []
    title = title.replace('"', "'")
    # A failure's message is shown as it was printed; a reason for not running is ours,
    # written in Markdown (options in backticks).
    body = (
        [f"{indent}    {message}"] if status == NOT_RUN else fence(message, "text", indent + "    ")
    )
    return ["", f'{indent}!!! {box} "{title}"', "", *body]


def summary_line(counter: Counter) -> str:
    """``✅ 5 passed · ❌ 1 failed``, leaving out the statuses nobody has."""
    parts = [f"{MARKS[s]} {counter[s]} {s}" for s in STATUSES if counter[s]]
    return " · ".join(parts) or "no scenarios"


# Pages


def steps_markdown(steps: list[dict], statuses: dict[int, str]) -> list[str]:
    lines = []
    for step in steps:
        status = statuses.get(step["location"]["line"], NOT_RUN)
        lines.append(f"- {MARKS[status]} **{step['keyword'].strip()}** {inline(step['text'])}")
        if "dataTable" in step:
            lines += ["", *data_table(step["dataTable"]["rows"], "    "), ""]
        if "docString" in step:
            docstring = step["docString"]
            language = docstring.get("mediaType") or "text"
            lines += ["", *fence(docstring["content"], language, "    "), ""]
    return lines


def scenario_markdown(scenario: dict, cases: list[Case], level: str) -> list[str]:
    status = worst(case.status for case in cases)
    title = f"{scenario['keyword']}: {inline(scenario['name'])}"
    lines = [f"{level} {MARKS[status]} {title}", ""]
    if scenario["tags"]:
        lines += [labels(tag_names(scenario)), ""]
    if scenario.get("description"):
        lines += [prose(scenario["description"]), ""]
    lines += steps_markdown(scenario["steps"], step_statuses(cases))
    if not scenario["examples"]:
        case = cases[0]
        message = case.record["message"] if case.record else case.reason
        lines += message_box(case.status, case.status.capitalize(), message)
        return [*lines, ""]
    for examples in scenario["examples"]:
        lines += ["", examples_markdown(examples, cases)]
        for case in cases:
            if case.examples is examples and case.record and case.record["message"]:
                values = ", ".join(
                    f"{name} = {value}" for name, value in case.record["example"]["values"].items()
                )
                title = f"{case.status.capitalize()}: {values}"
                lines += message_box(case.status, title, case.record["message"])
    return [*lines, ""]


def examples_markdown(examples: dict, cases: list[Case]) -> str:
    name = f": {inline(examples['name'])}" if examples.get("name") else ""
    header = ["Result", *cells(examples["tableHeader"])] if "tableHeader" in examples else []
    rows = [
        [f"{MARKS[case.status]} {case.status}{not_run_reason(case)}", *cells(case.row)]
        for case in cases
        if case.examples is examples
    ]
    tags = f" {labels(tag_names(examples))}" if examples.get("tags") else ""
    return "\n".join([f"**{examples['keyword']}{name}**{tags}", "", *table(header, rows)])


def not_run_reason(case: Case) -> str:
    """``: needs `--browser``` after "not run" in a table cell, or nothing."""
    if case.record or not case.reason:
        return ""
    return ": " + case.reason.replace("|", "\\|").replace("\n", " ")


def feature_page(feature: Feature, runs: list[Run] | None) -> str:
    """The Markdown page for one feature: its text, each scenario's status, its source."""
    if feature.error:
        return "\n".join(
            [
                f"# {inline(feature.name)}",
                "",
                f'!!! failure "`features/{feature.path}` could not be read"',
                "",
                *fence(feature.error, "text", "    "),
                "",
                *source_block(feature.source),
            ]
        )
    gherkin_feature = feature.document["feature"]
    lines = [f"# {inline(feature.name)}", ""]
    if gherkin_feature["tags"]:
        lines += [labels(tag_names(gherkin_feature)), ""]
    if gherkin_feature.get("description"):
        lines += [prose(gherkin_feature["description"]), ""]
    lines += [*summary_box(feature.cases, runs), ""]
    lines += children_markdown(gherkin_feature, feature.cases, "##")
    lines += source_block(feature.source)
    return "\n".join(lines).rstrip() + "\n"


def summary_box(cases: list[Case], runs: list[Run] | None) -> list[str]:
    if not runs:
        return ['!!! note "No results yet"', "", "    " + NO_RESULTS_HINT]
    counter = counts(cases)
    kind = {"failed": "failure", "undefined": "warning", "passed": "success"}.get(
        worst(counter.elements()), "info"
    )
    passed = f"{counter['passed']} of {len(cases)} scenarios passed"
    lines = [f'!!! {kind} "Last run: {passed}"', "", f"    {summary_line(counter)}"]
    reasons = Counter(case.reason for case in cases if not case.record and case.reason)
    if reasons:
        lines += ["", "    Not run, and why:", ""]
        lines += [f"    - {n} × {reason}" for reason, n in reasons.most_common()]
    return lines


def children_markdown(node: dict, cases: list[Case], level: str) -> list[str]:
    lines: list[str] = []
    for child in node.get("children", []):
        if "background" in child:
            background = child["background"]
            ran = [case for case in cases if case.record]
            lines += [f"{level} {background['keyword']}", ""]
            if background.get("description"):
                lines += [prose(background["description"]), ""]
            lines += [*steps_markdown(background["steps"], step_statuses(ran)), ""]
        elif "scenario" in child:
            own = [case for case in cases if case.scenario is child["scenario"]]
            lines += scenario_markdown(child["scenario"], own, level)
        elif "rule" in child:
            rule = child["rule"]
            lines += [f"{level} {rule['keyword']}: {inline(rule['name'])}", ""]
            if rule["tags"]:
                lines += [labels(tag_names(rule)), ""]
            if rule.get("description"):
                lines += [prose(rule["description"]), ""]
            lines += children_markdown(rule, cases, level + "#")
    return lines


def source_block(source: str) -> list[str]:
    return ['??? note "Gherkin source"', "", *fence(source.rstrip("\n"), "gherkin", "    "), ""]


def overview_page(features: list[tuple[Feature, str]], runs: list[Run] | None) -> str:
    """The Specification's front page: the last run, and its counts by feature and by tag.

    ``features`` pairs each feature with the link to its page, relative to this page.
    """
    lines = [
        "# Specification",
        "",
        "Every behaviour of scratchnet is written down as a Gherkin scenario in `features/`, "
        "and every scenario is checked by `pytest`. The pages in this section are generated "
        "from those files on every build, with the outcome of the last test run beside each "
        "scenario and step, so what you read here is what was tested.",
        "",
        "Legend: " + ", ".join(f"{MARKS[status]} {status}" for status in STATUSES) + ".",
        "",
        *run_box(runs),
        "",
        "## By feature",
        "",
    ]
    header = ["Scenarios", *(MARKS[status] for status in STATUSES)]
    rows = []
    total: Counter = Counter()
    for feature, link in features:
        counter = counts(feature.cases)
        total += counter
        name = f"[{inline(feature.name)}]({link})"
        if feature.error:
            name += " (could not be read)"
        rows.append([name, str(len(feature.cases)), *count_cells(counter)])
    rows.append(["**All**", str(sum(total.values())), *count_cells(total)])
    lines += table(["Feature", *header], rows)
    by_tag: dict[str, Counter] = {}
    for feature, _ in features:
        for case in feature.cases:
            for tag in dict.fromkeys(case.tags):
                by_tag.setdefault(tag, Counter())[case.status] += 1
    lines += ["", "## By tag", ""]
    if by_tag:
        tag_rows = [
            [labels([tag]), str(sum(counter.values())), *count_cells(counter)]
            for tag, counter in sorted(by_tag.items())
        ]
        lines += table(["Tag", *header], tag_rows)
    else:
        lines.append("No scenario has a tag.")
    return "\n".join(lines) + "\n"


def count_cells(counter: Counter) -> list[str]:
    return [str(counter[status]) if counter[status] else "" for status in STATUSES]


def run_box(runs: list[Run] | None) -> list[str]:
    """The runs the pages show, and the results files they leave out with the reason."""
    if not runs:
        return ['!!! note "No results yet"', "", "    " + NO_RESULTS_HINT]
    lines = []
    for run in runs:
        if run.problem:
            continue
        meta = run.meta
        commit = meta.get("commit")
        if commit:
            commit = f"`{commit[:10]}`" + (" with uncommitted changes" if meta.get("dirty") else "")
        totals = meta.get("totals", {})
        facts = [
            ("File", f"`{run.name}`"),
            ("Date (UTC)", meta.get("date")),
            ("Commit", commit),
            ("Command", f"`{meta['command']}`" if meta.get("command") else None),
            ("Python / NumPy", f"{meta.get('python')} / {meta.get('numpy')}"),
            ("Scenarios", summary_line(Counter(totals.get("scenarios", {})))),
            ("Steps", summary_line(Counter(totals.get("steps", {})))),
            ("Other tests", summary_line(Counter(totals.get("tests", {})))),
        ]
        body = [f"    - **{name}:** {value}" for name, value in facts if value]
        lines += ['!!! info "Test run shown"', "", *body, ""]
    left_out = [f"    - `{run.name}`: {run.problem}" for run in runs if run.problem]
    if left_out:
        lines += ['!!! warning "Results files not shown"', "", *left_out, ""]
    return lines[:-1]


# Plain pytest tests: scikit-learn's estimator checks


#: The test module that runs scikit-learn's estimator checks, and its one test function.
ESTIMATOR_CHECKS = "steps/test_sklearn_estimator_checks.py"
CHECK_NAME = re.compile(r"-(check_\w+(?:\(.*\))?)\]$")


def estimator_checks_markdown(runs: list[Run], source: str) -> str:
    """A table of scikit-learn's estimator checks and their outcome in the shown runs.

    ``source`` is the current text of the test module: results recorded for another
    version of it are not shown. The checks are the ones the runs recorded, run or
    deselected; with none recorded, the reason stands in for the table.
    """
    digest = provenance.text_sha256(source)
    names = dict.fromkeys(
        name
        for run in runs
        if not run.problem
        and ((run.data.get("tests") or {}).get(ESTIMATOR_CHECKS) or {}).get("sha256") == digest
        for kind in ("tests", "deselected")
        for name in run.data["tests"][ESTIMATOR_CHECKS].get(kind, {})
    )
    if not names:
        _, reason = pick(runs, "tests", ESTIMATOR_CHECKS, digest, "tests", "")
        return f"{MARKS[NOT_RUN]} The estimator checks: {NOT_RUN} ({reason})."
    rows, counter, notes = [], Counter(), []
    for name in sorted(names, key=check_name):
        record, reason = pick(runs, "tests", ESTIMATOR_CHECKS, digest, "tests", name)
        status = record["status"] if record else NOT_RUN
        counter[status] += 1
        rows.append([f"`{check_name(name)}`", f"{MARKS[status]} {status}"])
        detail = ((record or {}).get("message") or reason or "").strip()
        if detail and status != "passed":  # below the table, which holds no run's words
            notes.append(f"- `{check_name(name)}`: {inline(detail.splitlines()[0][:300])}")
    lines = [
        f"{summary_line(counter)} of {sum(counter.values())} checks, "
        f"from the test run (`{ESTIMATOR_CHECKS}`).",
        "",
        *table(["Check", "Result"], rows),
    ]
    return "\n".join([*lines, *(["", *notes] if notes else [])])


def check_name(test_name: str) -> str:
    """``test_x[Classifier(...)-check_fit2d_1sample]`` → ``check_fit2d_1sample``."""
    found = CHECK_NAME.search(test_name)
    return found[1] if found else test_name
