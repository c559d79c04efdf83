"""What to put in a signposting pack, asked of the search engine (never of the pages directly).

The order is the team's: case studies first (the area's own before the rest), then resources
and evidence summaries topic by topic, then the child poverty resources every area is
signposted to. Each suggestion says which topic brought it in. A page suggested twice keeps its
first place and reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.models import Theme
from search.engines import EngineUnavailable, SearchRequest, get_engine

from .topics import CHILD_POVERTY_THEME_SLUG

PER_SEARCH = 20  # one page of results per topic and type; the team curates from there


@dataclass
class Suggestion:
    page_id: int
    title: str
    url: str
    type_key: str
    type_label: str
    topic_id: int | None
    topic_name: str
    reason: str
    own: bool = False  # the area's own: tagged with the area, or naming it in its title


@dataclass
class TopicGroup:
    topic_id: int | None
    topic_name: str
    suggestions: list[Suggestion]


def _family(theme):
    return [theme, *theme.children.all()]


def _search(engine, type_key, themes, area=None):
    """Hits of one type on any of these themes (and in the area, if given).

    Engines ignore a facet value no document has (with a warning) rather than match nothing,
    so each hit is checked against what was asked: a topic with no resources suggests none.
    """
    filters = {"type": [type_key], "theme": [theme.slug for theme in themes]}
    if area is not None:
        filters["area"] = [area.slug]
    names = {theme.name for theme in themes}
    hits = engine.search(SearchRequest.build(filters=filters, sort="title")).hits
    return [
        hit
        for hit in hits
        if hit.type_key == type_key
        and names & set(hit.themes)
        and (area is None or area.name in hit.areas)
    ]


def suggest(topics, area=None, child_poverty_theme=None, engine=None) -> list[Suggestion]:
    """Suggestions for these topics (Theme objects) and area (an Area, or None).

    Raises EngineUnavailable when search cannot answer; callers say so and the team curates by
    hand.
    """
    engine = engine or get_engine()
    suggestions: list[Suggestion] = []
    seen: set[int] = set()

    def is_own(hit):
        return area is not None and (
            area.name in hit.areas or area.name.lower() in hit.title.lower()
        )

    def add(hits, topic, reason):
        for hit in hits:
            if hit.id in seen:
                continue
            seen.add(hit.id)
            suggestions.append(
                Suggestion(
                    page_id=hit.id,
                    title=hit.title,
                    url=hit.url,
                    type_key=hit.type_key,
                    type_label=hit.type,
                    topic_id=topic.pk if topic else None,
                    topic_name=topic.name if topic else "",
                    reason=reason,
                    own=is_own(hit),
                )
            )

    topics = list(topics)
    families = {topic.pk: _family(topic) for topic in topics}
    if area is not None:
        for topic in topics:
            hits = _search(engine, "case_study", families[topic.pk], area)
            add(hits, topic, f"Case study from {area.name} on {topic.name}")
    for topic in topics:
        hits = _search(engine, "case_study", families[topic.pk])
        add(hits, topic, f"Case study on {topic.name}")
    for topic in topics:
        for type_key, label in (("resource", "Resource"), ("evidence_summary", "Evidence")):
            hits = _search(engine, type_key, families[topic.pk])
            add(hits, topic, f"{label} on {topic.name}")
    if child_poverty_theme is None:
        child_poverty_theme = Theme.objects.filter(slug=CHILD_POVERTY_THEME_SLUG).first()
    if child_poverty_theme is not None:
        hits = _search(engine, "resource", _family(child_poverty_theme))
        add(
            hits,
            child_poverty_theme,
            "Child poverty resources: every area is signposted to them",
        )
    return suggestions


def by_topic(suggestions) -> list[TopicGroup]:
    """The suggestions grouped by topic, in the order the topics first come, and within each
    topic the area's own first (its case studies and resources), then the rest in order."""
    groups: dict = {}
    for suggestion in suggestions:
        group = groups.setdefault(
            suggestion.topic_id, TopicGroup(suggestion.topic_id, suggestion.topic_name, [])
        )
        group.suggestions.append(suggestion)
    for group in groups.values():
        group.suggestions.sort(key=lambda s: not s.own)
    return list(groups.values())


__all__ = ["EngineUnavailable", "Suggestion", "TopicGroup", "by_topic", "suggest"]
