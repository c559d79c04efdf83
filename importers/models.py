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
