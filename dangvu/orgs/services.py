"""Every write to units, terms, members, candidates and roles.

Keyword-only, atomic, audited. Views, the API, imports, tasks and commands all
call these; none of them writes models directly.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record, diff, snapshot
from dangvu.lib.keys import ROLE_KEYS
from dangvu.orgs import history, placements
from dangvu.orgs.models import (
    ACTIVE_STATUSES,
    Candidate,
    Change,
    Exemption,
    ImportJob,
    Member,
    MemberSpan,
    MemberStatus,
    OrgUnit,
    Term,
    UnitKind,
    UnitRole,
    UnitSuccession,
    path_prefixes,
)
from dangvu.orgs.scope import check_grantable

UNIT_FIELDS = ["name", "code", "symbol", "kind", "has_committee", "valid_from", "valid_to"]
MEMBER_FIELDS = ["full_name", "date_of_birth", "sex", "unit", "admission_date", "official_date",
                 "status", "card_number", "phone", "email"]


def _day_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


def _check_code_free(code: str, exclude_pk=None) -> None:
    qs = OrgUnit.objects.filter(code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"code": _("Unit code “%(code)s” is already taken.") % {"code": code}})


# --- units -----------------------------------------------------------------

def _check_central_at_top(kind: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    """The central level is one unit, at the top of the tree."""
    if kind != UnitKind.CENTRAL:
        return
    if parent is not None:
        raise ValidationError({"kind": _("The central level stands at the top of the tree: it has no unit above it.")})
    others = OrgUnit.objects.filter(kind=UnitKind.CENTRAL, valid_to__isnull=True)
    if (others.exclude(pk=unit.pk) if unit is not None else others).exists():
        raise ValidationError({"kind": _("There is already a central level; a second one cannot be made.")})


@transaction.atomic
def unit_create(*, actor, parent: OrgUnit | None, name: str, code: str, kind: str,
                has_committee: bool = False, symbol: str = "",
                valid_from: datetime.date | None = None) -> OrgUnit:
    _check_code_free(code)
    if parent is not None and parent.kind == UnitKind.CELL:
        raise ValidationError({"parent": _("A cell cannot have sub-units.")})
    _check_central_at_top(kind, parent)
    values = dict(name=name, code=code, kind=kind, has_committee=has_committee, symbol=symbol,
                  valid_from=valid_from or datetime.date.today())
    unit = placements.create_node(OrgUnit.objects.get(pk=parent.pk) if parent else None, values)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=unit, unit_path=unit.path,
                 changes=diff({}, snapshot(unit, UNIT_FIELDS)), figures_from=unit.valid_from)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, on_date: datetime.date | None = None, **values) -> OrgUnit:
    """A change of kind or of having a chi ủy holds from `on_date` (today by default): the
    days before keep what the unit was then (targets count units as they stood)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    if "kind" in values:
        _check_central_at_top(values["kind"], OrgUnit.objects.get_parent(unit), unit)
    if "code" in values:
        _check_code_free(values["code"], exclude_pk=unit.pk)
    for key, value in values.items():
        if key not in UNIT_FIELDS:
            raise TypeError(key)
        setattr(unit, key, value)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    if "valid_to" in values:
        placements.follow_end(unit)
    if unit.valid_to is None:
        placements.replace([unit], max(on_date or timezone.localdate(), unit.valid_from))
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=unit, unit_path=unit.path, changes=changes,
                     figures_from=None if {"valid_from", "valid_to"} & set(changes) else on_date or timezone.localdate())
    return unit


def _reorganise_spans(member_ids: list[int], *, old: OrgUnit, new: OrgUnit, on_date, reason: str) -> None:
    """Members carried into a merged or split unit: their stretch in `old` ends on `on_date`
    and one in `new` begins (not a transfer: no unit above counts it as one)."""
    open_spans = MemberSpan.objects.filter(member_id__in=member_ids, end__isnull=True)
    later = open_spans.filter(start__gte=on_date)  # admitted on or after the day: simply in the new unit
    later.update(unit=new)
    closing = list(open_spans.filter(start__lt=on_date))
    MemberSpan.objects.filter(pk__in=[sp.pk for sp in closing]).update(
        end=on_date, end_change=Change.REORGANISED, to_unit=new)
    MemberSpan.objects.bulk_create(
        MemberSpan(member_id=sp.member_id, unit=new, status=sp.status, start=on_date, start_change=Change.REORGANISED,
                   from_unit=old, reason=reason[:200]) for sp in closing)


