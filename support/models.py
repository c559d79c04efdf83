"""The national support team's private records: visits, recommendations, follow-ups and packs.

Nothing here is a page, nothing is indexed (no model is `index.Indexed`), and only the pack share
page (by an unguessable token) is ever shown outside the admin. Changes go through Wagtail's
snippet views, so every edit is in Wagtail's history, with a revision to compare.
"""

from __future__ import annotations

import calendar
import datetime
import secrets

from django.conf import settings
from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable, RevisionMixin

from kb.models import Area, Theme

from .panels import PositionedInlinePanel
from .topics import OPTIONAL_TOPIC_SLUGS, category_names_for, recommendation_themes

SUPPORT_GROUP_NAME = "Support team"

# Section 1.6: the follow-up package is agreed about six weeks after the visit; the
# self-assessment records progress at 6 to 12 months.
PACKAGE_DUE_AFTER = datetime.timedelta(weeks=6)
SELF_ASSESSMENT_MONTHS = (6, 12)


def person_label(user) -> str:
    """How the workspace names a person: the full name, the username only when there is none."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PersonSeen(models.TextChoices):
    """The people an NST visit speaks with (section 1.5 of the report)."""

    PCT_CHIEF_EXECUTIVE = "pct_chief_executive", "Chief executive of the PCT"
    LA_CHIEF_EXECUTIVE = "la_chief_executive", "Chief executive of the local authority"
    TRUST_CHIEF_EXECUTIVE = "trust_chief_executive", "Chief executive of a hospital trust"
    DIRECTOR_OF_PUBLIC_HEALTH = "director_of_public_health", "Director of public health"
    DIRECTOR_OF_CHILDRENS_SERVICES = (
        "director_of_childrens_services",
        "Director of children's services",
    )
    LSCB_CHAIR = "lscb_chair", "Chair of the Local Safeguarding Children Board (LSCB)"
    TRUST_STAFF = "trust_staff", "Management and frontline staff from hospital trusts"
    CHILDRENS_CENTRE_STAFF = (
        "childrens_centre_staff",
        "Management and frontline staff from Sure Start Children's Centres",
    )
    MSLC_CHAIR = "mslc_chair", "Chair of the Maternity Services Liaison Committee"


class Visit(RevisionMixin, ClusterableModel):
    """One visit to a local area: who went, whom they saw, what was discussed and decided."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        VISITED = "visited", "Visited"
        FOLLOW_UP_AGREED = "follow_up_agreed", "Follow-up agreed"
        REVIEWED = "reviewed", "Reviewed"
        CLOSED = "closed", "Closed"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="support_visits")
    start_date = models.DateField(
        help_text="First day of the visit (visits normally last four days)."
    )
    end_date = models.DateField(help_text="Last day of the visit. Follow-up dates count from here.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    team = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Support team members on the visit.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who leads the visit.",
    )
    chosen_topics = ParentalManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        verbose_name="topics the area chose",
        help_text="Exactly two, from the optional topics. The four core topics are always "
        "discussed.",
    )
    people_seen = models.JSONField(default=list, blank=True)
    people_seen_other = models.TextField(
        "others seen", blank=True, help_text="Anyone else seen, one role per line."
    )
    strengths = models.TextField(
        blank=True,
        help_text="What the area does well, as the team will write it in the visit report.",
    )
    notes = models.TextField(
        blank=True, help_text="The team's own notes: never in the visit report sent to the area."
    )
    lead_contacts = models.TextField(
        "the area's lead contacts",
        blank=True,
        help_text="Who receives the visit report: one a line, a name then the email address, "
        "e.g. Jo Bloggs <jo@example.org>. Seen only by the support team.",
    )
    evaluation_participants = models.PositiveIntegerField(
        "people who answered the evaluation",
        null=True,
        blank=True,
        help_text="The informal evaluation collected at the end of the visit.",
    )
    evaluation_positive = models.PositiveIntegerField(
        "said it gave a basis for further improvement", null=True, blank=True
    )

    panels = [
        FieldPanel("area"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading="Dates"),
        FieldPanel("status"),
        MultiFieldPanel([FieldPanel("lead"), FieldPanel("team")], heading="Visit team"),
        FieldPanel("chosen_topics"),
        MultiFieldPanel(
            [FieldPanel("people_seen"), FieldPanel("people_seen_other")], heading="People seen"
        ),
        FieldPanel("strengths"),
        FieldPanel("notes"),
        FieldPanel("lead_contacts"),
        MultiFieldPanel(
            [FieldPanel("evaluation_participants"), FieldPanel("evaluation_positive")],
            heading="End of visit evaluation",
        ),
        InlinePanel("recommendations", heading="Recommendations", label="Recommendation"),
        InlinePanel(
            "follow_ups",
            heading="Follow-ups",
            label="Follow-up",
            help_text="The package (six weeks after the visit) and the self-assessment (6 to 12 "
            "months after) are added with computed dates when the visit is saved; change them "
            "here.",
        ),
    ]

    class Meta:
        ordering = ["-start_date", "-pk"]
        permissions = [("use_workspace", "Can use the support team workspace")]

    def __str__(self):
        when = self.start_date.strftime("%-d %B %Y") if self.start_date else "no date"
        area = self.area.name if self.area_id else "no area"
        return f"{area} visit, {when}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_end_date = self.end_date

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The visit cannot end before it starts."
        if (
            self.evaluation_participants is not None
            and self.evaluation_positive is not None
            and self.evaluation_positive > self.evaluation_participants
        ):
            errors["evaluation_positive"] = (
                "More people said it gave a basis for improvement than answered the evaluation."
            )
        if errors:
            raise ValidationError(errors)

    # --- Topics --------------------------------------------------------------------------
    def topics(self):
        """The four core topics then the two the area chose: the six the pack is built from."""
        core = [theme for theme in Theme.objects.filter(is_core=True, parent=None)]
        return core + sorted(self.chosen_topics.all(), key=lambda t: (t.sort_order, t.name))

    # --- Follow-ups ----------------------------------------------------------------------
    def computed_due_date(self, kind, end_date=None):
        end_date = end_date or self.end_date
        if end_date is None:
            return None
        if kind == FollowUp.Kind.PACKAGE:
            return end_date + PACKAGE_DUE_AFTER
        return add_months(end_date, SELF_ASSESSMENT_MONTHS[0])

    def save(self, *args, **kwargs):
        """Add the two follow-ups with computed dates; move dates nobody changed by hand."""
        existing = {follow_up.kind: follow_up for follow_up in self.follow_ups.all()}
        old_end = self._loaded_end_date
        moved = []
        for kind in FollowUp.Kind:
            follow_up = existing.get(kind)
            due = self.computed_due_date(kind)
            if follow_up is None:
                self.follow_ups.add(FollowUp(kind=kind, due_date=due, owner=self.lead))
            elif follow_up.due_date is None or (
                old_end
                and old_end != self.end_date
                and follow_up.due_date == self.computed_due_date(kind, old_end)
            ):
                follow_up.due_date = due
                moved.append(follow_up)
        super().save(*args, **kwargs)
        for follow_up in moved:  # read from the database, so not committed with the cluster
            if follow_up.pk:
                follow_up.save(update_fields=["due_date"])
        self._loaded_end_date = self.end_date

    @admin.display(description="lead", ordering="lead__first_name")
    def lead_name(self):
        return person_label(self.lead)

    @property
    def evaluation_share(self):
        if not self.evaluation_participants or self.evaluation_positive is None:
            return None
        return round(100 * self.evaluation_positive / self.evaluation_participants)


