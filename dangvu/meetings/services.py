"""Every action of a cell's meeting life, one function each, atomic and audited: schedule,
reschedule or cancel a meeting, answer the invitation, take attendance, write and approve the
minutes (versions after approval), open a vote, cast a secret ballot, close the vote. The
quality of a meeting is worked out here whenever what it depends on changes."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.periods import possible_year
from dangvu.meetings.models import (
    CHOICES,
    Answer,
    Attendance,
    Kind,
    Mark,
    Meeting,
    Minutes,
    Rule,
    Vote,
    Voter,
)
from dangvu.orgs.history import exemptions_on
from dangvu.orgs.models import ACTIVE_STATUSES, Member, MemberSpan, MemberStatus, OrgUnit, UnitKind

# The usual order of a cell meeting (Hướng dẫn 12-HD/BTCTW): the minutes' sections.
SECTIONS = ["dues", "roll_call", "agenda", "report", "discussion"]
SECTION_TITLES = {"dues": "Thu đảng phí", "roll_call": "Điểm danh, kiểm tra tư cách", "agenda": "Thông qua chương "
                  "trình, cử thư ký", "report": "Báo cáo", "discussion": "Thảo luận"}


def members_on(unit: OrgUnit, day: datetime.date) -> dict[int, str]:
    """{member id: status} of the cell's members on `day`."""
    return dict(MemberSpan.objects.filter(unit=unit, status__in=ACTIVE_STATUSES, start__lte=day)
                .filter(Q(end__isnull=True) | Q(end__gt=day)).values_list("member_id", "status"))


def exempt_on(member_ids, day: datetime.date) -> set[int]:
    """Members exempted from Party work or suspended on `day`: not required to attend."""
    return set(exemptions_on(member_ids, day))


def _check_times(*, date, start, end, kind) -> dict:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("The kind is a regular or a thematic meeting.")
    if not possible_year(date.year):
        errors["date"] = _("The year %(year)s is not possible.") % {"year": date.year}
    if end <= start:
        errors["end"] = _("The meeting ends after it starts.")
    return errors


@transaction.atomic
def meeting_schedule(*, actor, unit: OrgUnit, kind: str, date: datetime.date, start: datetime.time,
                     end: datetime.time, place: str = "", online: str = "", topic: str = "", agenda: str = "",
                     documents=(), prepared: bool = False) -> Meeting:
    """A meeting of a cell on its calendar; its members that day are invited."""
    errors = _check_times(date=date, start=start, end=end, kind=kind)
    if unit.kind != UnitKind.CELL:
        errors["unit"] = _("Meetings are held by a party cell.")
    if kind == Kind.THEMATIC and not topic.strip():
        errors["topic"] = _("A thematic meeting has a topic.")
    if not place.strip() and not online.strip():
        errors["place"] = _("Give the place, or the link of an online meeting.")
    if online.strip() and not online.strip().lower().startswith(("https://", "http://")):
        errors["online"] = _("The link of an online meeting starts with https://.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(unit=unit, kind=kind, date=date, start=start, end=end, place=place.strip(),
                                     online=online.strip(), topic=topic.strip(), agenda=agenda.strip(),
                                     prepared=prepared,
                                     created_by=actor if actor is not None and actor.is_authenticated else None)
    meeting.documents.set(documents)
    invite(meeting)
    if kind == Kind.THEMATIC:  # it answers the committees' topics of its period waiting for one
        from dangvu.meetings.thematic import link_meeting

        link_meeting(meeting)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=meeting, unit_path=unit.path, figures_from=date,
                 changes={"kind": [None, kind], "date": [None, date.isoformat()], "topic": [None, meeting.topic]})
    return meeting


def invite(meeting: Meeting) -> None:
    """A row for each member of the cell on the meeting's day (exempt ones not required)."""
    members = members_on(meeting.unit, meeting.date)
    exempt = exempt_on(list(members), meeting.date)
    have = dict(meeting.attendance.values_list("member_id", "required"))
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=m, required=m not in exempt)
                                    for m in members if m not in have])
    for required in (True, False):  # an exemption recorded since the invitation
        meeting.attendance.filter(member_id__in=[m for m in members if m in have and (m not in exempt) == required
                                                 and have[m] != required]).update(required=required)
    meeting.attendance.exclude(member_id__in=list(members)).filter(mark="").delete()