def _move_active_content(*, old: OrgUnit, new: OrgUnit, on_date, reason: str,
                         member_ids=None, child_ids=None) -> tuple[int, int]:
    """Move members (all active, or the given ones) and sub-units of `old` under `new`."""
    members = Member.objects.filter(unit=old, status__in=ACTIVE_STATUSES)
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
    ids = list(members.values_list("pk", flat=True))
    _reorganise_spans(ids, old=old, new=new, on_date=on_date, reason=reason)
    Member.objects.filter(pk__in=ids).update(unit=new)
    children = OrgUnit.objects.get_children(OrgUnit.objects.get(pk=old.pk)).filter(valid_to__isnull=True)
    if child_ids is not None:
        children = children.filter(pk__in=child_ids)
    child_pks = list(children.values_list("pk", flat=True))
    for pk in child_pks:
        # Re-read both ends each time: a move rewrites paths under them.
        placements.move_node(OrgUnit.objects.get(pk=pk), OrgUnit.objects.get(pk=new.pk), on_date)
    return len(ids), len(child_pks)


def _close_unit(unit: OrgUnit, on_date) -> None:
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=_day_before(on_date))
    UnitRole.objects.filter(unit=unit, end__isnull=True).update(end=_day_before(on_date))
    placements.close(unit, on_date)


def _check_date(unit: OrgUnit, on_date: datetime.date) -> None:
    """A reorganisation is dated after the unit was founded and not in the future."""
    if on_date <= unit.valid_from:
        raise ValidationError({"date": _("The effective date must be after “%(name)s” was founded (%(d)s).")
                               % {"name": unit.name, "d": unit.valid_from.strftime("%d/%m/%Y")}})
    _check_not_future(on_date)


