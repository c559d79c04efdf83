"""Workspace views beyond the snippet ones: suggestions, sending, links, history, coverage.

Every view here needs the workspace permission (the Support team group, or a superuser);
Wagtail's admin URL wrapper already sends anonymous users to the login page.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from kb.models import Area

from .coverage import coverage_rows
from .forms import ExpiryForm, ProgressLinkForm, RecipientsForm, SendAgainForm, SendPackForm
from .models import (
    FollowUp,
    Pack,
    PackItem,
    PackSending,
    ProgressLink,
    Recommendation,
    SentReport,
    Visit,
    person_label,
)
from .pdf import render_pack_pdf, render_report_pdf
from .progress import progress_overview
from .reports import category_chart, category_report
from .sending import EmptyPack, build_snapshot, pack_email, send_again, send_pack, share_path
from .suggestions import EngineUnavailable, by_topic, suggest
from .visit_report import (
    build_report_snapshot,
    for_display,
    report_filename,
    report_visit,
    send_report,
)

WORKSPACE_PERMISSION = "support.use_workspace"


def workspace_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(WORKSPACE_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def can_use_workspace(user):
    return user.is_active and user.has_perm(WORKSPACE_PERMISSION)


def _absolute(request):
    return request.build_absolute_uri


def _commit_pack_change(pack, user, action="wagtail.edit"):
    """Save the pack and record the change in its history, as the edit view does."""
    pack.save()
    revision = pack.save_revision(user=user)
    log(pack, action, user=user, revision=revision, content_changed=True)


# --- Suggestions -------------------------------------------------------------------------


@workspace_required
def pack_suggestions(request, pk):
    pack = get_object_or_404(Pack.objects.select_related("area", "visit__area"), pk=pk)
    topics = pack.suggestion_topics()
    in_pack = set(pack.items.values_list("page_id", flat=True))
    error = None
    try:
        suggestions = suggest(topics, pack.area)
    except EngineUnavailable:
        suggestions, error = [], "Search is unavailable just now, so nothing can be suggested."
    groups = by_topic(suggestions)
    if request.method == "POST":
        chosen = set(request.POST.getlist("suggestion"))
        whole_topics = set(request.POST.getlist("topic"))
        suggestions = [s for group in groups for s in group.suggestions]
        added = 0
        next_order = (
            max((item.sort_order or 0 for item in pack.items.all()), default=0) + 1
            if in_pack
            else 0
        )
        for suggestion in suggestions:
            ticked = f"{suggestion.page_id}" in chosen or f"{suggestion.topic_id}" in whole_topics
            if not ticked or suggestion.page_id in in_pack:
                continue
            pack.items.add(
                PackItem(
                    page_id=suggestion.page_id,
                    topic_id=suggestion.topic_id,
                    reason=suggestion.reason[:255],
                    sort_order=next_order + added,
                )
            )
            in_pack.add(suggestion.page_id)
            added += 1
        if added:
            _commit_pack_change(pack, request.user)
            messages.success(request, f"Added {added} suggested item{'s' if added != 1 else ''}.")
        else:
            messages.warning(request, "Nothing was added: tick the suggestions to add.")
        return redirect("support_packs:edit", pack.pk)
    return render(
        request,
        "support/admin/suggestions.html",
        {
            "pack": pack,
            "topics": topics,
            "suggestions": suggestions,
            "groups": groups,
            "in_pack": in_pack,
            "error": error,
            "page_title": f"Suggestions for {pack}",
        },
    )


# --- Sending -----------------------------------------------------------------------------


@workspace_required
def pack_send(request, pk):
    pack = get_object_or_404(Pack.objects.select_related("area"), pk=pk)
    items = list(pack.items.select_related("page", "topic"))
    if request.method == "POST":
        form = SendPackForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    sending, created = send_pack(
                        pack,
                        user=request.user,
                        recipients=form.cleaned_data["recipients"],
                        expires_on=form.cleaned_data["expires_on"],
                        send_key=form.cleaned_data["send_key"][:64],
                        absolute=_absolute(request),
                    )
            except EmptyPack as error:
                form.add_error(None, str(error))
            else:
                if not created:
                    messages.info(request, "This pack was already sent; it was not sent again.")
                else:
                    log(
                        pack,
                        "support.send",
                        user=request.user,
                        data={"sending": sending.pk, "recipients": sending.recipient_count},
                    )
                    _report_delivery(request, sending)
                return redirect("support-sending", sending.pk)
    else:
        form = SendPackForm(initial={"send_key": uuid.uuid4().hex})
    return render(
        request,
        "support/admin/send.html",
        {"pack": pack, "items": items, "form": form, "page_title": f"Send {pack}"},
    )


def numbered_groups(snapshot):
    """The snapshot's groups with each item's place in the whole pack (1, 2, ...), as sent."""
    number, groups = 0, []
    for group in snapshot.get("groups", []):
        items = []
        for item in group["items"]:
            number += 1
            items.append({**item, "number": number})
        groups.append({"topic": group["topic"], "items": items})
    return groups


def _sending_page(request, sending, send_again_form=None, status=200):
    return render(
        request,
        "support/admin/sending.html",
        {
            "sending": sending,
            "groups": numbered_groups(sending.snapshot),
            "same_snapshot": list(sending.sendings_of_this_snapshot()),
            "share_url": request.build_absolute_uri(share_path(sending)),
            "expiry_form": ExpiryForm(initial={"expires_on": sending.expires_on}),
            "send_again_form": send_again_form
            or SendAgainForm(sending=sending, initial={"send_key": uuid.uuid4().hex}),
            "page_title": str(sending),
        },
        status=status,
    )


@workspace_required
def sending_detail(request, pk):
    sending = get_object_or_404(
        PackSending.objects.select_related("pack__area", "sent_by", "resent_from"), pk=pk
    )
    return _sending_page(request, sending)


@workspace_required
def sending_send_again(request, pk):
    """Send a sending's snapshot (not the pack as it is now) again or to someone new: a new
    sending, recorded and logged like the first. GET shows the sending, where the form is."""
    if request.method != "POST":
        return redirect("support-sending", pk)
    sending = get_object_or_404(
        PackSending.objects.select_related("pack__area", "sent_by", "resent_from"), pk=pk
    )
    form = SendAgainForm(request.POST, sending=sending)
    if not form.is_valid():
        return _sending_page(request, sending, send_again_form=form)
    with transaction.atomic():
        again, created = send_again(
            sending,
            user=request.user,
            recipients=form.cleaned_data["all_recipients"],
            expires_on=form.cleaned_data["expires_on"],
            send_key=form.cleaned_data["send_key"][:64],
            absolute=_absolute(request),
        )
    if created:
        log(
            again.pack,
            "support.resend",
            user=request.user,
            data={
                "sending": again.pk,
                "resent_from": again.resent_from_id,
                "recipients": again.recipient_count,
            },
        )
        _report_delivery(request, again)
    else:
        messages.info(request, "This was already sent; it was not sent again.")
    return redirect("support-sending", again.pk)


def _report_delivery(request, sending):
    if sending.delivery_error:
        messages.error(
            request,
            "The sending is recorded and its share link works, but "
            + sending.delivery_error[0].lower()
            + sending.delivery_error[1:]
            + " Copy the link below to the recipients.",
        )
    else:
        messages.success(
            request,
            f"Sent to {sending.emails_sent} recipient{'s' if sending.emails_sent != 1 else ''}.",
        )


# --- Preview -----------------------------------------------------------------------------

# A link that is not one: the preview's email shows where the share link will go.
PREVIEW_TOKEN = "link-made-when-you-send"


def _preview_snapshot(request, pack):
    return build_snapshot(pack, sender_name=person_label(request.user), absolute=_absolute(request))


@workspace_required
def pack_preview(request, pk):
    """The pack as recipients will see it (the share page) and the email each one gets, built
    from the pack as it is now. Nothing is recorded or sent and no link exists."""
    pack = get_object_or_404(Pack.objects.select_related("area"), pk=pk)
    try:
        snapshot = _preview_snapshot(request, pack)
    except EmptyPack as error:
        return render(
            request,
            "support/admin/preview_empty.html",
            {"pack": pack, "message": str(error), "page_title": f"Preview {pack}"},
        )
    email = pack_email(
        snapshot,
        sender=request.user,
        recipient={"name": "Jo Bloggs", "email": "jo@example.org"},
        share_url=request.build_absolute_uri(reverse("support-pack-share", args=[PREVIEW_TOKEN])),
    )
    response = render(
        request,
        "support/share_preview.html",
        {
            "snapshot": snapshot,
            "sent_at": timezone.now(),
            "pack": pack,
            "email": email,
            "pdf_url": reverse("support-pack-preview-pdf", args=[pack.pk]),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


@workspace_required
def pack_preview_pdf(request, pk):
    pack = get_object_or_404(Pack.objects.select_related("area"), pk=pk)
    try:
        snapshot = _preview_snapshot(request, pack)
    except EmptyPack as error:
        raise Http404(str(error)) from None
    response = HttpResponse(render_pack_pdf(snapshot), content_type="application/pdf")
    name = slugify(snapshot["title"]) or "signposting-pack"
    response["Content-Disposition"] = f'inline; filename="preview-{name}.pdf"'
    return response


@workspace_required
def sending_revoke(request, pk):
    """Asks first (GET), naming who will lose access; revokes on POST."""
    if request.method != "POST":
        sending = get_object_or_404(PackSending.objects.select_related("pack"), pk=pk)
        if sending.revoked_at:
            return redirect("support-sending", pk)
        return render(
            request,
            "support/admin/revoke.html",
            {"sending": sending, "page_title": f"Revoke the link to {sending}?"},
        )
    sending = get_object_or_404(PackSending.objects.select_related("pack"), pk=pk)
    if sending.revoke():
        log(sending.pack, "support.revoke", user=request.user, data={"sending": sending.pk})
        messages.success(request, "The share link is revoked: it now says the pack is withdrawn.")
    return redirect("support-sending", pk)


@workspace_required
@require_POST
def sending_expiry(request, pk):
    sending = get_object_or_404(PackSending, pk=pk)
    form = ExpiryForm(request.POST)
    if form.is_valid():
        sending.expires_on = form.cleaned_data["expires_on"]
        sending.save(update_fields=["expires_on"])
        log(
            sending.pack,
            "support.expiry",
            user=request.user,
            data={"sending": sending.pk, "expires_on": str(sending.expires_on or "")},
        )
        messages.success(request, "The link's expiry date is saved.")
    else:
        messages.error(request, "Give the expiry as a date, e.g. 2027-03-31.")
    return redirect("support-sending", pk)


# --- The visit report --------------------------------------------------------------------


def _delivery_message(request, record, count_label):
    """Say what the email did: how many went, or that the record is kept though none did."""
    if record.delivery_error:
        messages.error(
            request,
            "The sending is recorded, but "
            + record.delivery_error[0].lower()
            + record.delivery_error[1:],
        )
    else:
        messages.success(
            request,
            f"Sent to {record.emails_sent} {count_label}{'s' if record.emails_sent != 1 else ''}.",
        )


def _visit_or_404(pk):
    visit = report_visit(pk)
    if visit is None:
        raise Http404("No such visit")
    return visit


@workspace_required
def visit_report(request, pk):
    """The report as the visit stands now, the form that sends it, and the reports sent."""
    visit = _visit_or_404(pk)
    if request.method == "POST":
        form = RecipientsForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                report, created = send_report(
                    visit,
                    user=request.user,
                    recipients=form.cleaned_data["recipients"],
                    send_key=form.cleaned_data["send_key"][:64],
                    absolute=_absolute(request),
                )
            if created:
                log(
                    visit,
                    "support.send_report",
                    user=request.user,
                    data={"sent_report": report.pk, "recipients": len(report.recipients)},
                )
                _delivery_message(request, report, "lead contact")
            else:
                messages.info(request, "This report was already sent; it was not sent again.")
            return redirect("support-sent-report", report.pk)
    else:
        form = RecipientsForm(
            initial={"send_key": uuid.uuid4().hex, "recipients": visit.lead_contacts}
        )
    snapshot = build_report_snapshot(
        visit, sender_name=person_label(request.user), absolute=_absolute(request)
    )
    return render(
        request,
        "support/admin/visit_report.html",
        {
            "visit": visit,
            "report": for_display(snapshot),
            "form": form,
            "sent_reports": list(visit.sent_reports.all()),
            "page_title": f"Visit report: {visit}",
        },
    )


def _pdf_response(snapshot):
    response = HttpResponse(render_report_pdf(snapshot), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(snapshot)}"'
    return response


@workspace_required
def visit_report_pdf(request, pk):
    visit = _visit_or_404(pk)
    return _pdf_response(
        build_report_snapshot(
            visit, sender_name=person_label(request.user), absolute=_absolute(request)
        )
    )


@workspace_required
def sent_report(request, pk):
    sent = get_object_or_404(SentReport, pk=pk)
    return render(
        request,
        "support/admin/sent_report.html",
        {"sent": sent, "report": for_display(sent.snapshot), "page_title": str(sent)},
    )


@workspace_required
def sent_report_pdf(request, pk):
    return _pdf_response(get_object_or_404(SentReport, pk=pk).snapshot)


@workspace_required
def sent_reports(request):
    return render(
        request,
        "support/admin/sent_reports.html",
        {"sent_reports": list(SentReport.objects.all()), "page_title": "Sent visit reports"},
    )


# --- Progress from the area -------------------------------------------------------------


@workspace_required
def visit_progress(request, pk):
    """The visit's progress links (make one, see each, revoke) and what the area recorded."""
    visit = get_object_or_404(Visit.objects.select_related("area"), pk=pk)
    form = ProgressLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = form.save(commit=False)
        link.visit, link.created_by = visit, request.user
        link.save()
        log(
            visit,
            "support.progress_link",
            user=request.user,
            data={"link": link.pk, "expires_on": str(link.expires_on)},
        )
        messages.success(
            request,
            f"The progress link for {link.recipient_name} is ready: copy it below and send it "
            "to them.",
        )
        return redirect(reverse("support-visit-progress", args=[visit.pk]) + f"#link-{link.pk}")
    links, recommendations = progress_overview(visit)
    return render(
        request,
        "support/admin/progress.html",
        {
            "visit": visit,
            "links": [
                (
                    link,
                    request.build_absolute_uri(reverse("support-area-progress", args=[link.token])),
                )
                for link in links
            ],
            "recommendations": recommendations,
            "form": form,
            "page_title": f"Progress from the area: {visit}",
        },
        status=400 if form.errors else 200,
    )


