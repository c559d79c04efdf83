"""A practitioner's submission: private to moderators, never indexed, exported or published.

What they sent becomes a draft case study (`page`); who they are (name and email) stays here
and reaches the page only if they asked for it. Declined submissions are deleted, with their
draft, after SUBMISSIONS_RETENTION_DAYS (`manage.py purge_submissions`).
"""

import secrets

from django.db import models

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone


def new_reference():
    return "SP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Submission(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"

    OPEN = (Status.RECEIVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)

    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    title = models.CharField(max_length=255, help_text="As submitted.")
    submitted = models.JSONField(
        default=dict, help_text="Every answer as the practitioner sent it, as text."
    )
    links = models.JSONField(default=list, help_text="Links to the write-up, as given.")
    duplicates = models.JSONField(
        default=list, help_text="Pages that may already hold this, when it arrived."
    )
    suggested_tags = models.JSONField(default=list, help_text="Tags the text suggested.")
    submitter_name = models.CharField(max_length=120, blank=True)
    submitter_email = models.EmailField(blank=True)
    publish_submitter = models.BooleanField(
        default=False, help_text="They asked for their name and email to be published."
    )
    consent_to_share = models.BooleanField(default=False)
    contacts_agreed = models.BooleanField(default=False)
    moderator_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference


class SubmissionReply(models.Model):
    """The practitioner's answer to a request for changes. It never edits the draft itself."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Answer to {self.submission.reference}"
