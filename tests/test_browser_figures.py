"""A committee officer opens the commune's figures, clicks a figure, lands on its rows,
exports them, and finds the same number in the .xlsx."""

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_figure_rows_and_export_agree(page, live_server, org):
    base = live_server.url
    login(page, base, "off")
    page.goto(f"{base}/units/{org.G.pk}/")
    page.click("#figures-link")
    page.wait_for_selector("tr[data-key='members.total']")
    shown = page.inner_text("tr[data-key='members.total'] a.figure").strip()
    page.click("tr[data-key='members.total'] a.figure")
    page.wait_for_selector("#rows")
    assert page.inner_text("#figure-value").strip() == shown
    with page.expect_download() as download:
        page.click("#export")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(r)]
    assert len(rows) == int(shown.replace(".", "")) == 4  # the four members of the commune's two cells
    assert {r[1] for r in rows} == {"Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"}
