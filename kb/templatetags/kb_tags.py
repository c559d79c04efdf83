"""Template helpers for the public site: page metadata, site sections, text and figures."""

import json
import re

from django import template
from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from kb.charts import format_number, format_value
from kb.citation import citation, json_ld
from kb.contexts.navigation import breadcrumb_trail
from kb.contexts.navigation import site_sections as sections_for
from kb.models.taxonomy import confirmed_only

register = template.Library()
# "four core topics", as the report words small numbers; counts always come from the data.
register.filter("apnumber", apnumber)

SITE_DESCRIPTION = (
    "Good practice, resources and evidence for reducing inequalities in infant and maternal "
    "health in England, from the Infant Mortality National Support Team's 2010 report."
)
BULLET = re.compile(r"^\s*(?:[•·▪‣◦]|-|\*)\s+")


def _one_line(text):
    return " ".join((text or "").split())


@register.simple_tag
def page_description(page=None):
    """The meta description: the editor's own, else the summary or intro, else one naming the page.

    Every page gets a distinct description because the fallback always names the page.
    """
    if not page:
        return SITE_DESCRIPTION
    if page.search_description.strip():
        return Truncator(_one_line(page.search_description)).chars(160)
    for text in (getattr(page, "summary", ""), getattr(page, "intro", "")):
        if text and text.strip():
            text = _one_line(text)
            if getattr(page, "type_label", "") and not text.startswith(page.title):
                # Leading with the (unique) title keeps two similar summaries apart.
                text = f"{page.title}: {text}"
            return Truncator(text).chars(160)
    if page.depth <= 2:
        return SITE_DESCRIPTION
    return Truncator(
        f"{page.title}: good practice, resources and evidence on reducing infant and maternal "
        "health inequalities in England."
    ).chars(160)


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None):
    """The absolute address of this page without query strings, so variants don't compete."""
    request = context.get("request")
    if request is None:
        return ""
    if page is not None and hasattr(page, "get_url"):
        url = page.get_url(request)
        if url:
            return request.build_absolute_uri(url)
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The section indexes under the home page, for header, footer and home page links."""
    request = context.get("request")
    if request is None:
        return []
    return sections_for(request, context.get("page"))


@register.filter(needs_autoescape=True)
def paragraphs(text, autoescape=True):
    """Plain text with blank lines between paragraphs, as NHS.UK paragraphs and bullet lists.

    Lines starting with a bullet character become a list, as the report printed them.
    """
    if not text:
        return ""
    blocks = [block for block in re.split(r"\n\s*\n", str(text).strip()) if block.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        items = []
        lead = []
        for line in lines:
            if BULLET.match(line):
                items.append(BULLET.sub("", line))
            elif items:
                items[-1] = f"{items[-1]} {line}"
            else:
                lead.append(line)
        if lead:
            html.append("<p>" + "<br>".join(escape(line) for line in lead) + "</p>")
        if items:
            html.append(
                '<ul class="nhsuk-list nhsuk-list--bullet">'
                + "".join(f"<li>{escape(item)}</li>" for item in items)
                + "</ul>"
            )
    return mark_safe("".join(html))


@register.filter
def confirmed(items):
    """`page.areas.all|confirmed`: a proposed area or organisation is shown nowhere public."""
    return confirmed_only(items)


@register.filter
def figure(value):
    """A stored decimal as printed: 4.000 -> 4, 2.800 -> 2.8."""
    return format_number(value)


@register.simple_tag
def figure_with_unit(value, unit):
    return format_value(value, unit)


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """(title, url) pairs from Home to the page's parent."""
    request = context.get("request")
    if request is None or page is None:
        return []
    return breadcrumb_trail(request, page)


@register.simple_tag(takes_context=True)
def page_json_ld(context, page):
    """schema.org JSON-LD for a case study, resource or evidence summary (kb.citation)."""
    request = context.get("request")
    if request is None:
        return ""
    loaded = {}
    for name, inner in (("themes", "theme"), ("areas", "area"), ("interventions", "intervention")):
        items = context.get(name)
        if isinstance(items, list):  # what the page's context already read (kb.page_context)
            loaded[name] = [item[inner] if isinstance(item, dict) else item for item in items]
    data = json_ld(page, canonical_url(context, page), request.build_absolute_uri("/"), loaded)
    text = json.dumps(data, ensure_ascii=False)
    # Nothing in the data can end the script element or start markup.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def page_citation(context, page):
    """The "Cite this page" facts and Harvard-style text (kb.citation)."""
    return citation(page, canonical_url(context, page))
