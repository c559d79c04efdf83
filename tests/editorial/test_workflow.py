"""Moderation through the real admin: an editor submits, a moderator approves or asks for changes.

Every step emails the right people through Django's email framework (locmem in tests).
"""

import pytest
from django.conf import settings
from django.core import mail
from wagtail.models import TaskState, Workflow

from editorial import roles
from kb.models import CaseStudyIndexPage, CaseStudyPage, EvidenceIndexPage, ResourceIndexPage

from .admin_forms import add_form, edit_form, fill

pytestmark = pytest.mark.django_db
TITLE = "Smoke-free homes in Exampletown"


def submit_new_case_study(client, title=TITLE):
    parent = CaseStudyIndexPage.objects.get()
    url, data = add_form(client, CaseStudyPage, parent)
    fill(data, title=title, slug="smoke-free-homes-exampletown", summary="A local write-up.")
    data["action-submit"] = ["1"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return CaseStudyPage.objects.get(slug="smoke-free-homes-exampletown")


def current_task_state(page):
    return TaskState.objects.get(workflow_state__object_id=str(page.pk), status="in_progress")


def act(client, page, action, comment=""):
    task_state = current_task_state(page)
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/", {"comment": comment}
    )


def test_one_review_workflow_covers_the_knowledge_sections():
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    assert Workflow.objects.filter(active=True).count() == 1
    for model in (CaseStudyIndexPage, ResourceIndexPage, EvidenceIndexPage):
        child = model.objects.get().get_children().first().specific
        assert child.get_workflow() == workflow


def test_setting_up_twice_changes_nothing():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, WorkflowPage

    before = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
    )
    roles.ensure_all()
    roles.ensure_all()
    after = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
    )
    assert before == after


def test_submission_emails_the_moderators(editor_client, editor, moderator, second_moderator):
    page = submit_new_case_study(editor_client)
    assert not page.live
    assert page.workflow_in_progress
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([moderator.email, second_moderator.email])
    message = mail.outbox[0]
    assert TITLE in message.subject
    assert f"/admin/pages/{page.pk}/" in message.body


def test_moderator_previews_then_approves_and_search_finds_it(
    editor_client, editor, moderator_client, moderator, client, django_capture_on_commit_callbacks
):
    page = submit_new_case_study(editor_client)
    task_state = current_task_state(page)
    preview = moderator_client.get(f"/admin/pages/workflow/preview/{page.pk}/{task_state.task_id}/")
    assert preview.status_code == 200
    assert TITLE in preview.content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = act(moderator_client, page, "approve", "Looks right.")
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "approved" in mail.outbox[0].subject.lower()
    # Its link is on the configured site, never http://localhost/ (issue 25, defect 9).
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert (
        f"{site}{page.url}" in mail.outbox[0].body
        and "http://localhost/" not in mail.outbox[0].body
    )

    results = client.get("/search/", {"q": "Smoke-free homes Exampletown"}).content.decode()
    assert TITLE in results
    assert client.get(page.url).status_code == 200


def test_request_for_changes_emails_the_editor_who_fixes_and_resubmits(
    editor_client, editor, moderator_client, moderator
):
    page = submit_new_case_study(editor_client)
    mail.outbox.clear()
    response = act(moderator_client, page, "reject", "Please add the area and an outcome.")
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "Please add the area and an outcome." in mail.outbox[0].body
    # The same words as the moderator's "Request changes" button, never "rejected".
    assert mail.outbox[0].subject.startswith("Changes requested")
    assert "rejected" not in (mail.outbox[0].subject + mail.outbox[0].body).lower()
    assert (
        f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/pages/{page.pk}/edit/"
        in mail.outbox[0].body
    )
    # The comment is on the edit form, where the editor makes the changes.
    form_page = editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    asked = form_page.split('id="kb-changes-requested"', 1)[1].split("</section>", 1)[0]
    assert "Please add the area and an outcome." in asked and moderator.get_username() in asked

    mail.outbox.clear()
    data = edit_form(editor_client, page)
    fill(data, what_was_done="Stop-smoking advisers visited every home with a new baby.")
    data["action-submit"] = ["1"]
    assert editor_client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_editors_cannot_publish(editor_client):
    parent = CaseStudyIndexPage.objects.get()
    url, data = add_form(editor_client, CaseStudyPage, parent)
    assert "action-publish" not in editor_client.get(url).content.decode()
    fill(data, title=TITLE, slug="smoke-free-homes-exampletown")
    data["action-publish"] = ["1"]
    editor_client.post(url, data)
    page = CaseStudyPage.objects.filter(slug="smoke-free-homes-exampletown").first()
    assert page is None or not page.live
