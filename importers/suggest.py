"""Suggestions for an editor's draft: pages that may already be in the knowledge base, and tags.

Duplicates come through the search engine interface (search/engines/base.py), so they follow the
configured engine. Tags come from the text: areas from place names the taxonomy holds; themes
and interventions from the taxonomy's own words (names, descriptions, the interventions each
theme's evidence summary lists), widened by the search thesaurus. Suggestions only: nothing is
ever applied or blocked without the editor.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from kb.models import (
    Area,
    CaseStudyPage,
    EvidenceSummaryPage,
    Intervention,
    Organisation,
    ResourcePage,
    Theme,
)
from search.engines import EngineUnavailable, InvalidSearchRequest, SearchRequest, get_engine
from search.facets import MAX_QUERY_LENGTH
from search.synonyms import get_thesaurus
from search.text import stems

# Words too common in this field to tell one theme from another.
STOP_STEMS = set(
    stems(
        "a an and are as at be been by for from has have in infant infants infancy into is it its "
        "of on or that the their this to was were which with health inequalities inequality "
        "mortality reducing reduce reduction improve improving services service local women woman "
        "maternal mothers mother pregnancy pregnant early care support supporting key areas area "
        "including such can other all more most than also between among"
    )
)
# Single words that name part of a theme but say little alone ("Management of the feverish...").
GENERIC_STEMS = set(stems("management access antenatal neonatal approaches strategic young care"))
FUNCTION_WORDS = re.compile(r"\b(?:and|in|of|to|the|for|with|on|supporting)\b|[/,;]", re.IGNORECASE)
THEME_THRESHOLD = 0.40
MIN_MENTIONS = 1
MIN_WEAK_WORDS = 3  # share of a theme's best possible evidence the text must reach
INTERVENTION_THRESHOLD = 0.6  # share of an intervention's distinctive words the text uses


@dataclass
class Suggestion:
    kind: str  # theme | area | intervention | organisation
    pk: int
    name: str
    why: str  # the words in the text that suggest it
    score: float = 0.0


@dataclass
class Profile:
    obj: object
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # stemmed phrases, strong cues
    words: Counter = field(default_factory=Counter)  # stemmed words, weak cues


def _phrase_variants(text, thesaurus):
    """The stemmed phrase and its thesaurus synonyms."""
    phrase = tuple(s for s in stems(text) if s)
    variants = [phrase] if phrase else []
    variants.extend(thesaurus.synonyms_of(phrase))
    return variants


def _name_cues(name, thesaurus):
    """A taxonomy name as the phrases that signal it: the whole name, each part between function
    words without the field's common words ("Reducing maternal smoking" -> "smoking"), and the
    thesaurus synonyms of each. A lone generic word is no cue."""
    cues = _phrase_variants(name, thesaurus)
    for chunk in FUNCTION_WORDS.split(name):
        for variant in _phrase_variants(chunk, thesaurus):
            kept = tuple(s for s in variant if s not in STOP_STEMS)
            if kept and not (len(kept) == 1 and kept[0] in GENERIC_STEMS):
                cues.append(kept)
                cues.extend(thesaurus.synonyms_of(kept))
    return list(dict.fromkeys(cues))


def _occurrences(text_stems, phrase):
    n = len(phrase)
    return sum(tuple(text_stems[i : i + n]) == phrase for i in range(len(text_stems) - n + 1))


def _contains(text_stems, phrase):
    return _occurrences(text_stems, phrase) > 0


# A place name inside a longer name is not that place: "Greater Manchester" and "University of
# Manchester" do not name Manchester.
INSIDE_A_NAME_BEFORE = re.compile(r"(?:\bGreater|\b(?:University|College|Universities) of)\s+$")
INSIDE_A_NAME_AFTER = re.compile(
    r"^(?:\s+[A-Z][\w'-]*)*?\s+(?:University|College|Metropolitan|United|Airport)\b"
)


NO_LOCAL_AREA = "no local area is named"


def _place_matches(area, text):
    text = straight_quotes(text)
    words = [re.escape(w) for w in re.split(r"[\s-]+", straight_quotes(area.name)) if w]
    pattern = r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)"
    for match in re.finditer(pattern, text, re.IGNORECASE):
        before, after = text[max(0, match.start() - 40) : match.start()], text[match.end() :]
        if INSIDE_A_NAME_BEFORE.search(before) or INSIDE_A_NAME_AFTER.match(after[:80]):
            continue
        yield match


def areas_named(text, areas):
    """Areas the text names, as suggestions showing the words that named them.

    Whole place names only ("Stoke on Trent" finds Stoke-on-Trent; "Greater Manchester" does
    not find Manchester), and the most specific: a place named inside a longer area name that
    also matched (e.g. "North Tyneside" beside "Tyneside") counts once, as the longer area; a
    county is dropped when a local authority in its region is named. A national area only when
    no local one is named: "the highest in England" does not make a local project national, and
    a text that names no place describes national practice.
    """
    matched, national = [], []
    for area in areas:
        matches = list(_place_matches(area, text))
        if area.kind == Area.Kind.NATIONAL:
            national.append((area, matches[0] if matches else None))
        elif matches:
            matched.append((area, matches))
    spans = [(m.start(), m.end(), area) for area, ms in matched for m in ms]

    def inside_another(area, match):
        return any(
            other is not area
            and start <= match.start()
            and match.end() <= end
            and (end - start) > (match.end() - match.start())
            for start, end, other in spans
        )

    found = []
    for area, matches in matched:
        kept = [m for m in matches if not inside_another(area, m)]
        if kept:
            found.append((area, kept[0].group(0)))
    local_regions = {a.region for a, _ in found if a.kind == Area.Kind.LOCAL_AUTHORITY and a.region}
    found = [
        (area, why)
        for area, why in found
        if not (area.kind == Area.Kind.COUNTY and area.region and area.region in local_regions)
    ]
    suggestions = [Suggestion("area", a.pk, a.name, why, 1.0) for a, why in found]
    if not suggestions:
        for area, match in national:
            why = match.group(0) if match else NO_LOCAL_AREA
            suggestions.append(Suggestion("area", area.pk, area.name, why, 0.5))
    return suggestions


def straight_quotes(text):
    """Barnardo’s and Barnardo's are one name: compare names with straight apostrophes."""
    return text.replace("’", "'").replace("‘", "'")


