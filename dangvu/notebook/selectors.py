"""Everything the sổ tay shows of one member, gathered from each area in one read."""

import datetime

from django.urls import reverse

from dangvu.essays.notebook import essays_asked_of, member_campaigns
from dangvu.evaluation.models import Rating, Round, Stage
from dangvu.lib.reminders import lines_for
from dangvu.meetings.models import Attendance as MeetingAttendance
from dangvu.meetings.models import Meeting
from dangvu.orgs.models import Member
from dangvu.study.models import Attendance, StudySession
from dangvu.training.models import Enrolment, TheoryLevel


def notebook_for(member: Member, today: datetime.date) -> dict:
    campaigns = list(member_campaigns(member).prefetch_related("documents"))
    recent = [c for c in campaigns if c.end >= today - datetime.timedelta(days=60)]
    upcoming = (StudySession.objects.filter(campaign__in=campaigns, held_on__gte=today)
                .select_related("campaign").prefetch_related("points").order_by("held_on")[:10])
    attended = (Attendance.objects.filter(member=member).select_related("session__campaign")
                .order_by("-session__held_on")[:20])
    ratings = list(Rating.objects.filter(member=member).select_related("round").order_by("-round__end")[:5])
    # an open self-assessment has its own box, whatever the deadline: its reminder is not said twice
    to_assess = {reverse("evaluation:rating", args=[r.pk]) for r in ratings
                 if r.round.status == Round.Status.OPEN and r.stage in (Stage.OPEN, Stage.RETURNED)}
    return {
        "member": member,
        "unit": member.unit,
        **essays_asked_of(member, campaigns),
        # the lines of the daily reminder mail (dangvu/lib/reminders.py), each linked to its page
        "reminder_lines": [line for line in lines_for(member, today)
                           if line.url not in to_assess],
        "upcoming": upcoming,
        "documents": sorted({d for c in recent for d in c.documents.all()}, key=lambda d: d.issued_on, reverse=True),
        "attendance": attended,
        "enrolments": Enrolment.objects.filter(member=member).select_related("training_class__programme"),
        "theory": TheoryLevel.objects.filter(member=member),
        # the meetings of the member's own cell still to come, with the member's answer to each
        "meetings": list(MeetingAttendance.objects.filter(member=member, meeting__unit=member.unit,
                                                          meeting__date__gte=today,
                                                          meeting__status=Meeting.Status.SCHEDULED)
                         .select_related("meeting__unit").order_by("meeting__date", "meeting__start")[:5]),
        "ratings": ratings,
    }
