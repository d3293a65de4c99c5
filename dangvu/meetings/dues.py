"""Party dues (đảng phí): each member's monthly amount from their basis and the rate in force
(rates are data with their effective dates), payments per member and month, and the months
a member owes."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.meetings.models import DuesBasis, DuesCategory, DuesPayment, DuesRate
from dangvu.orgs.history import unit_on
from dangvu.orgs.models import ACTIVE_STATUSES, Exemption, Member, MemberSpan

# The rates of Quy định 342-QĐ/TW (2010), as shipped; a committee adds newer ones as data.
DEFAULT_RATES = [(DuesCategory.SALARY, Decimal("1.00"), 0), (DuesCategory.ALLOWANCE, Decimal("0.50"), 0),
                 (DuesCategory.FIXED, Decimal("0"), 5000)]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out, day = [], month_start(first)
    while day <= last:
        out.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return out


def rate_on(category: str, day: datetime.date) -> DuesRate:
    found = DuesRate.objects.filter(category=category, valid_from__lte=day).order_by("-valid_from").first()
    if found is None:
        for cat, percent, amount in DEFAULT_RATES:
            DuesRate.objects.get_or_create(category=cat, valid_from=datetime.date(2010, 1, 1),
                                           defaults={"percent": percent, "amount": amount})
        found = DuesRate.objects.filter(category=category, valid_from__lte=day).order_by("-valid_from").first()
    return found


def monthly_amount(member: Member, month: datetime.date) -> int:
    """The member's dues for the month (VND): their basis then, at the rate in force; a member
    with no basis recorded pays the fixed amount."""
    basis = DuesBasis.objects.filter(member=member, valid_from__lte=month).order_by("-valid_from").first()
    category = basis.category if basis else DuesCategory.FIXED
    rate = rate_on(category, month)
    if category == DuesCategory.FIXED:
        return rate.amount
    share = Decimal(basis.base) * rate.percent / 100
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@transaction.atomic
def basis_set(*, actor, member: Member, category: str, base: int, valid_from: datetime.date) -> DuesBasis:
    if category not in DuesCategory.values:
        raise ValidationError({"category": _("Unknown category of dues.")})
    if category != DuesCategory.FIXED and base <= 0:
        raise ValidationError({"base": _("Give the salary or allowance the dues are a share of.")})
    basis = DuesBasis.objects.create(member=member, category=category, base=base if category != "fixed" else 0,
                                     valid_from=month_start(valid_from))
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=basis, unit_path=member.unit.path,
                 alters_figures=False, changes={"category": [None, category]})
    return basis


@transaction.atomic
def dues_pay(*, actor, member: Member, months: list[datetime.date], paid_on: datetime.date) -> list[DuesPayment]:
    """The member pays for these months (this one, or several in advance), each at its amount."""
    if not months:
        raise ValidationError({"months": _("Choose the months paid for.")})
    # collected by the cell the member belonged to on the day they paid: a payment entered after
    # a transfer still counts where the money was taken
    cell = unit_on(member, paid_on)
    if cell is None:
        raise ValidationError({"paid_on": _("%(name)s was not a member of any cell on %(day)s.")
                               % {"name": member.full_name, "day": paid_on.strftime("%d/%m/%Y")}})
    payments = [DuesPayment(member=member, unit=cell, month=month_start(m),
                            amount=monthly_amount(member, month_start(m)), paid_on=paid_on,
                            recorded_by=actor if actor is not None and actor.is_authenticated else None)
                for m in sorted(set(months))]
    try:
        with transaction.atomic():
            DuesPayment.objects.bulk_create(payments)
    except IntegrityError:
        raise ValidationError({"months": _("A month chosen is already paid.")}) from None
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=member, unit_path=cell.path,
                 figures_from=paid_on, changes={"dues": [None, [p.month.isoformat()[:7] for p in payments]]})
    return payments


def cells_keeping_dues(first: datetime.date, last: datetime.date) -> set[int]:
    """The cells that record their dues here (a payment in these months): only their members
    can be behind; a cell that keeps its dues book on paper raises nothing."""
    return set(DuesPayment.objects.filter(month__gte=month_start(first), month__lte=last)
               .values_list("unit_id", flat=True).distinct())


def months_owed(member_ids, first: datetime.date, last: datetime.date) -> dict[int, list[int]]:
    """{member id: [months of `first`..`last` unpaid]}: the months the member belonged the whole
    of its first day, were not exempted, and paid nothing for."""
    months = months_between(first, last)
    spans = MemberSpan.objects.filter(member_id__in=member_ids, status__in=ACTIVE_STATUSES, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gt=first)).values_list("member_id", "start", "end")
    belonged: dict[int, set] = {}
    for member_id, start, end in spans:
        belonged.setdefault(member_id, set()).update(m for m in months if start <= m and (end is None or end > m))
    exempt = Exemption.objects.filter(member_id__in=member_ids, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)).values_list("member_id", "start", "end")
    for member_id, start, end in exempt:
        belonged.get(member_id, set()).difference_update(m for m in months if start <= m and (end is None or end >= m))
    paid = set(DuesPayment.objects.filter(member_id__in=member_ids, month__gte=first, month__lte=last)
               .values_list("member_id", "month"))
    return {member_id: [m.month for m in sorted(due) if (member_id, m) not in paid]
            for member_id, due in belonged.items() if any((member_id, m) not in paid for m in due)}
