"""What training holds about a member, for their own download (dangvu/audit/personal.py): the
classes they were enrolled in with their results, their lesson attendance and their political
theory levels."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.training.models import ClassAttendance, Enrolment, TheoryLevel


def records_of(member) -> list:
    enrolments = (Enrolment.objects.filter(member=member)
                  .select_related("training_class__programme", "training_class__unit").order_by("training_class__start", "id"))
    lessons = (ClassAttendance.objects.filter(enrolment__member=member)
               .select_related("session__training_class", "session__topic").order_by("session__held_on", "id"))
    return [
        section("training.enrolments", _("Classes"), Enrolment, enrolments, [
            ("class", _("class"), lambda e: e.training_class.name),
            ("programme", _("programme"), lambda e: e.training_class.programme.name),
            ("organised_by", _("organised by"), lambda e: e.training_class.unit.name),
            ("start", _("from"), lambda e: e.training_class.start), ("end", _("until"), lambda e: e.training_class.end),
            "result", "score", "certificate_number"]),
        section("training.lessons", _("Attendance at class lessons"), ClassAttendance, lessons, [
            ("class", _("class"), lambda a: a.session.training_class.name),
            ("held_on", _("date"), lambda a: a.session.held_on),
            ("topic", _("topic"), lambda a: a.session.topic.title if a.session.topic else None),
            ("status", _("attendance"), lambda a: a.get_status_display())]),
        section("training.theory", _("Political theory"), TheoryLevel,
                TheoryLevel.objects.filter(member=member).order_by("sent_on", "id"), [
                    "level", "status", "decision", "sent_on", "completed_on", "certificate_number"]),
    ]
