"""Taxonomy behaviour: core topics, nesting, annex areas, modelled interventions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kb.models import Area, Intervention, Theme

pytestmark = pytest.mark.django_db


def test_the_four_core_nst_topics():
    assert set(Theme.objects.filter(is_core=True).values_list("slug", flat=True)) == {
        "housing",
        "maternal-and-infant-nutrition",
        "safeguarding-and-sudi",
        "reducing-maternal-smoking",
    }
    assert Theme.objects.get(slug="immunisation").kind == "optional"


def test_breastfeeding_sits_under_nutrition():
    breastfeeding = Theme.objects.get(slug="breastfeeding")
    assert breastfeeding.parent.slug == "maternal-and-infant-nutrition"
    assert breastfeeding in breastfeeding.parent.children.all()


def test_a_theme_cannot_sit_under_itself():
    nutrition = Theme.objects.get(slug="maternal-and-infant-nutrition")
    breastfeeding = Theme.objects.get(slug="breastfeeding")
    nutrition.parent = breastfeeding
    with pytest.raises(ValidationError):
        nutrition.full_clean()


def test_forty_three_annex_areas():
    assert Area.objects.filter(is_annex_area=True).count() == 43
    assert Area.objects.get(slug="england").kind == Area.Kind.NATIONAL
    assert not Area.objects.get(slug="lancashire").is_annex_area


def test_modelled_interventions_carry_their_contribution():
    modelled = Intervention.objects.filter(is_modelled=True, gap_contribution_pp__isnull=False)
    assert modelled.exists()
    for intervention in modelled:
        assert intervention.gap_contribution_pp > 0
    assert Intervention.objects.filter(is_modelled=False, gap_contribution_pp__isnull=True).exists()


def test_slugs_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="Housing again", slug="housing")
