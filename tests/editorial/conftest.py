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


@pytest.fixture
def editor(db):
    return make_user("edna", "Editors")


@pytest.fixture
def moderator(db):
    return make_user("moe", "Moderators")


@pytest.fixture
def second_moderator(db):
    return make_user("mo2", "Moderators")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(django_user_model, moderator):
    from django.test import Client

    other = Client()
    other.force_login(moderator)
    return other