@transaction.atomic
def unit_move(*, actor, unit: OrgUnit, parent: OrgUnit, on_date: datetime.date) -> OrgUnit:
    """Place `unit`, with everything under it, under `parent` from `on_date` (an upper
    committee dissolved, a cell handed to another commune). Figures before that day keep
    counting it where it stood."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    if unit.valid_to is not None or parent.valid_to is not None:
        raise ValidationError({"parent_id": _("Only units that still exist can be moved or receive a unit.")})
    if parent.kind == UnitKind.CELL:
        raise ValidationError({"parent_id": _("A cell cannot have sub-units.")})
    if unit.kind == UnitKind.CENTRAL:
        raise ValidationError({"parent_id": _("The central level stands at the top of the tree: it has no unit above it.")})
    if parent.path.startswith(unit.path):
        raise ValidationError({"parent_id": _("A unit cannot be placed under itself or a unit below it.")})
    if unit.path[:-OrgUnit.steplen] == parent.path:
        raise ValidationError({"parent_id": _("The unit is already directly under this unit.")})
    _check_date(unit, on_date)
    placements.check_after_last_change(unit, on_date)
    _check_date(parent, on_date)
    old_parent = OrgUnit.objects.get_parent(unit)
    moved = placements.move_node(unit, parent, on_date)
    for path in {moved.path, parent.path} | ({old_parent.path} if old_parent else set()):
        audit_record(actor=actor, action=AuditEntry.Action.MOVE, obj=moved, unit_path=path,
                     changes={"parent": [old_parent.name if old_parent else None, parent.name],
                              "date": [None, on_date.isoformat()]})
    return moved


def _check_open(units, on_date) -> None:
    for unit in units:
        if unit.valid_to is not None:
            raise ValidationError(_("Unit “%(name)s” has been dissolved or merged.") % {"name": unit.name})
        _check_date(unit, on_date)
        placements.check_after_last_change(unit, on_date)


@transaction.atomic
def unit_merge(*, actor, units: list[OrgUnit], name: str, code: str, on_date: datetime.date,
               parent: OrgUnit | None = None, symbol: str = "") -> OrgUnit:
    """Close `units` the day before `on_date` and open one unit that takes over their
    active members and sub-units, linked to each of them as successor."""
    units = [OrgUnit.objects.select_for_update().get(pk=u.pk) for u in units]
    if len(units) < 2:
        raise ValidationError(_("Choose at least two units to merge."))
    _check_open(units, on_date)
    if len({u.kind for u in units}) > 1:
        raise ValidationError({"unit_ids": _("Only units of one kind can be merged (cells with cells, "
                                             "committees with committees).")})
    parent = parent or OrgUnit.objects.get_parent(units[0])
    new = unit_create(actor=actor, parent=parent, name=name, code=code, kind=units[0].kind,
                      has_committee=any(u.has_committee for u in units), symbol=symbol, valid_from=on_date)
    for old in units:
        moved, children = _move_active_content(old=old, new=new, on_date=on_date,
                                               reason=_("Merged into %(name)s") % {"name": name})
        _close_unit(old, on_date)
        UnitSuccession.objects.create(predecessor=old, successor=new, kind=UnitSuccession.Kind.MERGE,
                                      on_date=on_date)
        audit_record(actor=actor, action=AuditEntry.Action.MERGE, obj=old, unit_path=old.path,
                     changes={"successor": [None, name], "members_moved": [None, moved],
                              "units_moved": [None, children]})
    return OrgUnit.objects.get(pk=new.pk)


@dataclass
class SplitPart:
    name: str
    code: str
    member_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)
    has_committee: bool = False


@transaction.atomic
def unit_split(*, actor, unit: OrgUnit, parts: list[SplitPart], on_date: datetime.date) -> list[OrgUnit]:
    """Close `unit` and open one unit per part; every active member and sub-unit must
    go to exactly one part, so nobody is left in a closed unit."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if len(parts) < 2:
        raise ValidationError(_("A split needs at least two new units."))
    _check_open([unit], on_date)
    active_members = set(Member.objects.filter(unit=unit, status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    active_children = set(OrgUnit.objects.get_children(unit).filter(valid_to__isnull=True).values_list("pk", flat=True))
    for label, wanted, given in (
        (_("members"), active_members, [pk for p in parts for pk in p.member_ids]),
        (_("sub-units"), active_children, [pk for p in parts for pk in p.child_ids]),
    ):
        if len(given) != len(set(given)):
            raise ValidationError(_("Some %(what)s are assigned to two new units.") % {"what": label})
        if set(given) != wanted:
            raise ValidationError(_("Every one of the old unit's %(what)s must go to exactly one new unit (%(n)d not assigned).")
                                  % {"what": label, "n": len(wanted - set(given))})
    parent = OrgUnit.objects.get_parent(unit)
    created = []
    for part in parts:
        new = unit_create(actor=actor, parent=parent, name=part.name, code=part.code, kind=unit.kind,
                          has_committee=part.has_committee, valid_from=on_date)
        _move_active_content(old=unit, new=new, on_date=on_date, member_ids=part.member_ids,
                             child_ids=part.child_ids, reason=_("Split from %(name)s") % {"name": unit.name})
        UnitSuccession.objects.create(predecessor=unit, successor=new, kind=UnitSuccession.Kind.SPLIT,
                                      on_date=on_date)
        created.append(new)
    _close_unit(unit, on_date)
    audit_record(actor=actor, action=AuditEntry.Action.SPLIT, obj=unit, unit_path=unit.path,
                 changes={"successors": [None, [p.name for p in parts]]})
    return [OrgUnit.objects.get(pk=u.pk) for u in created]


@transaction.atomic
def term_create(*, actor, unit: OrgUnit, name: str, congress_closed_on: datetime.date,
                end: datetime.date | None = None) -> Term:
    """A term starts the day after its congress closes; the previous one ends then."""
    start = congress_closed_on + datetime.timedelta(days=1)
    if start < unit.valid_from:
        raise ValidationError({"congress_closed_on": _(
            "The term would start on %(start)s, before “%(name)s” was founded (%(d)s): check the congress "
            "closing date.") % {"start": start.strftime("%d/%m/%Y"), "name": unit.name,
                                "d": unit.valid_from.strftime("%d/%m/%Y")}})
    Term.objects.filter(unit=unit, end__isnull=True, start__lt=start).update(end=congress_closed_on)
    term = Term.objects.create(unit=unit, name=name, congress_closed_on=congress_closed_on, start=start, end=end)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=term, unit_path=unit.path,
                 changes={"name": [None, name], "start": [None, start.isoformat()]})
    return term


# --- people ------------------------------------------------------------------

# Điều lệ Đảng, Điều 1: a Vietnamese citizen of at least 18 (counted by the birthday).
ADMISSION_AGE = 18


def birthday(date_of_birth: datetime.date, age: int) -> datetime.date:
    """The day someone turns `age` (29 February: 1 March in a common year)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return datetime.date(date_of_birth.year + age, 3, 1)


def member_date_errors(*, date_of_birth, admission_date, official_date) -> dict[str, str]:
    """The date rules of a member record, by field; the form, the API and the import share them."""
    errors = {}
    if date_of_birth and admission_date and admission_date <= date_of_birth:
        errors["admission_date"] = _("The admission date must be after the date of birth.")
    elif date_of_birth and admission_date and admission_date < birthday(date_of_birth, ADMISSION_AGE):
        errors["admission_date"] = _("A member must have been at least %(age)s when admitted "
                                     "(born %(dob)s: admitted on or after %(first)s).") % {
            "age": ADMISSION_AGE, "dob": date_of_birth.strftime("%d/%m/%Y"),
            "first": birthday(date_of_birth, ADMISSION_AGE).strftime("%d/%m/%Y")}
    if admission_date and official_date and official_date < admission_date:
        errors["official_date"] = _("The full-membership date must be after the admission date.")
    return errors


def _validate_member(member: Member) -> None:
    if member.unit.valid_to is not None:
        raise ValidationError({"unit": _("Unit “%(name)s” has been dissolved.") % {"name": member.unit.name}})
    errors = member_date_errors(date_of_birth=member.date_of_birth, admission_date=member.admission_date,
                                official_date=member.official_date)
    if errors:
        raise ValidationError(errors)
    member.full_clean(exclude=["user", "sort_key", "name_key"])


@transaction.atomic
def member_create(*, actor, unit: OrgUnit, full_name: str, date_of_birth, sex: str,
                  admission_date, official_date=None, status: str | None = None,
                  card_number: str | None = None, phone: str = "", email: str = "",
                  audit: bool = True, decision=None) -> Member:
    """A member entered with their dates; `decision` (admission) goes on their first stretch."""
    member = Member(unit=unit, full_name=full_name, date_of_birth=date_of_birth, sex=sex,
                    admission_date=admission_date, official_date=official_date,
                    status=status or ("chinh_thuc" if official_date else "du_bi"),
                    card_number=card_number or None, phone=phone, email=email)
    _validate_member(member)
    member.save()
    MemberSpan.objects.bulk_create(history.first_spans(member, decision=decision))
    if audit:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=member, unit_path=unit.path,
                     changes=diff({}, snapshot(member, MEMBER_FIELDS)), figures_from=admission_date)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **values) -> Member:
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    before = snapshot(member, MEMBER_FIELDS)
    for key, value in values.items():
        if key not in MEMBER_FIELDS or key == "unit":
            raise TypeError(key)  # a unit change is a transfer: member_transfer
        setattr(member, key, value)
    if "card_number" in values:
        member.card_number = member.card_number or None
    _validate_member(member)
    _follow_dates(member, before)
    member.save()
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=member, unit_path=member.unit.path,
                     changes=changes, figure_paths=history.paths_since([member.pk], None))
    return member


def _follow_dates(member: Member, before: dict) -> None:
    """A corrected admission or full-membership date moves the stretch boundary it made;
    leaving is dated and has its own action."""
    if member.status != before["status"] and member.status not in ACTIVE_STATUSES:
        raise ValidationError({"status": _("Leaving the Party or moving away is recorded with its date and reason "
                                           "(the “Ra khỏi Đảng, chuyển đi” action), not by changing the status here.")})
    spans = history.spans_of(member)
    if not spans:
        return
    if member.admission_date.isoformat() != before["admission_date"]:
        first = spans[0]
        if first.end is not None and member.admission_date >= first.end:
            raise ValidationError({"admission_date": _("The admission date must come before the member's next "
                                                       "recorded change (%(d)s).") % {"d": first.end.strftime("%d/%m/%Y")}})
        first.start = member.admission_date
        first.save(update_fields=["start"])
    old_official = before["official_date"]
    new_official = member.official_date.isoformat() if member.official_date else None
    if new_official == old_official:
        return
    if old_official is None and member.official_date:
        history.record_full(member, member.official_date)
        member.status = MemberStatus.FULL
        return
    boundary = [sp for sp in spans if sp.start_change == Change.MADE_FULL and sp.start.isoformat() == old_official]
    earlier = [sp for sp in spans if sp.end and sp.end.isoformat() == old_official]
    day = member.official_date
    if not (boundary and earlier and day and earlier[0].start < day and (boundary[0].end is None or day < boundary[0].end)):
        raise ValidationError({"official_date": _("This date cannot be moved past the member's other recorded "
                                                  "changes; correct those first.")})
    earlier[0].end, boundary[0].start = day, day
    # shorten first, then lengthen: the database refuses two stretches that overlap even for a moment
    ordered = [(boundary[0], "start"), (earlier[0], "end")] if day > datetime.date.fromisoformat(old_official) else [
        (earlier[0], "end"), (boundary[0], "start")]
    for span, changed in ordered:
        span.save(update_fields=[changed])


@transaction.atomic
def member_transfer(*, actor, member: Member, to_unit: OrgUnit, on_date: datetime.date,
                    reason: str = "", decision=None) -> Member:
    """Chuyển sinh hoạt to another unit of the system on `on_date`."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if to_unit.valid_to is not None:
        raise ValidationError({"unit": _("Unit “%(name)s” has been dissolved.") % {"name": to_unit.name}})
    if to_unit.pk == member.unit_id:
        raise ValidationError({"unit": _("The member is already in this unit.")})
    if not to_unit.holds_members:
        raise ValidationError({"unit": _("Members belong to a cell: choose one of the cells of “%(unit)s”.")
                               % {"unit": to_unit.name}})
    _check_not_future(on_date)
    old = member.unit
    history.record_transfer(member, to_unit, on_date, decision=decision, reason=reason)
    member.unit = to_unit
    member.save(update_fields=["unit"])
    _end_rights(actor, member, on_date, still_under=to_unit)
    for path in {old.path, to_unit.path}:
        audit_record(actor=actor, action=AuditEntry.Action.MOVE, obj=member, unit_path=path,
                     changes={"unit": [old.name, to_unit.name], "date": [None, on_date.isoformat()]},
                     figures_from=on_date)
    return member


# Sent inside the transaction that ends a member's membership where it was (a transfer, leaving),
# once their roles there have ended, for the rights held outside orgs to end with it: accounts'
# teams and API tokens (accounts.services.end_account_rights, connected when that app is ready;
# orgs imports nothing from accounts). Arguments: actor, member, user (their account), keeps (a
# unit path → whether they keep rights over it), left (whether they left the Party's rolls here).
rights_end = Signal()


def _end_rights(actor, member: Member, on_date: datetime.date, still_under: OrgUnit | None) -> None:
    """Rights end with membership where it ends: the member's roles, and their account's teams,
    in units that `still_under` (the unit they move to; None: they left) is not within end the
    day before; a member who left loses their API tokens too (accounts' part, through
    `rights_end`). Audited, through this service only (no grant check: nobody chooses this, it
    follows from the membership)."""
    def keeps(path: str) -> bool:
        return still_under is not None and still_under.path.startswith(path)

    day_before = on_date - datetime.timedelta(days=1)
    roles = (UnitRole.objects.select_for_update().filter(member=member).filter(Q(end__isnull=True) | Q(end__gte=on_date))
             .select_related("unit"))
    for role in roles:
        if keeps(role.unit.path):
            continue
        before = role.end.isoformat() if role.end else None
        role.end = max(role.start, day_before)
        role.save(update_fields=["end"])
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=role, unit_path=role.unit.path,
                     changes={"end": [before, role.end.isoformat()]}, alters_figures=False)
    user = member.user
    if user is not None:  # their teams and tokens, in this transaction
        rights_end.send(sender=Member, actor=actor, member=member, user=user, keeps=keeps, left=still_under is None)


