"""Create the dev-only accounts and print how to sign in. Refuses outside dev settings.

An admin (superuser), an editor, a moderator and a support team member, so the moderation
journey and the support team's workspace can be walked through with `make run`, each person
signed in as themselves. Each password is random and kept
in var/; the groups are the ones the editorial app sets up.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
# (username, group, password file): the dev admin keeps its original file name.
ACCOUNTS = (
    (USERNAME, None, "dev-admin-password.txt"),
    ("editor", "Editors", "dev-editor-password.txt"),
    ("moderator", "Moderators", "dev-moderator-password.txt"),
    ("support", "Support team", "dev-support-password.txt"),
)


class Command(BaseCommand):
    help = (
        "Create (once) the dev admin, editor, moderator and support users; --show prints how "
        "to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="Only print the sign-in details.")

    def handle(self, *args, show=False, **options):
        if not getattr(settings, "KB_CREATE_DEV_ADMIN", False):
            raise CommandError("dev_admin only runs with the dev settings")
        for username, group, file_name in ACCOUNTS:
            password_file = settings.VAR_DIR / file_name
            if not show:
                self.create(username, group, password_file)
            if password_file.exists():
                password = password_file.read_text().strip()
                role = f" ({group})" if group else ""
                self.stdout.write(
                    f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/  "
                    f"user: {username}{role}  password: {password}  "
                    f"(dev only; stored in {password_file})"
                )
        if not show:
            return
        self.stdout.write("Emails (submission, approval, changes requested) print to this console.")

    def create(self, username, group, password_file):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        email = f"{username}@example.invalid"
        if group is None:
            User.objects.create_superuser(username, email, password)
        else:
            user = User.objects.create_user(
                username, email, password, first_name=username.capitalize()
            )
            user.groups.add(Group.objects.get(name=group))
        kind = "admin" if group is None else group.removesuffix("s").lower()
        self.stdout.write(f"Created dev {kind} user '{username}'.")
