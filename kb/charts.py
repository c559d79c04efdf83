"""Server-rendered bar charts built only from the report's figures held in the database.

Each chart is plain data with its geometry worked out here, so the template just draws SVG
rectangles and text: no JavaScript, nothing from another host, and the same numbers feed the
data-table alternative under every chart.
"""

from __future__ import annotations

import textwrap
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

# Known chart keys (KeyStatistic.chart) and the titles readers see. Unknown keys still render,
# titled from their first statistic's measure, so an editor's new chart never breaks a page.
CHART_TITLES = {
    "rm-gap": "Relative gap in infant mortality between the routine and manual group and all groups",
    "breastfeeding-initiation": "Breastfeeding initiation: NST-visited areas and England",
    "smoking-at-delivery": "Smoking at delivery: NST-visited areas and England",
}
INTERVENTIONS_CHART_TITLE = (
    "Estimated contribution of each intervention to narrowing the 2002-04 infant mortality gap"
)

# Geometry, in SVG user units. The SVG scales to its container; labels wrap to fit the width.
WIDTH = 640
BAR_AREA = 470
BAR_AREA_WITH_SERIES = 360  # leaves room for "Series name: value" after the longest bar
LABEL_LINE = 18
LABEL_CHARS = 72
BAR_HEIGHT = 22
BAR_GAP = 6
GROUP_GAP = 18
LEGEND_HEIGHT = 28
# NHS blue and NHS dark green: both at least 4.5:1 on white; every bar also carries its series
# name in the value label, so colour is never the only way to tell series apart.
SERIES_COLOURS = ("#005eb8", "#006747", "#330072", "#7c2855")


