"""The content model: taxonomy snippets and the page types that hold the report's knowledge."""

from .page_cache import PageCacheGeneration
from .pages import (
    AreaIndexPage,
    AreaPage,
    CaseStudyContact,
    CaseStudyIndexPage,
    CaseStudyOutcome,
    CaseStudyPage,
    EvidenceIndexPage,
    EvidenceSummaryPage,
    GlossaryPage,
    HomePage,
    KeyStatistic,
    NewsIndexPage,
    NewsPage,
    NewsQuote,
    RecommendationRow,
    ResourceIndexPage,
    ResourcePage,
)
from .taxonomy import Area, GlossaryTerm, Intervention, Organisation, Theme

__all__ = [
    "Area",
    "AreaIndexPage",
    "AreaPage",
    "CaseStudyContact",
    "CaseStudyIndexPage",
    "CaseStudyOutcome",
    "CaseStudyPage",
    "EvidenceIndexPage",
    "EvidenceSummaryPage",
    "GlossaryPage",
    "GlossaryTerm",
    "HomePage",
    "Intervention",
    "KeyStatistic",
    "NewsIndexPage",
    "NewsPage",
    "PageCacheGeneration",
    "NewsQuote",
    "Organisation",
    "RecommendationRow",
    "ResourceIndexPage",
    "ResourcePage",
    "Theme",
]
