"""Template helpers for the search page."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

FACET_CHECKBOX = (
    '<div class="nhsuk-checkboxes__item">'
    '<input class="nhsuk-checkboxes__input" id="{0}-{1}" name="{0}" type="checkbox" '
    'value="{2}"{3}>'
    '<label class="nhsuk-label nhsuk-checkboxes__label" for="{0}-{1}">{4} '
    '<span class="kb-facet-count">({5}<span class="nhsuk-u-visually-hidden"> result{6}</span>)'
    "</span></label></div>"
)


@register.simple_tag
def facet_checkboxes(facet, values):
    """One NHS.UK small checkbox per value of a facet, with its count; text is escaped.

    The search page lists about a hundred values on every search, and its query string keeps
    it out of the page cache. As a template loop (ten nodes a value) they were a quarter of
    the page's CPU time (issue 24: faceted search under load).
    """
    name = escape(facet.name)
    return mark_safe(  # noqa: S308 - every text below is escaped; the rest are numbers
        "".join(
            FACET_CHECKBOX.format(
                name,
                number,
                escape(value.value),
                " checked" if value.selected else "",
                escape(value.label),
                int(value.count),
                "" if value.count == 1 else "s",
            )
            for number, value in enumerate(values, 1)
        )
    )
