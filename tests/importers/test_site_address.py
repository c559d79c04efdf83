"""One site-URL setting (WAGTAILADMIN_BASE_URL): the default site's address and name come from it, so
public links in emails and the dashboard's title are right."""

import pytest
from django.conf import settings
from wagtail.models import Site

from importers.site_tree import ensure_site_tree, site_address

pytestmark = pytest.mark.django_db


class Report:
    def add(self, *args):
        pass


def test_the_placeholder_site_takes_the_configured_address_and_a_name(admin_client):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.site_name = "localhost", 80, ""
    site.save()
    ensure_site_tree(Report())
    site.refresh_from_db()
    assert (site.hostname, site.port) == site_address()
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert site.site_name == settings.WAGTAIL_SITE_NAME
    dashboard = admin_client.get("/admin/").content.decode()
    assert settings.WAGTAIL_SITE_NAME in dashboard and "localhost" not in dashboard


def test_an_address_an_editor_set_is_kept():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "kb.example.org", 443
    site.save()
    ensure_site_tree(Report())
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("kb.example.org", 443)
