"""The coverage map (areas x themes): what was discussed, sent and is held locally.

Counts are by top-level theme, as the case-study counts are: an item sent under a sub-topic
(Breastfeeding) counts under its theme (Maternal and infant nutrition). An item sent more than
once to an area (the same pack sent twice, or in two packs) counts once.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from kb.contexts.visibility import public
from kb.models import Area, CaseStudyPage, Theme

from .models import PackSending, Visit


def top_theme_ids_by_name() -> dict[str, int]:
    """A snapshot names its groups by topic; each name's top-level theme."""
    return {theme.name: theme.parent_id or theme.pk for theme in Theme.objects.all()}


def sent_item_counts(area_ids) -> dict[tuple[int, int], int]:
    """(area id, top theme id) -> distinct items sent (by URL) in every sending's snapshot."""
    top = top_theme_ids_by_name()
    items = defaultdict(set)
    sendings = PackSending.objects.filter(pack__area_id__in=area_ids).select_related("pack")
    for sending in sendings:
        for group in sending.snapshot.get("groups", []):
            theme_id = top.get(group.get("topic"))
            if theme_id is None:
                continue
            for item in group.get("items", []):
                items[(sending.pack.area_id, theme_id)].add(item.get("url") or item.get("title"))
    return {key: len(urls) for key, urls in items.items()}


def case_study_counts() -> dict[tuple[int, int], int]:
    """(area id, top theme id) -> published case studies from the area on the theme."""
    counts = defaultdict(set)
    for study in public(CaseStudyPage).prefetch_related("areas", "themes"):
        for area in study.areas.all():
            for theme in study.themes.all():
                counts[(area.pk, theme.parent_id or theme.pk)].add(study.pk)
    return {key: len(ids) for key, ids in counts.items()}


def coverage_rows(show_all: bool):
    """(themes, rows): one row per area, one cell per top-level theme."""
    themes = list(Theme.objects.filter(parent=None).order_by("sort_order", "name"))
    areas = Area.objects.order_by("name")
    if not show_all:
        areas = areas.filter(
            Q(support_visits__isnull=False) | Q(support_packs__isnull=False)
        ).distinct()
    areas = list(areas)
    area_ids = [area.pk for area in areas]
    discussed = defaultdict(set)
    core_ids = {theme.pk for theme in themes if theme.is_core}
    visit_counts = defaultdict(int)
    for visit in Visit.objects.filter(area_id__in=area_ids).prefetch_related("chosen_topics"):
        visit_counts[visit.area_id] += 1
        discussed[visit.area_id] |= core_ids | {
            t.parent_id or t.pk for t in visit.chosen_topics.all()
        }
    sent = sent_item_counts(area_ids)
    studies = case_study_counts()
    rows = []
    for area in areas:
        cells = [
            {
                "theme": theme,
                "discussed": theme.pk in discussed[area.pk],
                "sent": sent.get((area.pk, theme.pk), 0),
                "case_studies": studies.get((area.pk, theme.pk), 0),
            }
            for theme in themes
        ]
        rows.append({"area": area, "visits": visit_counts[area.pk], "cells": cells})
    return themes, rows
