"""The visit report: the team's written output for the area, as a page, a PDF and an email.

One snapshot (a plain dict) holds everything the report shows: the visit, who was seen, its
strengths, every recommendation with owner and priority, the agreed follow-up support and
dates, and the visit's packs. The workspace page shows it built fresh; sending freezes it on a
`SentReport`, so later edits to the visit never change a sent report. The team's own notes on
the visit are never in it. Recipients are kept on the sent report, never in the snapshot.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .models import FollowUp, PersonSeen, Recommendation, SentReport, Visit, person_label
from .pdf import render_report_pdf
from .sending import (
    EmptyPack,
    build_snapshot,
    ordered_items,
    published_pages,
    send_and_record,
    team_message,
)


def report_visit(pk):
    """The visit with everything its report reads, in a fixed number of queries."""
    return (
        Visit.objects.select_related("area", "lead")
        .prefetch_related(
            "team",
            "chosen_topics",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("theme").order_by(
                    "sort_order", "pk"
                ),
            ),
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("owner").order_by("due_date", "pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def build_report_snapshot(visit: Visit, *, sender_name: str, absolute) -> dict:
    """The report as the visit stands now. `absolute` turns a site path into a full URL."""
    people = dict(PersonSeen.choices)
    visit_packs = list(
        visit.packs.select_related("area")
        .prefetch_related(Prefetch("items", queryset=ordered_items()))
        .order_by("pk")
    )
    live = published_pages(item.page_id for pack in visit_packs for item in pack.items.all())
    packs = []
    for pack in visit_packs:
        try:
            packs.append(
                build_snapshot(
                    pack,
                    sender_name=sender_name,
                    absolute=absolute,
                    items=list(pack.items.all()),
                    live=live,
                )
            )
        except EmptyPack:  # nothing published in it: nothing to show the area
            continue
    recommendations = []
    for recommendation in visit.recommendations.all():
        recommendations.append(
            {
                "text": recommendation.text,
                "theme": recommendation.theme.name,
                "category": recommendation.category,
                "priority": recommendation.get_priority_display(),
                "owner_role": recommendation.owner_role,
                # The pack items that name it (matched within this one snapshot).
                "supported_by": [
                    item["title"]
                    for pack in packs
                    for group in pack["groups"]
                    for item in group["items"]
                    if item.get("recommendation") == recommendation.text
                ],
            }
        )
    return {
        "title": f"Visit report: {visit.area.name}",
        "visit": str(visit),
        "area": visit.area.name,
        "start_date": _iso(visit.start_date),
        "end_date": _iso(visit.end_date),
        "lead": person_label(visit.lead),
        "team": [person_label(user) for user in visit.team.all()],
        "topics": [topic.name for topic in visit.topics()],
        "people_seen": [people.get(role, role) for role in visit.people_seen or []]
        + [line.strip() for line in visit.people_seen_other.splitlines() if line.strip()],
        "strengths": visit.strengths,
        "evaluation": (
            {
                "participants": visit.evaluation_participants,
                "positive": visit.evaluation_positive,
                "share": visit.evaluation_share,
            }
            if visit.evaluation_share is not None
            else None
        ),
        "recommendations": recommendations,
        "follow_ups": [
            {
                "kind": follow_up.get_kind_display(),
                "due_date": _iso(follow_up.due_date),
                "owner": person_label(follow_up.owner),
                "notes": follow_up.notes,
            }
            for follow_up in visit.follow_ups.all()
        ],
        "packs": packs,
        "sent_on": timezone.localdate().isoformat(),
        "sender": sender_name,
    }


def for_display(snapshot: dict) -> dict:
    """A copy of the snapshot with its ISO dates as dates, for templates to format."""

    def day(value):
        return datetime.date.fromisoformat(value) if value else None

    shown = dict(snapshot)
    for key in ("start_date", "end_date", "sent_on"):
        shown[key] = day(snapshot.get(key))
    shown["follow_ups"] = [
        {**follow_up, "due_date": day(follow_up.get("due_date"))}
        for follow_up in snapshot.get("follow_ups", [])
    ]
    return shown


def report_filename(snapshot: dict) -> str:
    return f"{slugify(snapshot.get('title', '')) or 'visit-report'}.pdf"


def send_report(visit: Visit, *, user, recipients, send_key, absolute) -> tuple[SentReport, bool]:
    """Freeze, record and email one visit report; returns (sent report, created).

    The same send_key (the form's one-time key) returns the first sent report and sends
    nothing again, so a second click on "send" is harmless.
    """
    existing = SentReport.objects.filter(send_key=send_key).first()
    if existing is not None:
        return existing, False
    snapshot = build_report_snapshot(visit, sender_name=person_label(user), absolute=absolute)
    try:
        with transaction.atomic():
            report = SentReport.objects.create(
                visit=visit,
                send_key=send_key,
                sent_by=user,
                recipients=recipients,
                snapshot=snapshot,
            )
    except IntegrityError:  # the same key, committed by a concurrent click
        return SentReport.objects.get(send_key=send_key), False
    deliver_report(report)
    return report, True


def deliver_report(report: SentReport) -> None:
    """One message per lead contact (nobody sees the others' addresses), the PDF attached."""
    snapshot = report.snapshot
    pdf = render_report_pdf(snapshot)
    messages = []
    for recipient in report.recipients:
        context = {"recipient": recipient, "report": for_display(snapshot)}
        message = team_message(
            report.sent_by,
            snapshot["sender"],
            recipient,
            subject=f"{snapshot['title']}, {snapshot['visit']}",
            body=render_to_string("support/email/report.txt", context),
        )
        message.attach(report_filename(snapshot), pdf, "application/pdf")
        messages.append(message)
    send_and_record(report, messages)