def organisations_named(text, organisations):
    """Organisations the text names, by full or short name (a short name in capitals, e.g. NST,
    only in capitals), with the words that named them."""
    found = []
    text = straight_quotes(text)
    for organisation in organisations:
        names = [organisation.name]
        short = getattr(organisation, "short_name", "")
        if short and len(short) >= 2:
            names.append(short)
        for name in map(straight_quotes, names):
            flags = 0 if name.isupper() else re.IGNORECASE
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags)
            if match:
                found.append(
                    Suggestion(
                        "organisation", organisation.pk, organisation.name, match.group(0), 1.0
                    )
                )
                break
    return found


class TagSuggester:
    """Built once per request (or per benchmark run): the taxonomy's words, read once."""

    def __init__(self):
        thesaurus = get_thesaurus()
        self.areas = list(Area.objects.all())
        self.organisations = list(Organisation.objects.all())
        interventions = {i.pk: i for i in Intervention.objects.all()}
        hub_interventions = {}
        for hub in EvidenceSummaryPage.objects.exclude(theme=None).prefetch_related(
            "interventions"
        ):
            hub_interventions.setdefault(hub.theme_id, []).extend(hub.interventions.all())
        themes = list(Theme.objects.all())
        children = {}
        for theme in themes:
            if theme.parent_id:
                children.setdefault(theme.parent_id, []).append(theme)
        self.themes = []
        for theme in themes:
            profile = Profile(theme)
            sources = [theme.name] + [child.name for child in children.get(theme.pk, [])]
            for source in sources:
                profile.phrases.extend(_name_cues(source, thesaurus))
            weak_text = " ".join(
                [theme.name, theme.description]
                + [i.name for i in hub_interventions.get(theme.pk, [])]
            )
            profile.words.update(s for s in stems(weak_text) if s not in STOP_STEMS)
            self.themes.append(profile)
        self.interventions = []
        for intervention in interventions.values():
            profile = Profile(intervention)
            profile.phrases.extend(_phrase_variants(intervention.name, thesaurus))
            profile.words.update(s for s in stems(intervention.name) if s not in STOP_STEMS)
            self.interventions.append(profile)
        # Inverse document frequency over theme profiles: a word every theme uses tells nothing.
        counts = Counter(word for profile in self.themes for word in set(profile.words))
        total = len(self.themes) or 1
        self.idf = {word: math.log((1 + total) / (1 + n)) for word, n in counts.items()}

    def suggest(self, text: str) -> list[Suggestion]:
        return (
            self.areas_in(text)
            + self.themes_in(text)
            + self.interventions_in(text)
            + organisations_named(text, self.organisations)
        )

    def areas_in(self, text):
        return areas_named(text, self.areas)

    def _score(self, profile, text_stems, text_words):
        strong = [p for p in profile.phrases if _occurrences(text_stems, p) >= MIN_MENTIONS]
        matched = [w for w in profile.words if w in text_words]
        best = sum(self.idf.get(w, 0) for w in profile.words) or 1
        weak = sum(self.idf.get(w, 0) for w in matched) / best
        return strong, matched, weak

    def themes_in(self, text):
        text_stems = stems(text)
        text_words = set(text_stems)
        found = []
        for profile in self.themes:
            strong, matched, weak = self._score(profile, text_stems, text_words)
            if strong or (weak >= THEME_THRESHOLD and len(matched) >= MIN_WEAK_WORDS):
                why = " ".join(strong[0]) if strong else ", ".join(sorted(matched)[:6])
                found.append(
                    Suggestion("theme", profile.obj.pk, profile.obj.name, why, weak + len(strong))
                )
        return sorted(found, key=lambda s: -s.score)

    def interventions_in(self, text):
        """Interventions whose name the text uses, or most of whose distinctive words it uses in
        plain wording ("peer supporters … breastfed" suggests breastfeeding peer support)."""
        text_stems = stems(text)
        text_words = set(text_stems)
        found = []
        for profile in self.interventions:
            strong = [p for p in profile.phrases if len(p) and _contains(text_stems, p)]
            if strong:
                why = " ".join(strong[0])
            else:
                content = [w for w in dict.fromkeys(profile.words) if w not in GENERIC_STEMS]
                matched = [w for w in content if _stem_in(w, text_words)]
                if len(matched) < 2 or len(matched) < INTERVENTION_THRESHOLD * len(content):
                    continue
                why = ", ".join(_words_for(matched, text))
            found.append(Suggestion("intervention", profile.obj.pk, profile.obj.name, why, 1.0))
        return found


