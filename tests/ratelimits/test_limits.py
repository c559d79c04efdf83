"""The shared rate limit: a sliding window in the database, keyed hashes only, pruned."""

import datetime

import pytest
from django.utils import timezone

from ratelimits.limits import allow
from ratelimits.models import Attempt

pytestmark = pytest.mark.django_db


def test_a_window_allows_the_limit_then_refuses_without_counting_refusals():
    assert [allow("test", "203.0.113.5", 2, 3600) for _ in range(4)] == [True, True, False, False]
    assert Attempt.objects.filter(scope="test").count() == 2
    assert allow("test", "203.0.113.6", 2, 3600)  # someone else
    assert allow("other", "203.0.113.5", 2, 3600)  # another form


def test_old_attempts_stop_counting_and_are_deleted():
    allow("test", "someone@example.org", 1, 3600)
    Attempt.objects.update(at=timezone.now() - datetime.timedelta(hours=2))
    assert allow("test", "someone@example.org", 1, 3600)
    assert Attempt.objects.filter(scope="test").count() == 1


def test_only_a_keyed_hash_of_who_is_stored():
    allow("test", "someone@example.org", 5, 3600)
    [(scope, key)] = Attempt.objects.values_list("scope", "key")
    assert scope == "test" and "someone" not in key and len(key) == 64
