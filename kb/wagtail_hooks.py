"""Admin viewsets for the taxonomy snippets, grouped under one menu item."""

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
