"""Sending a pack: freeze a snapshot, record the sending, email each recipient the share link.

The snapshot holds everything the share page and the PDF show (titles, absolute URLs, notes,
groups, date, sender), so later edits to the pack or to the pages never change what was sent.
Recipients are kept on the sending, never in the snapshot (the share page is public) and never
in a log line.
"""

from __future__ import annotations

import logging
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from kb.contexts.visibility import public

from .models import Pack, PackItem, PackSending, person_label

logger = logging.getLogger(__name__)


class EmptyPack(ValueError):
    """Nothing published left to send."""


def ordered_items():
    """A pack's items in the team's order, with what a snapshot reads of each."""
    return PackItem.objects.select_related("topic", "recommendation").order_by("sort_order", "pk")


def published_pages(page_ids) -> dict:
    """The published pages among `page_ids`, by id, as their specific types."""
    return {page.pk: page for page in public(Page).filter(pk__in=list(page_ids)).specific()}


def build_snapshot(pack: Pack, *, sender_name: str, absolute, items=None, live=None) -> dict:
    """The pack as it is now, grouped by topic in the team's order.

    `absolute` turns a site path into a full URL. Items whose page is no longer published are
    left out (the share page never links to a page the public cannot open). `items` (from
    `ordered_items`) and `live` (from `published_pages`) are read here unless given, so that
    several packs built together (the visit report) read them once.
    """
    if items is None:
        items = list(ordered_items().filter(pack=pack))
    if live is None:
        live = published_pages(item.page_id for item in items)
    groups: dict = {}
    for item in items:
        page = live.get(item.page_id)
        if page is None:
            continue
        key = item.topic_id
        group = groups.setdefault(
            key, {"topic": item.topic.name if item.topic else "Other resources", "items": []}
        )
        group["items"].append(
            {
                "title": page.title,
                "url": absolute(page.url),
                "type": getattr(page, "type_label", "") or "Page",
                "summary": getattr(page, "summary", "") or "",
                "note": item.note,
                "reason": item.reason,
                # The area is the recipient: it reads the recommendation the item supports.
                "recommendation": item.recommendation.text if item.recommendation else "",
            }
        )
    if not groups:
        raise EmptyPack("This pack has no published items to send. Add at least one item.")
    today = timezone.localdate()
    return {
        "title": pack.title,
        "area": pack.area.name,
        "introduction": pack.introduction,
        "sent_on": today.isoformat(),
        "sender": sender_name,
        "groups": list(groups.values()),
        "left_out": len(items) - sum(len(g["items"]) for g in groups.values()),
    }


def team_from_address(sender_name: str) -> str:
    """The site's own address (the one the mail server may send from), named for the team
    member who sent it; replies go to that member (Reply-To)."""
    name = f"{sender_name}, national support team" if sender_name else "National support team"
    return formataddr((name, settings.DEFAULT_FROM_EMAIL))


def share_path(sending: PackSending) -> str:
    return reverse("support-pack-share", args=[sending.token])


def send_pack(
    pack: Pack, *, user, recipients, expires_on, send_key, absolute
) -> tuple[PackSending, bool]:
    """Freeze the pack as it is now, record and email one sending; returns (sending, created).

    The same send_key (the form's one-time key) returns the first sending and sends nothing
    again, so a second click on "send" is harmless.
    """
    existing = PackSending.objects.filter(send_key=send_key).first()
    if existing is not None:
        return existing, False
    snapshot = build_snapshot(pack, sender_name=person_label(user), absolute=absolute)
    return _record_and_deliver(
        PackSending(
            pack=pack,
            send_key=send_key,
            sent_by=user,
            recipients=recipients,
            snapshot=snapshot,
            expires_on=expires_on,
        ),
        absolute,
    )


def send_again(
    sending: PackSending, *, user, recipients, expires_on, send_key, absolute
) -> tuple[PackSending, bool]:
    """A new sending of `sending`'s snapshot, not of the pack as it is now: to some of its
    recipients again, or to new ones. It has its own link, expiry and record, and points to
    the first sending of that snapshot. Returns (sending, created), like `send_pack`."""
    existing = PackSending.objects.filter(send_key=send_key).first()
    if existing is not None:
        return existing, False
    first = sending.first_sending
    return _record_and_deliver(
        PackSending(
            pack_id=first.pack_id,
            send_key=send_key,
            sent_by=user,
            recipients=recipients,
            snapshot=first.snapshot,
            expires_on=expires_on,
            resent_from=first,
        ),
        absolute,
    )


def _record_and_deliver(sending: PackSending, absolute) -> tuple[PackSending, bool]:
    try:
        with transaction.atomic():
            sending.save()
    except IntegrityError:  # the same key, committed by a concurrent click
        return PackSending.objects.get(send_key=sending.send_key), False
    deliver(sending, absolute(share_path(sending)))
    return sending, True


def pack_email(
    snapshot: dict, *, sender, recipient: dict, share_url: str, sender_name: str = ""
) -> EmailMessage:
    """The email one recipient gets: from the site's address under the sender's name, with
    Reply-To the sender's address, the share link and every item with its note. The preview
    shows this same message."""
    sender_name = sender_name or person_label(sender) or snapshot.get("sender", "")
    context = {
        "recipient": recipient,
        "snapshot": snapshot,
        "share_url": share_url,
        "sender_name": sender_name,
    }
    return team_message(
        sender,
        sender_name,
        recipient,
        subject=f"Signposting pack: {snapshot['title']}",
        body=render_to_string("support/email/pack.txt", context),
    )


def deliver(sending: PackSending, share_url: str) -> None:
    """One message per recipient (nobody sees the others' addresses), signed by whoever sent
    this sending (a sending again may be sent by another team member)."""
    messages = [
        pack_email(
            sending.snapshot, sender=sending.sent_by, recipient=recipient, share_url=share_url
        )
        for recipient in sending.recipients
    ]
    send_and_record(sending, messages)


def team_message(sender, sender_name: str, recipient: dict, *, subject: str, body: str):
    """A message from the team to one recipient: from the site's address under the sender's
    name, with Reply-To the sender's own address."""
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=team_from_address(sender_name),
        reply_to=[sender.email] if sender and sender.email else None,
        to=[formataddr((recipient["name"], recipient["email"]))],
    )


def send_and_record(record, messages) -> None:
    """Send the messages and record on `record` (a sending) how many went, or why none did.

    A mail failure is recorded and logged by the record's id and the error's class only (SMTP
    errors can quote the addresses they refused); it is never a 500.
    """
    try:
        connection = get_connection()
        sent = connection.send_messages(messages) or 0
    except Exception as error:  # noqa: BLE001 - any mail failure is reported, never a 500
        logger.warning(
            "%s %s: email delivery failed (%s)",
            record._meta.verbose_name,
            record.pk,
            type(error).__name__,
        )
        record.delivery_error = f"The email could not be sent ({type(error).__name__})."
        record.save(update_fields=["delivery_error"])
        return
    record.emails_sent = sent
    record.delivery_error = ""
    record.save(update_fields=["emails_sent", "delivery_error"])
