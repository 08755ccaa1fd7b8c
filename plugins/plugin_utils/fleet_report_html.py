# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) from report.json.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

The chart geometry is computed here; the markup lives in templates/fleet_report.html.j2, rendered
with autoescaping on, so host names, evidence and action summaries are always shown as text.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report import (
    COMPLIANT_OUTCOMES,
    HOST_STATUSES,
    OUTCOMES,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "fleet_report.html.j2"

OUTCOME_LABELS = {
    "affected": "Affected",
    "fixed": "Fixed",
    "not_affected": "Not affected",
    "not_applicable": "Not applicable",
    "undetermined": "Undetermined",
    "unreachable": "Unreachable",
    "failed": "Failed",
    "not_audited": "Not audited",
    "ok": "Reached",
}
# Greens for compliant outcomes, warm colours for what needs attention, greys for what is unknown.
OUTCOME_COLOURS = {
    "affected": "#c0392b",
    "fixed": "#1e8449",
    "not_affected": "#52be80",
    "not_applicable": "#85929e",
    "undetermined": "#d68910",
    "unreachable": "#6c3483",
    "failed": "#922b21",
    "not_audited": "#5d6d7e",
    "ok": "#1e8449",
}

CHART_WIDTH = 560
CHART_LABEL_WIDTH = 130
CHART_COUNT_WIDTH = 48
CHART_ROW_HEIGHT = 26
CHART_BAR_HEIGHT = 18
CHART_PADDING = 8


@dataclass(frozen=True)
class Bar:
    outcome: str
    label: str
    count: int
    colour: str
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one row per outcome, bars scaled to the largest count."""

    title: str
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]


def bar_chart(title: str, counts: Mapping[str, int]) -> BarChart:
    """The chart of one KB's outcome counts, every outcome in its fixed order (zeros included)."""
    scale_to = max([*counts.values(), 1])
    usable = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_COUNT_WIDTH
    bars = tuple(
        Bar(
            outcome=outcome,
            label=OUTCOME_LABELS[outcome],
            count=int(counts.get(outcome, 0)),
            colour=OUTCOME_COLOURS[outcome],
            y=CHART_PADDING + index * CHART_ROW_HEIGHT,
            width=round(usable * int(counts.get(outcome, 0)) / scale_to, 1),
        )
        for index, outcome in enumerate(OUTCOMES)
    )
    return BarChart(
        title=title,
        width=CHART_WIDTH,
        height=2 * CHART_PADDING + len(bars) * CHART_ROW_HEIGHT,
        label_width=CHART_LABEL_WIDTH,
        bars=bars,
    )


def _attention_first(hosts: t.Sequence[Mapping[str, t.Any]]) -> list[Mapping[str, t.Any]]:
    """Hosts that need attention first, each group in the play's order."""
    return sorted(hosts, key=lambda host: bool(host["compliant"]))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: Mapping[str, t.Any]) -> str:
    """The report page for a report.json document."""
    charts = [bar_chart(kb, report["summary"]["by_kb"][kb]) for kb in report["kbs"]]
    template = _environment().get_template(TEMPLATE_NAME)
    return template.render(
        report=report,
        charts=charts,
        hosts=_attention_first(report["hosts"]),
        labels=OUTCOME_LABELS,
        colours=OUTCOME_COLOURS,
        statuses=HOST_STATUSES,
        compliant_outcomes=COMPLIANT_OUTCOMES,
    )
