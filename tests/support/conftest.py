"""Users in each role and small builders for visits and packs. Tests make their own data."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group, Permission

from kb.models import Area, CaseStudyPage, ResourcePage, Theme
from support.models import SUPPORT_GROUP_NAME, Pack, PackItem, Recommendation, Visit
from support.topics import theme_tables

_numbers = itertools.count(1)


def make_user(django_user_model, name, *, group=None, superuser=False):
    user = django_user_model.objects.create_user(
        username=name,
        password="secret-pass-123",
        first_name=name.title(),
        last_name="Tester",
        email=f"{name}@example.org",
        is_superuser=superuser,
        is_staff=superuser,
    )
    if group is not None:
        user.groups.add(group)
    return user


def admin_group(name):
    """Editors and Moderators come from the editorial app; make a stand-in if not there yet."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@pytest.fixture
def support_user(db, django_user_model):
    return make_user(django_user_model, "sam", group=Group.objects.get(name=SUPPORT_GROUP_NAME))


@pytest.fixture
def users(db, django_user_model, support_user):
    return {
        "anonymous": None,
        "editor": make_user(django_user_model, "eddie", group=admin_group("Editors")),
        "moderator": make_user(django_user_model, "molly", group=admin_group("Moderators")),
        "support": support_user,
        "superuser": make_user(django_user_model, "root", superuser=True),
    }


@pytest.fixture
def support_client(client, support_user):
    client.force_login(support_user)
    return client


def theme(slug):
    return Theme.objects.get(slug=slug)


def first_category(theme_slug):
    table = next(t for t in theme_tables().values() if t.theme_slug == theme_slug)
    return table.categories[0].name


def make_visit(
    area="sandwell",
    topics=("ethnicity", "teenage-pregnancy-and-young-parents"),
    *,
    start=None,
    lead=None,
    recommendations=0,
):
    start = start or datetime.date(2026, 3, 2)
    visit = Visit(
        area=Area.objects.get(slug=area),
        start_date=start,
        end_date=start + datetime.timedelta(days=3),
        status=Visit.Status.VISITED,
        lead=lead,
    )
    visit.save()
    visit.chosen_topics.set([theme(slug) for slug in topics])
    visit.save()
    strategic = theme("strategic-approaches")
    category = first_category("strategic-approaches")
    for n in range(recommendations):
        Recommendation.objects.create(
            visit=visit, text=f"Recommendation {n}", theme=strategic, category=category
        )
    return visit


def make_pack(visit=None, area="sandwell", pages=None):
    area_obj = visit.area if visit else Area.objects.get(slug=area)
    pack = Pack(title=f"Pack {next(_numbers)} for {area_obj.name}", area=area_obj, visit=visit)
    pages = (
        pages
        if pages is not None
        else [
            ResourcePage.objects.live().order_by("pk").first(),
            CaseStudyPage.objects.live().order_by("pk").first(),
        ]
    )
    for order, page in enumerate(pages):
        pack.items.add(PackItem(page=page, note=f"Note {order}", sort_order=order))
    pack.save()
    return pack