@workspace_required
def progress_link_revoke(request, pk):
    """Asks first (GET), naming who will lose access; revokes on POST."""
    link = get_object_or_404(ProgressLink.objects.select_related("visit__area"), pk=pk)
    back = reverse("support-visit-progress", args=[link.visit_id])
    if request.method != "POST":
        if link.revoked_at:
            return redirect(back)
        return render(
            request,
            "support/admin/progress_revoke.html",
            {
                "link": link,
                "back": back,
                "page_title": f"Revoke the progress link for {link.recipient_name}?",
            },
        )
    if link.revoke():
        log(link.visit, "support.progress_revoke", user=request.user, data={"link": link.pk})
        messages.success(
            request,
            f"The progress link for {link.recipient_name} is revoked: it now says it was "
            "withdrawn.",
        )
    return redirect(back)


# --- Reports -----------------------------------------------------------------------------


@workspace_required
def recommendation_report(request):
    visit = None
    recommendations = Recommendation.objects.all()
    visit_id = request.GET.get("visit", "")
    if visit_id:
        if not visit_id.isdigit():
            raise Http404("No such visit")
        visit = get_object_or_404(Visit.objects.select_related("area"), pk=int(visit_id))
        recommendations = recommendations.filter(visit=visit)
    scope = "This visit" if visit else "All visits"
    reports = category_report(recommendations)
    sections = [
        {"report": report, "chart": category_chart(report, scope)}
        for report in reports
        if report.total or not visit
    ]
    return render(
        request,
        "support/admin/report.html",
        {
            "visit": visit,
            "sections": sections,
            "scope": scope,
            "total": sum(report.total for report in reports),
            "page_title": f"Recommendations: {visit}" if visit else "Recommendations by category",
        },
    )


