"""Documents the committees issued, counted where they were issued."""

from collections import defaultdict

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import DocType, Document
from dangvu.lib.keys import DOCUMENTS_READ
from dangvu.lib.measures import Column, Measure, Query, Value, memoised, register, register_area
from dangvu.lib.rollup import rollup
from dangvu.orgs.placements import placed

register_area("documents", _("Documents"))


def _issued(unit, period):
    return placed(Document.objects.filter(direction=Document.Direction.ISSUED, issued_on__gte=period.start,
                                          issued_on__lte=period.end), unit, "unit", "issued_on")


COLUMNS = [Column("reference", _("Number"), lambda d: d.reference),
           Column("doc_type", _("document type"), lambda d: d.get_doc_type_display()),
           Column("issued_on", _("date"), lambda d: d.issued_on),
           Column("summary", _("summary"), lambda d: d.summary),
           Column("unit", _("Unit"), lambda d: d.unit.name)]


register(Measure(
    key="documents.issued", label=_("Documents issued"),
    definition=_("Documents the unit and the units below it issued, with a number of their register, dated in "
                 "the period."),
    unit=_("documents"), area="documents", permission=DOCUMENTS_READ,
    compute=lambda q: {path: Value(n) for path, n in rollup(
        ((p, 1) for p in _issued(q.unit, q.period).values_list("at", flat=True)), q).items()},
    rows=lambda unit, period: _issued(unit, period).select_related("unit").order_by("issued_on", "id"),
    columns=COLUMNS))


# --- by type: what a report prints ("ban hành 12 nghị quyết, 30 quyết định…") ---------------

SLUG = {"QĐ": "qd", "ĐA": "da"}  # keys are ASCII: documents.issued_qd


def _issued_by_type(q: Query) -> dict[str, dict[str, int]]:
    """{type: {path: n}} in one query, shared by the per-type measures of one computation."""
    def compute():
        counts: dict[str, list] = defaultdict(list)
        for path, doc_type in _issued(q.unit, q.period).values_list("at", "doc_type"):
            counts[doc_type].append((path, 1))
        return {t: rollup(pairs, q) for t, pairs in counts.items()}
    return memoised(("documents by type", q), compute)


def _register_type(doc_type: str, label) -> None:
    key = "documents.issued_" + SLUG.get(doc_type, doc_type.lower())
    register(Measure(
        key=key, label=format_lazy("{}: {}", _("Documents issued"), label),
        definition=format_lazy("{} {}", _("Documents of this type the unit and the units below it issued, dated in "
                                          "the period:"), label),
        unit=_("documents"), area="documents", permission=DOCUMENTS_READ,
        compute=lambda q: {path: Value(n) for path, n in _issued_by_type(q).get(doc_type, {}).items()},
        rows=lambda unit, period: _issued(unit, period).filter(doc_type=doc_type).select_related("unit")
        .order_by("issued_on", "id"),
        columns=COLUMNS))


for _type, _label in DocType.choices:
    _register_type(_type, _label)
