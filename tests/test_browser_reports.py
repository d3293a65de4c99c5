"""The year-end report in headless Chromium, as a committee office writes it: build the
draft (the page follows the job), write a narrative section, compute the figures again
(the text stays), issue it (it takes its number from the register), download the .docx."""

import datetime
import io

import pytest
from docx import Document as read_docx

from conftest import make_member, run_worker
from dangvu.orgs import services as org_services
from dangvu.orgs.models import RoleKind
from dangvu.reports.demo import write_narratives
from dangvu.reports.models import Report
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_write_rebuild_issue_download(page, live_server, org):
    org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    # who signs: the commune's secretary on record (a report with no signer is not issued)
    org_services.role_assign(actor=None, unit=org.G, member=org.sec_member, role=RoleKind.SECRETARY,
                             start=datetime.date(2025, 1, 1))
    base = live_server.url
    login(page, base, "off")
    page.wait_for_selector("h1:has-text('Đảng bộ xã Hùng An')")
    page.click("#reports-link")
    page.fill("#id_year", str(datetime.date.today().year))
    page.get_by_role("button", name="Lập dự thảo").click()
    page.wait_for_selector("#report-status[data-status=building]")
    run_worker()  # the job runs on the worker; the page polls and then offers the draft
    page.wait_for_selector("#report-status[data-status=draft]")
    page.get_by_role("link", name="Xem dự thảo").click()
    members = 4  # the conftest tree: three in A, one in B
    page.wait_for_selector(f"#section-to-chuc >> text=có {members} đảng viên")

    limits = "Việc sinh hoạt chi bộ ở một số thôn chưa đều."
    section = page.locator("#section-han-che")
    section.locator("textarea").fill(limits)
    section.get_by_role("button", name="Lưu mục này").click()
    page.wait_for_selector("text=Đã lưu.")

    make_member(org.B, "Đinh Văn Mới", datetime.date(1996, 6, 6), admission_date=datetime.date.today(),
                official_date=None, status="du_bi")
    page.get_by_role("button", name="Tính lại số liệu").click()
    page.wait_for_selector("#report-status[data-status=building]")
    run_worker()
    page.wait_for_selector("#report-status[data-status=draft]")
    page.reload()
    page.wait_for_selector(f"#section-to-chuc >> text=có {members + 1} đảng viên")
    assert page.locator("#section-han-che textarea").input_value() == limits
    # each figure says where it came from
    figure = page.locator("#section-to-chuc a.figure").first
    assert "Đảng viên" in figure.get_attribute("title") and "/figures/members.total/" in figure.get_attribute("href")

    write_narratives(Report.objects.get(), datetime.date.today().year)  # the other sections, written meanwhile
    page.reload()
    page.locator("#issue summary").click()
    page.get_by_role("button", name="Ban hành và cấp số").click()
    page.wait_for_selector("text=Đã ban hành, số 01-BC/ĐU.")
    assert Report.objects.get().status == Report.Status.ISSUED
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản .docx").click()
    text = "\n".join(p.text for p in read_docx(io.BytesIO(open(download.value.path(), "rb").read())).paragraphs)
    assert limits in text and f"có {members + 1} đảng viên" in text
    cells = [c.text for t in read_docx(download.value.path()).tables for r in t.rows for c in r.cells]
    assert any("Số 01-BC/ĐU" in c for c in cells)
    # issued: nothing to edit any more, a correction instead
    assert page.locator("#section-han-che textarea").count() == 0
    assert page.get_by_role("button", name="Lập bản đính chính").count() == 1
