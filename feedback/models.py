"""What readers said about a page. No name, email, address or cookie is stored: only the page,
the answer, and problem text with emails and phone numbers masked (feedback.privacy)."""

from django.db import models


class PageFeedback(models.Model):
    class Kind(models.TextChoices):
        USEFUL = "useful", "Useful"
        NOT_USEFUL = "not_useful", "Not useful"
        PROBLEM = "problem", "Problem reported"

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=500, help_text="The address the reader was on.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True, help_text="What went wrong, with personal details masked.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.path}"