def _check_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": _("The date is in the future: record it when it has happened.")})


LEAVE_STATUS = {Change.DIED: MemberStatus.LEFT, Change.REMOVED: MemberStatus.LEFT,
                Change.EXPELLED: MemberStatus.LEFT, Change.MOVED_AWAY: MemberStatus.TRANSFERRED}


@transaction.atomic
def member_leave(*, actor, member: Member, reason: str, on_date: datetime.date, decision=None,
                 note: str = "") -> Member:
    """Died, struck off (xóa tên), expelled (khai trừ) or moved out of the system on `on_date`."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if reason not in LEAVE_STATUS:
        raise ValidationError({"reason": _("The reason is one of: died, removed, expelled, moved_away.")})
    _check_not_future(on_date)
    history.record_leave(member, on_date, reason, decision=decision, reason=note)
    before = member.status
    member.status = LEAVE_STATUS[reason]
    member.save(update_fields=["status"])
    _end_rights(actor, member, on_date, still_under=None)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=member, unit_path=member.unit.path,
                 changes={"status": [before, member.status], "left": [None, f"{reason} {on_date.isoformat()}"]},
                 figures_from=on_date)
    return member


@transaction.atomic
def member_make_full(*, actor, member: Member, on_date: datetime.date, decision=None) -> Member:
    """Chuyển đảng viên chính thức on `on_date` (after the probation year)."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    errors = member_date_errors(date_of_birth=member.date_of_birth, admission_date=member.admission_date,
                                official_date=on_date)
    if errors:
        raise ValidationError({"date": errors.popitem()[1]})
    _check_not_future(on_date)
    history.record_full(member, on_date, decision=decision)
    before = snapshot(member, ["status", "official_date"])
    member.official_date = on_date
    if member.status == MemberStatus.PROBATIONARY:
        member.status = MemberStatus.FULL
    member.save(update_fields=["status", "official_date"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=member, unit_path=member.unit.path,
                 changes=diff(before, snapshot(member, ["status", "official_date"])), figures_from=on_date)
    return member


# --- admission candidates (quần chúng ưu tú) ----------------------------------------------

CANDIDATE_FIELDS = ["full_name", "date_of_birth", "sex", "stage"]
# The import's rule too: introduced from 16 (a youth union member), no older than 70.
CANDIDATE_AGES = (16, 70)
STAGE_ORDER = list(Candidate.Stage.values)


def _check_candidate_unit(unit: OrgUnit) -> None:
    if unit.valid_to is not None:
        raise ValidationError({"unit": _("Unit “%(name)s” has been dissolved.") % {"name": unit.name}})
    if not unit.holds_members:
        raise ValidationError({"unit": _("Candidates are introduced to a cell: choose one of the cells of "
                                         "“%(unit)s”.") % {"unit": unit.name}})


def _check_candidate(candidate: Candidate) -> None:
    """A candidate's own details: a real date of birth, an age a candidate can have, and once
    on the cell's list (name and date of birth)."""
    dob, today = candidate.date_of_birth, timezone.localdate()
    youngest, oldest = CANDIDATE_AGES
    if dob and not birthday(dob, youngest) <= today < birthday(dob, oldest + 1):
        raise ValidationError({"date_of_birth": _("An admission candidate is between 16 and 70 years old.")})
    candidate.prepare()
    twins = Candidate.objects.filter(unit=candidate.unit, name_key=candidate.name_key, date_of_birth=dob,
                                     member__isnull=True).exclude(pk=candidate.pk)
    if twins.exists():
        raise ValidationError({"full_name": _("“%(name)s” born %(dob)s is already on this cell's list of "
                                              "candidates.") % {"name": candidate.full_name,
                                                                "dob": dob.strftime("%d/%m/%Y")}})
    candidate.full_clean(exclude=["member", "sort_key", "name_key", "unit"])


@transaction.atomic
def candidate_create(*, actor, unit: OrgUnit, full_name: str, date_of_birth, sex: str,
                     stage: str = Candidate.Stage.INTRODUCED) -> Candidate:
    """A candidate introduced to a cell (at the stage they have reached, for one already on the
    way); admission itself is candidate_admit's."""
    _check_candidate_unit(unit)
    if stage == Candidate.Stage.ADMITTED:
        raise ValidationError({"stage": _("Admission is recorded with its date and decision (the “Admit” "
                                          "action), not by choosing the stage.")})
    candidate = Candidate(unit=unit, full_name=full_name, date_of_birth=date_of_birth, sex=sex, stage=stage)
    _check_candidate(candidate)
    candidate.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=candidate, unit_path=unit.path,
                 changes=diff({}, snapshot(candidate, CANDIDATE_FIELDS)))
    return candidate


