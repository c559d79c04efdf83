"""People for the admin tests: a superuser, an editor and a moderator, signed in through Django."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


def make_user(username, *groups, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.invalid", "pw")
    user = User.objects.create_user(username, f"{username}@example.invalid", "pw")
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def superuser(db):
    return make_user("root", superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
