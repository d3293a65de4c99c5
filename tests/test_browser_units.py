"""Reorganising units in headless Chromium: a committee officer merges two of its cells from
the commune's page and lands on the merged cell, which holds everyone."""

import pytest

from dangvu.orgs.models import Member, OrgUnit
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_merges_two_cells(page, live_server, org):
    base = live_server.url
    login(page, base, "off")
    page.wait_for_selector("h1:has-text('Đảng bộ xã Hùng An')")
    page.click("#merge-link")
    page.get_by_label("Chi bộ thôn Nà Ngoa").check()
    page.get_by_label("Chi bộ thôn Bản Mới").check()
    page.fill("#id_name", "Chi bộ thôn Nà Ngoa - Bản Mới")
    page.fill("#id_code", "AB")
    page.fill("#id_on_date", "01/07/2026")
    page.get_by_role("button", name="Hợp nhất").click()
    page.wait_for_selector("text=Đã hợp nhất thành Chi bộ thôn Nà Ngoa - Bản Mới.")
    merged = OrgUnit.objects.get(code="AB")
    assert page.url.endswith(f"/units/{merged.pk}/")
    assert Member.objects.filter(unit=merged).count() == 4
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to is not None
