"""The demo's training: classes on the Party for admission candidates and political theory classes
for new members in half the grassroots committees (a class that has ended has its results and
certificate numbers), and members' political theory levels."""

import datetime

from dangvu.orgs.models import Candidate, Member, MemberStatus
from dangvu.training import services as training
from dangvu.training.models import Enrolment, Programme, TheoryLevel


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def build_training_demo(rng, grassroots, members, today) -> int:
    """The classes and theory levels: the number of classes."""
    made = _classes(rng, grassroots, today)
    _theory(rng, members)
    return made


def _classes(rng, grassroots, today) -> int:
    awareness, new_member, _skills = training.ensure_standard_programmes()
    made = 0
    for g in grassroots[: max(1, len(grassroots) // 2)]:
        start = today - _days(rng.randrange(60, 300))
        cls = training.class_create(actor=None, unit=g, programme=awareness, name=f"Lớp nhận thức về Đảng {g.name}",
                                    start=start, end=start + _days(5), place=f"Hội trường {g.name}")
        candidates = list(Candidate.objects.filter(unit__path__startswith=g.path)[:25])
        training.enrol(actor=None, training_class=cls, candidates=candidates)
        for n, e in enumerate(cls.enrolments.select_related("training_class__unit", "candidate"), start=1):
            done = rng.random() < 0.97  # the service also moves the candidate to "đã học"
            training.result_record(actor=None, enrolment=e,
                                   result=Enrolment.Result.COMPLETED if done else Enrolment.Result.NOT_COMPLETED,
                                   certificate_number=f"{start.year}/{g.code}/{n:03d}" if done else "")
        # members of the committee while the class runs (the service refuses anyone else)
        probationers = list(Member.objects.filter(unit__path__startswith=g.path, status=MemberStatus.PROBATIONARY,
                                                  admission_date__lte=start + _days(20))[:30])
        if probationers:
            cls2 = training.class_create(actor=None, unit=g, programme=new_member,
                                         name=f"Lớp lý luận chính trị cho đảng viên mới {g.name}",
                                         start=start + _days(20), end=start + _days(30))
            training.enrol(actor=None, training_class=cls2, members=probationers)
            if cls2.end < today:
                _results(rng, cls2)
            made += 1
        made += 1
    Programme.objects.get_or_create(kind=Programme.Kind.LOCAL, name="Bồi dưỡng chuyên đề lịch sử Đảng bộ tỉnh")
    return made


def _results(rng, training_class) -> None:
    """A finished class's results, as its committee records them after the final essay: most pass
    with a score and a certificate number, a few do not complete (absent, or the essay failed)."""
    enrolments = training_class.enrolments.select_related("training_class__unit", "member").order_by("pk")
    for n, e in enumerate(enrolments, start=1):
        if rng.random() < 0.95:
            training.result_record(actor=None, enrolment=e, result=Enrolment.Result.COMPLETED,
                                   score=rng.choice(["6.5", "7.0", "7.5", "8.0", "8.5", "9.0", "9.5"]),
                                   certificate_number=f"{training_class.end.year}/ĐVM/{training_class.unit.code}/{n:03d}")
        else:
            training.result_record(actor=None, enrolment=e, result=Enrolment.Result.NOT_COMPLETED)


def _theory(rng, members) -> None:
    rows = []
    for m in members:
        roll = rng.random()
        level = (TheoryLevel.Level.ELEMENTARY if roll < 0.35 else TheoryLevel.Level.INTERMEDIATE if roll < 0.42
                 else TheoryLevel.Level.ADVANCED if roll < 0.44 else None)
        if level:
            rows.append(TheoryLevel(member=m, level=level, status=TheoryLevel.Status.COMPLETED,
                                    completed_on=datetime.date(rng.randrange(2005, 2025), rng.randrange(1, 13), 1),
                                    certificate_number=f"{level.upper()}-{m.pk:06d}"))
    TheoryLevel.objects.bulk_create(rows, batch_size=5000)
