"""A thematic meeting on a phone: the secretary schedules it; members see it on the sổ tay and
answer; attendance is taken; a secret ballot is cast by three members on their phones and
closed; the minutes are approved and locked."""

import datetime

import pytest

from dangvu.meetings.models import Meeting, Minutes, Vote, Voter
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_thematic_meeting_from_the_calendar_to_the_locked_minutes_on_a_phone(page, live_server, org):
    base = live_server.url
    page.set_viewport_size(PHONE)
    day = datetime.date.today() + datetime.timedelta(days=3)
    login(page, base, "sec")
    page.goto(f"{base}/units/{org.A.pk}/meetings/")
    page.click("#schedule summary")
    page.select_option("#id_kind", "thematic")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_place", "Nhà văn hóa thôn Nà Ngoa")
    page.fill("#id_topic", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    page.check("#id_prepared")
    _submit(page, "#meeting-form button[type=submit]")
    meeting = Meeting.objects.get(unit=org.A)
    assert (meeting.kind, meeting.date, meeting.attendance.count()) == ("thematic", day, 3)

    for name, answer in (("mem", "attending"), ("sec", "attending")):
        login(page, base, name)
        page.goto(f"{base}/so-tay/")
        page.click(f"#my-meetings a[href='/meetings/{meeting.pk}/']")
        _submit(page, f"#answer-form button[value={answer}]")
        assert page.inner_text("#my-answer") == "Sẽ dự"

    page.goto(f"{base}/meetings/{meeting.pk}/")  # the secretary, on the day: pre-filled from the answers
    assert page.input_value(f"select[name=mark-{org.mem_member.pk}]") == "present"
    page.select_option(f"select[name=mark-{org.other_member.pk}]", "present")
    _submit(page, "#attendance-form button[type=submit]")
    page.click("#vote summary")
    page.fill("#vote-form input[name=question]", "Bầu đồng chí Lê Văn Cường làm phó bí thư chi bộ")
    _submit(page, "#vote-form button[type=submit]")

    for name, choice in (("sec", "for"), ("mem", "for"), ("other", "against")):
        if name == "other":
            user = org.users["view"].__class__.objects.create_user(username="dung", password="x-dung")
            org.other_member.user = user
            org.other_member.save()
            name = "dung"
        login(page, base, name)
        page.goto(f"{base}/meetings/{meeting.pk}/")
        _submit(page, f".ballot-form button[value={choice}]")
        assert page.locator(".ballot-form").count() == 0  # one ballot each
    assert Voter.objects.count() == 3
    assert Vote.objects.values_list("tally_for", "tally_against", "tally_abstain").get() == (2, 1, 0)

    login(page, base, "sec")
    page.goto(f"{base}/meetings/{meeting.pk}/")
    _submit(page, "#votes form.inline button[type=submit]")
    result = page.inner_text("#votes")
    assert "2/3" in result and "thông qua" in result
    for field in ("dues", "roll_call", "agenda", "report", "discussion", "resolution"):
        page.fill(f"#id_{field}", "Nội dung đã ghi")
    _submit(page, "#minutes-form button[name=approve]")
    assert "đã thông qua và khóa" in page.inner_text("#minutes-state")
    page.fill("#id_resolution", "Sửa lại nghị quyết")
    _submit(page, "#minutes-form button[name=save]")
    assert "lý do sửa đổi" in page.content() and Minutes.objects.get(meeting=meeting).resolution == "Nội dung đã ghi"
    meeting.refresh_from_db()
    assert meeting.quality_met
