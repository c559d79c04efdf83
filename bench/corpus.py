"""Synthetic corpora shaped like the report's content, built from the real fixtures.

Text is recombined from real sentences, taxonomy is drawn from the real themes, areas,
interventions and organisations with a skew like the real tagging, and the mix of types and
field lengths follows the real case studies, resources and news.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

from search.documents import new_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TYPE_MIX = {"case_study": 0.35, "resource": 0.55, "news": 0.10}
RESOURCE_TYPES = {
    "guidance": "Guidance",
    "report": "Report",
    "toolkit": "Toolkit",
    "leaflet": "Leaflet or booklet",
    "dvd_video": "DVD or video",
    "website": "Website",
    "data_tool": "Data tool or profile",
    "briefing_paper": "Briefing paper",
}
EVALUATION = {
    "none": "Not evaluated",
    "internal": "Internal evaluation",
    "external_planned": "External evaluation planned",
    "external_done": "Externally evaluated",
}


def _load(name):
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")) or []


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


class Shapes:
    """What the real content looks like: sentences, titles and taxonomy."""

    def __init__(self):
        items = _load("case_studies.yaml") + _load("resources.yaml") + _load("news.yaml")
        text = " ".join(t for item in items for t in _texts(item) if len(t) > 40)
        self.sentences = [
            s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 30 < len(s.strip()) < 400
        ]
        self.titles = [item["title"] for item in items if item.get("title")]
        self.themes = [(t["key"], t["name"]) for t in _load("themes.yaml")]
        self.areas = [(a["key"], a["name"]) for a in _load("areas.yaml")]
        self.interventions = [(i["key"], i["name"]) for i in _load("interventions.yaml")]
        self.organisations = [
            (o["key"], o.get("short_name") or o["name"]) for o in _load("organisations.yaml")
        ]
        self.glossary = [(g["term"], g["expansion"]) for g in _load("glossary.yaml")]


def _skewed(rng, values, k):
    """k distinct values, the first ones far more often (as real tagging is)."""
    weights = [1 / (rank + 1) for rank in range(len(values))]
    chosen = {}
    while len(chosen) < min(k, len(values)):
        value = rng.choices(values, weights)[0]
        chosen[value[0]] = value
    return list(chosen.values())


def specs(size: int, seed: int = 2010, shapes: Shapes | None = None) -> list[dict]:
    """`size` search documents (ids 1..size) in the shape `build_document` produces."""
    shapes = shapes or Shapes()
    rng = random.Random(seed)
    types = rng.choices(list(TYPE_MIX), list(TYPE_MIX.values()), k=size)

    def term(pair):
        return {"value": pair[0], "label": pair[1]}

    def sentences(low, high):
        return " ".join(rng.choices(shapes.sentences, k=rng.randint(low, high)))

    documents = []
    for number, type_key in enumerate(types, start=1):
        area = _skewed(rng, shapes.areas, 1)[0]
        title = rng.choice(shapes.titles)
        doc = new_document(
            number,
            f"{title} ({area[1]})" if type_key == "case_study" else title,
            type_key,
            summary=sentences(1, 3),
            themes=[term(t) for t in _skewed(rng, shapes.themes, rng.randint(1, 3))],
            year=rng.randint(1994, 2010),
            url=f"/bench/{number}/",
            first_published_at="2010-07-01T00:00:00+00:00",
            last_published_at="2010-07-01T00:00:00+00:00",
        )
        if type_key == "case_study":
            doc["body"] = sentences(8, 25)
            extra = _skewed(rng, shapes.areas, rng.randint(0, 1))
            doc["areas"] = [term(a) for a in dict.fromkeys([area, *extra])]
            doc["interventions"] = [
                term(i) for i in _skewed(rng, shapes.interventions, rng.randint(1, 4))
            ]
            doc["evaluation_status"] = [term(rng.choice(list(EVALUATION.items())))]
        elif type_key == "resource":
            doc["body"] = sentences(0, 3)
            doc["interventions"] = [
                term(i) for i in _skewed(rng, shapes.interventions, rng.randint(0, 2))
            ]
            doc["publisher"] = [term(_skewed(rng, shapes.organisations, 1)[0])]
            doc["resource_type"] = [term(rng.choice(list(RESOURCE_TYPES.items())))]
        else:
            doc["body"] = sentences(4, 12)
            doc["areas"] = [term(area)]
            doc["date"] = f"{doc['year']}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        documents.append(doc)
    return documents


# What practitioners type: broad single words, phrases, synonyms and acronyms.
QUERIES = [
    "smoking",
    "breastfeeding",
    "housing",
    "teenage pregnancy",
    "infant mortality",
    "cot death",
    "young fathers",
    "obese pregnant women",
    "stop smoking services",
    "health visitors",
    "antenatal care",
    "child poverty",
    "support",
    "maternity services",
    "sudden unexpected death",
    "overcrowding",
    "peer support",
    "family nurse partnership",
    "deprived areas",
    "BME",
]


def three_filters(documents) -> dict[str, list[str]]:
    """Three facet filters a practitioner would tick: the commonest theme, two types, an
    intervention."""
    counts = {}
    for doc in documents:
        for t in doc["themes"]:
            counts[("theme", t["value"])] = counts.get(("theme", t["value"]), 0) + 1
        for t in doc["interventions"]:
            key = ("intervention", t["value"])
            counts[key] = counts.get(key, 0) + 1

    def top(facet):
        return max((k for k in counts if k[0] == facet), key=counts.get)[1]

    return {
        "theme": [top("theme")],
        "type": ["case_study", "resource"],
        "intervention": [top("intervention")],
    }
