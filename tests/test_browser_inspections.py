"""A year of inspections recorded through the pages by a cell secretary and the commune's
officer; the target's page reads "x/y chi bộ, đạt z%", the same as the API, and its
missed cells lead to their rows."""

import datetime

import pytest

from dangvu.inspections.models import Inspection
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = datetime.date.today().year


def _record(page, base, unit, member_name, day):
    page.goto(f"{base}/units/{unit.pk}/inspections/?year={YEAR}")
    page.click("#record summary")
    page.select_option("#inspection-form #id_kind", "inspection")
    page.select_option("#inspection-form #id_subject_member", label=member_name)
    page.fill("#inspection-form #id_content", "Kiểm tra việc thực hiện nhiệm vụ đảng viên")
    page.fill("#inspection-form #id_start", f"{YEAR}-{day}")
    page.fill("#inspection-form #id_end", f"{YEAR}-{day}")
    page.select_option("#inspection-form #id_outcome", "good")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_selector("#outcome")


def test_a_year_of_inspections_meets_the_two_one_target(page, live_server, org):
    base = live_server.url
    org.A = org_services.unit_update(actor=None, unit=org.A, has_committee=True, on_date=org.A.valid_from)
    org.C = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ thôn Khuổi Nạc", code="C",
                                     kind=UnitKind.CELL, valid_from=datetime.date(2020, 1, 1))
    login(page, base, "off")  # the commune's office sets the target
    page.goto(f"{base}/units/{org.G.pk}/targets/")
    page.fill("#id_title", "Chi bộ có chi ủy kiểm tra ít nhất 2 cuộc, chi bộ không có chi ủy ít nhất 1 cuộc")
    page.select_option("#id_measure", "inspections.held")
    page.select_option("#id_applies_kind", "cell")
    page.fill("#id_min", "1")
    page.fill("#id_min_with_committee", "2")
    page.fill("#id_start", f"{YEAR}-01-01")
    page.fill("#id_end", f"{YEAR}-12-31")
    page.click("#target-form button[type=submit]")
    page.wait_for_selector("#attainment")
    target_url = page.url
    _record(page, base, org.B, "Hoàng Văn Em", "03-10")  # B (no cell committee): one is enough

    login(page, base, "sec")  # A's secretary records A's first inspection: A still misses (needs 2)
    _record(page, base, org.A, "Lê Văn Cường", "04-02")
    assert Inspection.objects.filter(unit=org.A).count() == 1

    login(page, base, "off")
    page.goto(target_url)
    shown = page.inner_text("#attainment")
    assert "1/3 chi bộ" in shown and "33,33%" in shown
    api = page.request.get(f"{base}/api/targets/{target_url.rstrip('/').split('/')[-1]}/attainment").json()
    assert (api["met"], api["units"], api["rate"]) == (1, 3, 33.33)
    assert sorted(api["missed"]) == sorted([org.A.pk, org.C.pk])
    missed = page.locator("#missed a")
    assert sorted(missed.all_inner_texts()) == sorted(["Chi bộ thôn Nà Ngoa", "Chi bộ thôn Khuổi Nạc"])
    page.click("#missed a:has-text('Nà Ngoa')")  # its rows: the one inspection it held
    page.wait_for_selector("#rows")
    assert page.inner_text("#figure-value").strip() == "1"
    assert "Lê Văn Cường" in page.inner_text("#rows")