@transaction.atomic
def meeting_reschedule(*, actor, meeting: Meeting, date: datetime.date, start: datetime.time, end: datetime.time,
                       reason: str, place: str | None = None) -> Meeting:
    """Moves a meeting not yet held to another day, time (and place): the members of the cell on
    the new day are invited, the answers already given kept, the reason kept in the log."""
    from django.utils import timezone

    errors = _check_times(date=date, start=start, end=end, kind=meeting.kind)
    if not reason.strip():
        errors["reason"] = _("Say why the meeting moves.")
    if "date" not in errors and date < timezone.localdate():
        errors["date"] = _("A meeting does not move to a day that has passed.")
    if place is not None and not place.strip() and not meeting.online:
        errors["place"] = _("Give the place, or the link of an online meeting.")
    if meeting.status != Meeting.Status.SCHEDULED:
        errors["date"] = _("Only a meeting not yet held moves.")
    if errors:
        raise ValidationError(errors)
    before = f"{meeting.date.isoformat()} {meeting.start:%H:%M}"
    changes = {"date": [before, f"{date.isoformat()} {start:%H:%M}"], "reason": [None, reason.strip()]}
    meeting.date, meeting.start, meeting.end = date, start, end
    fields = ["date", "start", "end"]
    if place is not None and place.strip() != meeting.place:
        changes["place"] = [meeting.place, place.strip()]
        meeting.place = place.strip()[:200]
        fields.append("place")
    meeting.save(update_fields=fields)
    invite(meeting)
    from dangvu.meetings.thematic import relink_meeting

    relink_meeting(meeting)  # a thematic meeting moved into another quarter answers that quarter's topic
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 figures_from=min(date, datetime.date.fromisoformat(before[:10])), changes=changes)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError({"reason": _("A meeting that was held is not cancelled.")})
    meeting.status, meeting.cancel_reason = Meeting.Status.CANCELLED, reason.strip()[:300]
    meeting.save(update_fields=["status", "cancel_reason"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 figures_from=meeting.date, changes={"status": [None, meeting.status], "reason": [None, reason]})
    return meeting


@transaction.atomic
def invitation_answer(*, actor, meeting: Meeting, member: Member, answer: str, reason: str = "") -> Attendance:
    """The member says beforehand whether they will attend (and why not)."""
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Answer that you will attend or be absent.")})
    if answer == Answer.AWAY and not reason.strip():
        raise ValidationError({"reason": _("Say why you will be absent.")})
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError({"answer": _("The meeting is no longer open for answers.")})
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError({"member_id": _("You are not invited to this meeting.")})
    row.answer, row.answer_reason = answer, reason.strip()[:300]
    row.save(update_fields=["answer", "answer_reason"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 alters_figures=False, changes={"answer": [None, answer]})
    return row


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, marks) -> Meeting:
    """The marks of the day, as (member id, mark) rows; each member must have been of the cell
    on that date, once. The meeting is held from then on."""
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    rows = list(marks.items()) if isinstance(marks, dict) else list(marks)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"marks": _("The meeting was cancelled.")})
    if not rows:
        raise ValidationError({"marks": _("Mark at least one member.")})
    members = members_on(meeting.unit, meeting.date)
    errors, seen = {}, set()
    for n, (member_id, mark) in enumerate(rows):
        if member_id not in members:
            errors[f"marks[{n}].member_id"] = _("Row %(n)s: this member was not of the cell on %(d)s.") % {
                "n": n + 1, "d": meeting.date.strftime("%d/%m/%Y")}
        elif member_id in seen:
            errors[f"marks[{n}].member_id"] = _("Row %(n)s: this member is marked twice.") % {"n": n + 1}
        elif mark not in Mark.values:
            errors[f"marks[{n}].status"] = _("Row %(n)s: the mark is present, late, excused or absent.") % {"n": n + 1}
        seen.add(member_id)
    if errors:
        raise ValidationError(errors)
    invite(meeting)
    by_member = {a.member_id: a for a in meeting.attendance.all()}
    for member_id, mark in rows:
        by_member[member_id].mark = mark
    Attendance.objects.bulk_update([by_member[m] for m, _mark in rows], ["mark"])
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    refresh_quality(meeting)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 figures_from=meeting.date, changes={"marks": [None, len(rows)]})
    return meeting


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, sections: dict, resolution: str, approve: bool = False,
                 reason: str = "") -> Minutes:
    """The minutes: edited freely until approved; after that a change is a new version with its
    reason, the approved one kept as it was."""
    latest = meeting.minutes.order_by("-version").first()
    cleaned = {k: str(sections.get(k, "")).strip()[:8000] for k in SECTIONS}
    if latest is not None and latest.approved:
        if not reason.strip():
            raise ValidationError({"reason": _("The minutes were approved: say why they change.")})
        latest = Minutes(meeting=meeting, version=latest.version + 1, reason=reason.strip()[:300])
    elif latest is None:
        latest = Minutes(meeting=meeting, version=1)
    if approve and not all(cleaned.values()) or approve and not resolution.strip():
        raise ValidationError({"sections": _("Minutes are approved when every part and the resolution are "
                                             "written.")})
    latest.sections, latest.resolution, latest.approved = cleaned, resolution.strip(), approve
    latest.written_by = actor if actor is not None and actor.is_authenticated else None
    latest.save()
    refresh_quality(meeting)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 figures_from=meeting.date,
                 changes={"minutes": [None, latest.version], "approved": [None, approve], "reason": [None, reason]})
    return latest


