"""Admin viewsets for the taxonomy snippets, grouped under one menu item.

Areas and organisations can be proposed: whoever may add one but not change it (the Editors)
only proposes it, stored unconfirmed with who and when, for a moderator to confirm, rename or
delete (kb.models.taxonomy.Proposable).
"""

from wagtail.admin.ui.tables import BooleanColumn, DateColumn, UserColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

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


class ProposalCreateView(CreateView):
    """A user who may not change the model proposes: the new one is stored unconfirmed."""

    def proposing(self):
        return not self.permission_policy.user_has_permission(self.request.user, "change")

    def save_instance(self):
        if self.proposing():
            self.form.instance.propose(self.request.user)
        return super().save_instance()

    def get_success_message(self, instance):
        if instance.confirmed:
            return super().get_success_message(instance)
        return (
            f"Proposed \u201c{instance}\u201d. You can tick it on your page now (reload the "
            "page's edit form); it is shown publicly once a moderator confirms it."
        )

    def get_success_buttons(self):
        return [] if self.proposing() else super().get_success_buttons()


PROPOSAL_COLUMNS = [
    BooleanColumn("confirmed"),
    UserColumn("proposed_by", label="Proposed by"),
    DateColumn("proposed_at", label="Proposed"),
]


class ProposableViewSet(TaxonomyViewSet):
    add_view_class = ProposalCreateView


class AreaViewSet(ProposableViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "kind", "region", "is_annex_area", *PROPOSAL_COLUMNS]
    list_filter = ["confirmed", "kind", "is_annex_area"]
    search_fields = ["name"]


class InterventionViewSet(TaxonomyViewSet):
    model = Intervention
    icon = "pick"
    list_display = ["name", "is_modelled", "gap_contribution_pp", "timescale"]
    list_filter = ["is_modelled", "timescale"]
    search_fields = ["name"]


class OrganisationViewSet(ProposableViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "short_name", "kind", *PROPOSAL_COLUMNS]
    list_filter = ["confirmed", "kind"]
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
