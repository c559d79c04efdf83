import re

import pytest

from kb.models import CaseStudyIndexPage, CaseStudyPage, Theme

LINK = re.compile(r"https?://\S+/alerts/(confirm|unsubscribe|manage)/[^/\s]+/")


def links(body: str, purpose: str) -> list[str]:
    return [match.group(0) for match in LINK.finditer(body) if match.group(1) == purpose]


def path_of(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run an action and its on-commit work (search indexing), as a real request would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def publish_case_study(commit):
    def publish(title, theme_slug, summary="A test case study about practice."):
        def act():
            page = CaseStudyPage(title=title, summary=summary, aims="Test aims.")
            page.themes = [Theme.objects.get(slug=theme_slug)]
            CaseStudyIndexPage.objects.get().add_child(instance=page)
            page.save_revision().publish()
            return page

        return commit(act)

    return publish
