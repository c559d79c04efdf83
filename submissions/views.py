"""The practitioner's side: the form, and the status page their signed link opens."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from config.security import client_ip
from ratelimits.limits import allow

from . import service
from .forms import HONEYPOT, ReplyForm, ShareForm, new_stamp
from .models import Submission

TOO_MANY_FROM_HERE = (
    "Several examples were sent from your connection in the last hour. Try again later, or "
    "ask a colleague on another connection."
)
TOO_MANY_FOR_EMAIL = (
    "Several examples were sent with this email address today. Try again tomorrow: the "
    "moderators have your earlier ones."
)
NOT_WAITING = "Your answer was not sent: the moderators are not waiting for an answer now."
NO_SECTION = "The knowledge base is not ready for new case studies yet. Try again later."


def _refuse(request, form, message, status):
    form.data = form.data.copy()
    form.data["started"] = new_stamp()
    return render(
        request, "submissions/share.html", {"form": form, "refused": message}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def share(request):
    if request.method == "GET":
        return render(
            request, "submissions/share.html", {"form": ShareForm(initial={"started": new_stamp()})}
        )
    form = ShareForm(request.POST)
    if form.is_spam_trap:
        return _refuse(request, form, HONEYPOT, 400)
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["started"] = new_stamp()
        return render(request, "submissions/share.html", {"form": form}, status=400)
    per_address, per_email = settings.SUBMISSIONS_RATE_LIMITS
    if not allow("submissions-address", client_ip(request), *per_address):
        return _refuse(request, form, TOO_MANY_FROM_HERE, 429)
    email = form.cleaned_data["submitter_email"].strip().lower()
    if not allow("submissions-email", email, *per_email):
        return _refuse(request, form, TOO_MANY_FOR_EMAIL, 429)
    outcomes = [row.cleaned_data for row in form.outcomes.forms if row.cleaned_data.get("measure")]
    try:
        submission = service.receive(form.cleaned_data, outcomes)
    except service.NoPlaceForCaseStudies:
        return _refuse(request, form, NO_SECTION, 503)
    return redirect(
        reverse("submissions-status", args=[service.status_token(submission)]) + "?sent=1"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request, token):
    submission = service.submission_for_token(token)
    if submission is None:
        raise Http404("No submission has this link.")
    may_answer = submission.status == Submission.Status.CHANGES_REQUESTED
    form = ReplyForm(request.POST if request.method == "POST" else None)
    refused = ""
    if request.method == "POST":
        if not may_answer:
            refused = NOT_WAITING
            status_code = 409
        elif not allow(
            "submissions-reply", submission.reference, *settings.SUBMISSIONS_REPLY_LIMIT
        ):
            form.add_error(None, "You have sent several answers today. Try again tomorrow.")
            status_code = 429
        elif form.is_valid():
            service.reply(submission, form.cleaned_data["answer"])
            return redirect(request.path + "?answered=1")
        else:
            status_code = 400
    else:
        status_code = 200
    response = render(
        request,
        "submissions/status.html",
        {
            "submission": submission,
            "explained": service.STATUS_EXPLAINED[submission.status],
            "form": form if may_answer else None,
            "replies": list(submission.replies.all()),
            "refused": refused,
            "sent": request.GET.get("sent") == "1",
            "answered": request.GET.get("answered") == "1",
            "page_url": service.live_url(submission),
        },
        status=status_code,
    )
    response["X-Robots-Tag"] = "noindex"
    # The link is a credential: never sent to another site. Not "no-referrer": the browser would
    # then send "Origin: null" with the answer form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
