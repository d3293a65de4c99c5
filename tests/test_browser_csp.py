"""The site works under its own Content-Security-Policy: htmx polls, the year selector
sends itself, forms post; the browser reports no violation and no script error."""

import datetime

import pytest

from dangvu.study import services
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy_with_no_violation(strict_page, live_server, org):
    page, base = strict_page, live_server.url
    today = datetime.date.today()
    services.campaign_create(actor=None, unit=org.G, title="Học tập chuyên đề năm trước", documents=[], units=[org.G],
                             start=datetime.date(today.year - 1, 3, 1), end=datetime.date(today.year - 1, 4, 1),
                             essay_required=False)
    login(page, base, "off")
    page.goto(f"{base}/units/{org.G.pk}/campaigns/")
    assert page.evaluate("typeof htmx") == "object"  # evaluate runs outside the page's policy
    page.select_option("select[name=year]", str(today.year - 1))  # site.js sends the form
    page.wait_for_url(f"**year={today.year - 1}")
    page.goto(f"{base}/units/{org.G.pk}/members/?q=an")
    page.wait_for_load_state()
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
    assert not page.problems
