"""What study holds about a member, for their own download (dangvu/audit/personal.py): their
attendance at the campaigns' study sessions."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.study.models import Attendance


def records_of(member) -> list:
    marks = (Attendance.objects.filter(member=member).select_related("session__campaign")
             .order_by("session__held_on", "id"))
    return [section("study.attendance", _("Attendance at study sessions"), Attendance, marks, [
        ("held_on", _("date"), lambda a: a.session.held_on),
        ("campaign", _("Campaign"), lambda a: a.session.campaign.title),
        ("session", _("Session"), lambda a: a.session.title),
        "status"])]
