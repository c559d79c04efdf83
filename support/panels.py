"""An InlinePanel whose rows show their position as a number to type.

Reordering 12 pack items took 27 "Move up" clicks, and Wagtail's move buttons need JavaScript.
Here each row has a labelled "Position" field (Wagtail hides it): type where the item goes and
save, and the server applies every typed position at once (`apply_typed_positions`). With
JavaScript, Wagtail's move buttons and dragging keep the numbers in step, and
`support/positions.js` moves a row as soon as its number changes and announces the move.
"""

from __future__ import annotations

from django import forms
from django.forms.formsets import ORDERING_FIELD_NAME
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtail.admin.panels import InlinePanel, MultiFieldPanel


class PositionedRowPanel(MultiFieldPanel):
    """One row: its position field first, then its own fields."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def render_form_content(self):
            position = render_to_string(
                "support/admin/item_position.html", {"field": self.form[ORDERING_FIELD_NAME]}
            )
            return mark_safe(position + self.render_html() + self.render_missing_fields())  # noqa: S308 - rendered by templates

        def render_missing_fields(self):
            """Wagtail's hidden fields (id, DELETE); the position is already shown above."""
            claimed = set(self.panel.get_form_options().get("fields", [])) | {ORDERING_FIELD_NAME}
            return mark_safe(  # noqa: S308 - Django's own widget HTML
                "".join(str(self.form[name]) for name in self.form.fields if name not in claimed)
            )


class PositionedInlinePanel(InlinePanel):
    @cached_property
    def child_edit_handler(self):
        panel = PositionedRowPanel(self.panel_definitions, heading=self.heading)
        return panel.bind_to_model(self.db_field.related_model)

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is None:
                return
            for form in [child.form for child in self.children] + [self.empty_child.form]:
                field = form.fields[ORDERING_FIELD_NAME]
                field.label = "Position"
                field.widget = forms.NumberInput(
                    # No min or max: a number past either end goes to that end.
                    attrs={
                        "class": "support-position__input",
                        "data-support-position": "",
                        "aria-describedby": f"id_{form.add_prefix(ORDERING_FIELD_NAME)}-help",
                    }
                )
