"""MkDocs hook: the Performance page's table and chart, made from ``benchmarks/results.json``.

``python benchmarks/bench_training.py`` writes that file; the page shows what
the last run measured, never figures typed by hand.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

RESULTS = Path(__file__).parents[2] / "benchmarks" / "results.json"
MARKER = "<!-- benchmark-results -->"
CHART = "images/benchmark.png"
REFERENCE = "tutorial class"
#: The targets set for the speed work: (workload, contestant, reference, highest ratio).
TARGETS = [
    ("digits", "scratchnet float64", "tutorial class", 0.70),
    ("digits", "scratchnet float64", "scikit-learn MLPClassifier", 0.35),
    ("digits", "scratchnet float32", "tutorial class", 0.55),
    ("mnist_epoch", "scratchnet float64", "matmul floor float64", 1.6),
    ("mnist_epoch", "scratchnet float64", "scikit-learn MLPClassifier", 0.6),
    ("mnist_epoch", "scratchnet float32", "matmul floor float32", 2.0),
]


def results() -> dict:
    return json.loads(RESULTS.read_text())


def table(data: dict) -> str:
    """One Markdown table per workload: median seconds and ratios to the references."""
    parts = []
    for workload in data["workloads"].values():
        medians = workload["median_seconds"]
        floor = medians["matmul floor float64"]
        parts.append(f"**{workload['title']}** (medians of {data['repeats']} interleaved runs)\n")
        parts.append("| contestant | seconds | × tutorial class | × float64 matmul floor |")
        parts.append("| --- | ---: | ---: | ---: |")
        for name, seconds in medians.items():
            parts.append(
                f"| {name} | {seconds:.3f} | {seconds / medians[REFERENCE]:.2f} "
                f"| {seconds / floor:.2f} |"
            )
        parts.append("")
    parts.append("**Targets**, against what this run measured\n")
    parts.append("| workload | ratio | target | measured | met |")
    parts.append("| --- | --- | ---: | ---: | :---: |")
    for key, contestant, reference, target in TARGETS:
        medians = data["workloads"][key]["median_seconds"]
        ratio = medians[contestant] / medians[reference]
        parts.append(
            f"| {key.replace('_', ' ')} | {contestant} ÷ {reference} | ≤ {target:.2f} "
            f"| {ratio:.2f} | {'yes' if ratio <= target else 'no'} |"
        )
    parts.append("")
    machine = data["machine"]
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} ({b['architecture']})" for b in machine["blas"]
    )
    parts.append(
        f"Measured on {machine['system']}, Python {machine['python']}, NumPy {machine['numpy']}, "
        f"{blas}, one BLAS thread for every contestant. Mean test accuracy over seeds 0–2 at "
        + ", ".join(f"{name} {value:.2%}" for name, value in data["accuracy"].items())
        + "."
    )
    return "\n".join(parts)


def chart(data: dict) -> bytes:
    """Horizontal bars: each contestant's time as a multiple of the tutorial class's."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = list(data["workloads"].values())
    figure, axes = plt.subplots(1, len(workloads), figsize=(10, 3.6), sharey=True)
    for axis, workload in zip(axes, workloads, strict=True):
        medians = workload["median_seconds"]
        names = list(medians)[::-1]
        ratios = [medians[name] / medians[REFERENCE] for name in names]
        colours = ["#3f51b5" if name.startswith("scratchnet") else "#9e9e9e" for name in names]
        axis.barh(names, ratios, color=colours)
        axis.axvline(1.0, color="black", linewidth=0.8)
        axis.set_title(workload["title"].split(":")[0], fontsize=10)
        axis.set_xlabel("time ÷ tutorial class's time")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, CHART, content=chart(results())))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, table(results()))
