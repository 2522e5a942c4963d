"""Whether a built page fits its window: the page's width and each listing's overflow.

A *listing* is a code block (``pre``, the Gherkin sources on the Specification
pages among them) or a table. A listing wider than its box is fine when the
box scrolls it sideways (the reader can reach every character); it breaks the
page when it makes the page wider than the window, spills out of its box, or
is clipped where the reader cannot scroll to it.

Run as a script, it builds nothing: it serves a site folder already built
(``mkdocs build``), opens every page at each width and prints what it found::

    python -m steps.support.page_layout site 390 1280
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from steps.support.browser import Chromium

# JavaScript: open every collapsed box, then measure the page and each listing in it.
PAGE_LAYOUT = r"""(() => {
    document.querySelectorAll("article details").forEach((box) => { box.open = true; });
    const viewport = document.documentElement.clientWidth;
    const scrolls = (element) => ["auto", "scroll"].includes(getComputedStyle(element).overflowX);
    const clips = (element) => ["hidden", "clip"].includes(getComputedStyle(element).overflowX);
    const listings = [...document.querySelectorAll("article pre, article table")].filter(drawn);
    return {
        viewport: viewport,
        pageWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        listings: listings.map((listing) => {
            // The box that holds the listing: the outermost of the listing's code, the
            // listing itself and the wrapper Material puts around tables that scrolls or clips.
            const candidates = [
                listing.querySelector(":scope > code"),
                listing,
                listing.closest(".md-typeset__scrollwrap"),
            ].filter(Boolean);
            const box = candidates.findLast((e) => scrolls(e) || clips(e)) || listing;
            const frame = box.getBoundingClientRect();
            const overflow = box.scrollWidth - box.clientWidth;
            let verdict = "fits";
            if (frame.right > viewport + 1 || frame.left < -1) verdict = "box wider than the page";
            else if (overflow > 1 && scrolls(box)) verdict = "scrolls in its box";
            else if (overflow > 1) verdict = clips(box) ? "cut off" : "spills out of its box";
            return {
                kind: listing.tagName === "TABLE" ? "table"
                    : (listing.closest("[class*=language-]")?.className
                        .match(/language-([\w-]+)/) || [])[1] || "code",
                prose: Boolean(listing.closest(".prose")),
                text: listing.textContent.trim().slice(0, 60),
                overflow: Math.max(Math.round(overflow), 0),
                width: Math.round(frame.width),
                verdict: verdict,
            };
        }),
    };
})()"""

#: What a listing's verdict means for the page: scrolling inside its own box is fine.
REACHABLE = {"fits", "scrolls in its box"}


def site_pages(folder: Path) -> list[str]:
    """Every page of a built site, as a path relative to its root ("" for the home page)."""
    pages = []
    for index in sorted(folder.rglob("index.html")):
        relative = index.parent.relative_to(folder).as_posix()
        if not relative.startswith(("assets", "search")):
            pages.append("" if relative == "." else f"{relative}/")
    return pages


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 on a free port; yield its root URL."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(chromium: Chromium, url: str, width: int, screenshot: Path | None = None) -> dict:
    """The page at ``url`` opened ``width`` pixels wide: its width and its listings.

    With ``screenshot``, the whole page (collapsed boxes opened) is saved there too.
    """
    session = chromium.open(url, width=width)
    try:
        layout = chromium.evaluate(session, PAGE_LAYOUT)
        if screenshot is not None:
            chromium.screenshot(session, screenshot)
        return layout
    finally:
        target = chromium.send("Target.getTargetInfo", session=session)["targetInfo"]
        chromium.send("Target.closeTarget", {"targetId": target["targetId"]})


def unreachable(layout: dict) -> list[str]:
    """The listings of a measured page that break it, each said in one line."""
    return [
        f"{listing['kind']} {listing['verdict']} ({listing['overflow']} px): {listing['text']!r}"
        for listing in layout["listings"]
        if listing["verdict"] not in REACHABLE
    ]


def main(argv: list[str]) -> int:
    """Measure every page of the site folder ``argv[0]`` at the widths that follow."""
    folder, widths = Path(argv[0]), [int(width) for width in argv[1:]] or [390, 1280]
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    report: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as profile, served(folder) as url:
        chromium = Chromium(executable, Path(profile))
        try:
            for width in widths:
                report[width] = {
                    page: measure(chromium, url + page, width) for page in site_pages(folder)
                }
        finally:
            chromium.close()
    for width, pages in report.items():
        listings = [listing for layout in pages.values() for listing in layout["listings"]]
        over = [listing for listing in listings if listing["overflow"] > 1]
        wide = [page for page, layout in pages.items() if layout["pageWidth"] > layout["viewport"]]
        broken = {page: unreachable(layout) for page, layout in pages.items()}
        print(f"## {width} px: {len(pages)} pages, {len(listings)} listings, {len(over)} overflow")
        print(f"   {len(wide)} pages wider than the window: {wide}")
        print(f"   {sum(map(len, broken.values()))} listings break their page:")
        for page, found in broken.items():
            if found:
                print(f"   /{page}")
                print("\n".join(f"      {what}" for what in found))
    json.dump(report, sys.stderr, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
