"""Taxonomy snippets: every page is tagged by theme, area and intervention through these."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Theme(index.Indexed, models.Model):
    """A topic. The four core NST discussion topics are flagged; themes may nest one level."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences saying what the topic covers."
    )
    is_core = models.BooleanField(
        "core NST topic",
        default=False,
        help_text="One of the four core NST discussion topics: housing; maternal and infant "
        "nutrition; safeguarding and SUDI; reducing maternal smoking. Otherwise optional.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="A broader theme this one sits under, e.g. breastfeeding under nutrition.",
    )
    sort_order = models.PositiveIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("is_core"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # What search documents show of it (a page counts under its theme's parent): saving
    # anything else reindexes nothing. The default, for any taxonomy, is ("name", "slug").
    document_label_fields = ("name", "slug", "parent_id")

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A theme cannot sit under itself."})
            ancestor = ancestor.parent

    @property
    def kind(self):
        return "core" if self.is_core else "optional"

    def family(self):
        """This theme and the themes directly under it: what its hub, tile and feed all cover.

        Uses prefetched `children` when the caller fetched them (themes nest one level).
        """
        return [self, *self.children.all()]

    @staticmethod
    def with_parents(themes):
        """The themes a page counts under: its own and the theme each sits under.

        The same rule as family(), seen from the page: a page tagged breastfeeding counts for
        maternal and infant nutrition too, in search facets as on tiles, hubs and feeds.
        """
        counted = {}
        for theme in themes:
            for member in (theme, theme.parent):
                if member is not None:
                    counted.setdefault(member.pk, member)
        return sorted(counted.values(), key=lambda theme: (theme.sort_order, theme.name))


class ProposableQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed=True)


def confirmed_only(items) -> list:
    """The items the public may see: a proposed area or organisation is shown nowhere public
    (pages, search documents, JSON-LD, open data) until a moderator confirms it. Filters in
    Python, so prefetched relations and a preview's in-memory ones cost no query."""
    return [item for item in items if getattr(item, "confirmed", True)]


class Proposable(models.Model):
    """Taxonomy an editor may propose and a moderator confirms (there is no Rochdale until an
    editor needs one). Who may only propose is decided in the admin (kb.wagtail_hooks: anyone
    who may not change it); everything else created, by a moderator or the loader, is confirmed.
    """

    confirmed = models.BooleanField(
        default=True,
        help_text="Shown publicly. A proposal stays hidden, on pages as in search, until a "
        "moderator ticks this.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProposableQuerySet.as_manager()

    class Meta:
        abstract = True

    def propose(self, user):
        self.confirmed = False
        self.proposed_by = user
        self.proposed_at = timezone.now()

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)[: self._meta.get_field("slug").max_length]
        if self.pk is not None and not self.confirmed:
            stored = type(self).objects.filter(pk=self.pk).values_list("confirmed", flat=True)
            if stored.first():
                raise ValidationError(
                    {
                        "confirmed": "Once confirmed it stays confirmed: pages may show it. "
                        "Delete it instead to take it off every page."
                    }
                )


SLUG_HELP = "Leave empty to make it from the name."


class Area(index.Indexed, Proposable):
    """A local area. Annex areas are the 43 with 20+ routine-and-manual infant deaths in 2002-04."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        COUNTY = "county", "County"
        NHS_BODY = "nhs_body", "NHS body"
        NATIONAL = "national", "National"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text=SLUG_HELP)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The ONS area code, only where it is known from a source. Leave empty otherwise.",
    )
    region = models.CharField(max_length=80, blank=True, help_text="Government office region.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LOCAL_AUTHORITY)
    is_annex_area = models.BooleanField(
        "annex area",
        default=False,
        help_text="Listed in the report's annex: 20 or more routine-and-manual infant deaths "
        "in 2002-04.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("region"), FieldPanel("ons_code")], heading="Where"
        ),
        FieldPanel("is_annex_area", permission="kb.change_area"),
        FieldPanel("confirmed", permission="kb.change_area"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # An area page's summary says its kind; confirming one puts it on its pages' documents.
    document_label_fields = ("name", "slug", "region", "kind", "confirmed")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Intervention(index.Indexed, models.Model):
    """Something an area can do. Modelled ones carry their estimated effect on the 2002-04 gap."""

    class Timescale(models.TextChoices):
        BY_2011 = "by_2011", "Impact by 2011"
        BEYOND_2011 = "beyond_2011", "Impact beyond 2011"

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    gap_contribution_pp = models.DecimalField(
        "contribution to narrowing the gap (percentage points)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Estimated contribution to narrowing the 2002-04 infant mortality gap "
        "(Figure 3 of the report). Leave empty if not modelled.",
    )
    timescale = models.CharField(
        max_length=20,
        choices=Timescale.choices,
        blank=True,
        help_text="When the impact is expected (Figure 4). Leave empty if the report is silent.",
    )
    evidence = models.TextField(
        blank=True, help_text="The evidence that it works, with where that evidence comes from."
    )
    is_modelled = models.BooleanField(
        "modelled intervention",
        default=False,
        help_text="One of the interventions modelled in the report (Figure 3).",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("is_modelled"), FieldPanel("gap_contribution_pp"), FieldPanel("timescale")],
            heading="Modelled effect",
        ),
        FieldPanel("evidence"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(index.Indexed, Proposable):
    """Publishers, NHS bodies, councils and charities."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government or national agency"
        NHS_BODY = "nhs_body", "NHS body"
        COUNCIL = "council", "Council"
        CHARITY = "charity", "Charity or voluntary organisation"
        ACADEMIC = "academic", "University or research unit"
        PROFESSIONAL_BODY = "professional_body", "Professional body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text=SLUG_HELP)
    short_name = models.CharField(max_length=40, blank=True, help_text="Acronym, e.g. NICE.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("confirmed", permission="kb.change_organisation"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("short_name")]
    # The publisher label is the short name; confirming one puts it on its pages' documents.
    document_label_fields = ("name", "slug", "short_name", "confirmed")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class GlossaryTerm(models.Model):
    """An acronym and its expansion; search uses these as synonyms."""

    term = models.CharField(max_length=40, unique=True)
    expansion = models.CharField(max_length=200)

    panels = [FieldPanel("term"), FieldPanel("expansion")]

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term}: {self.expansion}"
