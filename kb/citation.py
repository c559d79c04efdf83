"""Machine-readable pages and citations: schema.org JSON-LD and "Cite this page" (text, RIS,
BibTeX) for case studies, resources and evidence summaries.

Everything comes from the page and the settings: the title, the site, the version date (when
the page was last published) and its address. The 2010 report is named as the source only on
pages loaded from it (`from_report`), as the page itself does.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import timezone

from .models import CaseStudyPage, EvidenceSummaryPage, ResourcePage
from .models.taxonomy import confirmed_only

REPORT_TITLE = "Tackling health inequalities in infant and maternal health outcomes"
REPORT_AUTHOR = "Infant Mortality National Support Team"
REPORT_YEAR = "2010"
CITABLE = (CaseStudyPage, ResourcePage, EvidenceSummaryPage)


def schema_type(page) -> str:
    """Article for written-up practice and evidence; Dataset for a data tool; else CreativeWork."""
    if isinstance(page, CaseStudyPage | EvidenceSummaryPage):
        return "Article"
    if getattr(page, "resource_type", "") == "data_tool":
        return "Dataset"
    return "CreativeWork"


def version_date(page):
    moment = page.last_published_at or page.first_published_at
    return timezone.localdate(moment) if moment else None


def json_ld(page, url: str, site_url: str, loaded: dict | None = None) -> dict:
    """The page as schema.org JSON-LD. `loaded` holds taxonomy the page's context has already
    read ({"themes": [...], "areas": [...], "interventions": [...]}), saving the queries."""
    loaded = loaded or {}

    def related(name):
        if loaded.get(name) is not None:
            return loaded[name]
        return confirmed_only(getattr(page, name).all()) if hasattr(page, name) else []

    site = settings.WAGTAIL_SITE_NAME
    data = {
        "@context": "https://schema.org",
        "@type": schema_type(page),
        "name": page.title,
        "headline": page.title[:110],
        "url": url,
        "inLanguage": "en-GB",
        "isPartOf": {"@type": "WebSite", "name": site, "url": site_url},
        "license": settings.OPEN_DATA_LICENCE_URL,
    }
    if page.summary:
        data["description"] = page.summary
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    themes = [page.theme] if isinstance(page, EvidenceSummaryPage) and page.theme else []
    themes += related("themes")
    if themes:
        data["about"] = [{"@type": "DefinedTerm", "name": theme.name} for theme in themes]
    areas = [{"@type": "AdministrativeArea", "name": area.name} for area in related("areas")]
    if areas:
        data["spatialCoverage"] = areas
    interventions = [item.name for item in related("interventions")]
    if interventions:
        data["keywords"] = interventions
    if isinstance(page, ResourcePage):
        if page.publisher_id:
            data["publisher"] = {"@type": "Organization", "name": page.publisher.name}
    else:
        data["publisher"] = {"@type": "Organization", "name": site}
    if page.from_report:
        data["isBasedOn"] = {
            "@type": "Report",
            "name": REPORT_TITLE,
            "datePublished": REPORT_YEAR,
            "author": {"@type": "Organization", "name": REPORT_AUTHOR},
        }
    return data


def citation(page, url: str) -> dict:
    """The facts a citation needs, and the citation in Harvard style."""
    site = settings.WAGTAIL_SITE_NAME
    date = version_date(page)
    year = str(date.year) if date else "n.d."
    shown_date = f"{date.day} {date:%B %Y}" if date else ""
    text = f"{site} ({year}) {page.title}. "
    if date:
        text += f"Version of {shown_date}. "
    text += f"Available at: {url}"
    return {
        "title": page.title,
        "site": site,
        "date": date,
        "shown_date": shown_date,
        "year": year,
        "url": url,
        "text": text,
    }


def ris(page, url: str) -> str:
    facts = citation(page, url)
    lines = [
        ("TY", "ELEC"),
        ("TI", facts["title"]),
        ("T2", facts["site"]),
        ("PB", facts["site"]),
        ("PY", facts["year"] if facts["date"] else ""),
        ("DA", facts["date"].strftime("%Y/%m/%d") if facts["date"] else ""),
        ("UR", url),
        ("AB", page.summary),
        ("LA", "en-GB"),
    ]
    body = "".join(f"{tag}  - {' '.join(str(value).split())}\r\n" for tag, value in lines if value)
    return body + "ER  - \r\n"


BIBTEX_SPECIAL = re.compile(r"([&%$#_])")


def bibtex_text(value: str) -> str:
    value = " ".join(str(value).split())
    value = value.replace("\\", r"\textbackslash{}").replace("{", r"\{").replace("}", r"\}")
    value = BIBTEX_SPECIAL.sub(r"\\\1", value)
    return value.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def bibtex(page, url: str) -> str:
    facts = citation(page, url)
    fields = [
        ("title", "{" + bibtex_text(facts["title"]) + "}"),
        ("organization", bibtex_text(facts["site"])),
        ("year", facts["year"] if facts["date"] else ""),
        ("note", f"Version of {facts['shown_date']}" if facts["date"] else ""),
        ("url", url.replace("}", "%7D").replace("{", "%7B")),
        ("howpublished", r"\url{" + url.replace("}", "%7D").replace("{", "%7B") + "}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{kb-page-{page.pk},\n{body}\n}}\n"
