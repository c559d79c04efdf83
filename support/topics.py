"""The report's discussion topics and recommendation categories, as the workspace reads them.

Categories are the top-level rows of each theme's recommendation table (Table 1 for strategic
approaches, Tables 2-7 by theme), held in the knowledge base on the theme's evidence summary.
They are read once and kept until an evidence summary is published, unpublished or deleted, so
a form with many recommendations costs no query per row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from kb.models import EvidenceSummaryPage, Theme

# Section 1.5: an area chooses two discussion topics from these six (the four core topics,
# flagged `is_core` on the theme, are always discussed).
OPTIONAL_TOPIC_SLUGS = (
    "ethnicity",
    "immunisation",
    "feverish-unwell-infant",
    "access-to-maternity-services-and-screening",
    "teenage-pregnancy-and-young-parents",
    "substance-misuse",
)
# Table 1's theme: a recommendation of this theme is a strategic one.
STRATEGIC_THEME_SLUG = "strategic-approaches"
# Every area is signposted to the child poverty resources (executive summary; section 2.29).
CHILD_POVERTY_THEME_SLUG = "child-poverty"


@dataclass(frozen=True)
class Category:
    name: str
    report_count: int | None
    report_share: Decimal | None


@dataclass(frozen=True)
class ThemeTable:
    theme_id: int
    theme_name: str
    theme_slug: str
    table_number: int | None
    categories: tuple[Category, ...]
    report_total: int | None

    @property
    def label(self):
        if self.theme_slug == STRATEGIC_THEME_SLUG:
            return "Strategic"
        return self.theme_name


# Other server processes miss this one's signals, so a cached copy also ages out.
TABLES_MAX_AGE_SECONDS = 300
_tables: dict[int, ThemeTable] | None = None
_tables_read_at = 0.0


def forget_tables(**kwargs):
    global _tables
    _tables = None


def theme_tables() -> dict[int, ThemeTable]:
    """Theme id -> its recommendation table, in table order (Table 1 first)."""
    global _tables, _tables_read_at
    if _tables is None or time.monotonic() - _tables_read_at > TABLES_MAX_AGE_SECONDS:
        pages = (
            EvidenceSummaryPage.objects.live()
            .exclude(theme=None)
            .exclude(table_number=None)
            .select_related("theme")
            .prefetch_related("recommendation_rows")
            .order_by("table_number", "pk")
        )
        tables = {}
        for page in pages:
            rows = page.category_rows(list(page.recommendation_rows.all()))
            seen = {}
            for row in rows:
                seen.setdefault(row.category, Category(row.category, row.count, row.share))
            if page.theme_id not in tables and seen:
                tables[page.theme_id] = ThemeTable(
                    theme_id=page.theme_id,
                    theme_name=page.theme.name,
                    theme_slug=page.theme.slug,
                    table_number=page.table_number,
                    categories=tuple(seen.values()),
                    report_total=page.table_total_count,
                )
        _tables, _tables_read_at = tables, time.monotonic()
    return _tables


# A discussion topic the report gives no recommendation table for takes recommendations under
# this one category: nothing is invented for it.
OTHER_CATEGORY = "Other"
_untabled: tuple | None = None


def untabled_topics() -> dict[int, str]:
    """Optional topics with no table in the report (immunisation, the feverish infant...):
    theme id -> name, in the topics' order."""
    global _untabled
    tabled = theme_tables()
    if _untabled is None or _untabled[0] is not tabled:  # read again with the tables
        themes = Theme.objects.filter(slug__in=OPTIONAL_TOPIC_SLUGS).order_by("sort_order", "name")
        _untabled = (tabled, {theme.pk: theme.name for theme in themes if theme.pk not in tabled})
    return _untabled[1]


def recommendation_themes() -> dict[int, str]:
    return {
        **{theme_id: table.label for theme_id, table in theme_tables().items()},
        **untabled_topics(),
    }


def category_names_for(theme_id) -> list[str]:
    table = theme_tables().get(theme_id)
    if table:
        return [category.name for category in table.categories]
    return [OTHER_CATEGORY] if theme_id in untabled_topics() else []


def theme_choices():
    return [("", "---------")] + list(recommendation_themes().items())


def category_choices():
    """Grouped by theme, so the select shows each theme's categories under its name."""
    choices = [("", "---------")] + [
        (table.label, [(c.name, c.name) for c in table.categories])
        for table in theme_tables().values()
    ]
    if untabled_topics():
        label = "Topics with no table in the report"
        choices.append((label, [(OTHER_CATEGORY, OTHER_CATEGORY)]))
    return choices
