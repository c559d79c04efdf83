"""The statement's wording, editable in Settings; what the tests check is added by the view."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

TEXT_HELP = "Plain text. Leave a blank line between paragraphs."

DEFAULT_INTRO = (
    "This accessibility statement applies to the infant and maternal health inequalities "
    "knowledge base.\n\n"
    "We want as many people as possible to be able to use this website. Its public pages are "
    "built on the NHS.UK frontend. Searching, reading pages, giving feedback and sharing your "
    "practice are tested in a browser with JavaScript switched off, and on a phone-sized screen."
)
DEFAULT_HOW_ACCESSIBLE = (
    "Each time the website changes, we check every kind of public page with axe-core, an "
    "automated accessibility checker. It finds no serious or critical problem on the pages "
    "listed below."
)
DEFAULT_REPORTING = (
    "If you find a problem that is not listed on this page, or you need information in a "
    "different format, tell us through the \u201cReport a problem with this page\u201d form. "
    "Do not include personal details: we cannot reply through that form."
)
DEFAULT_ENFORCEMENT = (
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
    "(the \u2018accessibility regulations\u2019). If you are not happy with how we respond to "
    "your complaint, contact the Equality Advisory and Support Service (EASS)."
)


@register_setting(icon="view")
class AccessibilityStatement(BaseGenericSetting):
    """Only the wording is here. The pages checked and the known problems come from
    accessibility.checks, which the browser tests keep true; an editor cannot add a claim."""

    class Compliance(models.TextChoices):
        # "Fully compliant" is not offered: no specialist audit has been done (checks.NOT_CHECKED).
        PARTIAL = "partial", "Partially compliant"
        NOT_COMPLIANT = "not_compliant", "Not compliant"

    intro = models.TextField(default=DEFAULT_INTRO, max_length=3000, help_text=TEXT_HELP)
    how_accessible = models.TextField(
        "how accessible this website is",
        default=DEFAULT_HOW_ACCESSIBLE,
        max_length=3000,
        help_text="Shown above the list of pages the automated checks cover. " + TEXT_HELP,
    )
    compliance = models.CharField(
        "compliance status",
        max_length=20,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text="\u201cFully compliant\u201d needs a specialist audit, so it is not offered.",
    )
    other_known_issues = models.TextField(
        "other problems you know of",
        blank=True,
        max_length=3000,
        help_text="Problems readers reported, added to the list the checks produce. " + TEXT_HELP,
    )
    reporting = models.TextField(
        "reporting accessibility problems",
        default=DEFAULT_REPORTING,
        max_length=3000,
        help_text="A link to the report-a-problem form follows this text. " + TEXT_HELP,
    )
    enforcement = models.TextField(
        "enforcement procedure", default=DEFAULT_ENFORCEMENT, max_length=3000, help_text=TEXT_HELP
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When someone last checked this statement is right. Set it when you review.",
    )

    panels = [
        FieldPanel("intro"),
        FieldPanel("how_accessible"),
        FieldPanel("compliance"),
        FieldPanel("other_known_issues"),
        FieldPanel("reporting"),
        FieldPanel("enforcement"),
        FieldPanel("last_reviewed"),
    ]

    class Meta:
        verbose_name = "accessibility statement"

    def paragraphs(self, name):
        return [part.strip() for part in getattr(self, name).split("\n\n") if part.strip()]
