"""Page types. Facts that search or facets use are fields or inline models, never StreamField prose.

Long text is plain text with blank lines between paragraphs, so fixtures, search and print all
read the same words an editor typed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from kb import widgets
from kb.contexts.registry import page_context
from kb.contexts.visibility import public
from kb.forms import CaseStudyPageForm, KnowledgePageForm

from .searchable import (
    Searchable,
    choice_term,
    joined,
    lines,
    paragraphs,
    taxonomy_terms,
    term,
)
from .taxonomy import Area, Intervention, Organisation, Theme, confirmed_only

TEXT_HELP = "Plain text. Leave a blank line between paragraphs."
LINES_HELP = "One per line."

# How long a page stays current before someone checks it again: NICE reviews its shared
# learning examples after two years.
REVIEW_INTERVAL_YEARS = 2
EARLIEST_YEAR = 1900
SUMMARY_MAX = 1000
LONG_TEXT_MAX = 20_000
MEDIUM_TEXT_MAX = 5_000


class LimitedTextField(models.TextField):
    """A text field whose max_length holds everywhere: Django's TextField only passes it to the
    form's widget, so the shell, the loader and the importer could save any length."""

    @cached_property
    def validators(self):
        limit = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *limit]


def latest_plausible_year():
    """Next year: a project may be written up just before it starts; nothing later."""
    return timezone.localdate().year + 1


def year_validators():
    return [
        MinValueValidator(EARLIEST_YEAR, f"Enter a year from {EARLIEST_YEAR} onwards."),
        MaxValueValidator(latest_plausible_year, "Enter a year no later than next year."),
    ]


def percent_validators():
    return [
        MinValueValidator(0, "A share cannot be below 0%."),
        MaxValueValidator(100, "A share cannot be above 100%."),
    ]


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PageContext:
    """get_context() adds what `kb.contexts` registered for the page's type.

    The models never import the context functions (they query the models); the functions
    register themselves when the app starts.
    """

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(self, request))
        return context


class KnowledgePage(PageContext, Page):
    """Shared behaviour: a summary, where it came from, and a listing label.

    `from_report` marks content loaded from the 2010 report: only those pages may say their
    details are "as published in 2010" or cite the report. Editors never set it.
    """

    summary = LimitedTextField(
        blank=True,
        max_length=SUMMARY_MAX,
        help_text="One to three sentences saying what this is and why it matters. Shown in "
        "listings, search results and feeds.",
    )
    source_reference = models.CharField(
        "source",
        max_length=200,
        blank=True,
        help_text="Where the information comes from, if it was published elsewhere, e.g. "
        "'Local evaluation report, 2023'. Leave empty for a write-up of your own.",
    )
    from_report = models.BooleanField(
        "from the 2010 report",
        default=False,
        editable=False,
        help_text="Loaded from the 2010 report; set by the loader only.",
    )

    type_label = ""
    search_fields = Page.search_fields + [index.SearchField("summary")]
    base_form_class = KnowledgePageForm

    class Meta:
        abstract = True


def review_overdue_q(today=None):
    """Pages whose next review date has passed: the one rule behind the panel, report and command.

    The review-due date an editor set wins; otherwise it is two years after the last review, or
    after first publication for a page never reviewed.
    """
    today = today or timezone.localdate()
    cutoff = add_years(today, -REVIEW_INTERVAL_YEARS)
    cutoff_moment = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)
    return (
        Q(review_due__lt=today)
        | Q(review_due__isnull=True, last_reviewed__lt=cutoff)
        | Q(
            review_due__isnull=True,
            last_reviewed__isnull=True,
            first_published_at__lt=cutoff_moment,
        )
    )


class ReviewedPage(KnowledgePage):
    """Knowledge that goes out of date: when it was last checked, when it is next due, and by whom."""

    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When someone last checked this page is still right. Set it when you review.",
    )
    review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text=f"Leave empty for the default: {REVIEW_INTERVAL_YEARS} years after the last "
        "review, or after first publication.",
    )
    review_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who checks this page when it is due. They get the reminder email.",
    )

    review_panels = [
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("review_due"), FieldPanel("review_owner")],
            heading="Review",
        )
    ]

    class Meta:
        abstract = True

    def next_review_due(self):
        """The date this page should next be checked, or None before it is first published."""
        if self.review_due:
            return self.review_due
        if self.last_reviewed:
            return add_years(self.last_reviewed, REVIEW_INTERVAL_YEARS)
        if self.first_published_at:
            return add_years(timezone.localdate(self.first_published_at), REVIEW_INTERVAL_YEARS)
        return None

    def review_overdue(self, today=None):
        due = self.next_review_due()
        return due is not None and due < (today or timezone.localdate())