@transaction.atomic
def meeting_prepared(*, actor, meeting: Meeting, prepared: bool) -> Meeting:
    meeting.prepared = prepared
    meeting.save(update_fields=["prepared"])
    refresh_quality(meeting)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, unit_path=meeting.unit.path,
                 figures_from=meeting.date, changes={"prepared": [None, prepared]})
    return meeting


# --- quality -------------------------------------------------------------------------------

def excused_runs(meeting: Meeting) -> set[int]:
    """Members whose absences with leave, up to and including this meeting, run more than 3
    meetings in a row in the year (a run broken by any other mark starts again)."""
    held = list(Meeting.objects.filter(unit=meeting.unit, status=Meeting.Status.HELD, date__year=meeting.date.year,
                                       date__lte=meeting.date).order_by("date", "start", "id")
                .values_list("pk", flat=True))
    marks: dict[int, dict[int, str]] = {}
    for meeting_id, member_id, mark in Attendance.objects.filter(meeting_id__in=held).values_list(
            "meeting_id", "member_id", "mark"):
        marks.setdefault(member_id, {})[meeting_id] = mark
    over = set()
    for member_id, by_meeting in marks.items():
        if by_meeting.get(meeting.pk) != Mark.EXCUSED:
            continue
        run = 0
        for meeting_id in reversed(held):
            if by_meeting.get(meeting_id) != Mark.EXCUSED:
                break
            run += 1
        if run > settings.MEETING_EXCUSED_IN_A_ROW:
            over.add(member_id)
    return over


def quality_of(meeting: Meeting) -> list[str]:
    """The criteria of Hướng dẫn 12-HD/BTCTW the meeting failed (none: it met them all)."""
    failed = []
    rows = list(meeting.attendance.filter(required=True).values_list("member_id", "mark"))
    required = len(rows)
    present = sum(mark in (Mark.PRESENT, Mark.LATE) for _m, mark in rows)
    if not required or present * 100 <= settings.MEETING_ATTENDANCE_PERCENT * required:
        failed.append("attendance")
    if any(mark == Mark.ABSENT for _m, mark in rows):
        failed.append("absent_unexcused")
    if excused_runs(meeting) & {m for m, _mark in rows}:
        failed.append("excused_in_a_row")
    if not meeting.prepared:
        failed.append("prepared")
    minutes = (datetime.datetime.combine(meeting.date, meeting.end)
               - datetime.datetime.combine(meeting.date, meeting.start)).total_seconds() / 60
    if minutes < settings.MEETING_MINUTES:
        failed.append("duration")
    if not meeting.minutes.filter(approved=True).exists():
        failed.append("minutes")
    return failed


def refresh_quality(meeting: Meeting) -> None:
    """This meeting's quality, and that of the cell's later meetings of the year (a run of
    excused absences reaches them)."""
    if meeting.status != Meeting.Status.HELD:
        return
    later = Meeting.objects.filter(unit=meeting.unit, status=Meeting.Status.HELD, date__year=meeting.date.year,
                                   date__gte=meeting.date).exclude(pk=meeting.pk).order_by("date", "start", "id")
    for one in [meeting, *later]:
        failed = quality_of(one)
        Meeting.objects.filter(pk=one.pk).update(quality_met=not failed, quality_failed=failed)
        one.quality_met, one.quality_failed = not failed, failed


# --- votes ---------------------------------------------------------------------------------

