"""The home page, the default site and one index page per section: what every page goes under."""

from django.apps import apps
from wagtail.models import Page, Site

from kb import models as kb


def sections():
    """(model, title, slug) of each section under the home page, in HomePage.subpage_types
    order (the order the site's navigation shows them)."""
    for label in kb.HomePage.subpage_types:
        model = apps.get_model(label)
        title, slug = model.section
        yield model, title, slug


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
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
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