def taxonomy_field(model, help_text):
    return ParentalManyToManyField(model, blank=True, related_name="+", help_text=help_text)


class HomePage(PageContext, Page):
    intro = models.TextField(blank=True, help_text="The welcome line under the site name.")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "kb.CaseStudyIndexPage",
        "kb.ResourceIndexPage",
        "kb.EvidenceIndexPage",
        "kb.AreaIndexPage",
        "kb.NewsIndexPage",
        "kb.GlossaryPage",
    ]
    max_count = 1


class IndexPage(PageContext, Page):
    """A section under the home page listing one page type.

    `section` is the (title, slug) the loader gives the section when it creates it.
    """

    intro = models.TextField(blank=True, help_text="A sentence or two above the listing.")
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kb.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def listing_queryset(self):
        """The live children anyone may see, A to Z (each index may order them its own way)."""
        return public(self.child_model().objects.child_of(self)).order_by("title")


class CaseStudyIndexPage(IndexPage):
    section = ("Case studies", "case-studies")
    subpage_types = ["kb.CaseStudyPage"]

    def child_model(self):
        return CaseStudyPage

    def listing_queryset(self):
        return super().listing_queryset().prefetch_related("themes", "areas").order_by("title")


class ResourceIndexPage(IndexPage):
    section = ("Resources", "resources")
    subpage_types = ["kb.ResourcePage"]

    def child_model(self):
        return ResourcePage

    def listing_queryset(self):
        return super().listing_queryset().select_related("publisher")


class EvidenceIndexPage(IndexPage):
    section = ("Evidence and themes", "evidence")
    subpage_types = ["kb.EvidenceSummaryPage"]

    def child_model(self):
        return EvidenceSummaryPage

    def listing_queryset(self):
        return super().listing_queryset().select_related("theme").order_by("path")


class AreaIndexPage(IndexPage):
    section = ("Areas", "areas")
    subpage_types = ["kb.AreaPage"]

    def child_model(self):
        return AreaPage

    def listing_queryset(self):
        return super().listing_queryset().select_related("area").order_by("area__name")


class NewsIndexPage(IndexPage):
    section = ("News", "news")
    subpage_types = ["kb.NewsPage"]

    def child_model(self):
        return NewsPage

    def listing_queryset(self):
        return super().listing_queryset().order_by("-date", "title")


class GlossaryPage(PageContext, Page):
    section = ("Glossary", "glossary")
    intro = models.TextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kb.HomePage"]
    subpage_types = []
    max_count = 1