def validate_chosen_topics(themes) -> str | None:
    """The one rule for a visit's chosen topics; returns the error to show, or None."""
    themes = list(themes)
    not_optional = [t.name for t in themes if t.slug not in OPTIONAL_TOPIC_SLUGS]
    if not_optional:
        return (
            f"Choose from the optional topics only; {', '.join(not_optional)} "
            f"{'is' if len(not_optional) == 1 else 'are'} not one of them."
        )
    if len(themes) != 2:
        return (
            f"Choose exactly two optional topics (the area's own choices); you chose {len(themes)}."
        )
    return None


class Recommendation(RevisionMixin, Orderable):
    """A recommendation made at a visit, in a category of the report's tables, with progress."""

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"

    visit = ParentalKey(Visit, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(help_text="The recommendation as agreed with the area.")
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The theme, or strategic approaches for a strategic recommendation.",
    )
    category = models.CharField(
        max_length=255, help_text="A category from that theme's table in the report."
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    owner_role = models.CharField(
        "owned by (role in the area)",
        max_length=200,
        blank=True,
        help_text="A role, e.g. Director of Public Health. Not a person's name.",
    )
    progress = models.CharField(
        max_length=20,
        choices=Progress.choices,
        default=Progress.NOT_STARTED,
        help_text="The 6-12 month self-assessment.",
    )
    progress_notes = models.TextField(blank=True)

    panels = [
        FieldPanel("text"),
        # Each on its own row: category names are long, and a row of two squeezed the select
        # off the form.
        FieldPanel("theme"),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("priority"), FieldPanel("owner_role")]),
        FieldRowPanel([FieldPanel("progress"), FieldPanel("progress_notes")]),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]

    def __str__(self):
        text = " ".join((self.text or "").split())
        return text if len(text) <= 80 else text[:77] + "..."

    # --- Progress from the area (through a progress link) -----------------------------------
    def latest_update(self):
        """The area's last change, read from `progress_updates` (prefetch it for a list)."""
        return next(iter(self.progress_updates.all()), None)

    @admin.display(description="area's comment")
    def area_comment(self):
        update = self.latest_update()
        return update.comment if update else ""

    @admin.display(description="progress updated")
    def progress_updated(self):
        update = self.latest_update()
        return f"{update.made_at:%Y-%m-%d} by {update.made_by}" if update else ""

    def clean(self):
        # An empty text is the form's "Write the recommendation." (said once, not twice).
        if self.theme_id and self.category:
            if self.theme_id not in recommendation_themes():
                raise ValidationError(
                    {"theme": "This theme has no recommendation table in the knowledge base."}
                )
            if self.category not in category_names_for(self.theme_id):
                raise ValidationError(
                    {
                        "category": f"\u201c{self.category}\u201d is not a category of "
                        f"{recommendation_themes()[self.theme_id]}. Choose one from that "
                        "theme's table."
                    }
                )


