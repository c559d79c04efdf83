"""Admin views: import from a web page, the broken links report, and suggestions for a draft."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from kb.models import Area, CaseStudyPage, ResourcePage, Theme

from .fetch import MAX_BYTES
from .forms import ImportPageForm
from .html_import import PAGE_TYPES, describe_recognised, import_page
from .links import held_addresses
from .models import LinkCheck, PageImport
from .suggest import TagSuggester, possible_duplicates
from .values import ContentError

SUGGESTION_TYPES = {CaseStudyPage: "case_study", ResourcePage: "resource"}
MAX_TEXT = 20_000  # characters of draft text read for suggestions


def can_import(user, page_type=None):
    for key, (_model, index_model, _label) in PAGE_TYPES.items():
        if page_type not in (None, key):
            continue
        index = index_model.objects.first()
        if index is not None and index.permissions_for_user(user).can_add_subpage():
            return True
    return False


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    form = ImportPageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        page_type = form.cleaned_data["page_type"]
        if not can_import(request.user, page_type):
            raise PermissionDenied
        upload = form.cleaned_data.get("html_file")
        try:
            if upload:
                raw = upload.read(MAX_BYTES + 1)  # enough to tell a file is too large
                result = import_page(file_name=upload.name, raw=raw, page_type=page_type)
            else:
                result = import_page(url=form.cleaned_data["url"], page_type=page_type)
        except (ContentError, ValidationError) as error:
            message = str(error) if isinstance(error, ContentError) else "; ".join(error.messages)
            form.add_error("html_file" if upload else "url", message)
        else:
            page = result.page.specific.get_latest_revision_as_object()
            duplicates, tags = _suggestions(
                type_key=page_type,
                title=page.title,
                summary=page.summary,
                text=_draft_text(page),
                exclude_id=page.pk,
            )
            return render(
                request,
                "importers/import_result.html",
                {
                    "duplicates": duplicates,
                    "tags": tags,
                    "result": result,
                    "summary": list(result.lines())[0],
                    "record": result.record,
                    "recognised": list(describe_recognised(result.extraction)),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[result.page.pk]),
                },
            )
    return render(request, "importers/import_form.html", {"form": form})


class BrokenLinksReport(ReportView):
    """Addresses that did not work when last checked, with the pages that hold them."""

    page_title = "Broken links"
    header_icon = "warning"
    index_url_name = "importers_broken_links"
    index_results_url_name = "importers_broken_links_results"
    results_template_name = "importers/broken_links_results.html"
    template_name = "wagtailadmin/reports/base_report.html"
    paginate_by = 50
    list_export = ["url", "status", "outcome", "error", "checked_at"]

    def get_queryset(self):
        return LinkCheck.objects.exclude(
            outcome__in=[LinkCheck.Outcome.OK, LinkCheck.Outcome.REDIRECTED]
        ).order_by("url")

    def decorate_paginated_queryset(self, object_list):
        held = held_addresses()
        checks = list(object_list)
        for check in checks:
            check.held_by = held.get(check.url, [])
        return checks

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["last_checked"] = (
            LinkCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
        )
        return context


def _suggestions(*, type_key, title, summary, text, themes=(), areas=(), exclude_id=None):
    duplicates = possible_duplicates(
        title=title,
        summary=summary,
        type_key=type_key,
        themes=themes,
        areas=areas,
        exclude_id=exclude_id,
        include_drafts=True,
    )
    tags = TagSuggester().suggest(" ".join([title, summary, text])[:MAX_TEXT])
    if type_key == "resource":  # a resource has no areas or organisations
        tags = [tag for tag in tags if tag.kind not in ("area", "organisation")]
    return duplicates, tags


def _draft(page_id, user):
    page = get_object_or_404(Page, pk=page_id).specific
    if type(page) not in SUGGESTION_TYPES:
        raise Http404("Suggestions are for case studies and resources.")
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


def _draft_text(page):
    names = ("aims", "what_was_done", "evaluation", "how_to_obtain", "audience")
    return " ".join(getattr(page, name, "") or "" for name in names)


def suggestions_view(request, page_id):
    """The same suggestions as the edit form's panel, as a plain page (no JavaScript needed)."""
    page = _draft(page_id, request.user)
    type_key = SUGGESTION_TYPES[type(page)]
    current = {
        "theme": {t.pk for t in page.themes.all()},
        "area": {a.pk for a in page.areas.all()} if type_key == "case_study" else set(),
        "intervention": {i.pk for i in page.interventions.all()},
        "organisation": {o.pk for o in page.organisations.all()}
        if type_key == "case_study"
        else set(),
    }
    duplicates, tags = _suggestions(
        type_key=type_key,
        title=page.title,
        summary=page.summary,
        text=_draft_text(page),
        themes=[t.slug for t in page.themes.all()],
        areas=[a.slug for a in page.areas.all()] if type_key == "case_study" else [],
        exclude_id=page.pk,
    )
    for tag in tags:
        tag.applied = tag.pk in current[tag.kind]
    return render(
        request,
        "importers/suggestions.html",
        {
            "page": page,
            "duplicates": duplicates,
            "tags": tags,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "record": PageImport.objects.filter(page_id=page.pk).first(),
        },
    )


@require_POST
def suggestions_json(request):
    """What the edit form's panel shows, for the text typed so far. Read-only; warns, never
    blocks."""
    type_key = request.POST.get("type", "")
    if type_key not in PAGE_TYPES:
        return JsonResponse({"error": "type must be case_study or resource"}, status=400)
    exclude_id = request.POST.get("page") or None
    if exclude_id is not None:
        if not exclude_id.isdigit():
            return JsonResponse({"error": "page must be a page id"}, status=400)
        exclude_id = int(exclude_id)
    duplicates, tags = _suggestions(
        type_key=type_key,
        title=request.POST.get("title", "")[:255],
        summary=request.POST.get("summary", "")[:MAX_TEXT],
        text=request.POST.get("text", "")[:MAX_TEXT],
        themes=_slugs(Theme, request.POST.getlist("theme")),
        areas=_slugs(Area, request.POST.getlist("area")),
        exclude_id=exclude_id,
    )
    return JsonResponse(
        {
            "duplicates": [
                {"title": d.title, "url": d.url, "type": d.type, "reasons": d.reasons}
                for d in duplicates
            ],
            "tags": [
                {
                    "kind": t.kind,
                    "field": FIELD_OF[t.kind],
                    "pk": t.pk,
                    "name": t.name,
                    "why": t.why,
                }
                for t in tags
            ],
        }
    )


FIELD_OF = {
    "theme": "themes",
    "area": "areas",
    "intervention": "interventions",
    "organisation": "organisations",
}


def _slugs(model, pks):
    """Slugs of the ticked taxonomy (the form sends primary keys; search filters on slugs)."""
    pks = [int(pk) for pk in pks[:50] if str(pk).isdigit()]
    return list(model.objects.filter(pk__in=pks).values_list("slug", flat=True)) if pks else []