PREFIX = 6  # "breastfed" and "breastfeeding" stem apart; their first six letters agree


def _stem_in(stem, text_words):
    if stem in text_words:
        return True
    return len(stem) >= PREFIX and any(
        len(word) >= PREFIX and word[:PREFIX] == stem[:PREFIX] for word in text_words
    )


def _words_for(matched, text):
    """The text's own words behind matched stems, to show the editor why."""
    shown = []
    for stem in matched:
        for word in re.findall(r"[A-Za-z][\w'-]*", text):
            word_stem = next(iter(stems(word)), "")
            if word_stem and _stem_in(stem, {word_stem}):
                shown.append(word)
                break
    return shown


@dataclass
class Duplicate:
    id: int
    title: str
    url: str
    type: str
    reasons: list[str]
    score: float


def similar_pages(
    *, title="", summary="", type_key="case_study", themes=(), areas=(), exclude_id=None, limit=5
):
    """Pages that may already hold this one: similar title, similar summary, or the same area
    and theme, best first. Empty when the engine cannot answer (a warning must never block)."""
    engine = get_engine()
    found: dict[int, Duplicate] = {}

    def add(query, filters, reason, weight):
        try:
            request = SearchRequest.build(query=query[:MAX_QUERY_LENGTH], filters=filters)
            response = engine.search(request)
        except (EngineUnavailable, InvalidSearchRequest):
            return 0
        hits = 0
        for rank, hit in enumerate(response.hits[: limit * 2]):
            hits += 1
            if hit.id == exclude_id:
                continue
            entry = found.setdefault(
                hit.id, Duplicate(hit.id, hit.title, hit.url, hit.type, [], 0.0)
            )
            entry.reasons.append(reason)
            entry.score += weight / (rank + 1)
        return hits

    type_filter = {"type": [type_key]}
    if title.strip() and not add(title, type_filter, "similar title", 3.0):
        # Every word must match, so one unusual word ("same-day") hides the page: try the
        # title's first few distinctive words ("stop smoking pregnancy").
        key_words = [w for w in re.findall(r"[\w'-]+", title) if w.lower() not in LINK_WORDS]
        if len(key_words) > TITLE_KEY_WORDS:
            add(" ".join(key_words[:TITLE_KEY_WORDS]), type_filter, "similar title words", 2.0)
    if summary.strip():
        add(" ".join(summary.split()[:30]), type_filter, "similar summary", 1.0)
    if themes and areas:
        add(
            "",
            {**type_filter, "theme": list(themes), "area": list(areas)},
            "same area and theme",
            0.5,
        )
    return sorted(found.values(), key=lambda d: -d.score)[:limit]


