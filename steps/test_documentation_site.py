"""Binds features/documentation_site.feature: the built site in a real browser, and publishing.

The browser scenarios build the site with ``mkdocs build --strict`` into a
temporary folder, serve it on 127.0.0.1 and drive headless Chromium through
the DevTools protocol over a pipe (``--remote-debugging-pipe``), so no
browser-automation package is needed. Chromium missing is a failure, not a
skip: CI installs it. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from gherkin.parser import Parser
from pytest_bdd import given, parsers, scenarios, then, when

from steps.support.browser import Chromium
from steps.support.gherkin import scenarios_of

scenarios("documentation_site.feature")

ROOT = Path(__file__).resolve().parents[1]


def load_site_figures() -> object:
    """The docs' figure functions (``docs/hooks/site_figures.py``), which need no MkDocs."""
    spec = importlib.util.spec_from_file_location(
        "site_figures", ROOT / "docs" / "hooks" / "site_figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


site_figures = load_site_figures()
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

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


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


@when(parsers.parse('a reader searches the site for "{query}"'), target_fixture="search_results")
def search_site(site: dict, chromium: Chromium, query: str) -> list[str]:
    # Material opens its search box with the query from ``?q=`` and searches in a web worker.
    session = chromium.open(f"{site['url']}?q={query}")
    titles = chromium.wait_until(
        session,
        """(() => {
            const items = [...document.querySelectorAll(".md-search-result__item")].filter(drawn);
            const titles = items.map((item) => item.querySelector("h1, h2").textContent.trim());
            return titles.length ? titles : null;
        })()""",
    )
    chromium.screenshot(session, SCREENSHOTS / "search.png", full_page=False)
    return titles or []


@then(parsers.parse('a search result is titled with "{word}"'))
def search_result_titled(search_results: list[str], word: str) -> None:
    assert any(word.lower() in title.lower() for title in search_results), (
        f"no result titled with {word!r}: {search_results}"
    )


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


# Figures typed by hand.

#: How each kind of place holds a figure, as a page would write it.
PLACES = {
    "an output block": "```text\n{figure}\n```",
    "a table of results": "| variant | loss |\n| --- | --- |\n| deeper | {figure} |",
    "a table marked without reason": (
        "<!-- numbers: definition -->\n| variant | accuracy |\n| --- | --- |\n| deeper | {figure} |"
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


@given("a table of shapes marked as a definition, with its reason")
def page_with_definition_table(page_parts: list[str]) -> None:
    page_parts.append(
        "<!-- numbers: definition, the shapes of 64 → 128 → 10 -->\n"
        "| parameter | shape |\n| --- | --- |\n| W1 | 64 × 128 |"
    )


@when("the site's pages are checked for figures typed by hand", target_fixture="typed")
def check_page(page_parts: list[str]) -> tuple[str, list]:
    page = "\n\n".join(page_parts) + "\n"
    return page, site_figures.typed_figures(page)


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


@when(parsers.parse("its scenarios are run {how}"), target_fixture="kept")
def run_demo(demo: Path, how: str) -> dict:
    workers = {"in one process": [], "spread over two worker processes": ["-n", "2"]}[how]
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
    return json.loads((demo / "build" / "facts.json").read_text())["facts"]


@then("the figures file holds the passing scenario's figure, with the hash of its feature file")
def holds_passing(kept: dict, demo: Path) -> None:
    fact = kept.get("demo.kept")
    assert fact is not None, f"the figures file holds {sorted(kept)}"
    assert fact["value"] == 0.5, fact
    assert fact["scenario"] == "Passing", fact
    expected = hashlib.sha256((demo / "demo.feature").read_bytes()).hexdigest()
    assert fact["feature_sha256"] == expected, fact


@then("it does not hold the failing scenario's figure")
def lacks_failing(kept: dict) -> None:
    assert "demo.dropped" not in kept, kept["demo.dropped"]
