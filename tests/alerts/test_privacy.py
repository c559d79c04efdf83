"""A subscriber's address appears in no log, feed, API response, sitemap or open data file."""

import logging

import pytest
from django.core import mail

from .conftest import links, path_of

ADDRESS = "private.reader@example.org"


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"


def test_address_is_nowhere_public(client, db, caplog, publish_case_study):
    caplog.set_level(logging.DEBUG)
    client.post("/alerts/subscribe/?theme=housing", {"email": ADDRESS, "frequency": "immediately"})
    client.post("/alerts/subscribe/?theme=housing", {"email": "not-an-address", "frequency": "x"})
    client.post(path_of(links(mail.outbox[0].body, "confirm")[0]))
    publish_case_study("Warm homes for new mothers in a privacy town", "housing")
    from django.core.management import call_command

    call_command("send_alerts", verbosity=0)
    assert len(mail.outbox) == 2
    manage = path_of(links(mail.outbox[1].body, "manage")[0])

    urls = [
        "/api/search/?theme=housing",
        "/api/search/?q=privacy",
        "/search/?theme=housing",
        "/search/feed.atom?theme=housing",
        "/feeds/latest.atom",
        "/feeds/themes/housing.atom",
        "/sitemap.xml",
        "/data/",
        "/data/pages.jsonl",
        "/data/case-studies.csv",
        "/data/catalogue.jsonld",
        manage,
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert ADDRESS.encode() not in body, url
        assert b"private.reader" not in body, url
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert "private.reader" not in logged