class CaseStudyPage(ReviewedPage):
    """Local practice: what an area did, for whom, and what happened."""

    class EvaluationStatus(models.TextChoices):
        NONE = "none", "Not evaluated"
        INTERNAL = "internal", "Internal evaluation"
        EXTERNAL_PLANNED = "external_planned", "External evaluation planned"
        EXTERNAL_DONE = "external_done", "Externally evaluated"

    aims = LimitedTextField(
        blank=True,
        max_length=MEDIUM_TEXT_MAX,
        help_text="What the project set out to change, and for whom. " + TEXT_HELP,
    )
    what_was_done = LimitedTextField(
        blank=True,
        max_length=LONG_TEXT_MAX,
        help_text="What the team did, who delivered it and how, so another area could do the "
        "same. " + TEXT_HELP,
    )
    evaluation_status = models.CharField(
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.NONE,
        help_text="How far the results have been checked.",
    )
    evaluation = LimitedTextField(
        blank=True,
        max_length=MEDIUM_TEXT_MAX,
        help_text="How the results were measured and by whom. Say if no evaluation was done. "
        + TEXT_HELP,
    )
    started = models.CharField(
        max_length=60,
        blank=True,
        help_text="When it started, in words, e.g. 'Spring 2023' or 'April 2023'.",
    )
    start_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators(),
        help_text="The year it started, as four digits, e.g. 2023. Used to sort newest first.",
    )
    awards = LimitedTextField(
        blank=True,
        max_length=MEDIUM_TEXT_MAX,
        help_text="Any awards the project won. " + LINES_HELP,
    )
    themes = taxonomy_field(Theme, "Tick every topic this practice addresses.")
    areas = taxonomy_field(Area, "Tick the areas where it happened.")
    interventions = taxonomy_field(Intervention, "Tick the kinds of intervention it is.")
    organisations = taxonomy_field(Organisation, "Who led or delivered it.")
    related_resources = ParentalManyToManyField(
        "kb.ResourcePage",
        blank=True,
        related_name="case_studies",
        help_text="Tick the resources in the knowledge base that the project used or produced.",
    )

    type_label = "Case study"
    searchable = Searchable(
        "case_study",
        prefetch_related=(
            "themes__parent",
            "areas",
            "interventions",
            "organisations",
            "outcomes",
            "contacts",
        ),
        stale_when={
            "kb.Theme": "themes",
            "kb.Area": "areas",
            "kb.Intervention": "interventions",
            "kb.Organisation": "organisations",
        },
        fixture="case_studies",
    )
    base_form_class = CaseStudyPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=widgets.themes()),
                FieldPanel("areas", widget=widgets.areas()),
                FieldPanel("interventions", widget=widgets.interventions()),
                FieldPanel("organisations", widget=widgets.organisations()),
            ],
            heading="Tagging (drives search facets)",
        ),
        FieldPanel("aims"),
        FieldPanel("what_was_done"),
        InlinePanel(
            "outcomes",
            heading="Outcomes",
            label="Outcome",
            help_text="One row per figure: what it measures, the value, unit and period.",
        ),
        MultiFieldPanel(
            [FieldPanel("evaluation_status"), FieldPanel("evaluation")], heading="Evaluation"
        ),
        MultiFieldPanel(
            [FieldPanel("started"), FieldPanel("start_year"), FieldPanel("awards")],
            heading="Dates and awards",
        ),
        InlinePanel(
            "contacts",
            heading="Contacts",
            label="Contact",
            help_text="Publish a named person's email or phone only with their agreement.",
        ),
        FieldPanel("related_resources", widget=widgets.resources()),
        FieldPanel("source_reference"),
        *ReviewedPage.review_panels,
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("aims"),
        index.SearchField("what_was_done"),
    ]
    parent_page_types = ["kb.CaseStudyIndexPage"]
    subpage_types = []

    @property
    def award_list(self):
        return split_lines(self.awards)

    def document_fields(self):
        """What search finds this case study by (see kb.models.searchable)."""
        areas = confirmed_only(self.areas.all())
        return {
            "body": paragraphs(
                self.aims,
                self.what_was_done,
                lines(*(joined(o.measure, o.period, o.note) for o in self.outcomes.all())),
                self.evaluation,
                self.started,
                self.awards,
                " ".join(org.name for org in confirmed_only(self.organisations.all())),
                lines(*(joined(c.name, c.role, c.organisation) for c in self.contacts.all())),
            ),
            "themes": taxonomy_terms(Theme.with_parents(self.themes.all())),
            "areas": taxonomy_terms(areas),
            "regions": sorted({area.region for area in areas if area.region}),
            "interventions": taxonomy_terms(self.interventions.all()),
            "evaluation_status": choice_term(self, "evaluation_status"),
            "year": self.start_year,
        }


class InlineRow(Orderable):
    """A row of a page's inline table, in the page's order. Rows an editor arranges carry a sort
    order; rows the loader wrote have none, and then the order they were written in decides,
    the same on every database (PostgreSQL returns ties in any order)."""

    class Meta(Orderable.Meta):
        abstract = True
        ordering = ["sort_order", "pk"]


class CaseStudyOutcome(InlineRow):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.CharField(
        max_length=255, help_text="What the figure measures, e.g. 'Women smoking at delivery'."
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True, help_text="The number, e.g. 12.5."
    )
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, women, babies.")
    period = models.CharField(
        max_length=60, blank=True, help_text="When it was measured, e.g. 2023-24."
    )
    note = models.CharField(max_length=255, blank=True)

    panels = [
        FieldPanel("measure"),
        FieldPanel("value"),
        FieldPanel("unit"),
        FieldPanel("period"),
        FieldPanel("note"),
    ]


