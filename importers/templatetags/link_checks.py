"""`{% load link_checks %}`: the last link check of an address, for kb templates.

kb's Python never imports importers; its templates reach the check through this library.
"""

from django import template

from importers.models import LinkCheck

register = template.Library()


@register.simple_tag
def link_check(address):
    """The LinkCheck of `address` (as the page holds it), or None if never checked.

    Always one query, even for no address, so every page of a type costs the same
    (tests/site/test_query_counts.py)."""
    return LinkCheck.objects.filter(url=(address or "").strip()).first()
