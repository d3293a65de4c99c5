"""The cell meetings' reminders (registered with dangvu.lib.reminders in MeetingsConfig.ready):
the day before a meeting the member is invited to, its day, time, place or link and topic; and an
invitation to a meeting of the coming week not answered yet. Only invitations the member is
required at count: one exempted or suspended that day is not reminded."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.lib.reminders import Line
from dangvu.meetings.models import Answer, Attendance, Meeting
from dangvu.orgs.models import Member

ANSWER_WITHIN_DAYS = 7  # an invitation further ahead is not chased yet


def _tomorrow(meeting: Meeting) -> str:
    values = {"date": meeting.date.strftime("%d/%m/%Y"), "time": meeting.start.strftime("%H:%M"),
              "place": meeting.place, "link": meeting.online}
    # a link ends its sentence without a full stop, which a mail reader would take into the link
    if meeting.place and meeting.online:
        text = _("Tomorrow, %(date)s, at %(time)s, your cell meets at %(place)s and online; the link: "
                 "%(link)s") % values
    elif meeting.online:
        text = _("Tomorrow, %(date)s, at %(time)s, your cell meets online; the link: %(link)s") % values
    else:
        text = _("Tomorrow, %(date)s, at %(time)s, your cell meets at %(place)s.") % values
    if meeting.topic:
        text += " " + _("Topic: %(topic)s.") % {"topic": meeting.topic}
    return text


def meeting_reminders(members: list[Member], today: datetime.date) -> dict[int, list[Line]]:
    tomorrow = today + datetime.timedelta(days=1)
    last = today + datetime.timedelta(days=ANSWER_WITHIN_DAYS)
    invitations = (Attendance.objects.filter(member__in=members, required=True,
                                             meeting__status=Meeting.Status.SCHEDULED,
                                             meeting__date__gte=today, meeting__date__lte=last)
                   .select_related("meeting").order_by("meeting__date", "meeting__start", "meeting_id"))
    found = defaultdict(list)
    for invitation in invitations:
        meeting, lines = invitation.meeting, found[invitation.member_id]
        url = reverse("meetings:meeting", args=[meeting.pk])
        if meeting.date == tomorrow and invitation.answer != Answer.AWAY:
            lines.append(Line(_tomorrow(meeting), url))
        if not invitation.answer:
            lines.append(Line(_("Answer the invitation to the cell meeting of %(date)s: will you attend?") % {
                "date": meeting.date.strftime("%d/%m/%Y")}, url))
    return found
