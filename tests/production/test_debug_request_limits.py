"""Defect 10: under DEBUG, a request with too many fields is a 400, as in production."""

import pytest
from django.test import Client

TOKEN = "a" * 32  # a well-formed CSRF secret, so the middleware reads the body for the token


def browser_client():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = TOKEN
    return client


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/search/", "/api/search/", "/"])
def test_1001_query_parameters_answer_400(db, settings, debug, path):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    query = "&".join(f"f{i}=x" for i in range(1001))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("debug", [True, False])
def test_1001_form_fields_answer_400(db, settings, debug):
    settings.DEBUG = debug
    client = browser_client()
    fields = {f"field{i}": "x" for i in range(1001)}
    response = client.post("/search/", fields)
    assert response.status_code == 400


def test_a_body_over_the_size_limit_answers_400_under_debug(db, settings):
    settings.DEBUG = True
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = browser_client()
    response = client.post("/search/", {"q": "x" * 5000})
    assert response.status_code == 400
