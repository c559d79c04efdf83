"""How well the suggestions work, measured on the report's 16 case studies.

- Duplicates: each case study's title is retyped (words in another order, one word changed,
  both chosen by a random generator seeded with the page's slug, so every run is the same) and
  searched as an editor's new title would be; a hit is the original as the first warning.
- Tags: themes and areas suggested from each case study's text alone (title, summary, aims,
  what was done, evaluation) against the themes and areas the page has: recall is the share of
  its actual tags suggested, precision the share of suggestions that are actual tags.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kb.models import CaseStudyPage

from .suggest import TagSuggester, similar_pages

# Words a person retyping a title might put in place of one of its words.
REPLACEMENTS = ("project", "scheme", "service", "programme", "initiative", "work", "local")


def retyped(title: str, seed: str) -> str:
    """The title with its words reordered and one word (of four letters or more) changed."""
    rng = random.Random(seed)
    words = title.replace(":", " ").split()
    order = list(range(len(words)))
    while len(words) > 1 and order == sorted(order):
        rng.shuffle(order)
    words = [words[i] for i in order]
    candidates = [i for i, w in enumerate(words) if len(w.strip("()‘’'\"")) >= 4]
    if candidates:
        index = rng.choice(candidates)
        choices = [r for r in REPLACEMENTS if r not in title.lower()]
        words[index] = rng.choice(choices)
    return " ".join(words)


def case_study_text(page) -> str:
    return " ".join([page.title, page.summary, page.aims, page.what_was_done, page.evaluation])


@dataclass
class Figures:
    pages: int
    duplicate_first: int
    duplicate_anywhere: int
    tag_true_positive: int
    tag_false_positive: int
    tag_false_negative: int
    misses: list

    @property
    def duplicate_rate(self):
        return self.duplicate_first / self.pages if self.pages else 0.0

    @property
    def recall(self):
        found = self.tag_true_positive + self.tag_false_negative
        return self.tag_true_positive / found if found else 0.0

    @property
    def precision(self):
        suggested = self.tag_true_positive + self.tag_false_positive
        return self.tag_true_positive / suggested if suggested else 0.0


def measure() -> Figures:
    pages = list(
        CaseStudyPage.objects.live()
        .exclude(source_reference="")
        .prefetch_related("themes", "areas")
    )
    suggester = TagSuggester()
    first = anywhere = tp = fp = fn = 0
    misses = []
    for page in pages:
        query = retyped(page.title, page.slug)
        warnings = similar_pages(title=query, type_key="case_study")
        ids = [warning.id for warning in warnings]
        first += bool(ids) and ids[0] == page.pk
        anywhere += page.pk in ids
        if not ids or ids[0] != page.pk:
            misses.append(f"{page.slug}: {query!r}")
        text = case_study_text(page)
        suggested = {(s.kind, s.pk) for s in suggester.areas_in(text) + suggester.themes_in(text)}
        actual = {("theme", t.pk) for t in page.themes.all()} | {
            ("area", a.pk) for a in page.areas.all()
        }
        tp += len(suggested & actual)
        fp += len(suggested - actual)
        fn += len(actual - suggested)
    return Figures(len(pages), first, anywhere, tp, fp, fn, misses)
