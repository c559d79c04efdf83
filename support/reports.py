"""Recommendations counted per category, beside the report's national distribution.

One function feeds the workspace's tables and charts and `manage.py support_report`, so they
always agree. Shares are within each theme's table, as the report's Tables 1-7 print them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kb.charts import Point, build_bar_chart, format_number

from .models import Recommendation
from .topics import theme_tables, untabled_topics


@dataclass
class Row:
    category: str
    count: int
    share: Decimal | None
    report_count: int | None
    report_share: Decimal | None


@dataclass
class ThemeReport:
    theme_id: int
    label: str
    table_number: int | None
    rows: list[Row]
    total: int
    report_total: int | None
    notes: tuple[str, ...] = ()

    @property
    def slug(self):
        return f"theme-{self.theme_id}"


def _share(count, total):
    if not total:
        return None
    return (Decimal(100) * count / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _as_printed(share):
    """21.90 as the report prints it: 21.9."""
    return None if share is None else Decimal(format_number(share))


def disagreements(table) -> tuple[str, ...]:
    """Where the report's own table disagrees with itself, said in words.

    The figures are always shown as printed: never corrected, never hidden. Only the table's
    own numbers are compared (its rows against its printed total; one count printed with two
    different shares).
    """
    notes = []
    counts = [c.report_count for c in table.categories if c.report_count is not None]
    if counts and table.report_total is not None and sum(counts) != table.report_total:
        notes.append(
            f"The report's rows add up to {sum(counts)}; its printed total is {table.report_total}."
        )
    shares: dict[int, list] = {}
    for category in table.categories:
        if category.report_count is not None and category.report_share is not None:
            printed = _as_printed(category.report_share)
            if printed not in shares.setdefault(category.report_count, []):
                shares[category.report_count].append(printed)
    for count, printed in shares.items():
        if len(printed) > 1:
            notes.append(
                f"In the report, {count} is printed as "
                + " in one row and ".join(f"{share}%" for share in printed)
                + " in another."
            )
    return tuple(notes)


def category_report(recommendations=None) -> list[ThemeReport]:
    """Count per (theme, category) of these recommendations (default: all), in table order.

    Every category of every table is listed, with zero where nothing was recorded, so the
    national distribution is always there to compare with. A category no longer in the
    knowledge base (a renamed row) is still counted, under its own name.
    """
    if recommendations is None:
        recommendations = Recommendation.objects.all()
    counts = Counter(recommendations.values_list("theme_id", "category"))
    reports = []
    for theme_id, table in theme_tables().items():
        known = [c.name for c in table.categories]
        extra = sorted(cat for (tid, cat) in counts if tid == theme_id and cat not in known)
        total = sum(n for (tid, _), n in counts.items() if tid == theme_id)
        rows = []
        for category in table.categories:
            count = counts.get((theme_id, category.name), 0)
            rows.append(
                Row(
                    category.name,
                    count,
                    _share(count, total),
                    category.report_count,
                    _as_printed(category.report_share),
                )
            )
        for name in extra:
            count = counts[(theme_id, name)]
            rows.append(Row(name, count, _share(count, total), None, None))
        reports.append(
            ThemeReport(
                theme_id,
                table.label,
                table.table_number,
                rows,
                total,
                table.report_total,
                disagreements(table),
            )
        )
    for theme_id, name in untabled_topics().items():
        total = sum(n for (tid, _), n in counts.items() if tid == theme_id)
        if total:
            rows = [
                Row(category, n, _share(n, total), None, None)
                for (tid, category), n in sorted(counts.items())
                if tid == theme_id
            ]
            reports.append(ThemeReport(theme_id, name, None, rows, total, None))
    return reports


def category_chart(report: ThemeReport, scope_label: str):
    """Shares side by side: what the team recorded and what the report printed nationally."""
    points = []
    for row in report.rows:
        points.append(
            Point(
                category=row.category,
                series=scope_label,
                value=row.share if row.share is not None else 0,
                display=f"{row.count} ({format_number(row.share or 0)}%)",
            )
        )
        if row.report_share is not None:
            points.append(
                Point(
                    category=row.category,
                    series="Report",
                    value=row.report_share,
                    display=f"{row.report_count} ({format_number(row.report_share)}%)",
                )
            )
    table = f"Table {report.table_number}" if report.table_number else "its table"
    return build_bar_chart(
        f"support-{report.slug}",
        f"{report.label}: share of recommendations by category",
        points,
        source=f"{scope_label}: recorded in the workspace. Report: {table} of the report",
        category_heading="Category",
        series_heading="Source",
        value_heading="Count (share)",
    )
