"""Proposed taxonomy (an area or organisation an editor needs): the moderators are told, and
their dashboard lists what waits for them. Confirming, renaming and rejecting are the snippet's
own edit and delete views (kb.wagtail_hooks); a rejected one is deleted, and the pages that
used it keep everything else.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from config.site import absolute_url
from kb.models.taxonomy import Proposable

from . import roles


def proposable_models() -> list[type]:
    return [model for model in apps.get_models() if issubclass(model, Proposable)]


def edit_url(instance) -> str:
    return reverse(
        f"wagtailsnippets_{instance._meta.label_lower.replace('.', '_')}:edit", args=[instance.pk]
    )


def open_proposals() -> list:
    """Every unconfirmed proposal, oldest first."""
    waiting = [
        item
        for model in proposable_models()
        for item in model.objects.filter(confirmed=False).select_related("proposed_by")
    ]
    return sorted(waiting, key=lambda item: (item.proposed_at is None, item.proposed_at))


def notify_moderators(instance) -> int:
    """Email each active moderator that a proposal waits for them; returns how many."""
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=roles.MODERATORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    noun = instance._meta.verbose_name
    who = instance.proposed_by.get_username() if instance.proposed_by else "An editor"
    send_mail(
        f"New {noun} proposed: {instance}",
        f"{who} proposed the {noun} \u201c{instance}\u201d. It is shown nowhere public until "
        "you confirm it. Confirm it (rename it first if needed) or delete it to reject it: "
        f"the pages that use it keep their other tags.\n\n{absolute_url(edit_url(instance))}",
        None,
        recipients,
    )
    return len(recipients)