TITLE_KEY_WORDS = 3
LINK_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"}

DRAFT_MODELS = {"case_study": CaseStudyPage, "resource": ResourcePage}
DRAFT_TITLE_OVERLAP = 0.6  # share of the shorter title's words the two titles share


def _title_words(title):
    return {w for w in stems(title) if w not in STOP_STEMS}


def similar_drafts(*, title, type_key="case_study", exclude_id=None, limit=5):
    """Unpublished drafts (the search index holds only published pages) whose titles share most
    of their words with `title`: importing one write-up twice, by file and by address, or two
    editors starting the same page. Only for the admin: drafts are not public."""
    model = DRAFT_MODELS.get(type_key)
    words = _title_words(title)
    if model is None or not words:
        return []
    found = []
    for page_id, draft_title in (
        model.objects.filter(live=False).exclude(pk=exclude_id).values_list("pk", "title")
    ):
        other = _title_words(draft_title)
        shared = words & other
        overlap = len(shared) / (min(len(words), len(other)) or 1)
        if len(shared) >= 2 and overlap >= DRAFT_TITLE_OVERLAP:
            found.append(
                Duplicate(
                    page_id,
                    draft_title,
                    reverse("wagtailadmin_pages:edit", args=[page_id]),
                    f"draft {type_key.replace('_', ' ')}",
                    ["a draft with a similar title"],
                    overlap * 3.0,
                )
            )
    return sorted(found, key=lambda d: -d.score)[:limit]


def possible_duplicates(
    *,
    title="",
    summary="",
    type_key="case_study",
    themes=(),
    areas=(),
    exclude_id=None,
    include_drafts=False,
    limit=5,
):
    """The duplicate warning: published pages (similar_pages) and, for editors only
    (`include_drafts`), unpublished drafts (similar_drafts), best first."""
    found = similar_pages(
        title=title,
        summary=summary,
        type_key=type_key,
        themes=themes,
        areas=areas,
        exclude_id=exclude_id,
        limit=limit,
    )
    if include_drafts:
        found = similar_drafts(title=title, type_key=type_key, exclude_id=exclude_id) + found
    return found[:limit]