def _locked_candidate(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().select_related("unit").get(pk=candidate.pk)
    if candidate.stage == Candidate.Stage.ADMITTED or candidate.member_id:
        raise ValidationError(_("This candidate has been admitted: their record is now the member's."))
    if candidate.erased_on is not None:  # left the list: what stays is kept for the class figures, unchanged
        raise ValidationError(_("The personal data of this candidate were erased: the record can no longer be "
                                "changed, moved on or admitted."))
    return candidate


@transaction.atomic
def candidate_update(*, actor, candidate: Candidate, **values) -> Candidate:
    """Correct a candidate's name, date of birth or sex (the stage moves with candidate_stage)."""
    candidate = _locked_candidate(candidate)
    before = snapshot(candidate, CANDIDATE_FIELDS)
    for key, value in values.items():
        if key not in ("full_name", "date_of_birth", "sex"):
            raise TypeError(key)
        setattr(candidate, key, value)
    _check_candidate(candidate)
    candidate.save()
    changes = diff(before, snapshot(candidate, CANDIDATE_FIELDS))
    if changes:  # no figure counts candidates' details
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=candidate, unit_path=candidate.unit.path,
                     changes=changes, alters_figures=False)
    return candidate


@transaction.atomic
def candidate_stage(*, actor, candidate: Candidate, stage: str) -> Candidate:
    """Move a candidate on to the next stage, or back one to correct a mistake. Admission is
    dated and makes a member: candidate_admit."""
    candidate = _locked_candidate(candidate)
    if stage == Candidate.Stage.ADMITTED:
        raise ValidationError({"stage": _("Admission is recorded with its date and decision (the “Admit” "
                                          "action), not by choosing the stage.")})
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Choose one of the stages.")})
    step = STAGE_ORDER.index(stage) - STAGE_ORDER.index(candidate.stage)
    if step not in (1, -1):
        raise ValidationError({"stage": _("A candidate moves one stage at a time: on to the next, or back one "
                                          "to correct a mistake (now: %(stage)s).")
                               % {"stage": candidate.get_stage_display()}})
    before = candidate.stage
    candidate.stage = stage
    candidate.save(update_fields=["stage"])
    # the training classes' figures count enrolments, not stages
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=candidate, unit_path=candidate.unit.path,
                 changes={"stage": [before, stage]}, alters_figures=False)
    return candidate


