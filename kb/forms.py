"""Admin forms for the page types: messages an editor can act on, and checks across inlines."""

from django import forms
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from kb.models.taxonomy import Proposable


class LinkedMessage(SafeString):
    """An error message holding a link, that stays HTML when Wagtail's error banner puts the
    field's label before it ("Slug: " + message would otherwise be plain, escaped text)."""

    def __radd__(self, prefix):
        return SafeString("".join([conditional_escape(prefix), self]))


def linked_message(template, *args):
    return LinkedMessage(format_html(template, *args))


class KnowledgePageForm(WagtailAdminPageForm):
    """Points an editor at the draft they already started instead of a bare slug clash.

    Autosave keeps a half-filled new page as a draft; starting the same page again would otherwise
    end in "The slug … is already in use" with no way to find that draft.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A single choice limited to confirmed taxonomy (a resource's publisher): the chooser
        # still lists proposals, so say why one is refused.
        for field in self.fields.values():
            model = getattr(getattr(field, "queryset", None), "model", None)
            single = not isinstance(field, forms.ModelMultipleChoiceField)
            if single and model is not None and issubclass(model, Proposable):
                noun = model._meta.verbose_name
                field.error_messages = {
                    **field.error_messages,
                    "invalid_choice": f"This {noun} is not confirmed yet: a moderator confirms "
                    f"proposals. Choose another {noun}, or leave it empty for now.",
                }

    def clean(self):
        slug = self.cleaned_data.get("slug")  # read first: a clash takes it out of cleaned_data
        cleaned_data = super().clean()
        if "slug" in self.errors and slug and self.parent_page is not None:
            clash = (
                Page.objects.child_of(self.parent_page)
                .filter(slug=slug)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None and not clash.live:
                self.errors["slug"] = self.error_class(
                    [
                        linked_message(
                            "A draft called “{}” already uses this address. "
                            '<a href="{}">Carry on with that draft</a>, or change the slug.',
                            clash.get_admin_display_title(),
                            reverse("wagtailadmin_pages:edit", args=[clash.pk]),
                        )
                    ]
                )
        return cleaned_data


class CaseStudyPageForm(KnowledgePageForm):
    """Refuses a person's email or phone, named or not, unless the editor confirms they agreed
    or marks it as an organisation's general contact.

    Contacts loaded from the 2010 report were published there; they pass while nobody edits them.
    """

    def clean(self):
        cleaned_data = super().clean()
        contacts = self.formsets.get("contacts")
        if contacts is None or not contacts.is_valid():
            return cleaned_data
        from_report = getattr(self.instance, "from_report", False)
        for form in contacts.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            contact = form.instance
            if contact.needs_consent() and not (from_report and not form.has_changed()):
                form.add_error("consent_confirmed", contact.CONSENT_MESSAGE)
                self.add_error(
                    None,
                    forms.ValidationError(
                        f"Contact {contact.label()}: {contact.CONSENT_MESSAGE}", code="consent"
                    ),
                )
        return cleaned_data
