"""The reader's side: a Yes/No answer and a problem report, both plain forms (no JavaScript).

The Yes/No form sits on every page, and pages are cached for anonymous readers, so it carries
no CSRF token (a token sets a cookie, which would stop every page being cached). It is exempt:
a forged answer gains nothing, and the rate limit bounds how many anyone can add.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from config.security import client_ip
from ratelimits.limits import allow

from . import records
from .forms import ProblemForm, UsefulForm
from .models import PageFeedback

ANSWERS = {"yes": PageFeedback.Kind.USEFUL, "no": PageFeedback.Kind.NOT_USEFUL}
TOO_MANY = "You have sent a lot of feedback in a short time. Try again in an hour."


def _back(request, path):
    page, stored = records.where(request, path)
    return stored if stored != records.OTHER_PATH else "/"


def _within_limit(request):
    limit, window = settings.FEEDBACK_RATE_LIMIT
    return allow("feedback", client_ip(request), limit, window)


@csrf_exempt
@require_POST
def useful(request):
    form = UsefulForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "feedback/thanks.html",
            {"refused": "Choose Yes or No to say whether the page was useful.", "back": "/"},
            status=400,
        )
    back = _back(request, form.cleaned_data["page"])
    if not _within_limit(request):
        return render(
            request, "feedback/thanks.html", {"refused": TOO_MANY, "back": back}, status=429
        )
    records.record(request, form.cleaned_data["page"], ANSWERS[form.cleaned_data["answer"]])
    return render(
        request,
        "feedback/thanks.html",
        {"back": back, "useful": form.cleaned_data["answer"] == "yes"},
    )


@require_http_methods(["GET", "POST"])
def problem(request):
    page_path = (request.POST if request.method == "POST" else request.GET).get("page", "/")
    back = _back(request, page_path)
    form = ProblemForm(request.POST or None, initial={"page": back})
    if request.method == "POST" and form.is_valid():
        if not _within_limit(request):
            context = {"form": form, "back": back, "refused": TOO_MANY}
            return render(request, "feedback/problem.html", context, status=429)
        records.record(request, back, PageFeedback.Kind.PROBLEM, form.cleaned_data["problem"])
        return render(request, "feedback/thanks.html", {"back": back, "reported": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/problem.html", {"form": form, "back": back}, status=status)
