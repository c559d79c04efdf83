from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from .checks import CHECKED_PAGES, KNOWN_ISSUES, NOT_CHECKED
from .models import AccessibilityStatement

REPORT_PROBLEM_URL_NAME = "feedback-problem"


def statement(request):
    text = AccessibilityStatement.load(request_or_site=request)
    try:
        report_url = reverse(REPORT_PROBLEM_URL_NAME) + "?page=" + request.path
    except NoReverseMatch:  # the feedback app is not installed
        report_url = ""
    return render(
        request,
        "accessibility/statement.html",
        {
            "statement": text,
            "intro": text.paragraphs("intro"),
            "how_accessible": text.paragraphs("how_accessible"),
            "other_known_issues": text.paragraphs("other_known_issues"),
            "reporting": text.paragraphs("reporting"),
            "enforcement": text.paragraphs("enforcement"),
            "checked_pages": [name for name, (_url, status) in CHECKED_PAGES.items()],
            "known_issues": KNOWN_ISSUES,
            "not_checked": NOT_CHECKED,
            "report_url": report_url,
        },
    )
