"""The Content-Security-Policy blocks nothing the site, the admin or the API docs need."""

import re

import pytest

from .conftest import manage_shell

PAGES = ["/", "/search/?q=smoking", "/case-studies/", "/api/docs", "/admin/login/"]


def collect_csp_violations(page):
    """The console messages Chromium writes for each blocked resource or script."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations


def sign_in_as_admin(page):
    page.goto("/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "csp-admin-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("path", PAGES)
def test_no_csp_violations(page, path):
    violations = collect_csp_violations(page)
    response = page.goto(path)
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_frontend_script_runs_under_the_policy(page):
    page.goto("/")
    assert "js-enabled" in page.evaluate("document.body.className")


def test_swagger_ui_renders_under_the_policy(page):
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)


def test_the_admin_signs_in_and_its_dashboard_has_no_violations(page, site_url):
    violations = collect_csp_violations(page)
    sign_in_as_admin(page)
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert violations == []


def _first_case_study_id():
    return manage_shell(
        "from kb.models import CaseStudyPage; "
        "print(CaseStudyPage.objects.order_by('pk').first().pk)"
    )


def test_the_page_editor_runs_its_inline_scripts_under_the_admin_policy(page, site_url):
    """Wagtail's editor starts inline panels and date inputs from inline scripts: the admin's
    policy must let them run, or an editor cannot add an outcome or a contact."""
    violations = collect_csp_violations(page)
    sign_in_as_admin(page)
    page.goto(f"/admin/pages/{_first_case_study_id()}/edit/")
    page.wait_for_load_state("networkidle")
    forms = "[id^='inline_child_outcomes-']:not([id*='__prefix__'])"
    before = page.locator(forms).count()
    page.get_by_role("button", name=re.compile("Add outcome", re.I)).first.click()
    page.wait_for_function(f"n => document.querySelectorAll({forms!r}).length > n", arg=before)
    assert violations == []
