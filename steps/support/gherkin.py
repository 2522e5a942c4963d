"""Walking a parsed Gherkin document (``gherkin.parser.Parser().parse(text)``).

One walker for everything that reads feature files as trees: the results
plugin (``steps/support/results.py``), the documentation's Specification
pages (``docs/hooks/gherkin_pages.py``) and the browser scenarios.
"""

from __future__ import annotations

from collections.abc import Iterator


def scenarios_of(gherkin_feature: dict) -> Iterator[tuple[dict, list[str], list[dict]]]:
    """Every scenario in file order, inside rules too.

    Args:
        gherkin_feature: The ``"feature"`` entry of a parsed document.

    Yields:
        Each scenario (or outline), the tags it inherits from the feature and
        its rule, and the Background steps that run before it.
    """
    feature_tags, feature_background = tag_names(gherkin_feature), []
    for child in gherkin_feature.get("children", []):
        if "background" in child:
            feature_background = child["background"]["steps"]
        if "scenario" in child:
            yield child["scenario"], feature_tags, feature_background
        if "rule" in child:
            rule, rule_background = child["rule"], []
            for grandchild in rule.get("children", []):
                if "background" in grandchild:
                    rule_background = grandchild["background"]["steps"]
                if "scenario" in grandchild:
                    yield (
                        grandchild["scenario"],
                        feature_tags + tag_names(rule),
                        feature_background + rule_background,
                    )


def tag_names(node: dict) -> list[str]:
    """The tags written above a feature, rule, scenario or Examples table, with their ``@``."""
    return [tag["name"] for tag in node.get("tags", [])]
