"""The home page, the default site and one index page per section: what every page goes under."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Site

from kb import models as kb


def sections():
    """(model, title, slug) of each section under the home page, in HomePage.subpage_types
    order (the order the site's navigation shows them)."""
    for label in kb.HomePage.subpage_types:
        model = apps.get_model(label)
        title, slug = model.section
        yield model, title, slug


PLACEHOLDER_ADDRESS = (
    "localhost",
    80,
)  # what this function gave every site until it read the setting


def site_address():
    """(hostname, port) of settings.WAGTAILADMIN_BASE_URL, the site's one address, so public
    links in emails (page.full_url) point where the site is served, as the admin links do."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def ensure_site_tree(report):
    """Create what is missing (reported as "site" created); never touch what exists."""
    root = Page.get_first_root_node()
    home = kb.HomePage.objects.first()
    if home is None:
        home = kb.HomePage(
            title="Infant and maternal health inequalities knowledge base",
            slug="home-kb",
            intro="Good practice, resources and evidence for reducing inequalities in infant "
            "and maternal health in England.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        report.add("site", "created")
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = site_address()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            site_name=settings.WAGTAIL_SITE_NAME,
            root_page=home,
            is_default_site=True,
        )
    else:
        if site.root_page_id != home.pk:
            site.root_page = home
        if (site.hostname, site.port) == PLACEHOLDER_ADDRESS:  # our old placeholder
            site.hostname, site.port = hostname, port
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
    # Wagtail's own placeholder from its initial migration, and nothing an editor made.
    Page.objects.filter(
        depth=2,
        numchild=0,
        slug="home",
        title="Welcome to your new Wagtail site!",
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).delete()
    indexes = {}
    for model, title, slug in sections():
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug)
            home.add_child(instance=page)
            page.save_revision().publish()
            report.add("site", "created")
        indexes[model] = page
    return home, indexes
