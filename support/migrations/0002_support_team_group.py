"""The "Support team" group with the workspace's permissions. Idempotent: run it again, or on a
database where the group exists, and it only adds what is missing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Support team"
MODELS = ("visit", "recommendation", "followup", "pack", "packitem", "packsending")
# Sendings are the record of what was sent: made only by sending a pack; the team may view and
# change them (revoke, expiry) but never delete them.
NOT_GRANTED = {"add_packsending", "delete_packsending"}


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make this app's now.
    app_config = apps.get_app_config("support")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = {f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")}
    codenames = (codenames - NOT_GRANTED) | {"use_workspace"}
    permissions = list(
        Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
    )
    permissions += list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
