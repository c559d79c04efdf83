"""A new page type (a funded programme) and a new facet's taxonomy (its funders).

Everything search, the API and the loader need is declared here and in settings.py; no other
module names either.
"""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from kb.models.pages import KnowledgePage, taxonomy_field
from kb.models.searchable import Searchable
from kb.models.taxonomy import Theme


class Funder(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    def __str__(self):
        return self.name


class ProgrammePage(KnowledgePage):
    body = models.TextField(blank=True)
    funders = ParentalManyToManyField(Funder, blank=True, related_name="+")
    themes = taxonomy_field(Theme, "Tick every topic it covers.")

    type_label = "Programme"
    searchable = Searchable(
        "programme",
        prefetch_related=("funders", "themes__parent"),
        stale_when={"extension.Funder": "funders", "kb.Theme": "themes"},
        fixture="programmes",
    )
    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("funders"),
        FieldPanel("themes"),
    ]
    search_fields = KnowledgePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["kb.HomePage"]
    subpage_types = []
