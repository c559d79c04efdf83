"""The search outbox: pages whose Elasticsearch copy could not be updated.

A failed update must never be lost, so it is written to the database, which is up whenever pages
can be published at all. Rows name a page, not a payload: replaying re-reads the page and indexes
or deletes whatever is true now, so replays are idempotent and their order does not matter.
"""

from django.db import models


class SearchOutboxEntry(models.Model):
    class Action(models.TextChoices):
        INDEX = "index", "Index"
        DELETE = "delete", "Delete"

    # Not a foreign key: a deleted page's entry must outlive the page so the delete is replayed.
    page_id = models.PositiveIntegerField(unique=True)
    action = models.CharField(
        max_length=10, choices=Action.choices, help_text="The update that failed (for operators)."
    )
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "page_id"]
        verbose_name = "search outbox entry"
        verbose_name_plural = "search outbox entries"

    def __str__(self):
        return f"{self.action} page {self.page_id} ({self.attempts} attempts)"