class FollowUp(models.Model):
    """The follow-up package and the self-assessment, each with an owner and a status."""

    class Kind(models.TextChoices):
        PACKAGE = "package", "Follow-up support package"
        SELF_ASSESSMENT = "self_assessment", "Self-assessment (6-12 months)"

    class Status(models.TextChoices):
        TO_DO = "to_do", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    visit = ParentalKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField(
        null=True, blank=True, help_text="Computed from the visit's end date; change it if agreed."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TO_DO)
    notes = models.TextField(
        blank=True, help_text="The support agreed: shown in the visit report sent to the area."
    )
    reminded_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When `support_due --notify` last emailed the owner about it (once a day).",
    )

    panels = [
        FieldPanel("visit"),
        FieldPanel("kind"),
        FieldPanel("due_date"),
        FieldPanel("owner"),
        FieldPanel("status"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.visit}"

    @admin.display(description="owner", ordering="owner__first_name")
    def owner_name(self):
        return person_label(self.owner)

    @property
    def is_open(self):
        return self.status != self.Status.DONE

    @property
    def days_overdue(self):
        """How many days past its due date an open item is (0 when it is not overdue)."""
        if not self.is_open or self.due_date is None:
            return 0
        return max(0, (timezone.localdate() - self.due_date).days)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class Pack(RevisionMixin, ClusterableModel):
    """The resources the team signposts an area to, for a visit or an area not visited."""

    title = models.CharField(max_length=200, help_text="e.g. Signposting pack for Sandwell.")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="support_packs")
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="packs",
        help_text="Leave empty for an area that was not visited.",
    )
    introduction = models.TextField(
        blank=True, help_text="A short message to the area, shown at the top of the pack."
    )
    topics = ParentalManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        help_text="For an area not visited: the topics to suggest resources for. A visit's "
        "own six topics are used otherwise.",
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("area"), FieldPanel("visit")]),
        FieldPanel("topics"),
        FieldPanel("introduction"),
        PositionedInlinePanel(
            "items",
            heading="Items",
            label="Item",
            help_text="To reorder, type each item's position and save, or use Move up, Move "
            "down or drag. Items are grouped by topic on the pack page.",
        ),
    ]

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.visit_id and self.area_id and self.visit.area_id != self.area_id:
            raise ValidationError(
                {"visit": f"That visit was to {self.visit.area}, not {self.area}."}
            )

    def suggestion_topics(self):
        if self.visit_id:
            return self.visit.topics()
        return sorted(self.topics.all(), key=lambda t: (t.sort_order, t.name))


