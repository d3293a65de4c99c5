"""A person's walk through the foundation in headless Chromium (Debian's build).

Logs in, browses the tree, imports a file with errors, reads the errors, fixes the
file and imports it. The real task worker runs in-process between the steps.
"""

import pytest

from conftest import run_worker
from dangvu.orgs.imports import build_template
from dangvu.orgs.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = [["Hà Thị Lan", "02/09/1985", "Nữ", "03/02/2010", "03/02/2011", "Chính thức", "", "", "", "A-M1"],
        ["Triệu Văn Sơn", "20/11/1990", "Nam", "07/11/2016", "", "Dự bị", "", "", "", "A-M1"]]
BAD = [["Hà Thị Lan", "31/02/1985", "Nữ", "03/02/2010", "", "", "", "", "", "A-M1"],
       ["Triệu Văn Sơn", "20/11/1990", "Nam", "07/11/2016", "", "", "", "", "", "KHONG-CO"]]
UNITS = [["A-M1", "Chi bộ thôn Khuổi Nấng", "Chi bộ", "G", "Không", "", ""]]


def _upload(page, tmp_path, name, members):
    path = tmp_path / name
    path.write_bytes(build_template(members, UNITS))
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_selector("#job-status")
    run_worker()


def test_login_browse_import_with_errors_then_fixed(page, live_server, org, tmp_path):
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("#id_username", "off")
    page.fill("#id_password", "x-off")
    page.get_by_role("button", name="Đăng nhập").click()

    # the officer's subtree root opens directly, with rolled-up counts
    page.wait_for_selector("h1:has-text('Đảng bộ xã Hùng An')")
    assert page.inner_text("#count-total") == "4"
    page.get_by_role("link", name="Chi bộ thôn Nà Ngoa").click()
    page.wait_for_selector("h1:has-text('Chi bộ thôn Nà Ngoa')")
    page.get_by_role("link", name="Danh sách đảng viên").click()
    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    page.fill("#q", "binh")
    page.wait_for_function("document.querySelectorAll('.member-row').length === 1")
    assert "Trần Thị Bình" in page.inner_text("#member-rows")
    page.locator("nav.crumbs").get_by_role("link", name="Đảng bộ xã Hùng An").click()

    _upload(page, tmp_path, "co-loi.xlsx", BAD)
    errors = page.wait_for_selector("#import-errors")  # the page polls until the check is done
    text = errors.inner_text()
    assert "31/02/1985" in text and "KHONG-CO" in text and "Ngày sinh" in text
    assert "Có 2 lỗi" in page.inner_text("#import-status")
    assert not Member.objects.filter(full_name="Hà Thị Lan").exists()

    page.get_by_role("link", name="Tải lên tệp khác").click()
    page.get_by_role("link", name="Đảng bộ xã Hùng An").first.click()
    _upload(page, tmp_path, "da-sua.xlsx", GOOD)
    page.wait_for_selector("#apply")
    assert "sẽ tạo 1 đơn vị và 2 đảng viên" in page.inner_text("#import-status")
    page.click("#apply")
    page.wait_for_selector("#job-status")
    run_worker()
    page.wait_for_selector("#import-done")
    assert Member.objects.filter(unit__code="A-M1").count() == 2
    page.get_by_role("link", name="Về trang đơn vị").click()
    page.wait_for_selector("text=Chi bộ thôn Khuổi Nấng")
    assert page.inner_text("#count-total") == "6"
