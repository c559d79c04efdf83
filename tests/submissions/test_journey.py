"""Share your practice through real HTTP: the draft, the emails, the moderators' decisions, the
submitter's answer, and that nothing goes live without a moderator."""

import re

import pytest
from django.core import mail
from wagtail.models import Page

from kb.models import CaseStudyPage
from submissions.models import Submission

from .conftest import SUBMITTER_EMAIL, SUBMITTER_NAME, answers

pytestmark = pytest.mark.django_db


def send(client, **changes):
    return client.post("/share-your-practice/", answers(**changes), REMOTE_ADDR="192.0.2.10")


def status_path(message):
    return re.search(r"https?://[^/\s]+(/share-your-practice/status/\S+/)", message.body).group(1)


def test_the_form_guides_each_field_and_hides_the_trap(client):
    assert 'href="/share-your-practice/"' in client.get("/").content.decode()  # every footer
    response = client.get("/share-your-practice/")
    assert response.status_code == 200
    html = response.content.decode()
    for hint in ("This becomes the summary readers see first", "Not published.", "(optional)"):
        assert hint in html
    assert 'class="kb-honeypot"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_submission_is_a_draft_in_review_never_live(client):
    response = send(client)
    assert response.status_code == 302
    submission = Submission.objects.get()
    page = CaseStudyPage.objects.get(pk=submission.page_id)
    assert not page.live and page.has_unpublished_changes
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert client.get(page.url or "/case-studies/" + page.slug + "/").status_code == 404
    assert page.summary == "Families in the most deprived wards missed baby checks."
    assert [(o.measure, str(o.value), o.unit) for o in page.outcomes.all()] == [
        ("Babies seen at 6-8 weeks", "82.500", "%")
    ]
    contacts = list(page.contacts.all())
    assert [(c.name, c.consent_confirmed) for c in contacts] == [("Sam Contact", True)]
    assert SUBMITTER_NAME not in str(page.get_latest_revision().content)
    assert SUBMITTER_EMAIL not in str(page.get_latest_revision().content)
    acknowledgement = [m for m in mail.outbox if m.to == [SUBMITTER_EMAIL]]
    assert len(acknowledgement) == 1
    assert submission.reference in acknowledgement[0].subject
    status = client.get(status_path(acknowledgement[0]))
    assert status.status_code == 200 and "Received" in status.content.decode()
    assert client.get(response["Location"]).status_code == 200


def test_the_submitter_is_published_only_when_they_ask(client):
    send(client, publish_submitter="on")
    page = CaseStudyPage.objects.get(pk=Submission.objects.get().page_id)
    assert (SUBMITTER_NAME, SUBMITTER_EMAIL) in [(c.name, c.email) for c in page.contacts.all()]


def test_a_named_contact_needs_their_agreement(client):
    response = send(client, contacts_agreed=None)
    assert response.status_code == 400
    assert "Confirm the contact agreed" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_forged_status_link_is_a_404(client):
    send(client)
    token = status_path(mail.outbox[-1]).split("/")[-2]
    assert client.get(f"/share-your-practice/status/{token}x/").status_code == 404
    assert client.get("/share-your-practice/status/SP-AAAAAAAA/").status_code == 404


def test_moderation_journey_changes_answer_publish_and_search(
    client, moderator_client, django_capture_on_commit_callbacks
):
    title = "Women of Childbearing Age programme in Kirklees, social marketing revisited"
    send(client, title=title, problem="Infant mortality in Kirklees; WoCBA social marketing.")
    submission = Submission.objects.get()
    status_link = status_path(mail.outbox[-1])

    dashboard = moderator_client.get("/admin/").content.decode()
    assert submission.reference in dashboard and "may be a duplicate" in dashboard
    detail = moderator_client.get(f"/admin/submissions/{submission.pk}/").content.decode()
    assert "The Women of Childbearing Age (WoCBA) programme" in detail  # the duplicate warning
    assert SUBMITTER_EMAIL in detail
    submission.refresh_from_db()
    assert submission.status == "in_review"
    edit = moderator_client.get(f"/admin/pages/{submission.page_id}/edit/").content.decode()
    assert f"practitioner&#x27;s submission ({submission.reference}" in edit
    assert "It may duplicate" in edit

    mail.outbox.clear()
    moderator_client.post(
        f"/admin/submissions/{submission.pk}/act/",
        {"action": "reject", "message": "Please add the number of families reached."},
    )
    submission.refresh_from_db()
    assert submission.status == "changes_requested"
    [changes] = mail.outbox
    assert "Please add the number of families reached." in changes.body
    page = Page.objects.get(pk=submission.page_id).specific
    assert page.current_workflow_state.status == "needs_changes"

    # An editor improves the draft before the submitter answers: the answer must not undo it.
    latest = page.get_latest_revision_as_object()
    latest.summary = "Edited by an editor."
    latest.save_revision()

    status = client.get(status_link).content.decode()
    assert "Please add the number of families reached." in status
    answered = client.post(status_link, {"answer": "We reached 340 families."})
    assert answered.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "in_review"
    assert [r.text for r in submission.replies.all()] == ["We reached 340 families."]
    page = Page.objects.get(pk=submission.page_id).specific
    assert page.get_latest_revision_as_object().summary == "Edited by an editor."
    assert page.current_workflow_state.status == "in_progress"
    assert not page.live
    again = client.post(status_link, {"answer": "Again"})
    assert again.status_code == 409
    assert "the moderators are not waiting for an answer" in again.content.decode()
    assert submission.replies.count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the search index updates on commit
        moderator_client.post(
            f"/admin/submissions/{submission.pk}/act/", {"action": "approve", "message": ""}
        )
    page = Page.objects.get(pk=submission.page_id).specific
    assert page.live and page.summary == "Edited by an editor."
    submission.refresh_from_db()
    assert submission.status == "published" and submission.decided_at is not None
    assert [m.to for m in mail.outbox if "published" in m.subject] == [[SUBMITTER_EMAIL]]
    assert "Published" in client.get(status_link).content.decode()
    results = client.get("/search/", {"q": "Childbearing revisited social marketing"})
    assert title in results.content.decode()


def test_editors_cannot_approve_and_nothing_goes_live_by_the_public_door(client, editor_client):
    send(client)
    submission = Submission.objects.get()
    assert editor_client.get("/admin/submissions/").status_code in (302, 403)
    editor_client.post(f"/admin/submissions/{submission.pk}/act/", {"action": "approve"})
    status_link = status_path(mail.outbox[-1])
    client.post(status_link, {"answer": "Publish it now please"})
    assert not Page.objects.get(pk=submission.page_id).live
    assert submission.replies.count() == 0  # no changes were asked for


def test_declining_tells_the_submitter(client, moderator_client):
    send(client)
    submission = Submission.objects.get()
    refused = moderator_client.post(
        f"/admin/submissions/{submission.pk}/act/", {"action": "decline", "message": ""}
    )
    assert refused.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "received"
    mail.outbox.clear()
    moderator_client.post(
        f"/admin/submissions/{submission.pk}/act/",
        {"action": "decline", "message": "This is outside the knowledge base's scope."},
    )
    submission.refresh_from_db()
    assert submission.status == "declined"
    assert "outside the knowledge base" in mail.outbox[0].body
    assert not Page.objects.get(pk=submission.page_id).live