class CaseStudyContact(InlineRow):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    consent_confirmed = models.BooleanField(
        "this person agreed to publication",
        default=False,
        help_text="Tick only if the person agreed to their email and phone number being "
        "published on this site, whether or not they are named.",
    )
    general_contact = models.BooleanField(
        "an organisation's general contact, not a person's",
        default=False,
        help_text="Tick only for a team's or organisation's general enquiries address or "
        "line, which needs no one's agreement.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("consent_confirmed"),
        FieldPanel("general_contact"),
    ]

    CONSENT_MESSAGE = (
        "Confirm that this person agreed to their email or phone number being published, "
        "or remove those details."
    )

    def clean(self):
        if not (self.name or self.email or self.phone):
            raise ValidationError("Give at least a name, an email or a phone number.")

    def needs_consent(self):
        """A person's email or phone, named or not: publish it only with their agreement. Only
        an organisation's general contact, marked as such, needs none."""
        return bool(
            (self.email or self.phone) and not self.consent_confirmed and not self.general_contact
        )

    def label(self):
        return self.name or self.organisation or self.email or self.phone


class ResourcePage(ReviewedPage):
    """Guidance, tools, DVDs and reports an area can use."""

    class ResourceType(models.TextChoices):
        GUIDANCE = "guidance", "Guidance"
        SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
        BRIEFING_PAPER = "briefing_paper", "Briefing paper"
        DATA_TOOL = "data_tool", "Data tool or profile"
        TOOLKIT = "toolkit", "Toolkit"
        DVD_VIDEO = "dvd_video", "DVD or video"
        LEAFLET = "leaflet", "Leaflet or booklet"
        WEBSITE = "website", "Website"
        REPORT = "report", "Report"
        TRAINING_MATERIALS = "training_materials", "Training materials"

    publisher = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        # A proposal becomes a publisher once confirmed: resource pages show it by name.
        limit_choices_to={"confirmed": True},
        help_text="A proposed organisation can be chosen once a moderator confirms it.",
    )
    resource_type = models.CharField(max_length=30, choices=ResourceType.choices)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators(),
        help_text="Year of publication, as four digits. Leave empty if you do not know it.",
    )
    url_as_published = models.CharField(
        "web address",
        max_length=500,
        blank=True,
        help_text="Where to find it, e.g. https://www.example.org/guide. Shown as text, not a "
        "link. On report pages this is the 2010 address: do not replace it.",
    )
    order_code = models.CharField(
        max_length=120, blank=True, help_text="Order reference, if it must be ordered."
    )
    phone = models.CharField(max_length=60, blank=True, help_text="Phone number to order it.")
    how_to_obtain = LimitedTextField(
        blank=True, max_length=1000, help_text="Any other ordering details."
    )
    languages = models.CharField(
        max_length=500, blank=True, help_text="Languages it is available in, comma-separated."
    )
    audience = models.CharField(max_length=255, blank=True, help_text="Who it is for.")
    themes = taxonomy_field(Theme, "Tick every topic it covers.")
    interventions = taxonomy_field(Intervention, "Tick the interventions it supports.")

    type_label = "Resource"
    searchable = Searchable(
        "resource",
        select_related=("publisher",),
        prefetch_related=("themes__parent", "interventions"),
        stale_when={
            "kb.Theme": "themes",
            "kb.Intervention": "interventions",
            "kb.Organisation": "publisher",
        },
        fixture="resources",
    )
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldPanel("resource_type"),
                FieldPanel("year"),
                FieldPanel("themes", widget=widgets.themes()),
                FieldPanel("interventions", widget=widgets.interventions()),
            ],
            heading="About (drives search facets)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("url_as_published"),
                FieldPanel("order_code"),
                FieldPanel("phone"),
                FieldPanel("how_to_obtain"),
                FieldPanel("languages"),
            ],
            heading="How to obtain it",
        ),
        FieldPanel("audience"),
        FieldPanel("source_reference"),
        *ReviewedPage.review_panels,
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("audience"),
        index.SearchField("order_code"),
    ]
    parent_page_types = ["kb.ResourceIndexPage"]
    subpage_types = []

    @property
    def language_list(self):
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    def document_fields(self):
        publisher = self.publisher
        return {
            "body": paragraphs(self.audience, self.how_to_obtain, self.languages, self.order_code),
            "themes": taxonomy_terms(Theme.with_parents(self.themes.all())),
            "interventions": taxonomy_terms(self.interventions.all()),
            "publisher": [term(publisher.slug, publisher.label)] if publisher else [],
            "resource_type": choice_term(self, "resource_type"),
            "year": self.year,
        }