def format_number(value) -> str:
    """A figure as the report prints it: no trailing zeros, no float noise."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = format(value.normalize(), "f")
    return text


def format_value(value, unit: str) -> str:
    number = format_number(value)
    if not number:
        return ""
    return format_with_unit(number, unit)


@dataclass
class Bar:
    series: str
    value: Decimal
    display: str
    text: str
    y: float
    width: float
    colour: str

    @property
    def text_x(self) -> float:
        return round(self.width + 6, 1)

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 6


@dataclass
class Category:
    label: str
    label_rows: list[tuple[str, float]]
    bars: list[Bar]
    href: str = ""


@dataclass
class Point:
    """One figure to draw: which group of bars it sits in, its own label, value and link."""

    category: str
    value: Decimal | int | float | None
    series: str = ""
    href: str = ""
    display: str = ""


@dataclass
class Chart:
    """One horizontal bar chart and the rows of its data-table alternative."""

    slug: str
    title: str
    categories: list[Category]
    height: float
    source: str = ""
    category_heading: str = "Item"
    series_heading: str = ""
    value_heading: str = "Value"
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def dom_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def has_series(self) -> bool:
        return bool(self.series_heading)

    @property
    def summary(self) -> str:
        """A sentence a screen reader hears instead of the picture."""
        parts = []
        for category in self.categories:
            values = ", ".join(bar.text for bar in category.bars)
            parts.append(f"{category.label}: {values}")
        return "; ".join(parts) + "."

    @property
    def table_rows(self) -> list[dict]:
        rows = []
        for category in self.categories:
            for index, bar in enumerate(category.bars):
                rows.append(
                    {
                        "label": category.label,
                        "href": category.href,
                        "first_in_group": index == 0,
                        "group_size": len(category.bars),
                        "series": bar.series,
                        "display": bar.display,
                    }
                )
        return rows


def format_with_unit(number: str, unit: str) -> str:
    unit = (unit or "").strip()
    if unit in ("%", "per cent"):
        return f"{number}%"
    if unit in ("pp", "percentage points"):
        return f"{number} percentage point{'' if number == '1' else 's'}"
    return f"{number} {unit}".strip()


def build_bar_chart(
    slug,
    title,
    points,
    *,
    unit="",
    source="",
    category_heading="Item",
    series_heading="",
    value_heading="Value",
):
    """Lay out a horizontal bar chart: a wrapped label per category, then one bar per point.

    Points without a value are left out: a chart never draws a figure the report does not give.
    With a series heading, each bar's text names its series (e.g. the period), so nothing is
    told by colour alone.
    """
    points = [point for point in points if point.value is not None]
    if not points:
        return None
    maximum = max(Decimal(point.value) for point in points)
    bar_area = BAR_AREA_WITH_SERIES if series_heading else BAR_AREA
    scale = bar_area / float(maximum) if maximum > 0 else 0

    grouped: OrderedDict[str, list[Point]] = OrderedDict()
    for point in points:
        grouped.setdefault(point.category, []).append(point)
    # A group keeps its colour from chart to chart (England is always the same colour).
    colour_order = sorted(grouped)

    y = 0.0
    categories = []
    for label, members in grouped.items():
        colour = SERIES_COLOURS[0]
        if series_heading:
            colour = SERIES_COLOURS[colour_order.index(label) % len(SERIES_COLOURS)]
        label_rows = []
        for line in textwrap.wrap(label, LABEL_CHARS) or [label]:
            y += LABEL_LINE
            label_rows.append((line, y - 4))
        y += 4
        bars = []
        for point in members:
            value = Decimal(point.value)
            width = max(float(value) * scale, 1.0) if value > 0 else 0.0
            # Each figure as the report prints it: 4, not 4.0 because a neighbour is 1.4.
            display = point.display or format_value(value, unit)
            text = f"{point.series}: {display}" if series_heading and point.series else display
            bars.append(
                Bar(
                    series=point.series,
                    value=value,
                    display=display,
                    text=text,
                    y=y,
                    width=round(width, 1),
                    colour=colour,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP - BAR_GAP
        href = next((point.href for point in members if point.href), "")
        categories.append(Category(label=label, label_rows=label_rows, bars=bars, href=href))

    return Chart(
        slug=slug,
        title=title,
        categories=categories,
        height=round(y, 1),
        source=source,
        category_heading=category_heading,
        series_heading=series_heading,
        value_heading=value_heading,
    )


def _sentence_case(text):
    return text[:1].upper() + text[1:]


def key_statistic_charts(statistics) -> list[Chart]:
    """Charts from an evidence summary's key statistics that carry a chart key.

    With one group (e.g. rm-gap) the bars are its periods. With several groups (e.g. NST visited
    areas and England, whose printed periods differ) each group gets its own block of bars, one
    per period exactly as printed, so no period is matched to another it was not.
    """
    by_chart: OrderedDict[str, list] = OrderedDict()
    for statistic in statistics:
        if statistic.chart and statistic.value is not None:
            by_chart.setdefault(statistic.chart, []).append(statistic)

    charts = []
    for key, stats in by_chart.items():
        first = stats[0]
        units = {stat.unit for stat in stats}
        unit = first.unit if len(units) == 1 else ""
        sources = []
        for stat in stats:
            if stat.source and stat.source not in sources:
                sources.append(stat.source)
        groups = {stat.group for stat in stats}
        if len(groups) > 1:
            points = [
                Point(category=stat.group or "All", series=stat.period, value=stat.value)
                for stat in stats
            ]
            series_heading = "Period"
            category_heading = "Group"
        else:
            points = [
                Point(category=stat.period or stat.measure, value=stat.value) for stat in stats
            ]
            series_heading = ""
            category_heading = "Period"
        chart = build_bar_chart(
            key,
            CHART_TITLES.get(key) or _sentence_case(first.measure),
            points,
            unit=unit,
            source="; ".join(sources),
            category_heading=category_heading,
            series_heading=series_heading,
            value_heading=_sentence_case(first.measure),
        )
        if chart:
            charts.append(chart)
    return charts


def intervention_contribution_chart(interventions) -> Chart | None:
    """Figure 3: each modelled intervention's estimated contribution, largest first."""
    ranked = sorted(
        (i for i in interventions if i.gap_contribution_pp is not None),
        key=lambda i: (-i.gap_contribution_pp, i.name),
    )
    points = [Point(category=i.name, value=i.gap_contribution_pp) for i in ranked]
    return build_bar_chart(
        "interventions",
        INTERVENTIONS_CHART_TITLE,
        points,
        unit="pp",
        source="Figure 3 of the report",
        category_heading="Intervention",
        value_heading="Contribution to narrowing the gap",
    )


def recommendation_category_chart(page, rows) -> Chart | None:
    """How many NST recommendations fell in each category of a theme's table.

    Only category lines are drawn (sub-category counts are part of them), with the count and
    share exactly as printed.
    """
    points = []
    for row in page.category_rows(rows):
        if row.count is None:
            continue
        display = str(row.count)
        if row.share is not None:
            display = f"{row.count} ({format_number(row.share)}%)"
        points.append(Point(category=row.category, value=row.count, display=display))
    label = f"Table {page.table_number}" if page.table_number else "the recommendation table"
    return build_bar_chart(
        f"recommendations-{page.slug}",
        f"Recommendations by category: {page.title}",
        points,
        source=f"Infant Mortality NST recommendations, {label} of the report",
        category_heading="Category",
        value_heading="Number of recommendations (share)",
    )
