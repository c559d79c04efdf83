"""Editors' side: feedback per page, one page's reports, and everything as CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from wagtail.models import Page

from config.spreadsheets import safe_cell

from . import records

PERMISSION = "feedback.view_pagefeedback"
CSV_HEADINGS = ["Date", "Page", "Address", "Answer", "Problem reported"]


def can_see_feedback(user):
    return user.is_active and user.has_perm(PERMISSION)


def _require(user):
    if not can_see_feedback(user):
        raise PermissionDenied


def feedback_report(request):
    _require(request.user)
    if request.GET.get("export") == "csv":
        return feedback_csv()
    return render(request, "feedback/admin_report.html", {"rows": records.summary_by_page()})


def page_feedback(request, page_id):
    _require(request.user)
    page = get_object_or_404(Page, pk=page_id)
    return render(
        request,
        "feedback/admin_page.html",
        {"page": page, "entries": records.for_page(page.pk)},
    )


def feedback_csv():
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="page-feedback-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADINGS)
    for entry in records.all_feedback():
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                safe_cell(entry.page.title if entry.page else ""),
                safe_cell(entry.path),
                entry.get_kind_display(),
                safe_cell(entry.text),
            ]
        )
    return response
