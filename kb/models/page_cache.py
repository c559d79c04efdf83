from django.db import models


class PageCacheGeneration(models.Model):
    """One row: bumped by every write, so cached public pages from before it go unused
    (kb.page_cache)."""

    value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self):
        return f"generation {self.value}"
