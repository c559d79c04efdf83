"""The "Share your practice" form: a case study's shape, written for a practitioner, and the
spam defences that need no outside service (honeypot, minimum fill time, link and length limits).
Rate limits are in the view: they count requests, not answers."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator

from kb.models import Area, CaseStudyPage
from kb.models.pages import (
    EARLIEST_YEAR,
    LONG_TEXT_MAX,
    MEDIUM_TEXT_MAX,
    SUMMARY_MAX,
    latest_plausible_year,
)

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MAX_WRITE_UP_LINKS = 5
STAMP_SALT = "submissions.form-started"
OUTCOME_ROWS = 3
NOT_ANSWERS = {"links", "started", "website", "csrfmiddlewaretoken"}
TOO_FAST = (
    "The form was sent faster than a person can fill it in. Check your answers and send it again."
)
HONEYPOT = "The form was not sent: the field “Leave this empty” must be left empty."


def text(label, max_length, help_text, required=False, rows=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        strip=True,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer "
            "(you gave %(show_value)s)",
        },
    )


WIDGET_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
}


def nhsuk_widgets(form):
    """NHS.UK frontend classes, and hints tied to their fields for screen readers."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        widget.attrs.setdefault("class", WIDGET_CLASSES.get(type(widget), "nhsuk-input"))
        if bound.help_text:
            widget.attrs["aria-describedby"] = f"{bound.auto_id}-hint"


def new_stamp():
    return signing.dumps(time.time(), salt=STAMP_SALT)


class ShareForm(forms.Form):
    title = text(
        "Project name",
        255,
        "A short name another practitioner would recognise, e.g. ‘Smoke-free homes in "
        "Exampletown’.",
        required=True,
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.confirmed().order_by("name"),
        required=False,
        empty_label="Choose the area",
        help_text="Where the work happened. If it is not in the list, type it below.",
    )
    area_other = text("Area, if not in the list", 200, "For example, a district or a region.")
    problem = text(
        "What was the problem?",
        SUMMARY_MAX,
        "One to three sentences: what needed to change, for whom, and why it mattered locally. "
        "This becomes the summary readers see first.",
        required=True,
        rows=4,
    )
    aims = text(
        "What did the project aim to do?",
        MEDIUM_TEXT_MAX,
        "What you set out to change, and for whom. Leave a blank line between paragraphs.",
        rows=5,
    )
    what_was_done = text(
        "What was done?",
        LONG_TEXT_MAX,
        "Who delivered it and how, in enough detail that another area could do the same.",
        required=True,
        rows=8,
    )
    start_year = forms.IntegerField(
        label="Year it started",
        required=False,
        help_text="Four digits, e.g. 2023.",
        validators=[
            MinValueValidator(EARLIEST_YEAR, f"Enter a year from {EARLIEST_YEAR} onwards"),
            MaxValueValidator(latest_plausible_year, "Enter a year no later than next year"),
        ],
        error_messages={"invalid": "Enter the year as four digits, e.g. 2023"},
    )
    evaluation_status = forms.ChoiceField(
        label="How far have the results been checked?",
        choices=CaseStudyPage.EvaluationStatus.choices,
        initial=CaseStudyPage.EvaluationStatus.NONE,
    )
    evaluation = text(
        "How was it evaluated?",
        MEDIUM_TEXT_MAX,
        "How the results were measured and by whom. Say so if no evaluation was done.",
        rows=5,
    )
    contact_name = text(
        "Contact name", 120, "Someone readers can ask about the project. Leave empty for none."
    )
    contact_role = text("Their role", 200, "For example, ‘Public health lead’.")
    contact_organisation = text("Their organisation", 200, "")
    contact_email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter the contact's email address, like name@example.org"},
    )
    contact_phone = text("Their phone number", 60, "")
    links = text(
        "Links to the write-up",
        2000,
        f"Web addresses of a report or evaluation, one per line, at most {MAX_WRITE_UP_LINKS}.",
        rows=3,
    )
    submitter_name = text(
        "Your name", 120, "So the editors know who to ask. Not published.", required=True
    )
    submitter_email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send your reference and progress here. Not published.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter your email address, like name@example.org",
        },
    )
    publish_submitter = forms.BooleanField(
        label="Publish my name and email address with the case study, as a contact",
        required=False,
    )
    consent_to_share = forms.BooleanField(
        label="I may share this work, and it may be published on this website",
        error_messages={"required": "Confirm that you may share this work"},
    )
    contacts_agreed = forms.BooleanField(
        label="The contact named above agreed to their details being published",
        required=False,
    )
    # Spam defences: a field people never see, and when the form was first shown (signed).
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label_from_instance = lambda area: area.name
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.outcomes = OutcomeFormSet(self.data or None, prefix="outcome")
        nhsuk_widgets(self)
        for row in self.outcomes.forms:
            nhsuk_widgets(row)

    def is_valid(self):
        return super().is_valid() & self.outcomes.is_valid()

    @property
    def is_spam_trap(self):
        return bool(self.data.get("website"))

    def clean_started(self):
        try:
            started = signing.loads(self.cleaned_data.get("started") or "", salt=STAMP_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(TOO_FAST) from None
        if time.time() - float(started) < settings.SUBMISSIONS_MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST)
        return started

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_WRITE_UP_LINKS:
            raise forms.ValidationError(f"Give at most {MAX_WRITE_UP_LINKS} links to the write-up")
        for line in lines:
            if not re.match(r"https?://\S+$", line):
                raise forms.ValidationError(
                    "Give each link as a full web address on its own line, "
                    "starting https:// or http://"
                )
        return lines

    def clean(self):
        data = super().clean()
        typed = " ".join(str(value) for name, value in self.data.items() if name not in NOT_ANSWERS)
        if len(LINK.findall(typed)) > settings.SUBMISSIONS_MAX_LINKS:
            raise forms.ValidationError(
                f"Include at most {settings.SUBMISSIONS_MAX_LINKS} web addresses in your answers. "
                "Put links to the write-up in their own box."
            )
        names_someone = data.get("contact_name") and (
            data.get("contact_email") or data.get("contact_phone")
        )
        if names_someone and not data.get("contacts_agreed"):
            self.add_error(
                "contacts_agreed",
                "Confirm the contact agreed to their details being published, or remove their "
                "email and phone number",
            )
        return data


class OutcomeForm(forms.Form):
    measure = text("What was measured", 255, "For example, ‘Women smoking at delivery’.")
    value = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=14,
        decimal_places=3,
        error_messages={"invalid": "Enter the value as a number, e.g. 12.5"},
    )
    unit = text("Unit", 60, "For example, %, women, babies.")
    period = text("Period", 60, "When it was measured, e.g. 2023-24.")

    def clean(self):
        data = super().clean()
        if (
            data.get("value") is not None or data.get("unit") or data.get("period")
        ) and not data.get("measure"):
            self.add_error("measure", "Say what was measured")
        return data


OutcomeFormSet = forms.formset_factory(
    OutcomeForm, extra=OUTCOME_ROWS, max_num=OUTCOME_ROWS, validate_max=True
)


class ReplyForm(forms.Form):
    answer = text(
        "Your answer",
        MEDIUM_TEXT_MAX,
        "Answer the moderator's questions. Your answer goes to them; it does not change the "
        "draft itself.",
        required=True,
        rows=6,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nhsuk_widgets(self)
