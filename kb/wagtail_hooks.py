"""Admin viewsets for the taxonomy snippets, grouped under one menu item."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Area, GlossaryTerm, Intervention, Organisation, Theme


class TaxonomyViewSet(SnippetViewSet):
    """Admin search over a short list: the database's own name match, not the search index.

    Wagtail's database search backend on SQLite cannot restrict a search to named fields
    ("no such column: name"); these lists are at most a few hundred rows.
    """

    search_backend_name = None


class ThemeViewSet(TaxonomyViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "is_core", "parent"]
    list_filter = ["is_core"]
    search_fields = ["name"]


class AreaViewSet(TaxonomyViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "kind", "region", "is_annex_area"]
    list_filter = ["kind", "is_annex_area"]
    search_fields = ["name"]


class InterventionViewSet(TaxonomyViewSet):
    model = Intervention
    icon = "pick"
    list_display = ["name", "is_modelled", "gap_contribution_pp", "timescale"]
    list_filter = ["is_modelled", "timescale"]
    search_fields = ["name"]


class OrganisationViewSet(TaxonomyViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class GlossaryTermViewSet(TaxonomyViewSet):
    model = GlossaryTerm
    icon = "openquote"
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "Taxonomy"
    menu_icon = "tag"
    menu_order = 200
    items = (
        ThemeViewSet,
        AreaViewSet,
        InterventionViewSet,
        OrganisationViewSet,
        GlossaryTermViewSet,
    )


register_snippet(TaxonomyGroup)


@hooks.register("before_edit_page")
def refuse_stale_edit(request, page):
    """Refuse to save an edit form opened before someone else's newer revision.

    Wagtail refuses this only for autosave; a plain form submission would silently publish over
    the other editor's work. The form carries the revision it was opened on.
    """
    if request.method != "POST":
        return None
    loaded = request.POST.get("loaded_revision_id")
    latest = page.get_latest_revision()
    if not loaded or latest is None:
        return None
    loaded_at = request.POST.get("loaded_revision_created_at", "")
    if loaded == str(latest.pk) and (not loaded_at or loaded_at == latest.created_at.isoformat()):
        return None
    # The version this form was opened on, against the latest one.
    base = loaded if loaded.isdigit() else "live"
    compare_url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, base, "latest"))
    who = latest.user.get_username() if latest.user else "another editor"
    messages.error(
        request,
        f"Not saved: {who} saved a newer version of this page after you opened it. "
        "Compare the versions, then make your changes again on the latest one.",
        buttons=[messages.button(compare_url, "Compare versions", new_window=True)],
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
