"""Binds features/documentation_site.feature: the built site in a real browser, and publishing.

The browser scenarios build the site with ``mkdocs build --strict`` into a
temporary folder, serve it on 127.0.0.1 and drive headless Chromium through
the DevTools protocol over a pipe (``--remote-debugging-pipe``), so no
browser-automation package is needed. Chromium missing is a failure, not a
skip: CI installs it. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib
import importlib.util
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from gherkin.parser import Parser
from pytest_bdd import given, parsers, scenarios, then, when

from mutation.outcomes import Group, load_groups, tomllib
from steps.support.browser import Chromium
from steps.support.gherkin import scenarios_of
from steps.support.page_layout import measure, served, site_pages, unreachable

scenarios("documentation_site.feature")

ROOT = Path(__file__).resolve().parents[1]


def load_docs_module(name: str) -> object:
    """A module of ``docs/hooks/`` whose functions need no MkDocs (``site_figures``, ...)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass of the module looks itself up there
    spec.loader.exec_module(module)
    return module


site_figures = load_docs_module("site_figures")
mutation_testing = load_docs_module("mutation_testing")
SCREENSHOTS = ROOT / "build" / "screenshots"
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the current code and the last test run, as CI builds it."""
    site = tmp_path_factory.mktemp("docs") / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}")
    return site


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 on a free port."""
    with served(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (or set CHROMIUM)")
    browser = Chromium(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


@given(
    "the documentation site is built from the current code and served locally",
    target_fixture="site",
)
def documentation_site(site_url: str, built_site: Path) -> dict:
    return {"url": site_url, "folder": built_site}


@when(
    parsers.parse("a reader opens the specification page of the {feature} feature"),
    target_fixture="page",
)
def open_specification_page(site: dict, chromium: Chromium, feature: str) -> dict:
    session = chromium.open(f"{site['url']}spec/{feature}/")
    images = "[...document.querySelectorAll('article img')]"
    chromium.wait_until(session, f"{images}.every((image) => image.complete)")
    chromium.screenshot(session, SCREENSHOTS / "specification.png")
    return {"session": session, "feature": feature}


@then("every scenario of the feature is headed by a status mark")
def scenarios_headed_by_marks(chromium: Chromium, page: dict) -> None:
    source = (ROOT / "features" / f"{page['feature']}.feature").read_text(encoding="utf-8")
    names = scenario_names(Parser().parse(source)["feature"])
    headings = chromium.evaluate(
        page["session"],
        """[...document.querySelectorAll("article h2, article h3, article h4")]
            .filter((heading) => [...heading.querySelectorAll(".twemoji")].some(drawn))
            .map((heading) => heading.textContent.replace(/\\s+/g, " ").trim())""",
    )
    unmarked = [name for name in names if not any(name in heading for heading in headings)]
    assert names, f"no scenarios found in features/{page['feature']}.feature"
    assert not unmarked, f"scenarios without a drawn status mark: {unmarked}; headings: {headings}"


def scenario_names(feature: dict) -> list[str]:
    """The names of the scenarios in a parsed feature, inside rules too."""
    return [" ".join(scenario["name"].split()) for scenario, _, _ in scenarios_of(feature)]


@then("every status mark on the page is drawn")
def marks_drawn(chromium: Chromium, page: dict) -> None:
    marks = chromium.evaluate(
        page["session"],
        """(() => {
            const marks = [...document.querySelectorAll("article .twemoji")]
                .filter((mark) => !mark.closest("details"));
            const broken = marks.filter((mark) => !drawn(mark));
            return {count: marks.length, broken: broken.map((mark) => mark.outerHTML)};
        })()""",
    )
    assert marks["count"] > 0, "the page shows no status marks"
    assert not marks["broken"], f"{len(marks['broken'])} marks are not drawn: {marks['broken'][:3]}"


@when("a reader opens every page that shows a picture of a training run", target_fixture="pictures")
def open_pages_with_pictures(site: dict, chromium: Chromium) -> list[dict]:
    pages = sorted(
        path.relative_to(site["folder"]).parent.as_posix()
        for path in site["folder"].rglob("*.html")
        if re.search(r'<img [^>]*src="[^"]*images/[^"]+\.png"', path.read_text(encoding="utf-8"))
    )
    pictures = []
    for page in pages:
        session = chromium.open(f"{site['url']}{page}/")
        found = "[...document.querySelectorAll('article img[src*=\"images/\"]')]"
        chromium.wait_until(session, f"{found}.every((image) => image.complete)")
        pictures += chromium.evaluate(
            session,
            f"""{found}.map((image) => {{
                image.scrollIntoView();
                return {{page: "{page}", src: image.getAttribute("src"), drawn: drawn(image),
                        width: image.naturalWidth, height: image.naturalHeight}};
            }})""",
        )
        chromium.screenshot(session, SCREENSHOTS / f"pictures-{page.replace('/', '-')}.png")
    return pictures


@then(parsers.parse("at least {count:d} picture is shown"))
def pictures_shown(pictures: list[dict], count: int) -> None:
    assert len(pictures) >= count, f"only {len(pictures)} pictures found on the site"


@then("every picture on those pages is drawn")
def pictures_drawn(pictures: list[dict]) -> None:
    broken = [picture for picture in pictures if not picture["drawn"]]
    assert not broken, f"pictures not drawn: {broken}"


# The tutorial's pages in the site, and the stages among them that teach with equations.
TUTORIAL_PAGES = ["tutorial", "tutorial/complete_example", "notation", "glossary", "course"]
LEARNER_CLASS = "examples/implementations/correct.py"


@when(
    parsers.parse("a reader opens every page of the tutorial {width:d} pixels wide"),
    target_fixture="tutorial_pages",
)
def open_tutorial_pages(site: dict, chromium: Chromium, width: int) -> dict[str, dict]:
    """Each page's equations, listings and leftover LaTeX, with every collapsed box opened."""
    pages = {}
    for page in [f"tutorial/{stage}" for stage in STAGES] + TUTORIAL_PAGES:
        session = chromium.open(f"{site['url']}{page}/", width=width)
        pages[page] = chromium.evaluate(session, TUTORIAL_PAGE_FACTS)
        chromium.screenshot(session, SCREENSHOTS / f"tutorial-{page.replace('/', '-')}.png")
    return pages


# JavaScript: open every <details>, then measure the page's equations and code listings.
TUTORIAL_PAGE_FACTS = r"""(() => {
    document.querySelectorAll("article details").forEach((box) => { box.open = true; });
    const article = document.querySelector("article");
    const maths = [...article.querySelectorAll("math")];
    const fractions = [...article.querySelectorAll("mfrac")].map((fraction) => {
        const [top, bottom] = [...fraction.children].map((part) => part.getBoundingClientRect());
        return top.bottom <= bottom.top + 1;
    });
    const prose = article.cloneNode(true);
    prose.querySelectorAll("pre, code, math, script").forEach((node) => node.remove());
    // Material scrolls a listing inside its <code>, so that is where overflow shows.
    const listings = [...article.querySelectorAll("pre")].map((pre) => {
        const scroller = pre.querySelector("code") || pre;
        return {
            text: pre.textContent.slice(0, 80),
            title: (pre.closest(".highlight")?.querySelector(".filename") || {}).textContent || "",
            highlighted: pre.querySelectorAll(".hll").length,
            drawn: drawn(pre),
            overflow: Math.max(scroller.scrollWidth - scroller.clientWidth, 0),
            doubleBackticks: pre.textContent.includes("``"),
        };
    });
    return {
        maths: maths.length,
        drawnMaths: maths.filter(drawn).length,
        fractions: fractions.length,
        stacked: fractions.filter(Boolean).length,
        latex: (prose.textContent.match(/\$|\\(frac|begin|sum|partial|operatorname)/g) || []),
        listings: listings,
    };
})()"""


@then("every stage page shows its equations typeset, fractions stacked")
def equations_typeset(tutorial_pages: dict[str, dict]) -> None:
    for stage in STAGES:
        page = tutorial_pages[f"tutorial/{stage}"]
        assert page["maths"] > 0, f"{stage}: no equation is typeset"
        assert page["drawnMaths"] == page["maths"], f"{stage}: equations not drawn: {page}"
        assert page["stacked"] == page["fractions"], f"{stage}: fractions not stacked: {page}"


@then("no page shows LaTeX or a dollar sign outside its code")
def no_raw_latex(tutorial_pages: dict[str, dict]) -> None:
    leftovers = {page: facts["latex"] for page, facts in tutorial_pages.items() if facts["latex"]}
    assert not leftovers, f"LaTeX left as text: {leftovers}"


@then("every stage page shows a highlighted listing of the learner's class")
def learner_class_shown(tutorial_pages: dict[str, dict]) -> None:
    for stage in STAGES:
        listings = [
            listing
            for listing in tutorial_pages[f"tutorial/{stage}"]["listings"]
            if listing["title"] == LEARNER_CLASS and listing["drawn"]
        ]
        assert listings, f"{stage}: no listing of {LEARNER_CLASS}"
        assert any(listing["highlighted"] for listing in listings), f"{stage}: none highlighted"


@then("no code listing on those pages scrolls sideways")
def no_sideways_scroll(tutorial_pages: dict[str, dict]) -> None:
    wide = [
        (page, listing["overflow"], listing["text"])
        for page, facts in tutorial_pages.items()
        for listing in facts["listings"]
        if listing["overflow"] > 0
    ]
    assert not wide, f"{len(wide)} listings scroll sideways (page, pixels, start): {wide}"


@when(
    parsers.parse("a reader opens every page of the site {width:d} pixels wide"),
    target_fixture="site_layout",
)
def open_every_page(site: dict, chromium: Chromium, width: int) -> dict[str, dict]:
    """Each page's width and its listings' overflow; a Specification page is photographed."""
    pages = site_pages(site["folder"])
    assert len(pages) > 1, f"the built site has only {pages}"
    return {
        page: measure(
            chromium,
            site["url"] + page,
            width,
            SCREENSHOTS / f"phone-{width}.png" if page == PHONE_SCREENSHOT else None,
        )
        for page in pages
    }


#: The page photographed on a phone: a Specification page with long Gherkin lines.
PHONE_SCREENSHOT = "spec/documentation_site/"


@then("no page is wider than the window")
def no_page_wider(site_layout: dict[str, dict]) -> None:
    wide = {
        page: f"{layout['pageWidth']} px in {layout['viewport']} px"
        for page, layout in site_layout.items()
        if layout["pageWidth"] > layout["viewport"]
    }
    assert not wide, f"{len(wide)} pages are wider than the window: {wide}"


@then("every listing wider than its box scrolls inside that box")
def listings_scroll_in_their_box(site_layout: dict[str, dict]) -> None:
    listings = [listing for layout in site_layout.values() for listing in layout["listings"]]
    assert listings, "no listing was measured on any page"
    broken = {page: found for page, layout in site_layout.items() if (found := unreachable(layout))}
    assert not broken, f"listings that break {len(broken)} pages: {broken}"


@then("every Gherkin listing and prose output wraps its lines, none scrolls sideways")
def prose_listings_wrap(site_layout: dict[str, dict]) -> None:
    prose = [
        (page, listing)
        for page, layout in site_layout.items()
        for listing in layout["listings"]
        if listing["kind"] == "gherkin" or listing["prose"]
    ]
    assert any(listing["kind"] == "gherkin" for _, listing in prose), "no Gherkin listing found"
    assert any(listing["prose"] for _, listing in prose), "no output marked as prose found"
    scrolling = [
        (page, listing["overflow"], listing["text"])
        for page, listing in prose
        if listing["overflow"] > 0
    ]
    assert not scrolling, (
        f"{len(scrolling)} prose listings scroll (page, pixels, start): {scrolling}"
    )


# The parts of the site a reader moves between, by the start of their pages' paths.
PARTS = {
    "Tutorial": ("tutorial/", "notation/", "glossary/", "course/"),
    "Beyond": ("mnist/", "beyond/", "sklearn/", "check_your_network/"),
    "Specification": ("spec/",),
    "Reference": ("reference/",),
    "Development": ("performance/", "development/"),
}

# JavaScript: the page's path and the paths of the links its sidebar shows.
SIDEBAR = """(() => {
    const path = (link) => new URL(link.href, location.href).pathname.replace(/^\\//, "");
    const links = [...document.querySelectorAll(".md-sidebar--primary .md-nav__link[href]")];
    return {page: path(location), sidebar: links.filter(drawn).map(path)};
})()"""


@when(
    "a reader follows the Tutorial tab, then the Softmax stage, then its specification, "
    "then the link back to the stage",
    target_fixture="journey",
)
def follow_tutorial_to_specification(site: dict, chromium: Chromium) -> list[dict]:
    """Each page visited: its part of the site, its path and its sidebar's visible links."""
    clicks = [
        ("Tutorial", ".md-tabs__link", "Tutorial"),
        ("Tutorial", ".md-sidebar--primary .md-nav__link", "Softmax"),
        ("Specification", "article a", "Softmax specification"),
        ("Tutorial", "article a", "Softmax"),
    ]
    session = chromium.open(site["url"])
    journey = [{"part": "Home", **chromium.evaluate(session, SIDEBAR)}]
    for part, links, text in clicks:
        href = chromium.evaluate(
            session,
            f"""[...document.querySelectorAll({links!r})]
                .find((link) => drawn(link) && link.textContent.trim().endsWith({text!r}))
                ?.href""",
        )
        assert href, f"no visible link {text!r} among {links} on {journey[-1]['page']}"
        session = chromium.open(href)
        journey.append({"part": part, **chromium.evaluate(session, SIDEBAR)})
        chromium.screenshot(
            session, SCREENSHOTS / f"journey-{len(journey) - 1}.png", full_page=False
        )
    return journey


def part_of(path: str) -> str:
    """The part of the site a page's path belongs to ("Home" for the home page)."""
    parts = [name for name, prefixes in PARTS.items() if path.startswith(prefixes)]
    return parts[0] if parts else ("Home" if path == "" else "another part")


@then("every page on the way lists in its sidebar only pages of its own part of the site")
def sidebar_shows_own_part(journey: list[dict]) -> None:
    for step in journey:
        strangers = [path for path in step["sidebar"] if part_of(path) != step["part"]]
        assert step["sidebar"], f"{step['page']}: the sidebar shows no page"
        assert not strangers, f"{step['page']} ({step['part']}) lists other parts: {strangers}"


@then("the reader ends on the Softmax stage of the tutorial")
def ends_on_softmax_stage(journey: list[dict]) -> None:
    assert journey[-1]["page"].endswith("tutorial/softmax/"), [step["page"] for step in journey]


@then("no code listing on those pages shows reStructuredText's double backticks")
def no_double_backticks(tutorial_pages: dict[str, dict]) -> None:
    marked = [
        (page, listing["text"])
        for page, facts in tutorial_pages.items()
        for listing in facts["listings"]
        if listing["doubleBackticks"]
    ]
    assert not marked, f"listings with double backticks (page, start): {marked}"


@when(parsers.parse('a reader searches the site for "{query}"'), target_fixture="search_results")
def search_site(site: dict, chromium: Chromium, query: str) -> list[dict]:
    """Each result shown: its title, its page's path and the tags it shows."""
    # Material opens its search box with the query from ``?q=`` and searches in a web worker.
    session = chromium.open(f"{site['url']}?q={query}")
    results = chromium.wait_until(
        session,
        """(() => {
            const path = (link) => new URL(link.href, location.href).pathname.replace(/^\\//, "");
            const items = [...document.querySelectorAll(".md-search-result__item")].filter(drawn);
            const results = items.map((item) => ({
                title: item.querySelector("h1, h2").textContent.trim(),
                path: path(item.querySelector("a")),
                tags: [...item.querySelectorAll(".md-tag")].filter(drawn)
                    .map((tag) => tag.textContent.trim()),
            }));
            return results.length ? results : null;
        })()""",
    )
    chromium.screenshot(session, SCREENSHOTS / f"search-{query}.png", full_page=False)
    return results or []


@then(parsers.parse('a search result is titled with "{word}"'))
def search_result_titled(search_results: list[dict], word: str) -> None:
    titles = [result["title"] for result in search_results]
    assert any(word.lower() in title.lower() for title in titles), (
        f"no result titled with {word!r}: {titles}"
    )


@then("every search result names the part of the site its page is in")
def search_results_name_part(search_results: list[dict]) -> None:
    wrong = [
        (result["title"], result["path"], result["tags"])
        for result in search_results
        if result["tags"] != [part_of(result["path"])]
    ]
    assert search_results and not wrong, f"results naming no or another part: {wrong}"


@then(parsers.parse("the results come from at least {count:d} parts of the site"))
def search_results_from_parts(search_results: list[dict], count: int) -> None:
    parts = {part_of(result["path"]) for result in search_results}
    assert len(parts) >= count, f"the results come from {sorted(parts)}"


@given("the publishing workflow", target_fixture="workflow")
def publishing_workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The ``on:`` block (YAML 1.1 reads a bare ``on`` as the boolean True)."""
    return workflow.get("on", workflow.get(True)) or {}


def steps_of(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@then("it runs on every push to main and on every pull request")
def runs_on_push_and_pull_request(workflow: dict) -> None:
    on = triggers(workflow)
    assert "main" in on["push"]["branches"], on
    assert "pull_request" in on and not (on["pull_request"] or {}).get("branches"), on


@then(
    parsers.parse("it runs the CI script with each Python version from 3.{first:d} to 3.{last:d}")
)
def runs_ci_script(workflow: dict, first: int, last: int) -> None:
    check = next(
        job
        for job in workflow["jobs"].values()
        if any("run" in step and ".ci/run" in step["run"] for step in job.get("steps", []))
    )
    versions = check["strategy"]["matrix"]["python-version"]
    assert versions == [f"3.{minor}" for minor in range(first, last + 1)], versions
    setup = next(step for step in check["steps"] if "setup-python" in step.get("uses", ""))
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}", setup


@then("after a push to main it publishes the site the CI script built to GitHub Pages")
def publishes_site(workflow: dict) -> None:
    upload = next(
        step for step in steps_of(workflow) if "upload-pages-artifact" in step.get("uses", "")
    )
    assert upload["with"]["path"].rstrip("/") == "site", upload
    deploy = next(
        job
        for job in workflow["jobs"].values()
        if any("deploy-pages" in step.get("uses", "") for step in job["steps"])
    )
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}, deploy
    assert deploy["environment"]["name"] == "github-pages", deploy
    checks = [name for name, job in workflow["jobs"].items() if upload in job.get("steps", [])]
    assert checks and set(checks) <= set(_as_list(deploy["needs"])), deploy


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@then("it publishes nothing for a pull request")
def publishes_nothing_for_pull_request(workflow: dict) -> None:
    publishing = [
        ("upload", step.get("if", ""))
        for step in steps_of(workflow)
        if "upload-pages-artifact" in step.get("uses", "")
    ] + [
        ("deploy", job.get("if", ""))
        for job in workflow["jobs"].values()
        if any("deploy-pages" in step.get("uses", "") for step in job["steps"])
    ]
    for what, condition in publishing:
        assert "github.event_name == 'push'" in condition, f"{what} runs on: {condition!r}"
        assert "github.ref == 'refs/heads/main'" in condition, f"{what} runs on: {condition!r}"


EXERCISES = ROOT / "docs" / "exercises"
TUTORIAL = ROOT / "docs" / "tutorial"
# The stages that teach one idea each (with equations and the learner's class), in order.
STAGES = [
    "initialisation",
    "forward_propagation",
    "softmax",
    "loss",
    "backpropagation",
    "training",
    "prediction",
]
# Every stage ends with exercises, the complete example too.
STAGES_WITH_EXERCISES = [*STAGES, "complete_example"]


@given("the solutions included on the tutorial's pages", target_fixture="solutions")
def included_solutions() -> dict[str, list[Path]]:
    """Each tutorial page's stem → the exercise scripts it includes, in page order."""
    return {
        page.stem: [
            ROOT / path
            for path in re.findall(r'--8<-- "(docs/exercises/[^"]+\.py)"', page.read_text())
        ]
        for page in sorted(TUTORIAL.glob("*.md"))
    }


@when("each solution is run on its own, as a reader would run it", target_fixture="solution_runs")
def run_solutions(solutions: dict[str, list[Path]]) -> dict[str, subprocess.CompletedProcess]:
    runs = {}
    for path in sorted({path for paths in solutions.values() for path in paths}):
        runs[path.name] = subprocess.run(
            [sys.executable, "-W", "error", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"},
            check=False,
        )
    return runs


@then("every solution finishes without an error or a warning")
def solutions_succeed(solution_runs: dict[str, subprocess.CompletedProcess]) -> None:
    assert solution_runs, "no solution is included on any tutorial page"
    failed = {
        name: run.stderr[-1500:] for name, run in solution_runs.items() if run.returncode != 0
    }
    assert not failed, f"solutions that failed: {failed}"


@then(
    parsers.parse(
        "every stage from initialisation to the complete example has at least {count:d} exercises"
    )
)
def stages_have_exercises(solutions: dict[str, list[Path]], count: int) -> None:
    short = {stage: len(solutions.get(stage, [])) for stage in STAGES_WITH_EXERCISES}
    assert all(found >= count for found in short.values()), short


@then("every script in docs/exercises is a solution on some page")
def no_orphan_solutions(solutions: dict[str, list[Path]]) -> None:
    included = {path for paths in solutions.values() for path in paths}
    orphans = sorted(path.name for path in EXERCISES.glob("*.py") if path not in included)
    assert not orphans, f"solutions on no page: {orphans}"


# Figures typed by hand.

#: How each kind of place holds a figure, as a page would write it.
PLACES = {
    "an output block": "```text\n{figure}\n```",
    "a table of results": "| variant | loss |\n| --- | --- |\n| deeper | {figure} |",
    "a table marked without reason": (
        "<!-- numbers: definition -->\n| variant | accuracy |\n| --- | --- |\n| deeper | {figure} |"
    ),
    "a paragraph of prose": "With seed 0 the deeper network\nends at {figure} after 100 epochs.",
    "a sentence marked without reason": "The run ends at {figure}. <!-- numbers: definition -->",
    "a sentence before the one a marker ends": (
        "The run ends at {figure}. It learns at\nrate 0.01. <!-- numbers: definition, a setting -->"
    ),
    "a sentence marked as a threshold its feature does not say": (
        "Every seed scores above {figure}. <!-- numbers: threshold, complete_example.feature -->"
    ),
}


@pytest.fixture
def page_parts() -> list[str]:
    """The Markdown of a page under test, part by part."""
    return ["# A page\n\nSome prose."]


@given(parsers.parse('a page with {place} holding the figure "{figure}" typed by hand'))
def page_with_typed_figure(page_parts: list[str], place: str, figure: str) -> None:
    page_parts.append(PLACES[place].format(figure=figure))


@given("a page whose output block and table show only recorded figures")
def page_with_recorded_figures(page_parts: list[str]) -> None:
    page_parts.append("```text\n{{ fact: complete_example.output_seed_0 }}\n```")
    page_parts.append("| variant | loss |\n| --- | --- |\n| deeper | {{ fact: some.loss:.3f }} |")
    page_parts.append("{{ runs: challenges }}")


@given("a block of code run while the site is built")
def page_with_exec_block(page_parts: list[str]) -> None:
    # markdown-exec runs console blocks too: what they show is printed by the build.
    page_parts.append('```console exec="on"\n$ python -c "print(2 ** 10)"\n```')


#: Parts of a page whose figures are no results typed by hand, as the scenarios name them.
NOT_TYPED = {
    "a table of shapes marked as a definition, with its reason": (
        "<!-- numbers: definition, the shapes of 64 → 128 → 10 -->\n"
        "| parameter | shape |\n| --- | --- |\n| W1 | 64 × 128 |"
    ),
    "a paragraph of settings written as whole numbers and shapes": (
        "The tutorial's network, 64 → 128 → 10, has 128 hidden units and trains for\n"
        "100 epochs in batches of 32, from seed 0."
    ),
    "a sentence of settings marked as a definition, with its reason": (
        "It learns at rate 0.01. <!-- numbers: definition, the tutorial's settings -->"
        " The loss then falls."
    ),
    "a sentence of thresholds marked with the feature file that states them": (
        "Every seed scores above 94 % on the\n"
        "test images. <!-- numbers: threshold, complete_example.feature -->"
    ),
}


@given(parsers.re("(?P<part>" + "|".join(map(re.escape, NOT_TYPED)) + ")"))
def page_with_part_not_typed(page_parts: list[str], part: str) -> None:
    page_parts.append(NOT_TYPED[part])


@when("the site's pages are checked for figures typed by hand", target_fixture="typed")
def check_page(page_parts: list[str]) -> tuple[str, list]:
    page = "\n\n".join(page_parts) + "\n"
    return page, site_figures.typed_figures(page)


@when(
    "every written page under docs/ but those the build lists as pending "
    "is checked for figures typed by hand",
    target_fixture="typed",
)
def check_every_page() -> tuple[str, list]:
    pending = site_figures.PENDING
    found = [
        (path.relative_to(ROOT / "docs").as_posix(), figure)
        for path in sorted((ROOT / "docs").rglob("*.md"))
        if path.relative_to(ROOT / "docs").as_posix() not in pending
        for figure in site_figures.typed_figures(path.read_text(encoding="utf-8"))
    ]
    return "every page", found


@then(parsers.parse('the check reports the line of "{figure}"'))
def reports_line(typed: tuple[str, list], figure: str) -> None:
    page, figures = typed
    line = next(n for n, text in enumerate(page.splitlines(), start=1) if figure in text)
    assert any(found.line == line for found in figures), (
        f"the check should report line {line} ({figure!r}); it reported {figures}"
    )


@then("the check reports nothing")
def reports_nothing(typed: tuple[str, list]) -> None:
    assert typed[1] == [], typed[1]


# Recorded figures on a page.

RECORDED = "Epoch 0, Loss: 2.3009 (as recorded)"


def recorded_fact(name: str, commit: str | None, sha256: str | None) -> dict[str, dict]:
    return {
        name: {
            "value": RECORDED,
            "feature": "complete_example.feature",
            "feature_sha256": sha256,
            "commit": commit,
        }
    }


def current_sha256(feature: str) -> str:
    return hashlib.sha256((ROOT / "features" / feature).read_bytes()).hexdigest()


@given(
    parsers.parse('the figure "{name}" recorded at this commit from the current feature text'),
    target_fixture="recorded",
)
def figure_recorded_now(name: str) -> tuple[str, dict]:
    commit = site_figures.head_commit()
    return name, recorded_fact(name, commit, current_sha256("complete_example.feature"))


@given(
    parsers.re(
        r'the figure "(?P<name>[^"]+)" recorded '
        r"(?P<when>at another commit|before its feature file changed|never)"
    ),
    target_fixture="recorded",
)
def figure_recorded_then(name: str, when: str) -> tuple[str, dict]:
    commit, sha256 = site_figures.head_commit(), current_sha256("complete_example.feature")
    if when == "never":
        return name, {}
    if when == "at another commit":
        return name, recorded_fact(name, "0" * 40, sha256)
    return name, recorded_fact(name, commit, "0" * 64)


@when("a page showing it is built", target_fixture="shown")
def page_showing_figure(recorded: tuple[str, dict]) -> str:
    name, facts = recorded
    page = f"With seed 0 it prints:\n\n```text\n{{{{ fact: {name} }}}}\n```\n"
    return site_figures.render(
        page, "tutorial/complete_example.md", facts, site_figures.head_commit()
    )


@then("the page shows the recorded value")
def shows_value(shown: str) -> None:
    assert RECORDED in shown, shown


@then(parsers.parse('the page shows "not run" and says "{reason}"'))
def shows_not_run(shown: str, reason: str) -> None:
    assert "not run" in shown and reason in shown, shown


@then("the page does not show the recorded value")
def hides_value(shown: str) -> None:
    assert RECORDED not in shown, shown


# A feature's table of runs.

LEARNING_RATE_OUTLINE = "With learning rate <learning rate>, every run <outcome>"


def learning_rate_rows() -> list[tuple[str, str]]:
    """(key, learning rate) of each Examples row of the Insights learning-rate outline."""
    document = Parser().parse((ROOT / "features" / "insights.feature").read_text())
    for scenario, _, _ in scenarios_of(document["feature"]):
        if scenario["name"] == LEARNING_RATE_OUTLINE:
            line = scenario["location"]["line"]
            return [
                (f"{line}-{row['location']['line']}", row["cells"][0]["value"])
                for examples in scenario["examples"]
                for row in examples["tableBody"]
            ]
    raise AssertionError(f"no scenario {LEARNING_RATE_OUTLINE!r} in insights.feature")


def run_fact(settings: dict, value: dict) -> dict:
    return {
        "value": {"settings": settings, "seeds": [0, 1, 2], **value},
        "feature": "insights.feature",
        "feature_sha256": current_sha256("insights.feature"),
        "commit": site_figures.head_commit(),
    }


@given(
    "the runs of the learning-rate scenarios of the Insights feature, recorded at this commit, "
    "except one",
    target_fixture="recorded_runs",
)
def recorded_learning_rate_runs() -> dict[str, dict]:
    rows = learning_rate_rows()
    diverged = {"final_loss": [], "test_accuracy": [], "diverged_at": [4, 5, 4]}
    finished = {"final_loss": [0.5, 0.25, 0.125], "test_accuracy": [0.96, 0.97, 0.98]}
    facts = {f"runs.insights.{rows[0][0]}": run_fact({"learning_rate": 10}, diverged)}
    for key, rate in rows[1:-1]:
        facts[f"runs.insights.{key}"] = run_fact({"learning_rate": float(rate)}, finished)
    return facts  # the last row is not recorded


@when("a page showing the Insights feature's table of runs is built", target_fixture="table_rows")
def page_with_runs_table(recorded_runs: dict[str, dict]) -> list[str]:
    """The rows of the table, below its header and separator, each checked to have as many
    cells as the header."""
    commit = site_figures.head_commit()
    shown = site_figures.render(
        "{{ runs: insights }}\n", "beyond/insights.md", recorded_runs, commit
    )
    header, _, *rows = [line for line in shown.splitlines() if line.startswith("|")]
    uneven = [row for row in rows if row.count("|") != header.count("|")]
    assert not uneven, f"rows with other cells than the header {header!r}: {uneven}"
    return rows


@then("the table has one row for each learning rate the scenarios name, in their order")
def one_row_per_rate(table_rows: list[str]) -> None:
    rates = [rate for _, rate in learning_rate_rows()]
    named = [re.search(r"With learning rate (\S+),", row)[1] for row in table_rows]
    assert named == rates, f"rows for learning rates {named}, the scenarios name {rates}"


@then("a row of runs that diverged says in which epoch they did")
def diverged_row(table_rows: list[str]) -> None:
    assert "diverged in epoch 4 – 5" in table_rows[0], table_rows[0]


@then("a row of runs that finished shows the range of their test accuracy")
def finished_row(table_rows: list[str]) -> None:
    assert "96.0% – 98.0%" in table_rows[1] and "0.125 – 0.500" in table_rows[1], table_rows[1]


@then('the row whose runs were not recorded says "not run"')
def unrecorded_row(table_rows: list[str]) -> None:
    assert "not run" in table_rows[-1], table_rows[-1]
    assert all("not run" not in row for row in table_rows[:-1]), table_rows


# Figures kept by the test run.

DEMO_FEATURE = """Feature: Demo
  Scenario: Passing
    Given the figure "demo.kept" is recorded

  Scenario: Failing
    Given the figure "demo.dropped" is recorded
    Then the scenario fails
"""
DEMO_STEPS = """from pytest_bdd import given, parsers, scenarios, then
from steps.support.facts import record_fact

scenarios("demo.feature")


@given(parsers.parse('the figure "{name}" is recorded'))
def recorded(name):
    record_fact(name, 0.5)


@then("the scenario fails")
def fails():
    raise AssertionError("planned failure")
"""
DEMO_CONFTEST = """pytest_plugins = ["steps.support.results", "steps.support.facts"]


def pytest_addoption(parser):
    parser.addoption("--implementation", action="append", default=None)
"""


@given(
    "a feature with one scenario that records a figure and passes, "
    "and one that records a figure and fails",
    target_fixture="demo",
)
def demo_project(tmp_path: Path) -> Path:
    (tmp_path / "demo.feature").write_text(DEMO_FEATURE)
    (tmp_path / "test_demo.py").write_text(DEMO_STEPS)
    (tmp_path / "conftest.py").write_text(DEMO_CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


#: How the demo feature is run: the extra command-line arguments.
DEMO_RUNS = {
    "in one process": [],
    "spread over two worker processes": ["-n", "2"],
    "checking another class": ["--implementation", "students.alice:NeuralNetwork"],
}


@when(parsers.parse("its scenarios are run {how}"), target_fixture="kept")
def run_demo(demo: Path, how: str) -> dict | None:
    """The figures file the run wrote, or None if it wrote none."""
    workers = DEMO_RUNS[how]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *workers,
            "test_demo.py",
        ],
        cwd=demo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    path = demo / "build" / "facts.json"
    return json.loads(path.read_text())["facts"] if path.exists() else None


@then("the figures file holds the passing scenario's figure, with the hash of its feature file")
def holds_passing(kept: dict, demo: Path) -> None:
    assert kept is not None, "the run wrote no figures file"
    fact = kept.get("demo.kept")
    assert fact is not None, f"the figures file holds {sorted(kept)}"
    assert fact["value"] == 0.5, fact
    assert fact["scenario"] == "Passing", fact
    expected = hashlib.sha256((demo / "demo.feature").read_bytes()).hexdigest()
    assert fact["feature_sha256"] == expected, fact


@then("no figures file is written")
def no_figures(kept: dict | None) -> None:
    assert kept is None, f"a run checking another class kept figures: {kept}"


@then("it does not hold the failing scenario's figure")
def lacks_failing(kept: dict) -> None:
    assert "demo.dropped" not in kept, kept["demo.dropped"]


# The specification pages: scratchnet's own results, for this commit and this feature text.

#: The pages' rendering (plain Python, no MkDocs) lives with the docs' hooks.
HOOKS = ROOT / "docs" / "hooks"
#: What the pages say in a scenario heading or an Examples row, read back from the Markdown.
MARK = re.compile(r'title="(passed|failed|skipped|undefined|not run)"')
#: The results of the plain run and of the check, relative to the copy.
OWN_RESULTS, OTHER_RESULTS = "build/results.json", "build/implementations/results.json"
#: The estimator checks the plain run runs (``-k``); the others it deselects.
ESTIMATOR_CHECKS = "check_estimator_cloneable or check_fit2d_1sample"


def load_hook(name: str) -> object:
    """A module of the docs' hooks (``docs/hooks/<name>.py``), imported as the build does."""
    if str(HOOKS) not in sys.path:
        sys.path.insert(0, str(HOOKS))
    return importlib.import_module(name)


def gherkin_pages():
    """The docs' rendering module (``docs/hooks/gherkin_pages.py``)."""
    return load_hook("gherkin_pages")


def git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=scratchnet", "-c", "user.email=scratchnet@localhost", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def run_pytest(folder: Path, *arguments: str) -> None:
    """Run pytest in ``folder`` with the project's own code there (``-m`` puts it first)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments]
    # The class to check comes from the arguments alone, never from this run's environment.
    environment = {k: v for k, v in os.environ.items() if k != "SCRATCHNET_IMPLEMENTATION"}
    done = subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode not in (0, 1):  # 1: some scenarios failed, which the check expects
        pytest.fail(f"{' '.join(arguments)} could not run:\n{done.stdout[-2000:]}{done.stderr}")


#: What a checkout holds besides the project's files, when git cannot say which those are.
NOT_PROJECT = {".git", ".venv", "build", "site", "mutants", ".pytest_cache", ".hypothesis"}


def project_files() -> list[str]:
    """The files git tracks in the project, or, outside a git checkout (a copy of the
    project made to plant a bug in), every file but the tools' and runs' folders."""
    try:
        names = git(ROOT, "ls-files", "-z").split("\0")
    except (OSError, subprocess.CalledProcessError):
        names = [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob("*")
            if not NOT_PROJECT & set(path.relative_to(ROOT).parts)
            and "__pycache__" not in path.parts
        ]
    return [name for name in names if name and (ROOT / name).is_file()]


@functools.cache
def softmax_runs(folder: Path, implementation: str) -> Path:
    """The project's tracked files copied to ``folder`` and committed there; the softmax
    feature run plainly, then checking ``implementation`` (the check's results are newer)."""
    for name in project_files():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, folder / name)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "a copy of the project")
    checks = "steps/test_sklearn_estimator_checks.py"
    run_pytest(folder, "steps/test_softmax.py", checks, "-k", f"test_softmax or {ESTIMATOR_CHECKS}")
    run_pytest(folder, f"--implementation={implementation}", "steps/test_softmax.py")
    return folder


@given(
    "a copy of the project committed to a git repository of its own",
    target_fixture="project_copy",
)
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {"folder": tmp_path_factory.getbasetemp() / "project-copy"}


@given(
    parsers.parse(
        "the softmax feature and two of scikit-learn's estimator checks run there plainly, "
        'then the softmax feature checking the tutorial class "{implementation}"'
    ),
    target_fixture="render_input",
)
def softmax_feature_run(project_copy: dict, implementation: str, tmp_path: Path) -> dict:
    """What the pages are rendered from, this scenario's own: the copy's build folder,
    its features folder and its commit (scenarios change their own, never the copy)."""
    folder = project_copy["folder"]
    folder.mkdir(exist_ok=True)
    softmax_runs(folder, implementation)
    shutil.copytree(folder / "build", tmp_path / "build")
    shutil.copytree(folder / "features", tmp_path / "features")
    return {
        "copy": folder,
        "root": tmp_path,
        "implementation": implementation,
        "commit": git(folder, "rev-parse", "HEAD"),
        "run_commit": git(folder, "rev-parse", "HEAD"),
    }


@given(parsers.parse('the other class\'s results file is copied to "{name}"'))
def copy_other_results(render_input: dict, name: str) -> None:
    shutil.copy2(render_input["root"] / OTHER_RESULTS, render_input["root"] / name)


@given(
    parsers.parse(
        "the plain run's results, dated an hour {when} and with every softmax scenario failed, "
        'are copied to "{name}"'
    )
)
def second_run(render_input: dict, when: str, name: str) -> None:
    """A second results file of scratchnet's own run, at this commit and feature text, that
    differs from the plain run in its date and in every softmax scenario's outcome."""
    plain = render_input["root"] / OWN_RESULTS
    results = json.loads(plain.read_text(encoding="utf-8"))
    date = datetime.datetime.fromisoformat(results["run"]["date"])
    shift = {"earlier": -1, "later": 1}[when] * datetime.timedelta(hours=1)
    results["run"]["date"] = (date + shift).isoformat(timespec="seconds")
    for record in results["features"]["softmax.feature"]["scenarios"].values():
        record.update(status="failed", message="AssertionError: the second run's failure")
        for step in record["steps"]:
            step.update(status="failed", message="AssertionError: the second run's failure")
    second = render_input["root"] / name
    second.write_text(json.dumps(results, indent=1), encoding="utf-8")
    newer, older = (second, plain) if when == "later" else (plain, second)
    render_input.update(newer=newer, older=older)


@then("every softmax scenario shows the outcome of the newer run")
def softmax_shows_newer(rendered: dict, render_input: dict) -> None:
    expected = recorded_statuses(render_input["newer"], render_input)
    older = recorded_statuses(render_input["older"], render_input)
    assert expected != older, f"the two runs should differ: {expected}"
    assert shown_statuses(rendered["pages"]["softmax.feature"]) == expected


@given("a later commit of the copy")
def later_commit(render_input: dict) -> None:
    # A commit object on top of the copy's, made without moving the copy's HEAD.
    render_input["commit"] = git(
        render_input["copy"], "commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "later"
    )


@given("the softmax feature's text is changed after the run")
def change_feature_text(render_input: dict) -> None:
    path = render_input["root"] / "features" / "softmax.feature"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited after the run\n", "utf-8")


@when("the specification pages are rendered from the copy's results", target_fixture="rendered")
@when(
    "the specification pages are rendered from the copy's results at that commit",
    target_fixture="rendered",
)
def render_pages(render_input: dict) -> dict:
    pages = gherkin_pages()
    root = render_input["root"]
    runs = pages.load_runs(root / OWN_RESULTS, root, render_input["commit"])
    rendered = pages.feature_pages(root / "features", runs)
    overview = pages.overview_page(
        [(feature, path) for path, (feature, _) in rendered.items()], runs
    )
    return {
        "pages": {path: markdown for path, (_, markdown) in rendered.items()},
        "overview": overview,
    }


def shown_statuses(markdown: str) -> list[str]:
    """The status of each scenario and each Examples row, in the order the page shows them."""
    shown = []
    for line in markdown.splitlines():
        heading = line.startswith("#") and "Scenario:" in line
        if heading or (line.startswith("| :") and MARK.search(line)):
            shown.append(MARK.search(line)[1])
    return shown


def own_statuses(render_input: dict) -> list[str]:
    """Each softmax scenario's and Examples row's status in the plain run's results file."""
    return recorded_statuses(render_input["copy"] / OWN_RESULTS, render_input)


def recorded_statuses(results_file: Path, render_input: dict) -> list[str]:
    """Each softmax scenario's and Examples row's status in a results file of scratchnet's."""
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert results["run"]["implementation"] == "scratchnet", results["run"]
    recorded = results["features"]["softmax.feature"]["scenarios"]
    source = (render_input["copy"] / "features" / "softmax.feature").read_text(encoding="utf-8")
    statuses = []
    for scenario, _, _ in scenarios_of(Parser().parse(source)["feature"]):
        line = scenario["location"]["line"]
        keys = [
            f"{line}:{row['location']['line']}"
            for examples in scenario["examples"]
            for row in examples["tableBody"]
        ] or [str(line)]
        statuses += [recorded[key]["status"] if key in recorded else "not run" for key in keys]
    return statuses


@then(
    "the check of the other class failed scenarios, "
    "and wrote its results where the pages do not read them"
)
def other_results_elsewhere(render_input: dict) -> None:
    copy = render_input["copy"]
    other = json.loads((copy / OTHER_RESULTS).read_text(encoding="utf-8"))
    assert other["run"]["implementation"] == render_input["implementation"], other["run"]
    assert other["run"]["totals"]["scenarios"].get("failed", 0) > 0, other["run"]["totals"]
    read = gherkin_pages().results_files(copy / OWN_RESULTS)
    assert [path.relative_to(copy).as_posix() for path in read if path.exists()] == [OWN_RESULTS]


@then("every softmax scenario shows the outcome of scratchnet's own run")
def softmax_shows_own(rendered: dict, render_input: dict) -> None:
    expected = own_statuses(render_input)
    assert "passed" in expected, expected
    assert shown_statuses(rendered["pages"]["softmax.feature"]) == expected


@then("no specification page shows a failure")
def no_failure_shown(rendered: dict) -> None:
    failing = [path for path, page in rendered["pages"].items() if 'title="failed"' in page]
    assert not failing, f"pages showing a failure: {failing}"
    # The overview's table by feature: name, scenarios, then one count per status, failed first.
    rows = [line for line in rendered["overview"].splitlines() if line.startswith("| [")]
    counted = [row.split("|")[3].strip() for row in rows]
    assert rows and not any(counted), f"failures counted on the overview: {rows}"


@then(parsers.parse('the overview lists "{name}" as not shown, because it checks another class'))
def overview_lists_not_shown(rendered: dict, render_input: dict, name: str) -> None:
    left_out = rendered["overview"].split('"Results files not shown"', 1)
    assert len(left_out) == 2, rendered["overview"]
    expected = f"`{name}`: it checks another class ({render_input['implementation']})"
    assert expected in left_out[1], left_out[1]


@then(parsers.parse('every softmax scenario is marked "not run", because {reason}'))
def softmax_not_run(rendered: dict, render_input: dict, reason: str) -> None:
    page = rendered["pages"]["softmax.feature"]
    statuses = shown_statuses(page)
    assert statuses and set(statuses) == {"not run"}, statuses
    said = {
        "the run was of another commit": (
            f"was of commit {render_input['run_commit'][:10]}; "
            f"the site is built from {render_input['commit'][:10]}"
        ),
        "the feature text changed since the run": "the feature text changed since the run of",
    }[reason]
    assert said in page, page[:3000]


@when("the table of estimator checks is rendered from the copy's results", target_fixture="table")
def render_estimator_checks(render_input: dict) -> str:
    pages = gherkin_pages()
    root = render_input["root"]
    runs = pages.load_runs(root / OWN_RESULTS, root, render_input["commit"])
    source = pages.read_source(render_input["copy"] / pages.ESTIMATOR_CHECKS)
    return pages.estimator_checks_markdown(runs, source)


@then("it lists every estimator check the run recorded, with the outcome of that run")
def lists_estimator_checks(table: str, render_input: dict) -> None:
    results = json.loads((render_input["copy"] / OWN_RESULTS).read_text(encoding="utf-8"))
    module = results["tests"]["steps/test_sklearn_estimator_checks.py"]
    expected = {check(name): record["status"] for name, record in module["tests"].items()}
    expected |= {check(name): "not run" for name in module["deselected"]}
    assert sorted(set(expected.values())) == ["not run", "passed"], expected
    shown = dict(re.findall(r"^\| `([^`]+)` \| .*title=\"([^\"]+)\"", table, re.MULTILINE))
    assert shown == expected, table


def check(test_name: str) -> str:
    """The estimator check a test runs: ``test_x[Classifier(...)-check_name(args)]`` → the
    part from ``check_``."""
    return test_name[test_name.index("-check_") + 1 : -1]


# The mutation-testing table.

#: The scenarios' words for mutmut's statuses (mutmut.stats.status_by_exit_code).
MUTMUT_STATUSES = {
    "killed": "killed",
    "out of time": "timeout",
    "survived": "survived",
    "reached by no scenario": "no tests",
    "not run": "not checked",
}
#: The statuses the table counts as killed, as survived and as not reached, as the page
#: defines them.
REJECTED = {"killed", "timeout", "segfault", "caught by type check"}
ACCEPTED = {"survived", "no tests"}
UNREACHED = {"no tests"}
MUTATED_FUNCTION, MUTATED_FUNCTION_HASH = "x_step", "0123456789ab"
MUTATION_MARKERS = {
    "table": "<!-- mutation: table -->",
    "equivalent": "<!-- mutation: equivalent -->",
    "survivors": "<!-- mutation: survivors -->",
}


def module_rows(page: str) -> dict[str, dict[str, str]]:
    """The rows of a page's mutation table, by module, each a dict from column to cell."""
    lines = [line for line in page.splitlines() if line.startswith("| module |")]
    assert len(lines) == 1, f"{len(lines)} mutation tables on the page"
    start = page.splitlines().index(lines[0])
    header, _, *rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in itertools.takewhile(
            lambda line: line.startswith("|"), page.splitlines()[start:]
        )
    ]
    table = {}
    for cells in rows:
        assert len(cells) == len(header), f"{cells} under {header}"
        table[cells[0].strip("`")] = dict(zip(header, cells, strict=True))
    return table


@given("the mutation runs recorded in the repository", target_fixture="mutation_state")
def recorded_mutation_runs() -> dict:
    results = json.loads((ROOT / "mutation" / "results.json").read_text(encoding="utf-8"))
    assert results["modules"], "mutation/results.json records no module"
    return {"results": results}


@given("the planted-bug catalogue in the repository", target_fixture="planted_bugs")
def planted_bug_catalogue() -> list[dict]:
    text = (ROOT / "planted_bugs" / "catalogue.toml").read_text(encoding="utf-8")
    bugs = tomllib.loads(text)["bug"]
    assert bugs, "planted_bugs/catalogue.toml holds no bug"
    return bugs


@then("the text every bug replaces occurs exactly once in the file it names")
def planted_bugs_apply(planted_bugs: list[dict]) -> None:
    counts = {
        bug["id"]: (ROOT / bug["file"]).read_text(encoding="utf-8").count(bug["old"])
        for bug in planted_bugs
    }
    assert all(count == 1 for count in counts.values()), {
        name: count for name, count in counts.items() if count != 1
    }


@then("every stage a bug names is a feature file of the specification")
def planted_bug_stages_exist(planted_bugs: list[dict]) -> None:
    missing = {
        bug["id"]: stage
        for bug in planted_bugs
        for stage in bug["stage"]
        if not (ROOT / "features" / f"{stage}.feature").is_file()
    }
    assert not missing, missing


@when("the Development page is built", target_fixture="mutation_page")
def development_page() -> str:
    page = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    assert all(marker in page for marker in MUTATION_MARKERS.values()), "a placeholder is missing"
    shown = mutation_testing.render(
        page,
        mutation_testing.load_results(),
        load_groups(),
        mutation_testing.current_sources(),
    )
    assert "<!-- mutation:" not in shown
    return shown


@then("its mutation table has a row for every module of the package")
def row_per_module(mutation_page: str, mutation_state: dict) -> None:
    modules = {path.stem for path in (ROOT / "scratchnet").glob("*.py")} - {"__init__"}
    shown = set(module_rows(mutation_page))
    assert modules <= shown, f"no row for {sorted(modules - shown)}"
    assert shown <= modules | set(mutation_state["results"]["modules"]), sorted(shown)


def equivalent_judged(mutants: list[str], function_hashes: dict[str, str]) -> int:
    """How many of ``mutants`` equivalent.toml judges on the functions the run measured."""
    with open(ROOT / "mutation" / "equivalent.toml", "rb") as file:
        groups = tomllib.load(file)["group"]
    judged = {
        mutant: group["functions"][mutant.partition("__mutmut_")[0].rpartition(".")[2]]
        for group in groups
        for mutant in group["mutants"]
    }
    return sum(
        1
        for mutant in mutants
        if mutant in judged
        and function_hashes.get(mutant.partition("__mutmut_")[0].rpartition(".")[2])
        == judged[mutant]
    )


@then("every recorded module's row shows the counts of its record, worked out again from it")
def rows_agree_with_records(mutation_page: str, mutation_state: dict) -> None:
    rows = module_rows(mutation_page)
    for module, record in mutation_state["results"]["modules"].items():
        by_status = record["by_status"]
        killed = sum(count for status, count in by_status.items() if status in REJECTED)
        accepted = sum(count for status, count in by_status.items() if status in ACCEPTED)
        unreached = sum(count for status, count in by_status.items() if status in UNREACHED)
        not_run = record["mutants"] - killed - accepted
        assert len(record.get("not_reached", [])) == unreached, module
        reached = [m for m in record["survivors"] if m not in record.get("not_reached", [])]
        equivalent_reached = equivalent_judged(reached, record["function_hashes"])
        equivalent = equivalent_judged(record["survivors"], record["function_hashes"])
        source = ROOT / record["source"]
        same = source.exists() and (
            hashlib.sha256(source.read_bytes()).hexdigest() == record["source_sha256"]
        )
        row = rows[module]
        expected = {
            "mutants": str(record["mutants"]),
            "killed": str(killed),
            "survived": str(accepted - unreached - equivalent_reached),
            "not reached": str(unreached - (equivalent - equivalent_reached)),
            "equivalent": str(equivalent),
            "not run": str(not_run),
        }
        assert {column: row[column] for column in expected} == expected, (module, row)
        assert row["measured at"].startswith(f"`{record['commit'][:7]}`"), (module, row)
        assert (row["source"] == "unchanged") == same, (module, row)
        score = row["killed ÷ (mutants − equivalent)"]
        if not_run:
            assert "%" not in score, (module, row)
        else:
            assert score == f"{killed / (record['mutants'] - equivalent):.1%}", (module, row)


@then('every module without a record reads "not run"')
def unrecorded_not_run(mutation_page: str, mutation_state: dict) -> None:
    for module, row in module_rows(mutation_page).items():
        if module not in mutation_state["results"]["modules"]:
            assert_not_run(row)


@then(
    "the page names the tests each recorded run tested its mutants with, as its record gives them"
)
def names_test_selection(mutation_page: str, mutation_state: dict) -> None:
    for module, record in mutation_state["results"]["modules"].items():
        command = shlex.join(["pytest", *record["test_selection"]])
        said = re.search(
            rf"The mutants of [^.]*`{module}`[^.]* were tested with [^`]*`([^`]+)`", mutation_page
        )
        assert said and said[1] == command, f"{module}: {said and said[0]!r}, recorded {command!r}"


def assert_not_run(row: dict[str, str]) -> None:
    cells = list(row.values())
    assert cells[1] == "not run", row
    assert not any(re.search(r"\d", cell) for cell in cells[2:]), f"a count in {row}"


def source_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@given(
    parsers.parse('a package of the modules "{first}" and "{second}"'),
    target_fixture="mutation_state",
)
def package_of_two_modules(first: str, second: str) -> dict:
    sources = {name: source_sha256(f"def step():  # {name}\n") for name in (first, second)}
    return {"sources": sources, "results": {"modules": {}}, "groups": []}


@given(
    parsers.re(r'a run of "(?P<module>\w+)" recorded on its current source, with (?P<counts>.+)')
)
def recorded_run(mutation_state: dict, module: str, counts: str) -> None:
    by_status: dict[str, int] = {}
    survivors, not_reached, not_run = [], [], []
    names = (f"scratchnet.{module}.{MUTATED_FUNCTION}__mutmut_{n}" for n in itertools.count(1))
    for count, words in re.findall(r"(\d+) ([a-z ]+?)(?=,| and |$)", counts):
        status = MUTMUT_STATUSES[words]
        by_status[status] = by_status.get(status, 0) + int(count)
        mutants = list(itertools.islice(names, int(count)))
        survivors += mutants if status in ACCEPTED else []
        not_reached += mutants if status in UNREACHED else []
        not_run += mutants if status == "not checked" else []
    mutation_state["results"]["modules"][module] = {
        "commit": "c0ffee" + "0" * 34,
        "dirty": False,
        "source": f"scratchnet/{module}.py",
        "source_sha256": mutation_state["sources"][module],
        "mutmut": "3.8.1",
        "measured": "2026-12-06T12:00:00+00:00",
        "test_selection": ["steps/", "-m", "not slow"],
        "mutants": sum(by_status.values()),
        "by_status": by_status,
        "function_hashes": {MUTATED_FUNCTION: MUTATED_FUNCTION_HASH},
        "survivors": survivors,
        "not_reached": not_reached,
        "equivalent": [],
        "to_check_again": [],
        "not_run": not_run,
    }


@given("both survivors judged equivalent, one of them on another version of its function")
def survivors_judged(mutation_state: dict) -> None:
    ((module, record),) = mutation_state["results"]["modules"].items()
    same, other = record["survivors"]
    mutation_state["groups"] = [
        Group(
            module,
            "Judged on this code.",
            "c0ffee0",
            {MUTATED_FUNCTION: MUTATED_FUNCTION_HASH},
            (same,),
        ),
        Group(
            module, "Judged on older code.", "0ld0000", {MUTATED_FUNCTION: "ba5eba11ba5e"}, (other,)
        ),
    ]
    mutation_state["judged on another version"] = other


@when(parsers.parse('the source of "{module}" changes'))
def source_changes(mutation_state: dict, module: str) -> None:
    mutation_state["sources"][module] = source_sha256("def step():  # edited\n")


@when("the mutation table is rendered", target_fixture="mutation_sections")
def render_mutation_table(mutation_state: dict) -> dict[str, str]:
    return {
        section: mutation_testing.render(
            marker, mutation_state["results"], mutation_state["groups"], mutation_state["sources"]
        )
        for section, marker in MUTATION_MARKERS.items()
    }


@then(
    parsers.re(
        r'the row of "(?P<module>\w+)" shows (?P<mutants>\d+) mutants: (?P<killed>\d+) killed, '
        r"(?P<survived>\d+) survived, (?P<not_reached>\d+) not reached, "
        r"(?P<equivalent>\d+) equivalent, (?P<not_run>\d+) not run, "
        r"(?:scored (?P<score>[\d.]+%)|with no score)"
    )
)
def row_shows(
    mutation_sections: dict[str, str],
    module: str,
    mutants: str,
    killed: str,
    survived: str,
    not_reached: str,
    equivalent: str,
    not_run: str,
    score: str | None,
) -> None:
    row = module_rows(mutation_sections["table"])[module]
    expected = {
        "mutants": mutants,
        "killed": killed,
        "survived": survived,
        "not reached": not_reached,
        "equivalent": equivalent,
        "not run": not_run,
    }
    assert {column: row[column] for column in expected} == expected, row
    shown = row["killed ÷ (mutants − equivalent)"]
    if score is None:
        assert "%" not in shown, row
    else:
        assert shown == score, row


@then(parsers.parse('the row of "{module}" reads "not run", with no count'))
def row_not_run(mutation_sections: dict[str, str], module: str) -> None:
    assert_not_run(module_rows(mutation_sections["table"])[module])


@then(parsers.parse('the row of "{module}" says its source changed since the run'))
def row_source_changed(mutation_sections: dict[str, str], module: str) -> None:
    row = module_rows(mutation_sections["table"])[module]
    assert "changed since the run" in row["source"], row


@then("the survivor judged on the other version of its function is listed to be checked again")
def listed_to_check_again(mutation_sections: dict[str, str], mutation_state: dict) -> None:
    mutant = mutation_state["judged on another version"]
    survivors = mutation_sections["survivors"]
    assert f"`{mutant}` (judged equivalent on an older version" in survivors, survivors
    equivalent = mutation_sections["equivalent"]
    assert f"`{mutant}` (to be checked again" in equivalent, equivalent


@then(parsers.parse('the survivors of "{module}" name the one a scenario reached'))
def reached_survivor_named(
    mutation_sections: dict[str, str], mutation_state: dict, module: str
) -> None:
    record = mutation_state["results"]["modules"][module]
    (reached,) = [m for m in record["survivors"] if m not in record["not_reached"]]
    assert f"- `{reached}`" in mutation_sections["survivors"], mutation_sections["survivors"]


@then(
    parsers.parse(
        "they give the function of the {count:d} no scenario reached, with their count, "
        "and none of those mutants by name"
    )
)
def unreached_by_function(
    mutation_sections: dict[str, str], mutation_state: dict, count: int
) -> None:
    survivors = mutation_sections["survivors"]
    (record,) = mutation_state["results"]["modules"].values()
    assert f"`{MUTATED_FUNCTION}` ({count} mutants)" in survivors, survivors
    assert not any(f"`{mutant}`" in survivors for mutant in record["not_reached"]), survivors
