"""check_links against a local server: 200, 301, 404, 500, a timeout and a server refusing HEAD."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from importers.links import addresses_in, request_url
from importers.models import LinkCheck
from kb.models import CaseStudyPage, ResourcePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_addresses(web_server):
    """Give six resources local addresses; the rest keep the report's real ones."""
    paths = ["/ok", "/moved", "/no-such-page", "/error", "/slow", "/no-head/ok"]
    resources = list(ResourcePage.objects.order_by("pk")[: len(paths)])
    for resource, path in zip(resources, paths, strict=True):
        ResourcePage.objects.filter(pk=resource.pk).update(url_as_published=web_server + path)
    return {path: web_server + path for path in paths}, resources


def test_statuses_redirects_and_dates_are_stored(local_addresses, served_requests, capsys):
    urls, _resources = local_addresses
    before = timezone.now()
    call_command("check_links")
    checks = {check.url: check for check in LinkCheck.objects.all()}
    assert (checks[urls["/ok"]].outcome, checks[urls["/ok"]].status) == ("ok", 200)
    moved = checks[urls["/moved"]]
    assert (moved.outcome, moved.status) == ("redirected", 200)
    assert moved.redirect_to == urls["/ok"]
    assert (checks[urls["/no-such-page"]].outcome, checks[urls["/no-such-page"]].status) == (
        "broken",
        404,
    )
    assert (checks[urls["/error"]].outcome, checks[urls["/error"]].status) == ("broken", 500)
    slow = checks[urls["/slow"]]
    assert slow.outcome == "unreachable" and "timed out" in slow.error and slow.status is None
    assert all(check.checked_at >= before for check in checks.values())
    # HEAD first; GET only where HEAD was refused.
    assert ("HEAD", "/ok") in served_requests and ("GET", "/ok") not in served_requests
    assert ("HEAD", "/no-head/ok") in served_requests and ("GET", "/no-head/ok") in served_requests
    assert (checks[urls["/no-head/ok"]].outcome, checks[urls["/no-head/ok"]].status) == ("ok", 200)
    out = capsys.readouterr().out
    assert f"broken: {urls['/no-such-page']} (404)" in out
    assert "Checked " in out


def test_the_reports_real_addresses_are_never_contacted(local_addresses):
    """Under test settings a real host is refused before any name lookup or connection."""
    call_command("check_links")
    real = LinkCheck.objects.get(url="www.nice.org.uk")
    assert real.outcome == "unreachable"
    assert "fetch only from this machine" in real.error


def test_older_than_skips_recent_checks(local_addresses, served_requests):
    call_command("check_links")
    served_requests.clear()
    call_command("check_links", older_than=7)
    assert served_requests == []
    LinkCheck.objects.update(checked_at=timezone.now() - timezone.timedelta(days=8))
    call_command("check_links", older_than=7)
    assert ("HEAD", "/ok") in served_requests


def test_case_study_text_addresses_are_held():
    page = CaseStudyPage.objects.get(slug="stoke-on-trent-quit-for-a-new-life")
    text_urls = addresses_in(page.what_was_done)
    assert any(url.startswith("http://www.nsmcentre.org.uk/") for url in text_urls)
    assert request_url("www.chimat.org.uk") == "http://www.chimat.org.uk"
    assert addresses_in("see www.example.org/page.") == ["www.example.org/page"]


def test_the_resource_page_says_whether_its_2010_address_worked(client, local_addresses):
    urls, resources = local_addresses
    call_command("check_links")
    works = client.get(resources[0].url).content.decode()
    assert "This address still worked when it was last checked, on" in works
    broken = client.get(resources[2].url).content.decode()
    assert "This address no longer worked when it was last checked" in broken
    assert "(the server answered 404)" in broken
    unchecked = ResourcePage.objects.exclude(pk__in=[r.pk for r in resources]).first()
    LinkCheck.objects.filter(url=unchecked.url_as_published).delete()
    assert "when it was last checked" not in client.get(unchecked.url).content.decode()


def test_the_broken_links_report_lists_broken_addresses_and_their_pages(
    admin_client, local_addresses
):
    urls, resources = local_addresses
    response = admin_client.get("/admin/importers/broken-links/")
    assert "the links have not been checked yet" in response.content.decode()
    call_command("check_links")
    html = admin_client.get("/admin/importers/broken-links/").content.decode()
    assert urls["/no-such-page"] in html and "Broken (404)" in html
    assert resources[2].title in html
    assert urls["/ok"] + "<" not in html  # working addresses are not listed
