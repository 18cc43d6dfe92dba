"""Which spans of one layer may share characters: the nesting rules of
``annotations/GUIDELINES.md`` (§1, §2.3, §3.7; Decision log 74 and 75).

- Entities: only a TITLE contains other entities, and only GPE and ORG names (a TITLE is
  transparent: "President of the **Russian Federation**"). LAW, ORG, EVENT and FAC names are
  flat, and so are LOC names; no other entity contains anything. Two entity spans that share
  characters without one containing the other cross, which no rule allows, and one extent
  with two labels is two entities for one name.
- Dates: date spans never share characters (one expression, one span, one value).
- Rhetoric: spans overlap and nest freely, and spans of different layers always may.

The rules are the guidelines', so they live here, beside the checks, and not in the
taxonomy: a label added to the taxonomy contains nothing until the guidelines say it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue

MAY_CONTAIN = {"TITLE": frozenset({"GPE", "ORG"})}
"""Entity label → the entity labels a span of it may contain (§2.3)."""

FLAT_RULE = {
    **{label: "LAW, ORG, EVENT and FAC names are flat" for label in ("LAW", "ORG", "EVENT", "FAC")},
    "LOC": "LOC names are flat",
    "TITLE": "a TITLE contains only GPE and ORG names",
}
"""Entity label → the rule of §2.3 that a span inside it breaks (default: only a TITLE
contains other entities)."""

NESTED_LAYERS = ("entities", "dates")
"""The layers whose spans :func:`check_nesting` checks (rhetoric spans may overlap)."""


@dataclass(frozen=True)
class Placed:
    """A span with well-formed offsets inside the text, and the line it is on."""

    line: int
    layer: str
    start: int
    end: int
    label: str
    text: str


def _rule(outer: Placed, inner: Placed) -> str | None:
    """The rule ``inner``, inside ``outer``, breaks, or None when it may be there."""
    if outer.layer == "dates":
        return DATE_RULE
    if inner.label in MAY_CONTAIN.get(outer.label, frozenset()):
        return None
    return FLAT_RULE.get(outer.label, "only a TITLE contains other entities")


DATE_RULE = "date spans do not overlap"


def _pair_issue(first: Placed, second: Placed, display: str) -> Issue | None:
    """The issue of two spans of one layer that share characters, ``first`` starting no later
    (and no shorter when they start together). It is reported on the span that has to go or
    change: the inner one; of two that cross or have one extent, the later line."""
    later, earlier = (second, first) if second.line > first.line else (first, second)
    if (first.start, first.end) == (second.start, second.end):
        if first.label == second.label:
            return None  # the same span twice: span-duplicate says so
        message, rule = M.NESTING_SAME_EXTENT, DATE_RULE if first.layer == "dates" else "a name is one entity"
        outer, inner = earlier, later
    elif second.end <= first.end:
        found = _rule(first, second)
        if found is None:
            return None
        message, rule, outer, inner = M.NESTING_INSIDE, found, first, second
    else:
        message, rule = M.NESTING_CROSSING, DATE_RULE if first.layer == "dates" else "entity spans nest or stay apart"
        outer, inner = earlier, later
    return issue(
        message,
        display,
        line=inner.line,
        found=inner.text,
        label=inner.label,
        other_label=outer.label,
        other=outer.line,
        rule=rule,
    )


def check_nesting(spans: list[Placed], display: str) -> Iterator[Issue]:
    """Every pair of spans of one checked layer that share characters against the rules.

    A sweep over the spans by start: each is compared with the spans still open where it
    starts, so the work grows with the overlaps, not with the square of the spans."""
    for layer in NESTED_LAYERS:
        ordered = sorted((s for s in spans if s.layer == layer), key=lambda s: (s.start, -s.end, s.line))
        open_spans: list[Placed] = []
        for span in ordered:
            open_spans = [o for o in open_spans if o.end > span.start]
            for other in open_spans:
                found = _pair_issue(other, span, display)
                if found is not None:
                    yield found
            open_spans.append(span)


__all__ = ["NESTED_LAYERS", "Placed", "check_nesting"]
