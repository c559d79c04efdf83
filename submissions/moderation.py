"""Keeps a submission's status in step with Wagtail's moderation, whichever screen a moderator
used (the submission's own page, or Wagtail's workflow buttons on the draft)."""

from wagtail.signals import page_published, workflow_rejected

from .models import Submission
from .service import decide


def _submission_for_page(page_id):
    return Submission.objects.filter(page_id=page_id).first()


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    submission = _submission_for_page(int(instance.object_id))
    if submission is None:
        return
    task_state = instance.current_task_state
    comment = (task_state.comment if task_state else "") or submission.moderator_message
    decide(submission, Submission.Status.CHANGES_REQUESTED, comment)


def on_page_published(sender, instance, **kwargs):
    submission = _submission_for_page(instance.pk)
    if submission is not None:
        decide(submission, Submission.Status.PUBLISHED)


def connect():
    workflow_rejected.connect(on_workflow_rejected, dispatch_uid="submissions-rejected")
    page_published.connect(on_page_published, dispatch_uid="submissions-published")
