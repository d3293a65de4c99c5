"""Training classes and political-theory levels: every write, atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.orgs.models import Candidate, Member, OrgUnit
from dangvu.orgs.placements import check_belonged
from dangvu.training import programmes
from dangvu.training.models import (
    ClassAttendance,
    ClassSession,
    Enrolment,
    Programme,
    TheoryLevel,
    Topic,
    TrainingClass,
)

# The grassroots programmes every committee runs (DESIGN: 5 lessons; 10 topics with an essay), with
# their lessons' titles; None: numbered lessons, their content set locally.
STANDARD_PROGRAMMES = [
    (Programme.Kind.AWARENESS, programmes.AWARENESS_NAME, programmes.AWARENESS_LESSONS),
    (Programme.Kind.NEW_MEMBER, programmes.NEW_MEMBER_NAME, programmes.NEW_MEMBER_LESSONS),
    (Programme.Kind.PARTY_WORK, programmes.PARTY_WORK_NAME, [None] * programmes.PARTY_WORK_LESSONS),
]


def ensure_standard_programmes() -> list[Programme]:
    out = []
    for kind, name, titles in STANDARD_PROGRAMMES:
        programme, created = Programme.objects.get_or_create(kind=kind, name=name)
        if created:
            Topic.objects.bulk_create([Topic(programme=programme, order=n, title=title or _("Topic %(n)s") % {"n": n})
                                       for n, title in enumerate(titles, start=1)])
        out.append(programme)
    return out


@transaction.atomic
def class_create(*, actor, unit: OrgUnit, programme: Programme, name: str, start: datetime.date,
                 end: datetime.date, place: str = "", online: bool = False) -> TrainingClass:
    if end < start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    cls = TrainingClass.objects.create(unit=unit, programme=programme, name=name.strip(), start=start, end=end,
                                       place=place.strip(), online=online)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=cls, unit_path=unit.path,
                 changes={"programme": [None, programme.name], "start": [None, start.isoformat()]})
    return cls


@transaction.atomic
def enrol(*, actor, training_class: TrainingClass, members=(), candidates=()) -> int:
    """Enrol members and admission candidates of the organising unit's subtree; those already in are skipped."""
    path = training_class.unit.path
    outside = [p.pk for p in list(members) + list(candidates) if not p.unit.path.startswith(path)]
    outside += [c.pk for c in candidates if c.erased_on is not None]  # no longer on any list
    if outside:  # ids only: the caller resolved what the user may see, a name could leak the rest
        raise ValidationError(_("Not under %(unit)s: ids %(ids)s. Nobody was enrolled.")
                              % {"unit": training_class.unit.name, "ids": ", ".join(map(str, outside))})
    last_day = min(training_class.end, timezone.localdate())
    for member in members:  # a member of the subtree today, but also while the class ran
        check_belonged(member, training_class.unit, min(training_class.start, last_day), last_day, field="members")
    have_m = set(training_class.enrolments.values_list("member_id", flat=True))
    have_c = set(training_class.enrolments.values_list("candidate_id", flat=True))
    rows = [Enrolment(training_class=training_class, member=m) for m in members if m.pk not in have_m]
    rows += [Enrolment(training_class=training_class, candidate=c) for c in candidates if c.pk not in have_c]
    Enrolment.objects.bulk_create(rows)
    if rows:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=training_class, unit_path=path,
                     changes={"enrolled": [None, [str(r.person) for r in rows]]})
    stage = Candidate.Stage.STUDYING
    Candidate.objects.filter(pk__in=[c.pk for c in candidates], stage=Candidate.Stage.INTRODUCED).update(stage=stage)
    return len(rows)


@transaction.atomic
def class_session_record(*, actor, training_class: TrainingClass, held_on: datetime.date,
                         topic: Topic | None, marks: dict[int, str]) -> ClassSession:
    """One lesson and who came (enrolment id → present/absent/excused)."""
    if not training_class.start <= held_on <= training_class.end:
        raise ValidationError({"held_on": _("The lesson must fall within the class dates.")})
    known = set(training_class.enrolments.values_list("pk", flat=True))
    if set(marks) - known:
        raise ValidationError(_("Some people marked are not enrolled in this class."))
    session = ClassSession.objects.create(training_class=training_class, held_on=held_on, topic=topic)
    ClassAttendance.objects.bulk_create([ClassAttendance(session=session, enrolment_id=e, status=s)
                                         for e, s in marks.items()])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=training_class,
                 unit_path=training_class.unit.path, changes={"lesson": [None, held_on.isoformat()]})
    return session


@transaction.atomic
def result_record(*, actor, enrolment: Enrolment, result: str, score=None, certificate_number: str = "") -> Enrolment:
    if result not in Enrolment.Result.values:
        raise ValidationError({"result": _("Unknown result.")})
    if result == Enrolment.Result.COMPLETED and not certificate_number.strip():
        raise ValidationError({"certificate_number": _("A completed course needs its certificate number.")})
    enrolment.result, enrolment.score, enrolment.certificate_number = result, score, certificate_number.strip()
    enrolment.save(update_fields=["result", "score", "certificate_number"])
    if enrolment.candidate_id and result == Enrolment.Result.COMPLETED:
        Candidate.objects.filter(pk=enrolment.candidate_id, erased_on__isnull=True,
                                 stage__in=[Candidate.Stage.INTRODUCED, Candidate.Stage.STUDYING]
                                 ).update(stage=Candidate.Stage.STUDIED)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=enrolment.training_class,
                 unit_path=enrolment.training_class.unit.path,
                 changes={"result": [None, f"{enrolment.person}: {result} {certificate_number}".strip()]})
    return enrolment


@transaction.atomic
def theory_record(*, actor, member: Member, level: str, status: str, decision: str = "",
                  sent_on=None, completed_on=None, certificate_number: str = "") -> TheoryLevel:
    if status == TheoryLevel.Status.COMPLETED and not certificate_number.strip():
        raise ValidationError({"certificate_number": _("A completed course needs its certificate number.")})
    row, _created = TheoryLevel.objects.update_or_create(
        member=member, level=level, defaults=dict(status=status, decision=decision, sent_on=sent_on,
                                                  completed_on=completed_on, certificate_number=certificate_number))
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=member, unit_path=member.unit.path,
                 changes={"theory_level": [None, f"{level}: {status}"]})
    return row
