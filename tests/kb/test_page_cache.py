"""Public pages come from the cache for anonymous readers, and never once anything changed."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from kb.models import CaseStudyIndexPage, CaseStudyPage

URL = "/case-studies/kirklees-wocba/"


@pytest.fixture
def reader(db):
    return Client()  # no cookies, as a first-time visitor


def served(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_repeat_anonymous_request_costs_one_query(reader):
    first, first_queries = served(reader)
    again, queries = served(reader)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["X-KB-Page-Cache"] == "hit"
    assert first_queries > 10 and queries == 1
    # The security headers are the live page's, not lost with the cached copy.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert again[header] == first[header], header


def test_publishing_a_change_shows_at_once(reader):
    served(reader)
    page = CaseStudyPage.objects.get(url_path__endswith="/kirklees-wocba/")
    page.title = "Kirklees, as just republished"
    page.save_revision().publish()
    response, _ = served(reader)
    assert "Kirklees, as just republished" in response.content.decode()


def test_renaming_a_theme_shows_on_pages_that_use_it(reader):
    served(reader)
    page = CaseStudyPage.objects.get(url_path__endswith="/kirklees-wocba/")
    theme = page.themes.first()
    theme.name = "A theme renamed a moment ago"
    theme.save()
    assert "A theme renamed a moment ago" in served(reader)[0].content.decode()


def test_a_page_restricted_after_caching_is_never_served_from_the_cache(reader):
    served(reader)
    section = CaseStudyIndexPage.objects.get()
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    response, _ = served(reader)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert served(reader)[0].status_code == 302  # and the refusal is not stored either


def test_a_password_restricted_page_is_not_stored(reader):
    page = CaseStudyPage.objects.get(url_path__endswith="/kirklees-wocba/")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    first, _ = served(reader)
    again, queries = served(reader)
    assert first.status_code == 200 and b'name="password"' in first.content  # Wagtail's form
    assert "X-KB-Page-Cache" not in again and queries > 1


def test_signed_in_users_and_query_strings_bypass_the_cache(reader):
    served(reader)
    editor = Client()
    editor.force_login(User.objects.create_superuser("cache-admin", "a@example.invalid", "pw"))
    response, queries = served(editor)
    assert "X-KB-Page-Cache" not in response and queries > 1
    response, queries = served(reader, URL + "?utm_source=newsletter")
    assert "X-KB-Page-Cache" not in response and queries > 1


def test_the_search_page_is_never_cached(reader):
    served(reader, "/search/")
    response, queries = served(reader, "/search/")
    assert "X-KB-Page-Cache" not in response and queries >= 1


def test_nothing_is_cached_when_it_is_switched_off(reader, settings):
    settings.PAGE_CACHE_ENABLED = False
    served(reader)
    response, queries = served(reader)
    assert "X-KB-Page-Cache" not in response and queries > 10


def generation_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if "kb_pagecachegeneration" in q["sql"]]


def test_only_wagtail_pages_pay_for_the_generation(reader):
    """Load-balancer probes, feeds and the sitemap are never stored, so they never read it.

    The search page reads it once, for its header's sections: one query instead of the three
    it saves (kb.contexts.navigation; tests/site/test_query_counts.py)."""
    for url in ("/healthz", "/feeds/latest.atom", "/sitemap.xml"):
        assert generation_reads(reader, url) == [], url
    assert len(generation_reads(reader, "/search/")) == 1
    assert len(generation_reads(reader, URL)) == 1


def test_writes_bump_the_generation_once_and_unrelated_writes_not_at_all(db):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.sessions.backends.db import SessionStore

    from kb.page_cache import current_generation

    before = current_generation()
    SessionStore().create()  # a visitor's session shows on no public page
    assert current_generation() == before
    group = Group.objects.create(name="Readers of the cache test")
    assert current_generation() == before + 1
    group.permissions.add(Permission.objects.first())
    assert current_generation() == before + 2  # one change, one bump (not pre_add and post_add)
