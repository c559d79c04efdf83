"""Admin forms for the workspace: choices that come from the report, and the rules a form checks.

Choices for every inline row (theme, category, owner) are worked out once per form, not once per
row, so a visit with many recommendations costs no extra query per row.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.db.models import Q
from django.forms.formsets import ORDERING_FIELD_NAME
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page

from kb.models import Theme

from .models import (
    SUPPORT_GROUP_NAME,
    PersonSeen,
    ProgressLink,
    Recommendation,
    person_label,
    recommendation_outside_visit,
    validate_chosen_topics,
)
from .topics import OPTIONAL_TOPIC_SLUGS, category_choices, recommendation_themes, theme_choices

MAX_RECIPIENTS = 50


def support_members():
    """Users who may be on a visit or own a follow-up: the team and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=SUPPORT_GROUP_NAME) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def member_choices():
    return [("", "---------")] + [(user.pk, person_label(user)) for user in support_members()]


def plain_area_select(form):
    """A select of the areas (a short list) rather than the snippet chooser's pop-up.

    Only confirmed ones: a visit or pack holds its area fast, so one tied to an editor's
    proposal would stop a moderator rejecting (deleting) it.
    """
    if "area" in form.fields:
        field = form.fields["area"]
        field.queryset = field.queryset.filter(confirmed=True)
        field.widget = forms.Select(choices=field.choices)


class ChoicesFromReportMixin:
    """Theme and category from the report's tables; owners from the team (choices given)."""

    owner_choices: list = []
    topic_choices: list = []
    recommendation_choices: list | None = None
    page_value_data: dict | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "theme" in self.fields and "category" in self.fields:
            theme_field = self.fields["theme"]
            theme_field.queryset = Theme.objects.filter(pk__in=list(recommendation_themes()))
            theme_field.choices = theme_choices()
            # A plain select, not the snippet chooser, which reads its theme once per row.
            theme_field.widget = forms.Select(choices=theme_field.choices)
            theme_field.help_text = "The report's theme, or Strategic for Table 1."
            self.fields["category"] = forms.ChoiceField(
                choices=category_choices(),
                label="Category",
                help_text="From the chosen theme's table in the report.",
                error_messages={
                    "required": "Choose a category from the theme's table.",
                    "invalid_choice": "Choose a category from the report's tables.",
                },
            )
        if "text" in self.fields:
            self.fields["text"].error_messages["required"] = "Write the recommendation."
        if "owner" in self.fields and self.owner_choices:
            self.fields["owner"].choices = self.owner_choices
        if "page" in self.fields and self.page_value_data is not None:
            widget = self.fields["page"].widget
            known, fallback = self.page_value_data, widget.get_value_data

            def value_data(value, known=known, fallback=fallback):
                key = getattr(value, "pk", value)
                return known.get(str(key)) or fallback(value)

            widget.get_value_data = value_data
        if "topic" in self.fields and self.topic_choices:
            self.fields["topic"].choices = self.topic_choices
            self.fields["topic"].widget = forms.Select(choices=self.topic_choices)
        if "recommendation" in self.fields and self.recommendation_choices is not None:
            # Any recommendation is accepted here, so one of another visit reaches the pack
            # form's clear error rather than "Select a valid choice"; only the visit's own
            # are offered (a plain select, not the snippet chooser of every recommendation).
            field = self.fields["recommendation"]
            field.queryset = Recommendation.objects.all()
            field.widget = forms.Select(choices=self.recommendation_choices)


PROGRESS_SHOWN_FIELD = "progress_shown"


