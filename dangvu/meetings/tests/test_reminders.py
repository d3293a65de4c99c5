"""The cell meetings' reminders, mailed by `send_reminders` (Django's locmem mail backend):
tomorrow's meeting with its time, place or link and topic; an invitation of the coming week not
answered; nothing for a member who said they will be away, one not required, another cell's
member, a cancelled meeting or one further ahead."""

import datetime

from django.core import mail

from dangvu.meetings import services
from dangvu.notebook.reminders import send_reminders
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Exemption

D, T = datetime.date, datetime.time
TODAY = D(2026, 3, 9)


def _emails(org):
    for member, email in ((org.sec_member, "binh@example.vn"), (org.mem_member, "cuong@example.vn"),
                          (org.other_member, "dung@example.vn"), (org.out_member, "em@example.vn")):
        member.email = email
        member.save()


def _meet(unit, day, place="Nhà văn hóa thôn", online="", topic=""):
    return services.meeting_schedule(actor=None, unit=unit, kind="regular", date=day, start=T(19, 30), end=T(21, 0),
                                     place=place, online=online, topic=topic)


def _bodies():
    return {m.to[0]: m.body for m in mail.outbox}


def test_tomorrows_meeting_and_the_unanswered_invitation(org):
    _emails(org)
    meeting = _meet(org.A, D(2026, 3, 10), topic="Học tập Nghị quyết 66-NQ/TW")
    services.invitation_answer(actor=None, meeting=meeting, member=org.sec_member, answer="attending")
    services.invitation_answer(actor=None, meeting=meeting, member=org.other_member, answer="away", reason="Đi công tác")
    assert send_reminders(TODAY) == 2
    tomorrow = ("- Ngày mai, 10/03/2026, lúc 19:30, chi bộ sinh hoạt tại Nhà văn hóa thôn. "
                "Nội dung: Học tập Nghị quyết 66-NQ/TW.")
    assert _bodies() == {
        "binh@example.vn": tomorrow,
        "cuong@example.vn": tomorrow + "\n- Đồng chí hãy trả lời thư mời sinh hoạt chi bộ ngày 10/03/2026: "
                                       "có tham dự không?",
    }  # Dung will be away, Em's cell does not meet
    assert {m.subject for m in mail.outbox} == {"dangvu: việc cần làm"}


def test_an_online_meeting_gives_its_link(org):
    _emails(org)
    _meet(org.B, D(2026, 3, 10), place="", online="https://meet.example.vn/chibo-b")
    services.invitation_answer(actor=None, meeting=org.B.meetings.get(), member=org.out_member, answer="attending")
    assert send_reminders(TODAY) == 1
    assert _bodies() == {"em@example.vn": "- Ngày mai, 10/03/2026, lúc 19:30, chi bộ sinh hoạt trực tuyến, "
                                          "đường dẫn: https://meet.example.vn/chibo-b"}


def test_an_invitation_is_chased_within_the_week_only(org):
    _emails(org)
    _meet(org.B, D(2026, 3, 16))  # 7 days ahead
    _meet(org.B, D(2026, 3, 17))  # 8 days ahead: not yet
    assert send_reminders(TODAY) == 1
    assert _bodies() == {"em@example.vn": "- Đồng chí hãy trả lời thư mời sinh hoạt chi bộ ngày 16/03/2026: "
                                          "có tham dự không?"}


def test_nothing_for_a_cancelled_meeting_a_member_not_required_or_without_e_mail(org):
    _emails(org)
    cancelled = _meet(org.A, D(2026, 3, 10))
    services.meeting_cancel(actor=None, meeting=cancelled, reason="Trùng lịch họp xã")
    # Em is exempted from Party work before the meeting: invited, not required
    org_services.exemption_record(actor=None, member=org.out_member, kind=Exemption.Kind.EXEMPT, start=D(2026, 1, 1))
    _meet(org.B, D(2026, 3, 10))
    assert send_reminders(TODAY) == 0
    org.sec_member.email = ""
    org.sec_member.save()
    _meet(org.A, D(2026, 3, 12))
    assert send_reminders(TODAY) == 2  # Cường and Dung; Bình has no address
    assert sorted(_bodies()) == ["cuong@example.vn", "dung@example.vn"]
