"""What a submission does: make the draft, tell the submitter, follow the moderators' decisions.

Every query the submission views make lives here or in `queries.py`; views never build them.
The draft is made like an import (importers' slug rule, duplicate and tag suggestions) and
enters the "Review and publish" workflow: only a moderator can make it live.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from importers.html_import import _unique_slug as unique_slug
from importers.suggest import TagSuggester, similar_pages
from kb.models import CaseStudyContact, CaseStudyIndexPage, CaseStudyOutcome, CaseStudyPage

from .models import Submission, SubmissionReply

STATUS_SALT = "submissions.status"
MAX_SUGGESTION_TEXT = 20_000
STATUS_EXPLAINED = {
    Submission.Status.RECEIVED: "We have your submission. A moderator will look at it soon.",
    Submission.Status.IN_REVIEW: "A moderator is reviewing your submission.",
    Submission.Status.CHANGES_REQUESTED: "A moderator has asked you for changes. Read their "
    "message and answer below.",
    Submission.Status.PUBLISHED: "Your case study is published. Thank you for sharing it.",
    Submission.Status.DECLINED: "A moderator decided not to publish your submission.",
}


class NoPlaceForCaseStudies(Exception):
    """There is no Case studies section yet (before load_initial_data)."""


# --- links -----------------------------------------------------------------------------------


def status_token(submission):
    return signing.dumps(submission.reference, salt=STATUS_SALT)


def submission_for_token(token):
    """The submission a status link names, or None for a forged, altered or stale link."""
    try:
        reference = signing.loads(token, salt=STATUS_SALT)
    except signing.BadSignature:
        return None
    return Submission.objects.filter(reference=reference).first()


def public_url(path):
    site = Site.objects.filter(is_default_site=True).first()
    base = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def status_url(submission):
    return public_url(reverse("submissions-status", args=[status_token(submission)]))


# --- arriving --------------------------------------------------------------------------------


def _suggestions(data, area):
    duplicates = similar_pages(
        title=data["title"],
        summary=data["problem"],
        type_key="case_study",
        areas=[area.slug] if area else [],
    )
    text = " ".join(
        [data["title"], data["problem"], data["aims"], data["what_was_done"], data["area_other"]]
    )[:MAX_SUGGESTION_TEXT]
    tags = TagSuggester().suggest(text)
    return (
        [{"title": d.title, "url": d.url, "reasons": d.reasons} for d in duplicates],
        [{"kind": t.kind, "name": t.name, "why": t.why} for t in tags],
    )


def _as_text(value):
    return "" if value is None else str(value)


def _draft(data, area, outcomes, reference):
    parent = CaseStudyIndexPage.objects.first()
    if parent is None:
        raise NoPlaceForCaseStudies
    page = CaseStudyPage(
        title=data["title"],
        slug=unique_slug(parent, data["title"]),
        summary=data["problem"],
        aims=data["aims"],
        what_was_done=data["what_was_done"],
        evaluation_status=data["evaluation_status"],
        evaluation=data["evaluation"],
        start_year=data["start_year"],
        live=False,
    )
    if area is not None:
        page.areas = [area]
    page.outcomes = [
        CaseStudyOutcome(
            measure=row["measure"], value=row["value"], unit=row["unit"], period=row["period"]
        )
        for row in outcomes
    ]
    contacts = []
    if data["contact_name"] or data["contact_email"] or data["contact_phone"]:
        contacts.append(
            CaseStudyContact(
                name=data["contact_name"],
                role=data["contact_role"],
                organisation=data["contact_organisation"],
                email=data["contact_email"],
                phone=data["contact_phone"],
                consent_confirmed=data["contacts_agreed"],
            )
        )
    if data["publish_submitter"]:
        contacts.append(
            CaseStudyContact(
                name=data["submitter_name"], email=data["submitter_email"], consent_confirmed=True
            )
        )
    page.contacts = contacts
    parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, None)
    return page, revision


def receive(data, outcomes):
    """A valid form's answers -> the submission and its draft in the workflow, then the
    acknowledgement email. `outcomes` are the outcome rows that name a measure."""
    area = data["area"]
    duplicates, tags = _suggestions(data, area)
    private = {"submitter_name", "submitter_email", "website", "started", "area"}
    submitted = {k: _as_text(v) for k, v in data.items() if k not in private and k != "links"}
    submitted["area"] = area.name if area else ""
    submitted["outcomes"] = [{k: _as_text(v) for k, v in row.items()} for row in outcomes]
    with transaction.atomic():
        submission = Submission(
            title=data["title"],
            submitted=submitted,
            links=data["links"],
            duplicates=duplicates,
            suggested_tags=tags,
            submitter_name=data["submitter_name"],
            submitter_email=data["submitter_email"],
            publish_submitter=data["publish_submitter"],
            consent_to_share=data["consent_to_share"],
            contacts_agreed=data["contacts_agreed"],
        )
        page, _revision = _draft(data, area, outcomes, submission.reference)
        submission.page = page
        submission.save()
    email_submitter(submission, "acknowledgement")
    return submission


# --- the submitter's answer ------------------------------------------------------------------


def reply(submission, text):
    """Keep the answer beside the draft (never in its fields, so no editor's edit is replaced)
    and hand the draft back to the moderators."""
    with transaction.atomic():
        SubmissionReply.objects.create(submission=submission, text=text)
        state = _workflow_state(submission)
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user=None)
        submission.status = Submission.Status.IN_REVIEW
        submission.save(update_fields=["status"])


# --- moderators ------------------------------------------------------------------------------


def _workflow_state(submission):
    page = _page(submission)
    return page.current_workflow_state if page is not None else None


def _page(submission):
    if submission.page_id is None:
        return None
    return Page.objects.filter(pk=submission.page_id).specific().first()


def open_for_review(submission):
    """A moderator opened it: the submitter now sees "in review"."""
    if submission.status == Submission.Status.RECEIVED:
        submission.status = Submission.Status.IN_REVIEW
        submission.save(update_fields=["status"])


def available_actions(submission, user):
    """What this moderator may do now: approve / reject through the workflow task, decline."""
    actions = set()
    state = _workflow_state(submission)
    if state is not None and state.current_task_state is not None:
        task_state = state.current_task_state
        task = task_state.task.specific
        if task_state.status == task_state.STATUS_IN_PROGRESS:
            names = {name for name, *_rest in task.get_actions(state.content_object, user)}
            actions |= names & {"approve", "reject"}
    page = _page(submission)
    may_publish = page is not None and page.permissions_for_user(user).can_publish()
    if submission.status in Submission.OPEN and (may_publish or user.is_superuser):
        actions.add("decline")
    return actions


def act(submission, user, action, message=""):
    """approve (publishes), reject (asks for changes) or decline, with the moderator's message."""
    if action in ("approve", "reject"):
        state = _workflow_state(submission)
        task_state = state.current_task_state
        submission.moderator_message = message
        submission.save(update_fields=["moderator_message"])
        task_state.task.specific.on_action(task_state, user, action, comment=message)
    elif action == "decline":
        state = _workflow_state(submission)
        if state is not None:
            state.cancel(user=user)
        decide(submission, Submission.Status.DECLINED, message)


def decide(submission, status, message=None):
    """Record a moderator's decision and tell the submitter (once per decision)."""
    if submission.status == status and status != Submission.Status.CHANGES_REQUESTED:
        return
    submission.status = status
    if message is not None:
        submission.moderator_message = message
    if status in (Submission.Status.PUBLISHED, Submission.Status.DECLINED):
        submission.decided_at = timezone.now()
    submission.save()
    email_submitter(submission, status)


# --- email -----------------------------------------------------------------------------------

EMAIL_SUBJECTS = {
    "acknowledgement": "We have received your practice example ({reference})",
    Submission.Status.CHANGES_REQUESTED: "Changes requested to your practice example ({reference})",
    Submission.Status.PUBLISHED: "Your practice example is published ({reference})",
    Submission.Status.DECLINED: "Your practice example ({reference})",
}


def email_submitter(submission, kind):
    if not submission.submitter_email or kind not in EMAIL_SUBJECTS:
        return
    page = _page(submission)
    body = render_to_string(
        "submissions/email.txt",
        {
            "kind": kind,
            "submission": submission,
            "status_url": status_url(submission),
            "page_url": page.get_full_url() if page is not None and page.live else "",
        },
    )
    send_mail(
        EMAIL_SUBJECTS[kind].format(reference=submission.reference),
        body,
        None,
        [submission.submitter_email],
    )


def live_url(submission):
    page = _page(submission)
    return page.url if page is not None and page.live else ""
