"""The moderators' side: the list, one submission with its actions, and the report.

Only people with `submissions.view_submission` (the Moderators group) reach any of it; acting
also needs the workflow task's own permission (Wagtail decides) or publish rights for declining.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import queries, service
from .models import Submission

PERMISSION = "submissions.view_submission"
ACTION_LABELS = {
    "approve": "Approve and publish",
    "reject": "Request changes",
    "decline": "Decline",
}
DONE = {
    "approve": "Approved: the case study is published and the submitter told.",
    "reject": "Changes requested: the submitter was emailed your message.",
    "decline": "Declined: the submitter was told. It is deleted after the retention period.",
}


def can_moderate(user):
    return user.is_active and user.has_perm(PERMISSION)


def _require(user):
    if not can_moderate(user):
        raise PermissionDenied


def submission_list(request):
    _require(request.user)
    status = request.GET.get("status", "")
    return render(
        request,
        "submissions/admin_list.html",
        {
            "submissions": queries.listing(status),
            "statuses": Submission.Status.choices,
            "status": status,
        },
    )


def _submission(pk):
    submission = queries.by_pk(pk)
    if submission is None:
        raise Http404("No submission has this number.")
    return submission


def submission_detail(request, pk):
    _require(request.user)
    submission = _submission(pk)
    service.open_for_review(submission)
    actions = service.available_actions(submission, request.user)
    return render(
        request,
        "submissions/admin_detail.html",
        {
            "submission": submission,
            "actions": [(name, ACTION_LABELS[name]) for name in ACTION_LABELS if name in actions],
            "replies": list(submission.replies.all()),
            "page_url": service.live_url(submission),
        },
    )


@require_POST
def submission_act(request, pk):
    _require(request.user)
    submission = _submission(pk)
    action = request.POST.get("action", "")
    message = request.POST.get("message", "").strip()[:5000]
    if action not in service.available_actions(submission, request.user):
        messages.error(request, "That action is not open to you on this submission now.")
    elif action in ("reject", "decline") and not message:
        messages.error(request, "Write a message to the submitter saying why.")
    else:
        service.act(submission, request.user, action, message)
        messages.success(request, DONE[action])
    return redirect(reverse("submissions_detail", args=[submission.pk]))


def submission_report(request):
    _require(request.user)
    return render(request, "submissions/admin_report.html", queries.report())
