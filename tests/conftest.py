"""The headless Chromium page the browser tests drive (Debian's build, through Playwright), and
the study fixtures (a studied document, a campaign of the commune) for the tests of uploads."""

import os
import shutil

import pytest

from dangvu.study.tests.conftest import campaign, studied_document  # noqa: F401

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def page(live_server):
    yield from _page(bypass_csp=True)  # the tests' own probes use eval; the app never does


@pytest.fixture
def strict_page(live_server):
    """A page under the site's own Content-Security-Policy, with every violation and
    script error collected in `page.problems`."""
    pages = _page(bypass_csp=False)
    page = next(pages)
    problems = page.problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    next(pages, None)  # closes the browser


def _page(*, bypass_csp: bool):
    if not os.path.exists(CHROMIUM):
        if os.getenv("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it")
        pytest.skip("chromium is not installed here")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(locale="vi-VN", bypass_csp=bypass_csp)
        page.set_default_timeout(15000)
        yield page
        browser.close()
        # While Playwright's event loop runs, the test's own ORM calls (the task
        # worker, checks) get a connection of their own context; close it here,
        # in that context, or PostgreSQL still sees it when the test database is
        # dropped.
        from django.db import connections

        connections.close_all()


def login(page, base_url, username):
    page.context.clear_cookies()  # whoever was logged in before is not any more
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x-" + username)
    with page.expect_navigation():  # the next page is the logged-in one, not the form still loading
        page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