class PackItem(Orderable):
    pack = ParentalKey(Pack, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A case study, resource or evidence summary.",
    )
    topic = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The group it is shown under.",
    )
    note = models.TextField("why this matters for you", blank=True)
    reason = models.CharField(
        "why it was suggested", max_length=255, blank=True, help_text="Filled in by suggestions."
    )
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pack_items",
        verbose_name="supports the recommendation",
        help_text="One of this visit's recommendations. Shown with the item to the area.",
    )

    panels = [
        PageChooserPanel("page", ["kb.CaseStudyPage", "kb.ResourcePage", "kb.EvidenceSummaryPage"]),
        FieldPanel("topic"),
        FieldPanel("note"),
        FieldPanel("recommendation"),
        FieldPanel("reason", read_only=True),
    ]


def recommendation_outside_visit(recommendation, visit) -> str | None:
    """The one rule for the recommendation a pack item supports: one of the pack's own visit.
    Returns the error to show, or None."""
    if recommendation is None or (visit is not None and recommendation.visit_id == visit.pk):
        return None
    if visit is None:
        return (
            "This pack is for an area not visited, so it has no recommendations: leave "
            "“supports the recommendation” empty, or choose the pack's visit."
        )
    return (
        f"“{recommendation}” is a recommendation of another visit. Choose one of "
        f"the recommendations of the {visit}."
    )


