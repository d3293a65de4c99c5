"""Dues handed up (nộp đảng phí lên cấp trên): a cell keeps a share of the dues it collected
and remits the rest to the committee above, monthly or quarterly. The share kept is the
setting DUES_CELL_KEEPS_PERCENT; its default, 30, is what Quy định 342-QĐ/TW leaves to a cell
under a đảng ủy cơ sở (70% remitted). The year's dues are those of its months, whenever paid."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.numbers import fmt_int
from dangvu.meetings.dues import month_start, months_between
from dangvu.meetings.models import DuesPayment, DuesRemittance
from dangvu.orgs.models import OrgUnit, UnitKind, path_prefixes


def keeps_percent() -> int:
    return settings.DUES_CELL_KEEPS_PERCENT


def kept_of(collected: int) -> int:
    share = Decimal(collected) * keeps_percent() / 100
    return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class Books:
    """A cell's dues of a year: collected, kept, to remit, remitted, still due."""

    collected: int = 0
    remitted: int = 0

    @property
    def kept(self) -> int:
        return kept_of(self.collected)

    @property
    def to_remit(self) -> int:
        return self.collected - self.kept

    @property
    def due(self) -> int:
        return max(0, self.to_remit - self.remitted)


def books_of(cell_ids, year: int) -> dict[int, Books]:
    """{cell id: its books for the year}, two queries whatever the number of cells."""
    out = {pk: Books() for pk in cell_ids}
    for unit_id, total in (DuesPayment.objects.filter(unit_id__in=cell_ids, month__year=year)
                           .values_list("unit_id").annotate(s=Sum("amount")).order_by()):
        out[unit_id].collected = int(total)
    for unit_id, total in (DuesRemittance.objects.filter(unit_id__in=cell_ids, first_month__year=year)
                           .values_list("unit_id").annotate(s=Sum("amount")).order_by()):
        out[unit_id].remitted = int(total)
    return out


def collected_by_month(cell: OrgUnit, year: int) -> list[tuple[datetime.date, int]]:
    sums = dict(DuesPayment.objects.filter(unit=cell, month__year=year).values_list("month")
                .annotate(s=Sum("amount")).order_by())
    return [(m, int(sums.get(m, 0))) for m in months_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def committees_above(cell: OrgUnit):
    return OrgUnit.objects.filter(path__in=path_prefixes(cell.path)).exclude(pk=cell.pk).order_by("-path")


@transaction.atomic
def remittance_record(*, actor, unit: OrgUnit, to_unit: OrgUnit | None, first_month: datetime.date,
                      last_month: datetime.date, amount: int, remitted_on: datetime.date) -> DuesRemittance:
    """The cell hands the dues of a month or a quarter to a committee above it; no more than is
    still due for the year."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)  # two remittances at once see each other's
    first, last = month_start(first_month), month_start(last_month)
    errors = {}
    if unit.kind != UnitKind.CELL:
        errors["unit"] = _("Dues are remitted by a party cell.")
    if to_unit is None or to_unit.pk == unit.pk or not unit.path.startswith(to_unit.path):
        errors["to_unit"] = _("Dues are remitted to a committee above the cell.")
    if last < first:
        errors["last_month"] = _("The last month comes after the first.")
    elif first.year != last.year or len(months_between(first, last)) > 3:
        errors["last_month"] = _("A remittance covers a month or a quarter of one year.")
    if amount <= 0:
        errors["amount"] = _("Give the amount remitted.")
    if remitted_on > timezone.localdate():
        errors["remitted_on"] = _("The day of the remittance has not come yet.")
    elif remitted_on < first:
        errors["remitted_on"] = _("Dues are remitted once their months have begun.")
    if not errors:
        due = books_of([unit.pk], first.year)[unit.pk].due
        if amount > due:
            errors["amount"] = _("Only %(due)s VND is still to be remitted for %(year)s.") % {
                "due": fmt_int(due), "year": first.year}
    if errors:
        raise ValidationError(errors)
    remittance = DuesRemittance.objects.create(
        unit=unit, to_unit=to_unit, first_month=first, last_month=last, amount=amount, remitted_on=remitted_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=remittance, unit_path=unit.path,
                 figures_from=remitted_on,
                 changes={"amount": [None, amount], "months": [None, f"{first:%Y-%m}..{last:%Y-%m}"],
                          "to_unit": [None, to_unit.pk]})
    return remittance