class EvidenceSummaryPage(ReviewedPage):
    """A theme's evidence: background, statistics, NST recommendation categories, key messages.

    It is the theme hub: the page a practitioner lands on for a topic.
    """

    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_summaries",
        help_text="The theme this summarises. Leave empty for the national picture.",
    )
    background = LimitedTextField(
        blank=True,
        max_length=LONG_TEXT_MAX,
        help_text="Why this topic matters for infant and maternal health. " + TEXT_HELP,
    )
    key_messages = LimitedTextField(
        blank=True,
        max_length=MEDIUM_TEXT_MAX,
        help_text="What a practitioner should take away. " + LINES_HELP,
    )
    references = LimitedTextField(
        blank=True, max_length=LONG_TEXT_MAX, help_text="References cited. " + LINES_HELP
    )
    table_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, "The report's recommendation tables are numbered 1 to 7."),
            MaxValueValidator(7, "The report's recommendation tables are numbered 1 to 7."),
        ],
        help_text="Only for the report's recommendation tables (1-7). Leave empty otherwise.",
    )
    table_title = models.CharField(max_length=255, blank=True)
    table_total_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="The total printed under the table."
    )
    table_total_share = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percent_validators(),
        help_text="The total share printed under the table (%).",
    )
    interventions = taxonomy_field(Intervention, "Tick the interventions this evidence supports.")

    type_label = "Evidence summary"
    searchable = Searchable(
        "evidence_summary",
        select_related=("theme__parent",),
        prefetch_related=("interventions", "key_statistics", "recommendation_rows"),
        stale_when={"kb.Theme": "theme", "kb.Intervention": "interventions"},
        fixture="evidence_summaries",
    )
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("theme"),
        FieldPanel("interventions", widget=widgets.interventions()),
        FieldPanel("background"),
        InlinePanel("key_statistics", heading="Key statistics", label="Statistic"),
        MultiFieldPanel(
            [
                FieldPanel("table_number"),
                FieldPanel("table_title"),
                FieldPanel("table_total_count"),
                FieldPanel("table_total_share"),
            ],
            heading="Recommendation table",
        ),
        InlinePanel("recommendation_rows", heading="Recommendation rows", label="Row"),
        FieldPanel("key_messages"),
        FieldPanel("references"),
        FieldPanel("source_reference"),
        *ReviewedPage.review_panels,
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("background"),
        index.SearchField("key_messages"),
    ]
    parent_page_types = ["kb.EvidenceIndexPage"]
    subpage_types = []

    @property
    def key_message_list(self):
        return split_lines(self.key_messages)

    @property
    def reference_list(self):
        return split_lines(self.references)

    def category_rows(self, rows=None):
        """Top-level rows; sub-category rows break a category down and are not added again.

        Pass the rows already fetched to avoid fetching them again.
        """
        rows = self.recommendation_rows.all() if rows is None else rows
        return [row for row in rows if not row.sub_category]

    def rows_total(self, rows=None):
        """What the category rows add up to (the page prints it beside the printed total)."""
        return sum(row.count or 0 for row in self.category_rows(rows))

    def document_fields(self):
        rows = list(self.recommendation_rows.all())
        return {
            "body": paragraphs(
                self.key_messages,
                self.background,
                lines(*(joined(s.measure, s.period, s.source) for s in self.key_statistics.all())),
                self.table_title,
                # Each row as its cell shows it: a category once, then its sub-categories.
                lines(*(row.sub_category or row.category for row in rows)),
                self.references,
            ),
            # Engines link a result that matched a row to that row (anchor, text).
            "rows": [
                {"anchor": recommendation_anchor(position), "text": row.text}
                for position, row in enumerate(rows, start=1)
            ],
            "themes": taxonomy_terms(Theme.with_parents([self.theme])) if self.theme else [],
            "interventions": taxonomy_terms(self.interventions.all()),
        }


