"""Editorial admin views: the overdue report and its CSV, the guide, and safer page editing."""

import csv

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.admin import messages
from wagtail.admin.views.pages.create import AddSubpageView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState, WorkflowState, get_page_models
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


def add_subpage(request, parent_page_id):
    """Wagtail's "Add child page", but saying why when the page-type rules allow nothing here.

    Wagtail answers "Sorry, you do not have permission" even to a superuser when a page may
    have no children (an area page) or every allowed child exists already (one of each section
    under Home). Where a user could add something, Wagtail's own view runs unchanged.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    parent = get_object_or_404(Page, id=parent_page_id).specific
    allowed = type(parent).allowed_subpage_models()
    creatable = [model for model in allowed if model.can_create_at(parent)]
    if creatable or not request.user.has_perm("wagtailadmin.access_admin"):
        return AddSubpageView.as_view()(request, parent_page_id=parent_page_id)
    if allowed:
        names = ", ".join(model.get_verbose_name() for model in allowed)
        reason = (
            f"“{parent.get_admin_display_title()}” holds one of each of these sections, and "
            f"they all exist already: {names}. Add new pages inside those sections."
        )
    else:
        reason = (
            f"A {parent.get_verbose_name().lower()} has no pages under it. To add a case study "
            "for this area, add it under Case studies and tick the area."
        )
    return render(
        request,
        "editorial/no_child_pages.html",
        {"parent": parent, "reason": reason},
        status=200,
    )


REPLACE_ACTION = "action-replace-newer-version"
REPLACE_REVISION_FIELD = "replace_revision_id"


class StaleEditRefusingEditView(EditView):
    """Wagtail's page edit view, refusing a form opened before someone else's newer revision.

    Wagtail refuses a stale form only for autosave; a plain submission would silently publish
    over the other editor's work. The refusal re-shows the editor's own form, unsaved, with
    what they typed and what differs from the newer version. The re-shown form keeps its stale
    base, so Wagtail's autosave and its "saved a new version" check go on refusing it: nothing
    is saved until the editor presses "Replace their version with mine", which names the
    revision they saw. Newer revisions the editor saved themselves (their own autosave) do not
    make the form stale.
    """

    stale_base_created_at = None
    differences = ()

    def get_template_names(self):
        names = super().get_template_names()
        return ["editorial/page_edit.html"] if names == ["wagtailadmin/pages/edit.html"] else names

    def newer_revisions_by_others(self):
        posted = parse_datetime(self.request.POST.get("loaded_revision_created_at", ""))
        if posted is None:
            loaded = self.page.revisions.filter(
                pk=self.request.POST.get("loaded_revision_id") or None
            ).first()
            posted = loaded.created_at if loaded else None
        newer = self.page.revisions.all()
        if posted is not None:
            newer = newer.filter(created_at__gt=posted)
        return newer.exclude(user=self.request.user)

    def chose_to_replace(self):
        return bool(self.request.POST.get(REPLACE_ACTION)) and self.request.POST.get(
            REPLACE_REVISION_FIELD
        ) == str(self.latest_revision.pk)

    def post(self, request, *args, **kwargs):
        if (
            self.page.alias_of_id
            or self.expects_json_response
            or not self.is_out_of_date
            or self.chose_to_replace()
            or not self.newer_revisions_by_others().exists()
        ):
            return super().post(request, *args, **kwargs)
        self.form = self.form_class(
            request.POST,
            request.FILES,
            instance=self.page,
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=request.user,
        )
        latest = self.latest_revision
        who = latest.user.get_username() if latest.user else "another editor"
        messages.error(
            request,
            f"Not saved: {who} saved a newer version of this page after you opened it. "
            "Your changes are still in the form below, and nothing is saved until you choose "
            "to replace their version with yours.",
        )
        loaded = request.POST.get("loaded_revision_id", "")
        self.compare_url = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=(self.page.pk, loaded if loaded.isdigit() else "live", "latest"),
        )
        self.stale_base_created_at = request.POST.get("loaded_revision_created_at", "")
        self.differences = form_differences(self.form)
        self.newer_author = who
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())

    def get_editing_sessions(self):
        """Wagtail's editing-session check, kept on the stale base after a refusal so its
        "saved a new version" warning and dialog agree with the refusal."""
        module = super().get_editing_sessions()
        if self.stale_base_created_at is not None:
            module.revision_created_at = self.stale_base_created_at
        return module

    def changes_requested(self):
        """The moderator's request for changes, while the page needs them: shown on the form
        where the editor makes them, not only in the email or the workflow history."""
        state = self.workflow_state
        if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            return None
        rejected = (
            TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
            .select_related("finished_by")
            .order_by("-finished_at")
            .first()
        )
        if rejected is None:
            return None
        by = rejected.finished_by
        return {
            "comment": rejected.comment,
            "by": by.get_full_name() or by.get_username() if by else "A moderator",
            "at": rejected.finished_at,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.expects_json_response:
            context["changes_requested"] = self.changes_requested()
        if self.stale_base_created_at is not None:
            context.update(
                {
                    "loaded_revision_created_at": self.stale_base_created_at,
                    "stale_edit": {
                        "author": self.newer_author,
                        "differences": self.differences,
                        "compare_url": self.compare_url,
                        "replace_action": REPLACE_ACTION,
                        "replace_revision_field": REPLACE_REVISION_FIELD,
                        "latest_revision_id": self.latest_revision.pk,
                    },
                }
            )
        return context


def shown_value(bound_field, value):
    """A field's value as an editor reads it: text as typed, choices by their names."""
    field = bound_field.field
    if hasattr(field, "queryset"):
        keys = value if isinstance(value, (list, tuple)) else [value]
        keys = [str(getattr(key, "pk", key)) for key in keys if key not in (None, "")]
        names = dict((str(key), label) for key, label in field.choices if str(key) in keys)
        return ", ".join(str(names.get(key, key)) for key in keys)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def form_differences(form):
    """What saving this bound form would change in the version it was built on: one row per
    field (label, the newer version's value, the editor's), and one per changed list of rows."""
    rows = []
    for name in form.changed_data:
        bound = form[name]
        if bound.is_hidden:
            continue
        theirs = shown_value(bound, form.get_initial_for_field(bound.field, name))
        yours = shown_value(
            bound,
            bound.field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)),
        )
        if theirs != yours:
            rows.append({"label": bound.label, "theirs": theirs, "yours": yours})
    for name, formset in getattr(form, "formsets", {}).items():
        if name != "comments" and formset.has_changed():
            label = name.replace("_", " ").capitalize()
            rows.append({"label": label, "theirs": None, "yours": None})
    return rows


class EditorialPageViewSet(PageViewSet):
    edit_view_class = StaleEditRefusingEditView


def page_viewsets():
    """One viewset per page type, so every page's edit form refuses stale saves.

    Wagtail routes a page's admin views by the most specific registered model; the base
    ``Page`` viewset is Wagtail's own, registered after ours.
    """
    return [
        EditorialPageViewSet(name=f"editorial_{model._meta.label_lower}", model=model)
        for model in get_page_models()
        if model is not Page
    ]
