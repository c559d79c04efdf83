"""`make setup` (manage.py dev_admin) creates a `support` team member and says how to sign in."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from support.models import SUPPORT_GROUP_NAME

pytestmark = pytest.mark.django_db


def test_dev_setup_creates_a_support_team_member(settings, tmp_path):
    settings.KB_CREATE_DEV_ADMIN = True
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("dev_admin", stdout=out)
    user = get_user_model().objects.get(username="support")
    assert user.groups.filter(name=SUPPORT_GROUP_NAME).exists()
    assert not user.is_superuser
    password = (tmp_path / "dev-support-password.txt").read_text().strip()
    assert user.check_password(password)
    assert f"user: support ({SUPPORT_GROUP_NAME})  password: {password}" in out.getvalue()