def recommendation_anchor(position: int) -> str:
    """The id of the `position`-th (1-based) recommendation row on its evidence page; the
    evidence template gives each row this id, and search links a matching row to it."""
    return f"recommendation-{position}"


class KeyStatistic(InlineRow):
    page = ParentalKey(EvidenceSummaryPage, on_delete=models.CASCADE, related_name="key_statistics")
    measure = models.CharField(max_length=255)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    period = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=255, blank=True)
    group = models.CharField(
        max_length=80, blank=True, help_text="Series label when charted, e.g. England."
    )
    chart = models.SlugField(
        max_length=60, blank=True, help_text="Chart this figure feeds, e.g. rm-gap. Optional."
    )

    panels = [
        FieldPanel("measure"),
        FieldPanel("value"),
        FieldPanel("unit"),
        FieldPanel("period"),
        FieldPanel("source"),
        FieldPanel("group"),
        FieldPanel("chart"),
    ]


class RecommendationRow(InlineRow):
    page = ParentalKey(
        EvidenceSummaryPage, on_delete=models.CASCADE, related_name="recommendation_rows"
    )
    category = models.CharField(max_length=255)
    sub_category = models.CharField(max_length=255, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    share = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percent_validators(),
        help_text="Percent of all recommendations.",
    )

    panels = [
        FieldPanel("category"),
        FieldPanel("sub_category"),
        FieldPanel("count"),
        FieldPanel("share"),
    ]

    @property
    def text(self) -> str:
        """The row as the page shows it: its sub-category under its category."""
        return f"{self.category}: {self.sub_category}" if self.sub_category else self.category


class AreaPage(PageContext, Page):
    """One per area: what the knowledge base holds for it."""

    area = models.OneToOneField(
        Area,
        on_delete=models.PROTECT,
        related_name="page",
        limit_choices_to={"confirmed": True},  # a proposed area has no public page
        help_text="The area this page is for (a confirmed one).",
    )
    intro = models.TextField(blank=True)

    type_label = "Area"
    searchable = Searchable("area", select_related=("area",), stale_when={"kb.Area": "area"})
    content_panels = Page.content_panels + [FieldPanel("area"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["kb.AreaIndexPage"]
    subpage_types = []

    def document_fields(self):
        area = self.area
        return {
            "summary": self.intro or f"{area.name}: {area.get_kind_display()}",
            "areas": [term(area.slug, area.name)],
            "regions": [area.region] if area.region else [],
        }


class NewsPage(KnowledgePage):
    date = models.DateField(null=True, blank=True, help_text="Publication date, if known.")
    publication = models.CharField(max_length=200, blank=True, help_text="Where it was published.")
    body = LimitedTextField(blank=True, max_length=LONG_TEXT_MAX, help_text=TEXT_HELP)
    themes = taxonomy_field(Theme, "Tick the topics the story covers.")
    areas = taxonomy_field(Area, "Tick the areas the story names.")

    type_label = "News"
    searchable = Searchable(
        "news",
        prefetch_related=("themes__parent", "areas", "quotes"),
        stale_when={"kb.Theme": "themes", "kb.Area": "areas"},
        fixture="news",
    )
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("publication"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("quotes", heading="Quotes", label="Quote"),
        FieldPanel("themes", widget=widgets.themes()),
        FieldPanel("areas", widget=widgets.areas()),
        FieldPanel("source_reference"),
    ]
    search_fields = KnowledgePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["kb.NewsIndexPage"]
    subpage_types = []

    def document_fields(self):
        areas = confirmed_only(self.areas.all())
        return {
            "body": paragraphs(
                self.publication,
                self.body,
                lines(*(joined(q.text, q.person, q.role) for q in self.quotes.all())),
            ),
            "themes": taxonomy_terms(Theme.with_parents(self.themes.all())),
            "areas": taxonomy_terms(areas),
            "regions": sorted({area.region for area in areas if area.region}),
            "year": self.date.year if self.date else None,
            "date": self.date.isoformat() if self.date else None,
        }


class NewsQuote(InlineRow):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    person = models.CharField(max_length=120, help_text="Who said it, as named.")
    role = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("text"), FieldPanel("person"), FieldPanel("role")]
