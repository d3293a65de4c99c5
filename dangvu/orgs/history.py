"""A member's history as stretches of membership (MemberSpan), end to end.

Every change of unit or status is dated: it closes the open stretch and opens the
next. The services call these helpers inside their transactions; nothing else
writes MemberSpan rows.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.orgs.models import Change, Member, MemberSpan, MemberStatus, OrgUnit


def first_spans(member: Member, *, change: str = Change.ADMITTED, decision=None) -> list[MemberSpan]:
    """The stretches of a member entered with an admission date (and a full-membership
    date, if they are full already): probationary from admission, full from then on."""
    official = member.official_date
    full_throughout = member.status == MemberStatus.FULL and (official is None or official <= member.admission_date)
    first = MemberSpan(member=member, unit=member.unit, start=member.admission_date, start_change=change,
                       status=MemberStatus.FULL if full_throughout else MemberStatus.PROBATIONARY, decision=decision)
    if member.status not in (MemberStatus.PROBATIONARY, MemberStatus.FULL):
        # entered as already gone, with no date: a stretch of no length, so that no figure counts them
        first.end, first.reason = first.start, _("Entered as no longer a member; the date of leaving is unknown.")
        first.end_change = Change.MOVED_AWAY if member.status == MemberStatus.TRANSFERRED else Change.REMOVED
        return [first]
    if full_throughout or official is None:
        return [first]
    first.end, first.end_change = official, Change.MADE_FULL
    return [first, MemberSpan(member=member, unit=member.unit, start=official, start_change=Change.MADE_FULL,
                              status=MemberStatus.FULL)]


def spans_of(member: Member) -> list[MemberSpan]:
    return list(MemberSpan.objects.select_for_update().filter(member=member).order_by("start", "id"))


def _open(spans: list[MemberSpan]) -> MemberSpan:
    last = spans[-1] if spans else None
    if last is None or last.end is not None:
        raise ValidationError(_("This member is no longer a member: nothing more can be recorded."))
    return last


def _split(spans: list[MemberSpan], day: datetime.date) -> list[MemberSpan]:
    """Cut the stretch running on `day` in two, so that a change can start exactly there."""
    out = []
    for span in spans:
        if span.start < day and (span.end is None or day < span.end):
            tail = MemberSpan(member_id=span.member_id, unit=span.unit, status=span.status, start=day,
                              start_change=Change.MADE_FULL, end=span.end, end_change=span.end_change,
                              to_unit=span.to_unit)
            span.end, span.end_change, span.to_unit = day, Change.MADE_FULL, None
            out += [span, tail]
        else:
            out.append(span)
    return out


def _save(member: Member, spans: list[MemberSpan]) -> None:
    for span in spans:
        span.save()


def record_full(member: Member, day: datetime.date, decision=None) -> None:
    """Made a full member on `day` (chuyển chính thức), even if recorded after a later transfer."""
    spans = spans_of(member)
    _open(spans)
    if day <= spans[0].start:
        raise ValidationError({"date": _("Full membership must come after admission (%(d)s).")
                               % {"d": spans[0].start.strftime("%d/%m/%Y")}})
    if any(s.status == MemberStatus.FULL for s in spans):
        raise ValidationError({"date": _("This member is already a full member.")})
    spans = _split(spans, day)
    for span in spans:
        if span.start >= day:
            span.status = MemberStatus.FULL
        unit_change = (Change.TRANSFER, Change.REORGANISED)
        if span.start == day and span.start_change not in unit_change:  # a move that day stays a move
            span.start_change, span.decision = Change.MADE_FULL, decision
        if span.end == day and span.end_change not in unit_change:
            span.end_change = Change.MADE_FULL
    _save(member, spans)


def record_transfer(member: Member, to_unit: OrgUnit, day: datetime.date, *, change: str = Change.TRANSFER,
                    decision=None, reason: str = "") -> None:
    """Moved to `to_unit` on `day` (leaving the system is record_leave). The move must come after the
    member's last change of unit; a later change of status keeps its date."""
    spans = spans_of(member)
    _open(spans)
    stint_start = spans[-1].start  # where the member's present unit began (status changes aside)
    for span in reversed(spans):
        if span.unit_id != spans[-1].unit_id:
            break
        stint_start = span.start
    if day <= stint_start:
        raise ValidationError({"date": _("The date must be after %(d)s, the member's last change of unit.")
                               % {"d": stint_start.strftime("%d/%m/%Y")}})
    spans = _split(spans, day)
    old_unit = member.unit
    for span in spans:
        if span.end == day:
            span.end_change, span.to_unit = change, to_unit
        if span.start >= day:
            span.unit = to_unit
        if span.start == day:
            span.start_change, span.from_unit, span.decision, span.reason = change, old_unit, decision, reason
    _save(member, spans)


def record_leave(member: Member, day: datetime.date, change: str, decision=None, reason: str = "") -> None:
    """Died, struck off, expelled or moved away on `day`: the open stretch ends there."""
    spans = spans_of(member)
    last = _open(spans)
    if day <= last.start:
        raise ValidationError({"date": _("The date must be after %(d)s, the member's last recorded change.")
                               % {"d": last.start.strftime("%d/%m/%Y")}})
    last.end, last.end_change, last.to_unit = day, change, None
    if reason:
        last.reason = reason[:200]
    last.save()


def unit_on(member: Member, day: datetime.date) -> OrgUnit | None:
    span = (MemberSpan.objects.filter(member=member, start__lte=day).exclude(end__lte=day)
            .select_related("unit").first())
    return span.unit if span else None


def paths_since(member_ids, day: datetime.date | None) -> set[str]:
    """The units the members belonged to on or after `day` (None: ever): where a fact about
    them dated from `day` may count (the figure store recounts their figures)."""
    spans = MemberSpan.objects.filter(member_id__in=list(member_ids))
    if day is not None:
        spans = spans.exclude(end__lte=day)
    return set(spans.values_list("unit__path", flat=True))


def exemptions_on(member_ids, day: datetime.date) -> dict[int, str]:
    """{member id: kind} of those exempted from Party work or suspended on `day` (`member_ids`:
    ids or a subquery of them)."""
    from django.db.models import Q

    from dangvu.orgs.models import Exemption

    return dict(Exemption.objects.filter(member_id__in=member_ids, start__lte=day)
                .filter(Q(end__isnull=True) | Q(end__gte=day)).values_list("member_id", "kind"))
