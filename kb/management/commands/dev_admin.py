"""Create the dev-only admin account and print how to sign in. Refuses outside dev settings."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (once) the dev admin user; --show prints how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="Only print the sign-in details.")

    def handle(self, *args, show=False, **options):
        if not getattr(settings, "KB_CREATE_DEV_ADMIN", False):
            raise CommandError("dev_admin only runs with the dev settings")
        password_file = settings.VAR_DIR / "dev-admin-password.txt"
        User = get_user_model()
        if not show and not User.objects.filter(username=USERNAME).exists():
            password = secrets.token_urlsafe(12)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            User.objects.create_superuser(USERNAME, "admin@example.invalid", password)
            self.stdout.write(f"Created dev admin user '{USERNAME}'.")
        if password_file.exists():
            password = password_file.read_text().strip()
            self.stdout.write(
                f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/  "
                f"user: {USERNAME}  password: {password}  (dev only; stored in {password_file})"
            )
