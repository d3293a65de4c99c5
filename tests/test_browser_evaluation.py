"""The year's evaluation on a phone: a member fills and submits a self-assessment from the sổ tay;
the secretary proposes after the meeting; the đảng ủy decides, hits the cap and is told how many
places are left; the level appears on the member's sổ tay and in the report's draft."""

import datetime

import pytest

from dangvu.evaluation import services
from dangvu.evaluation.models import Level, Rating, Stage
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = datetime.date.today().year
PHONE = {"width": 390, "height": 844}


def test_self_assessment_proposal_decision_with_the_cap_on_a_phone(page, live_server, org):
    base = live_server.url
    page.set_viewport_size(PHONE)
    rnd = services.round_open(actor=None, unit=org.G, title=f"Đánh giá, xếp loại năm {YEAR}", kind="year",
                              start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31))
    other = services.assessment_save(actor=None, rating=rnd.ratings.get(member=org.other_member),
                                     general_points=25, task_points=55,
                                     tasks=[{"title": "Chuyên môn", "result": "on_time"}])

    login(page, base, "mem")  # the member, from the sổ tay
    page.goto(f"{base}/so-tay/")
    page.click("#evaluation-reminder a")
    page.wait_for_selector("#assessment-form")
    page.fill("#id_general_points", "28")
    page.fill("#id_task_points", "64")
    page.fill("input[name=task_title_1]", "Hoàn thành nhiệm vụ chuyên môn")
    page.select_option("select[name=task_result_1]", "exceeded")
    page.fill("input[name=task_title_2]", "Nhiệm vụ chi bộ phân công")
    page.select_option("select[name=task_result_2]", "on_time")
    page.fill("#id_strengths", "Gương mẫu, hoàn thành tốt nhiệm vụ")
    page.click("#assessment-form button[name=submit]")
    page.wait_for_selector("#allowed")
    assert "Hoàn thành xuất sắc nhiệm vụ" in page.inner_text("#allowed")
    mine = Rating.objects.get(round=rnd, member=org.mem_member)
    assert (mine.stage, mine.points) == (Stage.SUBMITTED, 92)

    login(page, base, "sec")  # the secretary, after the meeting
    page.goto(f"{base}/evaluation/rounds/{rnd.pk}/?unit={org.A.pk}")
    page.click(f"#subjects a:has-text('{org.mem_member.full_name}')")
    page.select_option("#proposal-form #id_level", "excellent")
    page.fill("#proposal-form #id_votes_for", "3")
    page.fill("#proposal-form #id_votes_against", "0")
    with page.expect_navigation():
        page.click("#proposal-form button[type=submit]")
    page.wait_for_selector("#proposed")
    page.goto(f"{base}/evaluation/ratings/{other.pk}/")
    page.select_option("#proposal-form #id_level", "good")
    with page.expect_navigation():
        page.click("#proposal-form button[type=submit]")
    page.wait_for_selector("#proposed")

    login(page, base, "off")  # the đảng ủy decides both: the cap leaves no place for xuất sắc
    page.goto(f"{base}/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}")
    assert page.inner_text("#cap [data-left]").strip() == "0"
    for box in page.locator("#decide-form input[name=rating]").all():
        box.check()
    assert page.locator("#decide-form input[name=rating]:checked").count() == 2
    with page.expect_navigation():
        page.click("#decide-form button[type=submit]")
    page.wait_for_selector(".messages")
    told = page.inner_text(".messages")
    assert org.mem_member.full_name in told and "20%" in told and "còn 0 chỗ" in told
    assert Rating.objects.get(pk=other.pk).level == Level.GOOD
    page.goto(f"{base}/evaluation/ratings/{mine.pk}/")
    page.select_option("#decision-form #id_level", "good")
    page.fill("#decision-form #id_reason", "Vượt tỷ lệ hoàn thành xuất sắc của Đảng bộ")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#level")

    login(page, base, "mem")
    page.goto(f"{base}/so-tay/")
    assert "Hoàn thành tốt nhiệm vụ" in page.inner_text("#my-evaluation")
    from dangvu.reports import services as reports

    report = reports.report_build(reports.report_create(actor=None, unit=org.A, start=datetime.date(YEAR, 1, 1),
                                                        end=datetime.date(YEAR, 12, 31)))
    login(page, base, "sec")
    page.goto(f"{base}/reports/{report.pk}/")
    text = page.inner_text("body")
    assert "có 2 đảng viên được đánh giá, xếp loại" in text and "2 đồng chí (100%) hoàn thành tốt nhiệm vụ" in text
