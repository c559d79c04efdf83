"""Who may do what, and the one moderation workflow: created idempotently, never by hand.

- Editors draft and submit pages in the knowledge sections, and may propose an area or an
  organisation (adding one without the right to change it only proposes it; kb.wagtail_hooks).
- Moderators approve, publish and edit the taxonomy, and confirm, rename or delete proposals.
- "Review and publish" (one moderator approval) covers every knowledge section.

Groups and permissions are ensured after every `migrate` (a fresh database has no permission
rows until migrate ends, and no pages yet). A knowledge section created later (by
`load_initial_data`, or by hand) is given the workflow and the groups' page permissions as it is
saved.
"""

import functools

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
    get_page_models,
)

from kb.models.pages import IndexPage, KnowledgePage

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Review and publish"
TASK_NAME = "Moderator approval"


@functools.cache
def knowledge_sections() -> tuple[type, ...]:
    """The section index pages that hold knowledge pages (case studies, resources, ...): the
    parents each KnowledgePage type declares, in the order the page types are defined."""
    sections = {}
    for model in get_page_models():
        if issubclass(model, KnowledgePage):
            for parent in model.clean_parent_page_models():
                if issubclass(parent, IndexPage):
                    sections.setdefault(parent, None)
    return tuple(sections)


TAXONOMY = ("theme", "area", "intervention", "organisation", "glossaryterm")

# Readers' page feedback is for everyone who edits pages; the accessibility statement's wording
# and practitioners' submissions (with the submitter's private details) are the moderators'
# (those apps' permissions are named here, not imported).
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "access_admin"),
        ("kb", "add_area"),
        ("kb", "add_organisation"),
        ("feedback", "view_pagefeedback"),
    ],
    MODERATORS: [("wagtailadmin", "access_admin"), ("feedback", "view_pagefeedback")]
    + [("kb", f"{action}_{model}") for model in TAXONOMY for action in ("add", "change", "delete")]
    + [("accessibility", "change_accessibilitystatement"), ("submissions", "view_submission")],
}
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups():
    groups = {}
    for name, wanted in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(app, code) for app, code in wanted))
        groups[name] = group
    return groups


def ensure_workflow():
    moderators = Group.objects.get_or_create(name=MODERATORS)[0]
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
    task.groups.add(moderators)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    return workflow


def ensure_section(page):
    """The workflow and both groups' page permissions on one knowledge section (idempotent)."""
    workflow = ensure_workflow()
    groups = ensure_groups()
    WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=page, permission=_permission("wagtailcore", codename)
            )


def retire_wagtail_defaults():
    """Wagtail's first migration puts a "Moderators approval" workflow and Editors' edit rights on
    the root, i.e. on every page. Ours are per knowledge section, so that default is taken off
    the root (the workflow itself is kept, inactive, with its history)."""
    root = Page.get_first_root_node()
    if root is None:
        return
    ours = Workflow.objects.filter(name=WORKFLOW_NAME)
    for assignment in WorkflowPage.objects.filter(page=root).exclude(workflow__in=ours):
        workflow = assignment.workflow
        assignment.delete()
        if not workflow.workflow_pages.exists() and workflow.active:
            workflow.active = False
            workflow.save(update_fields=["active"])
    GroupPagePermission.objects.filter(group__name=EDITORS, page=root).delete()


def ensure_all():
    ensure_groups()
    ensure_workflow()
    retire_wagtail_defaults()
    for model in knowledge_sections():
        for page in model.objects.all():
            ensure_section(Page.objects.get(pk=page.pk))


def on_post_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    # Permissions for every app exist only once each app's own post_migrate ran; make sure.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        ensure_all()


def on_page_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw and isinstance(instance, knowledge_sections()):
        ensure_section(Page.objects.get(pk=instance.pk))
