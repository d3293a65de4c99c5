"""What inspections holds about a member, for their own download (dangvu/audit/personal.py):
the inspections and supervisions of them with their conclusions and recommendations (as the
member's own inspections page shows them), and the disciplines decided about them. Plans of
inspections to come are the committee's, not shown to the member, and stay out."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.inspections.models import Discipline, Inspection, Recommendation


def _reference(document) -> str | None:
    return document.reference if document is not None else None


def records_of(member) -> list:
    inspections = (Inspection.objects.filter(subject_member=member).select_related("unit", "decision")
                   .order_by("start", "id"))
    recommendations = (Recommendation.objects.filter(inspection__subject_member=member)
                       .select_related("inspection").order_by("due", "id"))
    disciplines = (Discipline.objects.filter(subject_member=member).select_related("unit", "decision")
                   .order_by("decided_on", "id"))
    return [
        section("inspections.inspections", _("Inspections and supervisions"), Inspection, inspections, [
            "kind", "mode", "conductor", ("unit", None, lambda i: i.unit.name), "area", "content", "start", "end",
            "outcome", "conclusion", "violation", ("decision", None, lambda i: _reference(i.decision))]),
        section("inspections.recommendations", _("Recommendations"), Recommendation, recommendations, [
            ("inspection", _("inspection"), lambda r: f"{r.inspection.get_kind_display()} "
                                                      f"{r.inspection.start:%d/%m/%Y}–{r.inspection.end:%d/%m/%Y}"),
            "text", "due", "done_on"]),
        section("inspections.disciplines", _("Disciplines"), Discipline, disciplines, [
            ("unit", None, lambda d: d.unit.name), "penalty", "decided_on", "duty_related", "reason",
            ("decision", None, lambda d: _reference(d.decision))]),
    ]
