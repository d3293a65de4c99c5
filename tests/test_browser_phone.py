"""On a phone (390 px wide), in headless Chromium: a member's essay from the sổ tay (too short,
refused with how many words are missing; submitted; returned; opened again with its text;
reworked and resubmitted), and a cell secretary's make-up session with its attendance."""

import datetime
import random

import pytest

from dangvu.essays import services as essay_services
from dangvu.essays.demo_writing import reflection_essay
from dangvu.essays.models import Essay, EssayStatus
from dangvu.study import services as study
from dangvu.study.models import Attendance, StudySession
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def campaign(org):
    today = datetime.date.today()
    return study.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết số 66-NQ/TW", documents=[],
                                 units=[org.G], start=today - datetime.timedelta(days=3),
                                 end=today + datetime.timedelta(days=30), essay_required=True,
                                 essay_deadline=today + datetime.timedelta(days=20), min_words=150)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_member_writes_is_returned_and_reworks_the_essay_on_a_phone(page, live_server, org, campaign):
    page.set_viewport_size(PHONE)
    base = live_server.url
    login(page, base, "mem")
    page.goto(base + "/so-tay/")
    assert fits(page)
    page.locator("#my-essays").get_by_role("link", name="Nộp bài").click()
    page.fill("#id_text", "Tôi nhất trí cao với nghị quyết.")
    page.locator("#essay-form").get_by_role("button", name="Nộp bài").click()
    error = page.locator("#essay-form .errorlist").inner_text()
    assert "có 7 chữ" in error and "ít nhất 150" in error and "143" in error  # how many more are needed
    assert not Essay.objects.exists()

    text = reflection_essay(random.Random(1), doc="Nghị quyết số 66-NQ/TW", number="66", place=org.A.name,
                            year=campaign.start.year)
    page.fill("#id_text", text)
    page.locator("#essay-form").get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector("text=Đã nộp bài thu hoạch.")
    essay = Essay.objects.get(member=org.mem_member)
    assert essay.status == EssayStatus.SUBMITTED and essay.text.split() == text.split()

    essay_services.essay_review(actor=None, essay=essay, accept=False, reason="thin", note="Cần liên hệ bản thân rõ hơn")
    page.goto(base + "/so-tay/")
    page.locator("#my-essays").get_by_role("link", name="Nộp lại").click()
    assert "Cần liên hệ bản thân rõ hơn" in page.inner_text("#essay-status")
    assert page.input_value("#id_text").split() == text.split()  # the returned essay opens with its text
    assert fits(page)
    page.fill("#id_text", page.input_value("#id_text") + "\n\nBản thân tôi sẽ kèm cặp thêm hai hộ ở thôn Nà Ngoa.")
    page.locator("#essay-form").get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector("text=Đã nộp bài thu hoạch.")
    essay.refresh_from_db()
    assert essay.status == EssayStatus.RESUBMITTED and essay.version == 2 and essay.was_returned
    assert "kèm cặp thêm hai hộ" in essay.text


def test_a_cell_secretary_records_a_make_up_session_and_its_attendance_on_a_phone(page, live_server, org,
                                                                                 campaign):
    page.set_viewport_size(PHONE)
    base = live_server.url
    login(page, base, "sec")
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    assert fits(page)
    page.click("#make-up-link")
    assert org.A.name in page.inner_text("#make-up")
    page.fill("#id_held_on", campaign.start.strftime("%d/%m/%Y"))
    page.fill("#id_place", "Nhà văn hóa thôn Nà Ngoa")
    page.fill("#id_title", "Học bù")
    page.locator("#session-form").get_by_role("button", name="Lưu").click()
    page.wait_for_selector("#attendance-form")
    session = StudySession.objects.get(title="Học bù")
    assert session.unit == org.A and session.held_on == campaign.start
    assert fits(page)
    names = page.locator("#attendance-form").inner_text()
    assert org.mem_member.full_name in names and org.out_member.full_name not in names  # cell A's members only
    page.locator(f'input[name="m{org.mem_member.pk}"][value="present"]').check()
    page.click("#save-attendance")
    page.wait_for_load_state("networkidle")
    assert Attendance.objects.filter(session=session, member=org.mem_member, status="present").exists()
    assert not Attendance.objects.filter(session=session, member=org.out_member).exists()
