"""The overdue-for-review report in the admin, with a CSV export of the same rows."""

import csv

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from .reviews import overdue, owner_label

CSV_HEADINGS = ["Title", "Type", "Next review due", "Last reviewed", "Review owner", "Edit link"]


def can_see_reviews(user):
    """Anyone who may edit pages sees what is due; others (e.g. the support team) do not."""
    return PagePermissionPolicy().user_has_any_permission(user, ["change", "publish"])


def overdue_report(request):
    if not can_see_reviews(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    pages = overdue(today)
    if request.GET.get("export") == "csv":
        return overdue_csv(request, pages, today)
    return render(
        request,
        "editorial/overdue_report.html",
        {"pages": pages, "today": today, "owner_label": owner_label},
    )


def overdue_csv(request, pages, today):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-for-review-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADINGS)
    for page in pages:
        writer.writerow(
            [
                page.title,
                page.type_label,
                page.next_review_due().isoformat(),
                page.last_reviewed.isoformat() if page.last_reviewed else "",
                owner_label(page),
                request.build_absolute_uri(reverse("wagtailadmin_pages:edit", args=[page.pk])),
            ]
        )
    return response


GUIDE_PATH = settings.BASE_DIR / "docs" / "editing.md"


def guide_blocks(text):
    """docs/editing.md as headings, paragraphs and lists: the few shapes the guide uses."""
    blocks, paragraph, items = [], [], []

    def flush():
        if paragraph:
            blocks.append({"kind": "p", "text": " ".join(paragraph)})
            paragraph.clear()
        if items:
            blocks.append({"kind": "ul", "items": list(items)})
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")) + 1, 4)
            blocks.append({"kind": f"h{level}", "text": line.lstrip("#").strip()})
        elif line.startswith(("- ", "* ")) or line[:3].rstrip(".").isdigit():
            if paragraph:
                flush()
            items.append(line.split(" ", 1)[1] if " " in line else line)
        elif items and raw.startswith("  "):
            items[-1] += " " + line
        else:
            paragraph.append(line)
    flush()
    return blocks


def editing_guide(request):
    text = GUIDE_PATH.read_text(encoding="utf-8") if GUIDE_PATH.exists() else ""
    return render(request, "editorial/editing_guide.html", {"blocks": guide_blocks(text)})
