"""Training figures: classes on the Party for admission candidates and political theory
classes for new members (classes begun in the period, people enrolled, people completing), and
members sent to or completing each political theory level, counted where they belonged that day."""

from django.db.models import OuterRef, Q, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.lib.measures import Column, Query, register_area
from dangvu.lib.rollup import rollup
from dangvu.orgs.models import MemberSpan
from dangvu.orgs.placements import placed, placed_path, under
from dangvu.study.measures import PEOPLE, as_values, members_under, study_measure
from dangvu.training.models import Enrolment, Programme, TheoryLevel, TrainingClass

register_area("training", _("Political theory training"))


def _classes(kind):
    def query(unit, period):
        return placed(TrainingClass.objects.filter(programme__kind=kind, start__gte=period.start,
                                                   start__lte=period.end), unit, "unit", "start")
    return query


def _class_counts(kind):
    def compute(q: Query):
        paths = _classes(kind)(q.unit, q.period).values_list("at", flat=True)
        return as_values(rollup(((path, 1) for path in paths), q))
    return compute


def _enrolments(kind, completed: bool):
    def query(unit, period):
        rows = placed(Enrolment.objects.filter(training_class__in=_classes(kind)(unit, period).values("pk")), unit,
                      "training_class__unit", "training_class__start")
        if kind == Programme.Kind.AWARENESS:
            rows = rows.filter(candidate__isnull=False)
        else:
            rows = rows.filter(member__isnull=False)
        return rows.filter(result=Enrolment.Result.COMPLETED) if completed else rows
    return query


def _enrolment_counts(kind, completed):
    def compute(q: Query):
        paths = _enrolments(kind, completed)(q.unit, q.period).values_list("at", flat=True)
        return as_values(rollup(((p, 1) for p in paths), q))
    return compute


CLASS_COLUMNS = [Column("name", _("class"), lambda c: c.name), Column("unit", _("organised by"), lambda c: c.unit.name),
                 Column("start", _("from"), lambda c: c.start), Column("end", _("until"), lambda c: c.end)]
ENROLMENT_COLUMNS = [Column("full_name", _("Full name"), lambda e: e.person.full_name),
                     Column("class", _("class"), lambda e: e.training_class.name),
                     Column("result", _("result"), lambda e: e.get_result_display())]
for kind, name in ((Programme.Kind.AWARENESS, "candidate"), (Programme.Kind.NEW_MEMBER, "new_member")):
    title = {"candidate": _("Classes on the Party for admission candidates"),
             "new_member": _("Political theory classes for new members")}[name]
    study_measure(f"training.{name}_classes", title,
                  _("Classes of this programme that began in the period, organised by the unit or a unit below it."),
                  _("classes"), _class_counts(kind),
                  lambda u, p, kind=kind: _classes(kind)(u, p).select_related("unit").order_by("start", "id"),
                  CLASS_COLUMNS, area="training")
    for completed, suffix, titles, description in (
            (False, "enrolled", {"candidate": _("Admission candidates enrolled"),
                                 "new_member": _("New members enrolled")},
             _("People enrolled in those classes.")),
            (True, "completed", {"candidate": _("Admission candidates who completed"),
                                 "new_member": _("New members who completed")},
             _("Of the people enrolled, those who completed the class."))):
        study_measure(f"training.{name}s_{suffix}", titles[name], description, PEOPLE,
                      _enrolment_counts(kind, completed),
                      lambda u, p, kind=kind, completed=completed: _enrolments(kind, completed)(u, p).select_related(
                          "member", "candidate", "training_class").order_by("training_class_id", "id"),
                      ENROLMENT_COLUMNS, area="training")


# --- political theory levels (Quy định 57-QĐ/TW) --------------------------------------------------

def _theory(level: str, date_field: str):
    """Members sent to (or completing) a level in the period, counted in the unit they belonged
    to on that day."""
    def query(unit, period):
        unit_then = (MemberSpan.objects.filter(member=OuterRef("member"), start__lte=OuterRef(date_field))
                     .filter(Q(end__isnull=True) | Q(end__gt=OuterRef(date_field))).values("unit")[:1])
        levels = TheoryLevel.objects.filter(level=level, member_id__in=members_under(unit),
                                            **{f"{date_field}__gte": period.start, f"{date_field}__lte": period.end})
        return (levels.annotate(unit_then=Subquery(unit_then)).annotate(at=placed_path("unit_then", date_field))
                .filter(under(unit)))
    return query


THEORY_COLUMNS = [Column("member_id", _("member id"), lambda t: t.member_id),
                  Column("full_name", _("Full name"), lambda t: t.member.full_name),
                  Column("level", _("level"), lambda t: t.get_level_display()),
                  Column("sent_on", _("sent on"), lambda t: t.sent_on),
                  Column("completed_on", _("completed on"), lambda t: t.completed_on)]
for level, level_label in TheoryLevel.Level.choices:
    for date_field, verb, definition in (
            ("sent_on", "sent", _("Members sent to study political theory at this level during the period, counted "
                                  "in the unit they belonged to that day.")),
            ("completed_on", "completed", _("Members who completed political theory at this level during the "
                                            "period, counted in the unit they belonged to that day."))):
        query = _theory(level, date_field)
        study_measure(f"training.theory_{verb}_{level}",
               format_lazy("{}: {}", _("Sent to study political theory") if verb == "sent"
                           else _("Completed political theory"), level_label),
               definition, PEOPLE,
               lambda q, query=query: as_values(rollup(
                   ((path, 1) for path in query(q.unit, q.period).values_list("at", flat=True)), q)),
               lambda u, p, query=query: query(u, p).select_related("member").order_by("member__sort_key", "pk"),
               THEORY_COLUMNS, area="training", row_id=lambda t: t.member_id)