def new_share_token() -> str:
    """256 bits from the OS's CSPRNG, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class PrivateLink(models.Model):
    """What every private link outside the admin shares: it opens one record without a login,
    until the team revokes it or its expiry date passes. The share link and the progress link
    both inherit it, and `support.links` answers for both (404, 410, private headers).

    A subclass says how a token finds its record (`from_token`) and what its URL is (`url`).
    """

    expires_on = models.DateField(
        null=True, blank=True, help_text="After this day the link shows that it has expired."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def from_token(cls, token: str):
        raise NotImplementedError

    def is_expired(self, today=None):
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def link_state(self):
        if self.revoked_at:
            return "revoked"
        if self.is_expired():
            return "expired"
        return "active"

    def revoke(self) -> bool:
        """Revoke once (a second click changes nothing); True when this call revoked it."""
        updated = (
            type(self).objects.filter(pk=self.pk, revoked_at=None).update(revoked_at=timezone.now())
        )
        if updated:
            self.refresh_from_db(fields=["revoked_at"])
        return bool(updated)


class FrozenSending(models.Model):
    """What every sending to people outside the team records: a frozen snapshot, who sent it,
    to whom, and how delivery went. Pack sendings and sent visit reports share it."""

    send_key = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="The send form's one-time key, so a second click sends nothing twice.",
    )
    sent_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recipients = models.JSONField(default=list, editable=False)
    snapshot = models.JSONField(default=dict, editable=False)
    emails_sent = models.PositiveIntegerField(default=0, editable=False)
    delivery_error = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True

    @admin.display(description="sent by", ordering="sent_by__first_name")
    def sender_name(self):
        return person_label(self.sent_by)


class PackSending(FrozenSending, PrivateLink):
    """One sending of a pack: a frozen snapshot, who sent it to whom, and its share link.

    Never deleted and never edited after sending, except to revoke the link or set its expiry.
    """

    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="sendings")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    resent_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resendings",
        editable=False,
        help_text="The first sending of the same snapshot, when this one sends it again.",
    )

    panels = [FieldPanel("expires_on")]

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "pack sending"

    def __str__(self):
        return f"{self.snapshot.get('title') or self.pack} sent {self.sent_at:%-d %B %Y}"

    @property
    def first_sending(self):
        """The sending whose snapshot this is: itself, or the one it sends again."""
        return self.resent_from or self

    def sendings_of_this_snapshot(self):
        """The first sending of this snapshot and every sending of it again, oldest first."""
        first = self.first_sending
        return (
            PackSending.objects.filter(models.Q(pk=first.pk) | models.Q(resent_from=first))
            .select_related("sent_by")
            .order_by("sent_at", "pk")
        )

    @property
    def recipient_count(self):
        return len(self.recipients)

    @classmethod
    def from_token(cls, token: str):
        """The share token is stored (the team can copy the link again from the sending)."""
        return cls.objects.filter(token=token).first()


PROGRESS_LINK_SALT = "support.progress-link"


def _progress_signer():
    return signing.Signer(salt=PROGRESS_LINK_SALT, sep=".")


class ProgressLink(PrivateLink):
    """The area lead's private link to record progress on one visit's recommendations (the
    6-12 month self-assessment), with no login.

    Its token is the link's id signed with the site's secret key (HMAC-SHA256), so the database
    holds nothing that opens it and the team can show the link again; a new link has a new id,
    so a revoked link never comes back. Changing SECRET_KEY ends every progress link.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="progress_links")
    recipient_name = models.CharField(
        "recipient",
        max_length=120,
        help_text="Who will use the link, e.g. the area's lead for the self-assessment. Their "
        "name is recorded against every change made through it.",
    )
    expires_on = models.DateField(
        "link expires on",
        help_text="After this day the link shows that it has expired. The self-assessment is "
        "due 6 to 12 months after the visit.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Progress link for {self.recipient_name} ({self.visit})"

    @property
    def token(self) -> str:
        return _progress_signer().sign(str(self.pk))

    @classmethod
    def from_token(cls, token: str):
        try:
            pk = _progress_signer().unsign(token)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("visit__area").filter(pk=pk).first()


class ProgressUpdate(models.Model):
    """One change the area made through a progress link: who, when, and the old and new
    values. Never edited or deleted by hand: it is the record the team reads."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="progress_updates"
    )
    link = models.ForeignKey(
        ProgressLink, on_delete=models.CASCADE, related_name="updates", editable=False
    )
    made_by = models.CharField(max_length=120, editable=False, help_text="The link's recipient.")
    made_at = models.DateTimeField(default=timezone.now, editable=False)
    old_progress = models.CharField(max_length=20, choices=Recommendation.Progress.choices)
    new_progress = models.CharField(max_length=20, choices=Recommendation.Progress.choices)
    old_comment = models.TextField(blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"{self.made_by}, {self.made_at:%-d %B %Y}: {self.get_new_progress_display()}"

    @property
    def progress_changed(self):
        return self.old_progress != self.new_progress

    @property
    def comment_changed(self):
        return self.old_comment != self.comment


class SentReport(FrozenSending):
    """One sending of a visit report to the area: a frozen snapshot, who sent it, to whom.

    The snapshot holds everything the report shows, so later edits to the visit, its
    recommendations, follow-ups or packs never change what was sent. Never edited, never
    deleted; the visit may be deleted and its sent reports stay.
    """

    visit = models.ForeignKey(
        Visit, null=True, on_delete=models.SET_NULL, related_name="sent_reports", editable=False
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"Visit report for {self.snapshot.get('visit') or 'a visit'}, sent {self.sent_at:%-d %B %Y}"