class KeepAreaProgressMixin:
    """A recommendation form remembers the progress it showed (a hidden field), so a form
    opened before the area's lead saved through a progress link never silently writes the
    older value back. Left as shown, the area's value is kept and the rest of the edit saves;
    changed too, the save is refused with the area's value, who and when, and the form comes
    back based on the area's value, so saving it again replaces that value knowingly.

    Wagtail renders this unclaimed hidden field with the form's other hidden fields, on the
    recommendation's own edit page and in each recommendation row of the visit form.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress_on_record = None
        recommendation = self.instance
        saved = isinstance(recommendation, Recommendation) and recommendation.pk is not None
        if saved and "progress" in self.fields:
            self.progress_on_record = recommendation.progress
            self.fields[PROGRESS_SHOWN_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=recommendation.progress
            )

    def clean(self):
        cleaned = super().clean()
        shown, chosen = cleaned.get(PROGRESS_SHOWN_FIELD), cleaned.get("progress")
        on_record = self.progress_on_record
        if not shown or not chosen or on_record is None or on_record in (shown, chosen):
            return cleaned
        if chosen == shown:
            cleaned["progress"] = on_record  # not touched here: the newer value stands
            return cleaned
        self.add_error("progress", self.changed_meanwhile_message(on_record, chosen))
        data = self.data.copy()
        data[self.add_prefix(PROGRESS_SHOWN_FIELD)] = on_record
        self.data = data
        return cleaned

    def changed_meanwhile_message(self, on_record, chosen) -> str:
        labels = dict(Recommendation.Progress.choices)
        update = self.instance.progress_updates.order_by("-made_at", "-pk").first()
        if update is not None and update.new_progress == on_record:
            who = (
                f"The area changed the progress to \u201c{labels[on_record]}\u201d through "
                f"the progress link ({update.made_by}, "
                f"{timezone.localtime(update.made_at):%-d %B %Y %H:%M})"
            )
        else:
            who = f"Someone changed the progress to \u201c{labels[on_record]}\u201d"
        return (
            f"{who} after this form was opened. Your choice, \u201c{labels[chosen]}\u201d, is "
            "kept: save again to replace the area\u2019s value, or choose again."
        )


class VisitForm(WagtailAdminModelForm):
    people_seen = forms.MultipleChoiceField(
        choices=PersonSeen.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles seen",
        help_text="The roles the report lists; add anyone else below.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_area_select(self)
        members = member_choices()
        for name in ("lead", "team"):
            if name in self.fields:
                self.fields[name].queryset = support_members()
                self.fields[name].choices = members[1:] if name == "team" else members
        if "team" in self.fields:
            self.fields["team"].widget = forms.CheckboxSelectMultiple(choices=members[1:])
        if "chosen_topics" in self.fields:
            field = self.fields["chosen_topics"]
            field.queryset = Theme.objects.filter(slug__in=OPTIONAL_TOPIC_SLUGS)
            field.widget = forms.CheckboxSelectMultiple()
            field.widget.choices = field.choices
            core = [t.name for t in Theme.objects.filter(is_core=True, parent=None)]
            field.help_text = (
                f"Exactly two, from the optional topics. The four core topics ("
                f"{', '.join(core[:-1])} and {core[-1]}) are always discussed."
                if len(core) > 1
                else field.help_text
            )
        for formset in self.formsets.values():
            formset.form = type(
                formset.form.__name__,
                (ChoicesFromReportMixin, KeepAreaProgressMixin, formset.form),
                {"owner_choices": members},
            )

    def clean_lead_contacts(self):
        text = self.cleaned_data.get("lead_contacts", "")
        if text.strip():
            _contacts, errors = parse_recipients(text)
            if errors:
                raise forms.ValidationError(errors)
        return text

    def clean_chosen_topics(self):
        topics = self.cleaned_data.get("chosen_topics")
        error = validate_chosen_topics(topics or [])
        if error:
            raise forms.ValidationError(error)
        return topics


class RecommendationForm(ChoicesFromReportMixin, KeepAreaProgressMixin, WagtailAdminModelForm):
    pass


class FollowUpForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = support_members()


class PackForm(WagtailAdminModelForm):
    class Media:
        js = ["support/positions.js"]  # moves and announces items as their positions change

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_area_select(self)
        topics = [("", "---------")] + [
            (theme.pk, theme.name) for theme in Theme.objects.order_by("sort_order", "name")
        ]
        recommendations = [("", "---------")] + [
            (recommendation.pk, str(recommendation))
            for recommendation in (
                Recommendation.objects.filter(visit_id=self.instance.visit_id)
                if self.instance.visit_id
                else []
            )
        ]
        for formset in self.formsets.values():
            formset.form = type(
                formset.form.__name__,
                (ChoicesFromReportMixin, formset.form),
                {
                    "topic_choices": topics,
                    "recommendation_choices": recommendations,
                    "page_value_data": chosen_page_data(self.instance),
                },
            )
        if "topics" in self.fields:
            self.fields["topics"].widget = forms.CheckboxSelectMultiple()
            self.fields["topics"].widget.choices = self.fields["topics"].choices

    def clean(self):
        """The same page twice in a pack: refuse the later rows, naming the page. A row's
        recommendation must be one of the pack's visit (the visit as posted)."""
        cleaned = super().clean()
        formset = self.formsets.get("items")
        if formset is None:
            return cleaned
        formset.is_valid()  # the rows are cleaned after this form otherwise
        apply_typed_positions(formset)
        seen = set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            error = recommendation_outside_visit(data.get("recommendation"), cleaned.get("visit"))
            if error:
                form.add_error("recommendation", error)
            page = data.get("page")
            if page is None:
                continue
            if page.pk in seen:
                form.add_error(
                    "page",
                    f"\u201c{page.title}\u201d is in the pack more than once. Remove this "
                    "row, or choose another page.",
                )
            seen.add(page.pk)
        return cleaned


