"""Tag widgets an editor can work with: real checkboxes, grouped, long lists with a filter box.

Each renders `<input type="checkbox" name="<field>" value="<pk>">` per choice (other admin code
relies on that), under a labelled group. Lists of more than a screenful get a text box that
narrows the ticks by name (static/kb/js/checkbox-filter.js); without JavaScript the full list is
still there.
"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

PROPOSED = "Proposed, awaiting a moderator"


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by `group_by(instance)`, in the order groups first appear."""

    def __init__(self, group_by=None, filterable=False, attrs=None, propose=None):
        classes = "kb-checkbox-list" + (" kb-checkbox-list--filterable" if filterable else "")
        super().__init__(attrs={"class": classes, **(attrs or {})})
        self.group_by = group_by
        self.filterable = filterable
        self.propose = propose  # (snippet model label, what to call it) for a "Propose" link

    def render(self, name, value, attrs=None, renderer=None):
        """The ticks, then, for taxonomy editors may propose, a link to propose a missing one.

        It opens a new tab, so the page's form stays as it is; its list shows the proposal
        once reloaded (Wagtail autosaves the page meanwhile).
        """
        html = super().render(name, value, attrs, renderer)
        if self.propose is None:
            return html
        model, noun = self.propose
        url = reverse(f"wagtailsnippets_{model.replace('.', '_')}:add")
        return html + format_html(
            '<p class="help kb-propose"><a href="{}" target="_blank">Propose a new {} '
            "that is not listed</a> (opens in a new tab; a moderator confirms it, and it is "
            "shown publicly only then)</p>",
            url,
            noun,
        )

    @property
    def media(self):
        if self.filterable:
            return forms.Media(js=["kb/js/checkbox-filter.js"], css={"all": ["kb/css/admin.css"]})
        return forms.Media(css={"all": ["kb/css/admin.css"]})

    def optgroups(self, name, value, attrs=None):
        flat = super().optgroups(name, value, attrs)
        if self.group_by is None:
            return flat
        groups = {}
        for _group, options, _index in flat:
            for option in options:
                instance = getattr(option["value"], "instance", None)
                label = self.group_by(instance) if instance is not None else ""
                groups.setdefault(label, []).append(option)
        return [(label, options, index) for index, (label, options) in enumerate(groups.items())]


def theme_group(theme):
    if theme.parent_id:
        return f"Under {theme.parent.name}"
    return "Core NST topics" if theme.is_core else "Other topics"


def area_group(area):
    if not area.confirmed:
        return PROPOSED
    return "Annex areas (named in the 2010 report)" if area.is_annex_area else "Other areas"


def intervention_group(intervention):
    return "Modelled in the report" if intervention.is_modelled else "Other interventions"


def resource_group(resource):
    return resource.get_resource_type_display() or "Other"


def organisation_group(organisation):
    if not organisation.confirmed:
        return PROPOSED
    return organisation.get_kind_display()


def themes():
    return GroupedCheckboxes(group_by=theme_group)


def areas():
    return GroupedCheckboxes(group_by=area_group, filterable=True, propose=("kb.area", "area"))


def interventions():
    return GroupedCheckboxes(group_by=intervention_group, filterable=True)


def resources():
    return GroupedCheckboxes(group_by=resource_group, filterable=True)


def organisations():
    return GroupedCheckboxes(
        group_by=organisation_group, filterable=True, propose=("kb.organisation", "organisation")
    )