def _admission_errors(candidate: Candidate, unit: OrgUnit, admission_date: datetime.date, decision) -> dict:
    """What is wrong with admitting `candidate` on `admission_date` by `decision`, by field: the
    date has happened, falls in the cell's life and after the 18th birthday; the decision is an
    issued document in force, of the register of the cell or of a committee above it, dated no
    later than the admission."""
    errors = {}
    if admission_date > timezone.localdate():
        errors["admission_date"] = _("The admission date is in the future: record it when it has happened.")
    elif admission_date < unit.valid_from:
        errors["admission_date"] = _("The admission date is before “%(name)s” was founded (%(d)s).") % {
            "name": unit.name, "d": unit.valid_from.strftime("%d/%m/%Y")}
    else:
        errors.update(member_date_errors(date_of_birth=candidate.date_of_birth, admission_date=admission_date,
                                         official_date=None))
    if decision is None:
        return errors
    if (decision.direction != "issued" or decision.withdrawn_on is not None
            or decision.unit.path not in path_prefixes(unit.path)):
        errors["decision"] = _("Choose a decision issued by the cell or a committee above it.")
    elif decision.issued_on > admission_date:
        errors["decision"] = _("The decision is dated %(d)s, after the admission date.") % {
            "d": decision.issued_on.strftime("%d/%m/%Y")}
    return errors


