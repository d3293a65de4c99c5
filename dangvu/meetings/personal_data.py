"""What meetings holds about a member, for their own download (dangvu/audit/personal.py): their
answers and attendance at the cell's meetings, the secret votes they took part in (no ballot's
content exists anywhere: only that they voted), their dues basis and dues paid."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.meetings.models import Attendance, DuesBasis, DuesPayment, Voter


def records_of(member) -> list:
    attendance = (Attendance.objects.filter(member=member).select_related("meeting__unit")
                  .order_by("meeting__date", "meeting__start", "id"))
    voted = (Voter.objects.filter(member=member).select_related("vote__meeting")
             .order_by("vote__meeting__date", "vote_id"))
    return [
        section("meetings.attendance", _("Cell meetings"), Attendance, attendance, [
            ("date", _("date"), lambda a: a.meeting.date),
            ("kind", _("kind of meeting"), lambda a: a.meeting.get_kind_display()),
            ("cell", _("cell"), lambda a: a.meeting.unit.name),
            ("meeting_status", _("status"), lambda a: a.meeting.get_status_display()),
            "answer", "answer_reason", "mark", ("required", _("required"))]),
        section("meetings.votes", _("Secret votes taken part in"), Voter, voted, [
            ("date", _("date"), lambda v: v.vote.meeting.date),
            ("question", _("question"), lambda v: v.vote.question)]),
        section("meetings.dues_bases", _("Dues basis"), DuesBasis,
                DuesBasis.objects.filter(member=member).order_by("valid_from"), ["category", "base", "valid_from"]),
        section("meetings.dues", _("Dues paid"), DuesPayment,
                DuesPayment.objects.filter(member=member).select_related("unit").order_by("month"), [
                    ("month", None, lambda p: p.month.strftime("%m/%Y")), "amount", "paid_on", "unit"]),
    ]