# --- Areas -------------------------------------------------------------------------------


@workspace_required
def coverage(request):
    show_all = request.GET.get("areas") == "all"
    themes, rows = coverage_rows(show_all)
    return render(
        request,
        "support/admin/coverage.html",
        {"themes": themes, "rows": rows, "show_all": show_all, "page_title": "Coverage"},
    )


@workspace_required
def area_history(request, pk):
    area = get_object_or_404(Area, pk=pk)
    visits = list(
        Visit.objects.filter(area=area)
        .select_related("lead")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("theme").prefetch_related(
                    "progress_updates"
                ),
            ),
            "chosen_topics",
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        )
    )
    sendings = list(PackSending.objects.filter(pack__area=area).select_related("pack", "sent_by"))
    packs = list(Pack.objects.filter(area=area).annotate(item_count=Count("items")))
    sent_reports = list(SentReport.objects.filter(visit__area=area))
    progress = defaultdict(int)
    for visit in visits:
        for recommendation in visit.recommendations.all():
            progress[recommendation.get_progress_display()] += 1
    return render(
        request,
        "support/admin/area.html",
        {
            "area": area,
            "visits": visits,
            "sendings": sendings,
            "packs": packs,
            "sent_reports": sent_reports,
            "progress": dict(progress),
            "page_title": f"{area.name}: support history",
        },
    )


@workspace_required
def area_index(request):
    picked = request.GET.get("area", "")
    if picked.isdigit() and Area.objects.filter(pk=int(picked)).exists():
        return redirect("support-area", int(picked))
    areas = (
        Area.objects.annotate(
            visit_count=Count("support_visits", distinct=True),
            pack_count=Count("support_packs", distinct=True),
        )
        .filter(Q(visit_count__gt=0) | Q(pack_count__gt=0))
        .order_by("name")
    )
    return render(
        request,
        "support/admin/areas.html",
        {
            "areas": list(areas),
            "all_areas": list(Area.objects.order_by("name").values("pk", "name")),
            "page_title": "Areas",
        },
    )


def area_history_url(area):
    return reverse("support-area", args=[area.pk])