def apply_typed_positions(formset) -> None:
    """Turn the positions typed into the rows (see `support.panels`) into one order, 1 to n.

    A row typed at a new number goes to exactly that place (past either end: to that end);
    the rows left where they were fill the other places in their order. So typing 1 on the
    last item moves it to the top and the others shift down; a full renumbering (Wagtail's
    move buttons and dragging write one) is applied as it is. Two rows typed at the same new
    number take it and the next free place, in the order they stood.
    """
    rows = [
        (index, form)
        for index, form in enumerate(formset.forms)
        if ORDERING_FIELD_NAME in (getattr(form, "cleaned_data", None) or {})
    ]
    places = [None] * len(rows)
    moved, stayed = [], []
    for index, form in rows:
        typed = form.cleaned_data[ORDERING_FIELD_NAME]
        if typed is None or typed == index + 1:
            stayed.append(form)
        else:
            moved.append((min(max(typed, 1), len(rows)) - 1, index, form))
    for target, _, form in sorted(moved, key=lambda row: row[:2]):
        free = [n for n, taken in enumerate(places) if taken is None]
        place = next((n for n in free if n >= target), free[-1])
        places[place] = form
    remaining = iter(stayed)
    initial = {id(form): index + 1 for index, form in rows}
    for position, form in enumerate(places, start=1):
        form = form or next(remaining)
        form.cleaned_data[ORDERING_FIELD_NAME] = position
        if position != initial[id(form)] and ORDERING_FIELD_NAME not in form.changed_data:
            # A row that only shifted to make room is changed too, or its new place is not
            # saved (the formset saves changed rows only).
            form.changed_data.append(ORDERING_FIELD_NAME)


def chosen_page_data(pack) -> dict:
    """What the page chooser shows for each item already in the pack, read in two queries
    rather than three per item (the page, its specific page, its parent)."""
    if not pack.pk:
        return {}
    ids = [item.page_id for item in pack.items.all() if item.page_id]
    pages = list(Page.objects.filter(pk__in=ids))
    parents = {
        page.path: page.pk
        for page in Page.objects.filter(
            path__in={p.path[: -Page.steplen] for p in pages if p.depth > 1}
        )
    }
    return {
        str(page.pk): {
            "id": page.pk,
            "edit_url": "",
            "display_title": page.get_admin_display_title(),
            "parent_id": parents.get(page.path[: -Page.steplen]),
        }
        for page in pages
    }


def parse_recipients(text: str) -> tuple[list[dict], list[str]]:
    """One recipient a line, "Name <email>" or "Name, email"; returns (recipients, errors).

    Errors say which line is wrong without repeating the address, so nothing personal is
    echoed into logs or error reports.
    """
    recipients, errors, seen = [], [], set()
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        if "<" in line and line.endswith(">"):
            name, _, email = line[:-1].rpartition("<")
        elif "," in line:
            name, _, email = line.rpartition(",")
        else:
            name, email = "", line
        name, email = name.strip().strip('"').strip(), email.strip()
        try:
            validate_email(email)
        except forms.ValidationError:
            errors.append(f"Line {number}: that is not a valid email address.")
            continue
        if not name:
            errors.append(f"Line {number}: give the recipient's name before the address.")
            continue
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        recipients.append({"name": name[:120], "email": email})
    if not lines:
        errors.append("Add at least one recipient: a name and an email address.")
    if len(recipients) > MAX_RECIPIENTS:
        errors.append(f"Send to {MAX_RECIPIENTS} recipients or fewer at a time.")
    return recipients, errors


class RecipientsForm(forms.Form):
    """Who to email, one a line, and the form's one-time key (a second click sends nothing)."""

    recipients = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One a line: a name then the email address, e.g. Jo Bloggs <jo@example.org>.",
    )
    send_key = forms.CharField(widget=forms.HiddenInput)

    def clean_recipients(self):
        recipients, errors = parse_recipients(self.cleaned_data.get("recipients", ""))
        if errors:
            raise forms.ValidationError(errors)
        return recipients


