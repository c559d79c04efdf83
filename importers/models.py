"""What the loader made, so a second run can tell its own work from an editor's."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedItem(models.Model):
    """One fixture item and the object the loader created for it.

    `item_hash` is the hash of the fixture item last applied; `written_values` the snippet
    values the loader wrote (None for an object an editor made first), and `revision_id` the
    page revision the loader published. If the object no longer matches what the loader wrote,
    an editor changed it, and the loader leaves it alone. Values rather than a hash, so a loader
    that starts writing a new field still recognises its own earlier work.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item_hash = models.CharField(max_length=64)
    written_values = models.JSONField(null=True, blank=True)
    revision_id = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="imported_item_kind_key")
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"


class PageImport(models.Model):
    """Where an imported page came from, when it was fetched, and what was mapped where.

    One row per source (a web address, or a file's name): importing it again updates this row
    and the same draft, never a second page.
    """

    source = models.CharField(max_length=1000, unique=True)
    source_url = models.CharField(
        max_length=1000, blank=True, help_text="The web address fetched (empty for a file)."
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_type = models.CharField(max_length=40)
    fetched_at = models.DateTimeField()
    mapped = models.JSONField(default=list, help_text="[field, heading, characters] per field.")
    left_out = models.JSONField(default=list, help_text="Headings and text not mapped.")
    cut = models.JSONField(
        default=list, help_text="What was shortened or not read, and why, one line each."
    )
    links = models.JSONField(default=list)
    dates = models.JSONField(default=list)
    last_outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-fetched_at"]

    def __str__(self):
        return self.source

    def mapped_rows(self):
        """(field as the editor's form names it, from where, characters) per mapped field."""
        from .html_import import page_field_label  # html_import imports this module

        return [
            (page_field_label(self.page_type, name), where, size)
            for name, where, size in self.mapped
        ]


class LinkCheck(models.Model):
    """The last check of one web address held by a resource or case study."""

    class Outcome(models.TextChoices):
        OK = "ok", "Works"
        REDIRECTED = "redirected", "Works, redirected"
        BROKEN = "broken", "Broken"
        UNREACHABLE = "unreachable", "Unreachable"

    url = models.CharField(max_length=1000, unique=True, help_text="The address as held.")
    checked_url = models.CharField(max_length=1000, help_text="What was requested.")
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    redirect_to = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return f"{self.url}: {self.outcome}"

    @property
    def works(self):
        return self.outcome in (self.Outcome.OK, self.Outcome.REDIRECTED)
