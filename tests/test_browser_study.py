"""The whole study flow in headless Chromium: an officer creates a campaign for a document,
records an online session to two connection points, members submit essays (one pair
copied, one thin), the copy check runs with progress, the reviewer returns the copied
and the thin ones, the members resubmit, and the figures read as the seed reports do."""

import datetime
import random

import pytest

from conftest import run_worker
from dangvu.documents import services as doc_services
from dangvu.essays.models import Essay, EssayStatus
from dangvu.integrity.synthetic import essay as synthetic_essay
from dangvu.orgs import services as org_services
from dangvu.study.models import Attendance, StudySession
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT = ("Đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước "
            "trong kỷ nguyên mới, bảo đảm pháp luật vừa là nền tảng vừa là động lực phát triển.")


def submit(page, base_url, username, text, again=False):
    login(page, base_url, username)
    page.goto(base_url + "/so-tay/")
    page.locator("#my-essays").get_by_role("link", name="Nộp lại" if again else "Nộp bài").click()
    page.fill("#id_text", text)
    page.locator("#essay-form").get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector("text=Đã nộp bài thu hoạch.")
    page.get_by_role("button", name="Đăng xuất").click()


def test_campaign_session_essays_scan_review_resubmit(page, live_server, org):
    org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    doc_services.document_receive(actor=None, unit=org.G, doc_type="NQ", number=66, issuer_symbol="TW",
                                  issued_on=datetime.date(2025, 4, 30), summary="Nghị quyết về đổi mới pháp luật",
                                  text=DOCUMENT)
    today = datetime.date.today()
    base = live_server.url

    # An officer creates the campaign for the document.
    login(page, base, "off")
    page.wait_for_selector("h1:has-text('Đảng bộ xã Hùng An')")
    page.click("#campaigns-link")
    page.get_by_role("link", name="Đợt học tập mới").click()
    page.fill("#id_title", "Học tập, quán triệt Nghị quyết 66-NQ/TW")
    page.get_by_label("66-NQ/TW").check() if page.get_by_label("66-NQ/TW").count() else page.check("input[name=documents]")
    page.fill("#id_start", (today - datetime.timedelta(days=3)).isoformat())
    page.fill("#id_end", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_essay_deadline", (today + datetime.timedelta(days=14)).isoformat())
    page.fill("#id_min_words", "60")
    page.get_by_role("button", name="Tạo đợt học tập").click()
    page.wait_for_selector("text=Đã tạo đợt học tập.")
    campaign_url = page.url

    # An online session to two connection points, then attendance.
    page.get_by_role("link", name="Ghi hội nghị, buổi học").click()
    page.fill("#id_held_on", (today - datetime.timedelta(days=1)).isoformat())
    page.select_option("#id_mode", "online")
    page.fill("#id_points", "Hội trường Đảng ủy xã; 45\nNhà văn hóa thôn Nà Ngoa; 30")
    page.locator("#session-form").get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Đã ghi buổi học.")
    page.wait_for_load_state("networkidle")  # the attendance page is settled before we tick it
    radios = [page.locator("tr", has_text=name).get_by_label("Có mặt")
              for name in ("Trần Thị Bình", "Lê Văn Cường", "Hoàng Văn Em")]
    for radio in radios:
        radio.check()
    assert all(radio.is_checked() for radio in radios)
    with page.expect_navigation():
        page.click("#save-attendance")
    # (Ids past 999 once went out as “m7.900”, localised, and nothing was saved.)
    saved = page.locator(".messages").inner_text()
    assert "Đã lưu điểm danh" in saved
    assert Attendance.objects.filter(status="present").count() == 3, (
        saved, list(Attendance.objects.values_list("session_id", "member__full_name", "status")),
        list(StudySession.objects.values_list("pk", "campaign_id")), page.url)
    page.goto(campaign_url)
    assert page.inner_text("#fig-attended") == "3/4"
    assert page.inner_text("#fig-attendances") == "75"
    page.get_by_role("button", name="Đăng xuất").click()

    # Members submit: one original, one copy of it, one thin.
    original = synthetic_essay(random.Random(5), 260)
    submit(page, base, "sec", original)
    submit(page, base, "mem", "Qua học tập, tôi nhận thức sâu sắc. " + original[: len(original) * 3 // 4])
    submit(page, base, "out", DOCUMENT + " " + DOCUMENT + " Tôi hoàn toàn nhất trí.")  # long enough, own words few

    # The reviewer runs the copy check; the page shows progress while the worker runs.
    login(page, base, "off")
    page.goto(campaign_url)
    assert page.inner_text("#fig-submitted") == "3/4"
    page.click("#scan-start")
    page.wait_for_selector("#scan-status[data-status=queued]")
    run_worker()
    page.wait_for_selector("#scan-status[data-status=done]")  # htmx polls until it is done
    assert "1 cặp bài sao chép, 1 bài sơ sài" in page.inner_text("#scan-summary")

    # Side by side, the copied passages highlighted in both; return the copy in one click.
    page.locator("#pairs").get_by_role("link", name="So sánh").click()
    assert page.locator("#text-a mark").count() >= 1 and page.locator("#text-b mark").count() >= 1
    copier = page.locator("section", has_text="Lê Văn Cường")
    copier.locator("select[name=reason]").select_option("copied")
    copier.get_by_role("button", name="Trả lại làm lại").click()
    page.wait_for_selector("text=Đã lưu kết quả chấm.")
    page.get_by_role("link", name="Quay lại kết quả kiểm tra").click()
    page.locator("#thin").get_by_role("button", name="Trả lại làm lại").click()
    page.wait_for_selector("text=Đã lưu kết quả chấm.")
    assert Essay.objects.filter(status=EssayStatus.RETURNED).count() == 2
    page.get_by_role("button", name="Đăng xuất").click()

    # The members see why and resubmit.
    login(page, base, "mem")
    page.goto(base + "/so-tay/")
    assert "phải làm lại" in page.inner_text("#reminders")
    page.get_by_role("button", name="Đăng xuất").click()
    submit(page, base, "mem", synthetic_essay(random.Random(9), 200), again=True)
    submit(page, base, "out", synthetic_essay(random.Random(11), 200), again=True)

    # The unit's figures read as the seed reports do.
    login(page, base, "off")
    page.goto(campaign_url)
    assert page.inner_text("#fig-submitted") == "3/4"
    assert "75,00%" in page.inner_text("#figures")
    assert page.inner_text("#fig-returned") == "2"
    assert page.inner_text("#fig-returned-why") == "sơ sài: 1 · sao chép: 1 · khác: 0"
    assert Essay.objects.filter(status=EssayStatus.RESUBMITTED).count() == 2
