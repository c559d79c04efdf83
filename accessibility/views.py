from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from .checks import KNOWN_ISSUES, NOT_CHECKED, checked_pages
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
            "checked_pages": list(checked_pages()),
            "known_issues": KNOWN_ISSUES,
            "not_checked": NOT_CHECKED,
            "report_url": report_url,
        },
    )
