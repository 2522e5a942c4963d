"""Turn Gherkin features and the last test run's results into Markdown pages.

Plain functions with no MkDocs in them: ``feature_page`` renders one
``.feature`` file, ``overview_page`` the summary of them all. The Markdown
uses Material's admonitions (``!!!``, ``???``) and fenced code, but would
read fine as plain files too.

The results come from ``steps/support/results.py`` (``build/results.json``): each
scenario is found by its line, and each row of a Scenario Outline by the
row's line, so a scenario that did not run shows as "not run".
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gherkin.errors import ParserError
from gherkin.parser import Parser

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
MESSAGE_BOXES = {"failed": "failure", "undefined": "warning", "skipped": "info"}
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


def merge_results(runs: list[dict | None]) -> dict | None:
    """Combine results files: later runs add their scenarios to the first run's.

    The first run's date and commit head the overview; the other runs'
    commands are listed after its command and their totals are added.
    """
    present = [run for run in runs if run is not None]
    if not present:
        return None
    merged = json.loads(json.dumps(present[0]))
    for extra in present[1:]:
        for path, feature in extra.get("features", {}).items():
            target = merged.setdefault("features", {}).setdefault(path, {"scenarios": {}})
            target.setdefault("name", feature.get("name"))
            target.setdefault("scenarios", {}).update(feature.get("scenarios", {}))
        run, extra_run = merged.setdefault("run", {}), extra.get("run", {})
        if extra_run.get("command"):
            run["command"] = "; ".join(filter(None, [run.get("command"), extra_run["command"]]))
        totals = run.setdefault("totals", {})
        for kind, counts in extra_run.get("totals", {}).items():
            totals[kind] = dict(Counter(totals.get(kind, {})) + Counter(counts))
    return merged


def read_feature(path: str, source: str, results: dict | None) -> Feature:
    """Parse ``source`` (the text of ``features/<path>``) and match it with ``results``."""
    feature = Feature(path=path, source=source)
    try:
        feature.document = Parser().parse(source)
    except ParserError as error:
        feature.error = str(error)
        return feature
    records = ((results or {}).get("features", {}).get(path) or {}).get("scenarios", {})
    feature.cases = list(match_cases(feature.document.get("feature") or {}, records))
    return feature


def match_cases(gherkin_feature: dict, records: dict) -> Iterator[Case]:
    """One case per scenario and per outline row, with its record when it ran.

    A record whose scenario name or number of steps differs from the file is
    from an older version of the file, and is ignored.
    """
    for scenario, inherited, background in scenarios_of(gherkin_feature):
        tags = inherited + tag_names(scenario)
        line = scenario["location"]["line"]
        n_steps = len(background) + len(scenario["steps"])
        if not scenario["examples"]:
            record = records.get(str(line))
            current = record and record["name"] == scenario["name"]
            yield Case(
                scenario, tags, record if current and len(record["steps"]) == n_steps else None
            )
        for examples in scenario["examples"]:
            for row in examples.get("tableBody", []):
                record = records.get(f"{line}:{row['location']['line']}")
                if record and len(record["steps"]) != n_steps:
                    record = None
                yield Case(scenario, tags + tag_names(examples), record, row, examples)


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
    return ["", f'{indent}!!! {box} "{title}"', "", *fence(message, "text", indent + "    ")]


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
        if case.record:
            lines += message_box(case.status, case.status.capitalize(), case.record["message"])
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
        [f"{MARKS[case.status]} {case.status}", *cells(case.row)]
        for case in cases
        if case.examples is examples
    ]
    tags = f" {labels(tag_names(examples))}" if examples.get("tags") else ""
    return "\n".join([f"**{examples['keyword']}{name}**{tags}", "", *table(header, rows)])


def feature_page(feature: Feature, results: dict | None) -> str:
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
    lines += [*summary_box(feature.cases, results), ""]
    lines += children_markdown(gherkin_feature, feature.cases, "##")
    lines += source_block(feature.source)
    return "\n".join(lines).rstrip() + "\n"


def summary_box(cases: list[Case], results: dict | None) -> list[str]:
    if results is None:
        return ['!!! note "No results yet"', "", "    " + NO_RESULTS_HINT]
    counter = counts(cases)
    kind = {"failed": "failure", "undefined": "warning", "passed": "success"}.get(
        worst(counter.elements()), "info"
    )
    passed = f"{counter['passed']} of {len(cases)} scenarios passed"
    return [f'!!! {kind} "Last run: {passed}"', "", f"    {summary_line(counter)}"]


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


def overview_page(features: list[tuple[Feature, str]], results: dict | None) -> str:
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
        *run_box(results),
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


def run_box(results: dict | None) -> list[str]:
    if results is None:
        return ['!!! note "No results yet"', "", "    " + NO_RESULTS_HINT]
    run = results.get("run", {})
    commit = run.get("commit")
    if commit:
        commit = f"`{commit[:10]}`" + (" with uncommitted changes" if run.get("dirty") else "")
    facts = [
        ("Date (UTC)", run.get("date")),
        ("Commit", commit),
        ("Command", f"`{run['command']}`" if run.get("command") else None),
        ("Python / NumPy", f"{run.get('python')} / {run.get('numpy')}"),
        ("Scenarios", summary_line(Counter(run.get("totals", {}).get("scenarios", {})))),
        ("Steps", summary_line(Counter(run.get("totals", {}).get("steps", {})))),
    ]
    body = [f"    - **{name}:** {value}" for name, value in facts if value]
    return ['!!! info "Last test run"', "", *body]
