"""Moving a meeting from its page: the cell's secretary on a phone gives the new day, time,
place and reason; refusals stand on their field in Vietnamese; the answers already given are
kept; another cell's secretary is told nothing exists, a reader may not."""

import datetime

from django.utils import timezone

from dangvu.audit.models import AuditEntry
from dangvu.meetings import services
from dangvu.meetings.models import Meeting

D, T = datetime.date, datetime.time
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"}


def coming(org, days=5):
    return services.meeting_schedule(actor=None, unit=org.A, kind="regular",
                                     date=timezone.localdate() + datetime.timedelta(days=days),
                                     start=T(19, 30), end=T(21, 0), place="Nhà văn hóa thôn")


def move(client, meeting, **fields):
    body = {"form": "reschedule", "date": "", "start": "19:30", "end": "21:00", "place": "Hội trường xã",
            "reason": "Trùng lịch họp của xã"} | fields
    return client.post(f"/meetings/{meeting.pk}/", body, **PHONE)


def test_the_secretary_moves_a_meeting_on_a_phone_and_the_answers_stay(client, org):
    meeting = coming(org)
    services.invitation_answer(actor=None, meeting=meeting, member=org.mem_member, answer="away", reason="Đi công tác")
    client.force_login(org.users["sec"])
    page = client.get(f"/meetings/{meeting.pk}/", **PHONE).content.decode()
    assert 'id="reschedule-form"' in page
    new_day = timezone.localdate() + datetime.timedelta(days=12)
    answer = move(client, meeting, date=new_day.strftime("%d/%m/%Y"), start="08:00", end="10:00")
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.start, meeting.end, meeting.place) == (new_day, T(8), T(10), "Hội trường xã")
    assert meeting.status == Meeting.Status.SCHEDULED
    kept = meeting.attendance.get(member=org.mem_member)
    assert (kept.answer, kept.answer_reason) == ("away", "Đi công tác")
    assert meeting.attendance.count() == 3  # the cell's three members, invited once each
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk), action=AuditEntry.Action.UPDATE).latest("pk")
    assert entry.changes["reason"][1] == "Trùng lịch họp của xã" and "place" in entry.changes
    shown = client.get(f"/meetings/{meeting.pk}/", **PHONE).content.decode()
    assert new_day.strftime("%d/%m/%Y") in shown and "08:00" in shown


def test_refusals_stand_on_their_field_in_vietnamese(client, org):
    meeting = coming(org)
    client.force_login(org.users["sec"])
    past = move(client, meeting, date=(timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    assert past.status_code == 200
    form = past.context["reschedule_form"]
    assert form.errors["date"] == ["Không dời buổi sinh hoạt về một ngày đã qua."]
    assert 'id="reschedule" open' in past.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=9)).strftime("%d/%m/%Y")
    backwards = move(client, meeting, date=future, start="21:00", end="19:30")
    assert backwards.context["reschedule_form"].errors["end"] == ["Giờ kết thúc phải sau giờ bắt đầu."]
    no_reason = move(client, meeting, date=future, reason="")
    assert list(no_reason.context["reschedule_form"].errors) == ["reason"]
    meeting.refresh_from_db()
    assert meeting.date == timezone.localdate() + datetime.timedelta(days=5)  # nothing moved
    services.attendance_record(actor=None, meeting=meeting, marks={org.sec_member.pk: "present"})
    held = move(client, meeting, date=future)
    assert held.context["reschedule_form"].errors["date"] == ["Chỉ dời được buổi sinh hoạt chưa tổ chức."]
    assert 'id="reschedule-form"' not in client.get(f"/meetings/{meeting.pk}/").content.decode()


def test_another_cells_secretary_is_told_nothing_and_a_reader_may_not(client, org):
    meeting = coming(org)
    future = (timezone.localdate() + datetime.timedelta(days=9)).strftime("%d/%m/%Y")
    client.force_login(org.users["out"])
    assert move(client, meeting, date=future).status_code == 404
    client.force_login(org.users["view"])
    assert 'id="reschedule-form"' not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert move(client, meeting, date=future).status_code == 403
    client.force_login(org.users["mem"])
    assert move(client, meeting, date=future).status_code == 403
    meeting.refresh_from_db()
    assert meeting.date == timezone.localdate() + datetime.timedelta(days=5)