@transaction.atomic
def vote_open(*, actor, meeting: Meeting, question: str, secret: bool, rule: str) -> Vote:
    """A question put to the meeting; its base is the cell's official members that day (not
    those present)."""
    if not question.strip():
        raise ValidationError({"question": _("Write the question put to the vote.")})
    if rule not in Rule.values:
        raise ValidationError({"rule": _("The rule is a majority or two thirds.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"question": _("The meeting was cancelled.")})
    official = sum(s == MemberStatus.FULL for s in members_on(meeting.unit, meeting.date).values())
    vote = Vote.objects.create(meeting=meeting, question=question.strip()[:500], secret=secret, rule=rule,
                               base=official)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=vote, unit_path=meeting.unit.path,
                 alters_figures=False, changes={"question": [None, vote.question], "secret": [None, secret]})
    return vote


class AlreadyVoted(Exception):
    pass


@transaction.atomic
def ballot_cast(*, vote: Vote, member: Member, choice: str) -> None:
    """A member's secret ballot: who voted is recorded (one each), and the choice only adds to
    the vote's counters, all three written by the same statement, in the same transaction. No
    stored row says what a member chose. Only full members present vote."""
    if choice not in dict(CHOICES):
        raise ValidationError({"choice": _("The choice is for, against or abstain.")})
    vote = Vote.objects.select_for_update().select_related("meeting__unit").get(pk=vote.pk)
    if vote.closed:
        raise ValidationError({"choice": _("The vote is closed.")})
    if not vote.secret:
        raise ValidationError({"choice": _("This vote is counted by a show of Party cards, not by ballots.")})
    meeting = vote.meeting
    if members_on(meeting.unit, meeting.date).get(member.pk) != MemberStatus.FULL:
        raise ValidationError({"choice": _("Only full members of the cell vote; a probationary member does "
                                           "not.")})
    if not Attendance.objects.filter(meeting_id=vote.meeting_id, member=member,
                                     mark__in=[Mark.PRESENT, Mark.LATE]).exists():
        raise ValidationError({"choice": _("Only members marked present vote.")})
    try:
        with transaction.atomic():
            Voter.objects.create(vote=vote, member=member)
    except IntegrityError:
        raise AlreadyVoted from None
    Vote.objects.filter(pk=vote.pk).update(tally_for=F("tally_for") + int(choice == "for"),
                                           tally_against=F("tally_against") + int(choice == "against"),
                                           tally_abstain=F("tally_abstain") + int(choice == "abstain"))


@transaction.atomic
def vote_close(*, actor, vote: Vote, counts: dict | None = None) -> Vote:
    """Closes the vote: a secret one shows its counters, an open one (a show of Party cards)
    takes the three counts, which cannot exceed the full members present. Passed: the votes
    for reach the rule's share of the cell's official members."""
    vote = Vote.objects.select_for_update().select_related("meeting__unit").get(pk=vote.pk)
    if vote.closed:
        return vote
    if vote.secret:
        tally = {"for": vote.tally_for, "against": vote.tally_against, "abstain": vote.tally_abstain}
    else:
        if not isinstance(counts, dict) or set(counts) != {"for", "against", "abstain"}:
            raise ValidationError({"for": _("Give the three counts: for, against and abstain.")})
        tally = {c: counts[c] for c in ("for", "against", "abstain")}
        if any(not isinstance(n, int) or n < 0 for n in tally.values()):
            raise ValidationError({"for": _("The counts cannot be negative.")})
        present = full_members_present(vote.meeting)
        if sum(tally.values()) > present:
            raise ValidationError({"for": _("%(n)s votes counted, but only %(present)s full members are "
                                            "present.") % {"n": sum(tally.values()), "present": present}})
    vote.votes_for, vote.votes_against, vote.abstain = tally["for"], tally["against"], tally["abstain"]
    vote.tally_for = vote.tally_against = vote.tally_abstain = 0
    vote.closed = True
    vote.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=vote, unit_path=vote.meeting.unit.path,
                 alters_figures=False, changes={"tally": [None, tally]})
    return vote


def full_members_present(meeting: Meeting) -> int:
    """Those who may vote at the meeting: the cell's full members that day marked present or late."""
    full = {m for m, status in members_on(meeting.unit, meeting.date).items() if status == MemberStatus.FULL}
    return Attendance.objects.filter(meeting=meeting, member_id__in=full, mark__in=[Mark.PRESENT, Mark.LATE]).count()


def passed(vote: Vote) -> bool:
    """More than half, or at least two thirds, of the cell's official members voted for."""
    if vote.rule == Rule.TWO_THIRDS:
        return vote.votes_for * 3 >= vote.base * 2 and vote.base > 0
    return vote.votes_for * 2 > vote.base


def voters(vote: Vote) -> int:
    return vote.voters.count() if vote.secret else vote.votes_for + vote.votes_against + vote.abstain

