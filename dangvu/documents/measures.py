"""Documents the committees issued, counted where they were issued."""

from django.utils.translation import gettext_lazy as _

from dangvu.accounts.permissions import DOCUMENTS_READ
from dangvu.documents.models import Document
from dangvu.lib.measures import Column, Measure, Value, register, register_area
from dangvu.lib.rollup import rollup

register_area("documents", _("Documents"))


def _issued(unit, period):
    return Document.objects.filter(direction=Document.Direction.ISSUED, unit__path__startswith=unit.path,
                                   issued_on__gte=period.start, issued_on__lte=period.end)


register(Measure(
    key="documents.issued", label=_("Documents issued"),
    definition=_("Documents the unit and the units below it issued, with a number of their register, dated in "
                 "the period."),
    unit=_("documents"), area="documents", permission=DOCUMENTS_READ,
    compute=lambda unit, period: {path: Value(n) for path, n in rollup(
        ((p, 1) for p in _issued(unit, period).values_list("unit__path", flat=True)), unit.path).items()},
    rows=lambda unit, period: _issued(unit, period).select_related("unit").order_by("issued_on", "id"),
    columns=[Column("reference", _("Number"), lambda d: d.reference),
             Column("doc_type", _("document type"), lambda d: d.get_doc_type_display()),
             Column("issued_on", _("date"), lambda d: d.issued_on),
             Column("summary", _("summary"), lambda d: d.summary),
             Column("unit", _("Unit"), lambda d: d.unit.name)]))