@transaction.atomic
def candidate_admit(*, actor, candidate: Candidate, admission_date: datetime.date, decision=None) -> Member:
    """Kết nạp: the candidate whose admission was considered becomes a probationary member of
    their cell from `admission_date`, with the admission decision from the register if given;
    the candidate stays on the list, admitted and linked to the member."""
    candidate = _locked_candidate(candidate)
    unit = candidate.unit
    if candidate.stage != Candidate.Stage.CONSIDERED:
        raise ValidationError(_("Only a candidate whose admission is under consideration can be admitted "
                                "(now: %(stage)s).") % {"stage": candidate.get_stage_display()})
    _check_candidate_unit(unit)
    errors = _admission_errors(candidate, unit, admission_date, decision)
    if errors:
        raise ValidationError(errors)
    member = member_create(actor=actor, unit=unit, full_name=candidate.full_name, date_of_birth=candidate.date_of_birth,
                           sex=candidate.sex, admission_date=admission_date, status=MemberStatus.PROBATIONARY,
                           decision=decision)
    candidate.stage, candidate.member = Candidate.Stage.ADMITTED, member
    candidate.save(update_fields=["stage", "member"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=candidate, unit_path=unit.path,
                 changes={"stage": [Candidate.Stage.CONSIDERED, Candidate.Stage.ADMITTED]}, alters_figures=False)
    return member


@transaction.atomic
def role_assign(*, actor, unit: OrgUnit, member: Member, role: str, start: datetime.date,
                term: Term | None = None, end: datetime.date | None = None) -> UnitRole:
    if not member.unit.path.startswith(unit.path):
        raise ValidationError(_("Member “%(name)s” does not belong to this unit.") % {"name": member})
    if end is not None and end < start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    check_grantable(actor=actor, path=unit.path, keys=ROLE_KEYS.get(role, ()))  # a role grants keys
    unit_role = UnitRole.objects.create(unit=unit, member=member, role=role, term=term, start=start, end=end)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=unit_role, unit_path=unit.path,
                 changes={"role": [None, unit_role.get_role_display()], "member": [None, member.full_name]})
    return unit_role