class SendingForm(forms.Form):
    """What every sending asks: an optional expiry (never already past) and the one-time key."""

    expires_on = forms.DateField(
        required=False,
        label="Link expires on",
        help_text="Optional. After this day the share link stops showing the pack.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    send_key = forms.CharField(widget=forms.HiddenInput)

    def clean_expires_on(self):
        return refuse_past_expiry(self.cleaned_data.get("expires_on"), optional=True)


def refuse_past_expiry(expires_on, *, optional):
    """A link that expires on a day already past would reach its recipient dead."""
    if expires_on and expires_on < timezone.localdate():
        raise forms.ValidationError(
            f"{expires_on:%-d %B %Y} is already past: the recipients would get a dead "
            f"link. Choose today or a later day{', or leave it empty' if optional else ''}."
        )
    return expires_on


class SendPackForm(RecipientsForm, SendingForm):
    field_order = ["recipients", "expires_on", "send_key"]


class SendAgainForm(SendingForm):
    """Send a sending's snapshot again: to some of its recipients, to new ones, or both."""

    again = forms.MultipleChoiceField(
        required=False,
        label="Send it again to",
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Add recipients",
        help_text="One a line: a name then the email address, e.g. Jo Bloggs <jo@example.org>.",
    )
    field_order = ["again", "recipients", "expires_on", "send_key"]

    def __init__(self, *args, sending, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {r["email"]: r for r in sending.recipients}
        self.fields["again"].choices = [
            (r["email"], f"{r['name']} <{r['email']}>") for r in sending.recipients
        ]

    def clean_recipients(self):
        text = self.cleaned_data.get("recipients", "")
        if not text.strip():
            return []
        recipients, errors = parse_recipients(text)
        if errors:
            raise forms.ValidationError(errors)
        return recipients

    def clean(self):
        cleaned = super().clean()
        chosen = [self.earlier[email] for email in cleaned.get("again", [])]
        added = cleaned.get("recipients", [])
        if "again" in cleaned and "recipients" in cleaned and not chosen and not added:
            raise forms.ValidationError("Tick a recipient to send it to again, or add one.")
        seen = {r["email"].lower() for r in chosen}
        cleaned["all_recipients"] = chosen + [r for r in added if r["email"].lower() not in seen]
        if len(cleaned["all_recipients"]) > MAX_RECIPIENTS:
            raise forms.ValidationError(f"Send to {MAX_RECIPIENTS} recipients or fewer at a time.")
        return cleaned


class ExpiryForm(forms.Form):
    expires_on = forms.DateField(
        required=False,
        label="Link expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for no expiry.",
    )


class ProgressLinkForm(forms.ModelForm):
    """The team makes a progress link for a named person, with an expiry date."""

    class Meta:
        model = ProgressLink
        fields = ["recipient_name", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "recipient_name": {"required": "Name the person the link is for."},
            "expires_on": {
                "required": "Give the day the link expires.",
                "invalid": "Give the expiry as a date, e.g. 2027-09-30.",
            },
        }

    def clean_expires_on(self):
        return refuse_past_expiry(self.cleaned_data.get("expires_on"), optional=False)


PROGRESS_FIELD_RE = r"^(progress|comment)-(\d+)$"
COMMENT_MAX_LENGTH = 2000


class AreaProgressForm(forms.Form):
    """On the public progress page: a progress choice and a comment for each recommendation of
    the link's visit, and for no other (`foreign_ids` names any other id that was posted)."""

    def __init__(self, recommendations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for number, recommendation in enumerate(self.recommendations, start=1):
            latest = recommendation.latest_update()
            self.fields[f"progress-{recommendation.pk}"] = forms.ChoiceField(
                label=f"Progress on recommendation {number}",
                choices=Recommendation.Progress.choices,
                initial=recommendation.progress,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose the progress on recommendation {number}.",
                    "invalid_choice": f"Choose the progress on recommendation {number} from "
                    "the list.",
                },
            )
            self.fields[f"comment-{recommendation.pk}"] = forms.CharField(
                label=f"Comment on recommendation {number}",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                initial=latest.comment if latest else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"Keep the comment on recommendation {number} to "
                    f"{COMMENT_MAX_LENGTH:,} characters or fewer."
                },
            )

    def foreign_ids(self) -> set[int]:
        """Recommendation ids posted that are not this visit's."""
        own = {recommendation.pk for recommendation in self.recommendations}
        posted = {int(m.group(2)) for key in self.data if (m := re.match(PROGRESS_FIELD_RE, key))}
        return posted - own

    def rows(self):
        """(number, recommendation, progress field, comment field) for the template."""
        return [
            (number, r, self[f"progress-{r.pk}"], self[f"comment-{r.pk}"])
            for number, r in enumerate(self.recommendations, start=1)
        ]

    def wanted(self) -> dict[int, tuple[str, str]]:
        """{recommendation id: (progress, comment)} as the area set them."""
        return {
            r.pk: (
                self.cleaned_data[f"progress-{r.pk}"],
                self.cleaned_data[f"comment-{r.pk}"].strip(),
            )
            for r in self.recommendations
        }
