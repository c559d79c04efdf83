"""The Content-Security-Policy blocks nothing the site, the admin or the API docs need."""

import pytest

PAGES = ["/", "/search/?q=smoking", "/case-studies/", "/api/docs", "/admin/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_csp_violations(page, path):
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
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "csp-admin-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert violations == []