@transaction.atomic
def role_end(*, actor, unit_role: UnitRole, end: datetime.date) -> UnitRole:
    """A role held until `end` (the rights it gave stop the day after)."""
    unit_role = UnitRole.objects.select_for_update().select_related("unit", "member").get(pk=unit_role.pk)
    check_grantable(actor=actor, path=unit_role.unit.path, keys=ROLE_KEYS.get(unit_role.role, ()))
    if end < unit_role.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    before = unit_role.end.isoformat() if unit_role.end else None
    unit_role.end = end
    unit_role.save(update_fields=["end"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=unit_role, unit_path=unit_role.unit.path,
                 changes={"end": [before, end.isoformat()]})
    return unit_role


# --- import jobs -------------------------------------------------------------------------

@transaction.atomic
def import_job_create(*, actor, unit: OrgUnit, file_name: str, content: bytes) -> ImportJob:
    """An uploaded file, queued to be checked (nothing is written until it is applied)."""
    from dangvu.jobs import runner
    from dangvu.orgs.tasks import CHECK

    job = ImportJob.objects.create(unit=unit, user=actor, file_name=file_name[:200], content=content)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=job, unit_path=unit.path,
                 changes={"file_name": [None, job.file_name]})
    runner.enqueue(CHECK, job.pk, user=actor)
    return job


@transaction.atomic
def import_job_apply(*, actor, job: ImportJob) -> None:
    """Queue a checked file to be written; only a valid one, once."""
    from dangvu.jobs import runner
    from dangvu.orgs.tasks import APPLY

    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALID).update(
        status=ImportJob.Status.APPLYING)
    if not updated:
        raise ValidationError(_("This file is not valid yet, or has already been imported."))
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=job, unit_path=job.unit.path,
                 changes={"status": [ImportJob.Status.VALID, ImportJob.Status.APPLYING]})
    runner.enqueue(APPLY, job.pk, user=actor)


@transaction.atomic
def exemption_record(*, actor, member: Member, kind: str, start: datetime.date, end: datetime.date | None = None,
                     reason: str = "", decision=None) -> Exemption:
    """A member exempted from Party work (miễn công tác và sinh hoạt đảng) or suspended, from
    `start` (to `end`, or until ended): they are not rated that year, nor required at meetings."""
    errors = {}
    if kind not in Exemption.Kind.values:
        errors["kind"] = _("The kind is an exemption from Party work or a suspension.")
    if end is not None and end < start:
        errors["end"] = _("The end is before the start.")
    if start < member.admission_date:
        errors["start"] = _("The start is before the member was admitted.")
    overlapping = Exemption.objects.filter(member=member).filter(
        Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        errors["start"] = _("The member is already exempted or suspended on these days.")
    if errors:
        raise ValidationError(errors)
    exemption = Exemption.objects.create(member=member, kind=kind, start=start, end=end, reason=reason.strip(),
                                         decision=decision)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=exemption, unit_path=member.unit.path,
                 figures_from=start, changes={"kind": [None, kind], "start": [None, start.isoformat()],
                                              "end": [None, end and end.isoformat()]})
    return exemption


@transaction.atomic
def exemption_end(*, actor, exemption, end: datetime.date):
    if end < exemption.start:
        raise ValidationError({"end": _("The end is before the start.")})
    before = exemption.end
    exemption.end = end
    exemption.save(update_fields=["end"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=exemption, unit_path=exemption.member.unit.path,
                 figures_from=min(end, before or end),
                 changes={"end": [before and before.isoformat(), end.isoformat()]})
    return exemption
